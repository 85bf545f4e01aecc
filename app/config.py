"""Settings from the environment (and an optional .env file); no secrets live in the repo."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # The local server's Bolt port, as the launcher starts it (``batterytrace neo4j start`` reads the
    # same NEO4J_PORT); NEO4J_URI left unset is bolt://127.0.0.1:<that port>, set it for any other server.
    neo4j_port: int = Field(7687, ge=1, le=65535)
    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    # The local server's folder (the launcher's --home, read from the same NEO4J_HOME_DIR).
    neo4j_home_dir: Path = PROJECT_ROOT / "var" / "neo4j"
    # The local launcher writes a generated password here (default: ``password`` in NEO4J_HOME_DIR);
    # used when NEO4J_PASSWORD is unset.
    neo4j_password_file: Path = PROJECT_ROOT / "var" / "neo4j" / "password"
    # The verifiable log's Ed25519 signing key; by default beside the password file, created on first start.
    log_key_file: Path | None = None
    # A capture answer's receipt carries each event's inclusion path when the batch has at most this many.
    receipt_proofs_max: int = Field(100, ge=0)
    neo4j_database: str = "neo4j"
    neo4j_max_pool: int = 50
    neo4j_connect_timeout_s: float = 5.0
    # How long managed transactions retry transient failures before the API answers 503.
    neo4j_retry_time_s: float = 5.0
    # The first pause before such a retry (doubling, with jitter). A deadlock between two writers is
    # resolved the moment Neo4j detects it, so the retry need not wait the driver's default second.
    neo4j_retry_delay_s: float = Field(0.05, gt=0)

    # Ingest transactions one API process runs at once; those of all processes run side by side, their
    # locks taken in one order. 4 overlaps one batch's Python work with another's database round trips:
    # small batches from 8 clients, +35% over 1 with one worker, +21% with two (docs/scaling.md).
    ingest_concurrency: int = Field(4, ge=1, description="ingest transactions at once per process")
    # Group commit: small batches (up to ``ingest_group_max_events`` events) arriving at one process
    # within ``ingest_group_ms`` of each other share one transaction, at most ``ingest_group_slots``
    # such transactions at once; each batch is still all or nothing and answered after the commit.
    # 0 ms: every batch its own transaction.
    ingest_group_ms: float = Field(2.0, ge=0)
    ingest_group_max_events: int = Field(500, ge=1)
    ingest_group_slots: int = Field(4, ge=1)
    max_batch_events: int = Field(10_000, ge=1)
    max_page_size: int = Field(1_000, ge=1)
    default_page_size: int = Field(50, ge=1)
    retry_after_s: int = 5
    max_body_bytes: int = Field(32 * 1024 * 1024, ge=1024)
    # A revoked or expired key stops working on every API process within this many seconds.
    key_cache_s: float = 1.0
    # The audit trail's write-ahead files (one per API process), fsync'ed before an audited answer
    # leaves; shipped to Neo4j every ``audit_ship_s``, other processes' leftovers every ``audit_recover_s``.
    audit_dir: Path = PROJECT_ROOT / "var" / "audit"
    audit_ship_s: float = Field(0.2, gt=0)
    audit_recover_s: float = Field(30.0, gt=0)
    audit_segment_bytes: int = Field(16 * 1024 * 1024, ge=4096)
    rate_limit_per_minute: int = Field(12_000, ge=1)
    rate_limit_burst: int = Field(2_000, ge=1)
    # The public routes (/public/..., no key): a bucket per client address (IPv6 by its /64), at most
    # ``public_rate_buckets`` of them in memory (the least recently seen is dropped first).
    public_rate_limit_per_minute: int = Field(30, ge=1)
    public_rate_limit_burst: int = Field(30, ge=1)
    public_rate_buckets: int = Field(100_000, ge=1)
    # Working days for the leakage rules beyond the years chinese-calendar knows (it raises for them):
    # weekdays minus these holidays plus these adjusted workdays, as JSON lists of dates.
    leakage_workers: int = Field(
        2, ge=1, le=16, description="rules the leakage summary runs at once (one server core each)"
    )
    # The API's findings keeper checks every ``findings_sweep_s`` (0: no keeper) and sweeps when events
    # arrived since the last sweep, or when it is ``findings_time_sweep_s`` old (deadlines pass by themselves).
    findings_sweep_s: float = Field(60.0, ge=0)
    findings_time_sweep_s: float = Field(3600.0, gt=0)
    # The API's flows keeper refreshes the kept custody flows every ``flows_refresh_s`` when events arrived (0: none).
    flows_refresh_s: float = Field(10.0, ge=0)
    # Between sweeps the keeper maintains, every ``findings_maintain_s`` (0: never; events then cause a full
    # sweep), the findings of the batteries that events logged since touched (app/services/findings/maintain.py).
    findings_maintain_s: float = Field(5.0, ge=0)
    leakage_holidays: list[date] = []
    leakage_workdays: list[date] = []
    # Where a battery's Digital Link URI points (``<base>/battery/<code>``, printed in its QR code and
    # resolved by this API's public ``/battery/{code}``); unset: the address the request reached the API at.
    digital_link_base: str | None = Field(None, pattern=r"^https?://[^/?#\s]+(/[^?#\s]*)?$")
    # The investigator's dossier (GET /v1/batteries/{code}/dossier.pdf) embeds this CJK font, TrueType or
    # OpenType, or a face of a collection (DOSSIER_FONT_INDEX); the default is Debian's fonts-wqy-microhei,
    # which `make pdf-deps` installs. Missing: the API starts, logs it, and the dossier answers 503.
    dossier_font_file: Path = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
    dossier_font_index: int = Field(0, ge=0)

    @model_validator(mode="after")
    def _local_server(self) -> Settings:
        """NEO4J_URI and NEO4J_PASSWORD_FILE, when not given, name the local server the launcher
        starts from NEO4J_PORT and NEO4J_HOME_DIR: each set once, for the API and the launcher alike."""
        if "neo4j_uri" not in self.model_fields_set:
            self.neo4j_uri = f"bolt://127.0.0.1:{self.neo4j_port}"
        if "neo4j_password_file" not in self.model_fields_set:
            self.neo4j_password_file = self.neo4j_home_dir / "password"
        if self.digital_link_base is not None:
            self.digital_link_base = self.digital_link_base.rstrip("/")
        return self

    def log_key_path(self) -> Path:
        return self.log_key_file or self.neo4j_password_file.parent / "log-signing.key"

    def password(self) -> str:
        if self.neo4j_password is not None:
            return self.neo4j_password.get_secret_value()
        if self.neo4j_password_file.exists():
            return self.neo4j_password_file.read_text().strip()
        raise RuntimeError(
            f"no Neo4j password: set NEO4J_PASSWORD or NEO4J_PASSWORD_FILE (looked for {self.neo4j_password_file})"
        )


@lru_cache
def get_settings() -> Settings:
    return Settings()
