"""API keys, roles, the per-key rate limit and the audit trail.

A key looks like ``bt_<id>_<secret>``: the id is public (it names the key in the audit trail),
the secret is random and stored only as SHA-256 (high-entropy tokens need no slow hash). Keys
are cached in the process for ``key_cache_s`` seconds, so a revocation takes effect within that
time on every API process.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import queue
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from app.db import Database
from app.errors import DomainError

log = logging.getLogger(__name__)

Role = Literal["reporter", "investigator", "regulator", "analyst", "admin"]
ROLES: tuple[Role, ...] = ("reporter", "investigator", "regulator", "analyst", "admin")
KEY_PREFIX = "bt_"

api_key_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="An API key from `python -m app.keys create`; its role decides what it may do.",
)


class Unauthorized(DomainError):
    status_code = 401

    def body(self) -> dict[str, Any]:
        return {"detail": self.message}


class Forbidden(DomainError):
    status_code = 403


class RateLimited(DomainError):
    status_code = 429

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Principal:
    key_id: str
    role: Role
    company: str | None
    name: str


@dataclass(frozen=True)
class IssuedKey:
    id: str
    key: str
    role: Role
    company: str | None
    name: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_key(db: Database, role: Role, name: str, company: str | None = None) -> IssuedKey:
    """Create a key; the full key is shown once and never stored."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if role == "reporter" and not company:
        raise ValueError("a reporter key is bound to one company: give its USCC")
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    db.write(
        "security.create_key",
        id=key_id,
        hash=_hash(secret),
        role=role,
        company=company if role == "reporter" else None,
        name=name,
        created_at=datetime.now(UTC),
    )
    return IssuedKey(key_id, f"{KEY_PREFIX}{key_id}_{secret}", role, company, name)


def list_keys(db: Database) -> list[dict[str, Any]]:
    return db.read("security.list_keys")


def revoke_key(db: Database, key_id: str) -> bool:
    return bool(db.write("security.revoke_key", id=key_id, at=datetime.now(UTC)))


class KeyStore:
    """Looks keys up in Neo4j, with a short cache so a read costs no extra round trip."""

    def __init__(self, db: Database, cache_s: float) -> None:
        self.db = db
        self.cache_s = cache_s
        self._cache: dict[str, tuple[float, dict[str, Any] | None]] = {}
        self._lock = threading.Lock()

    def _record(self, key_id: str) -> dict[str, Any] | None:
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(key_id)
        if hit and now - hit[0] < self.cache_s:
            return hit[1]
        rows = self.db.read("security.get_key", id=key_id)
        record = rows[0] if rows else None
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[key_id] = (now, record)
        return record

    def authenticate(self, presented: str | None) -> Principal:
        if not presented:
            raise Unauthorized("missing API key: send it in the X-API-Key header")
        parts = presented.split("_")
        if len(parts) < 3 or not presented.startswith(KEY_PREFIX):
            raise Unauthorized("malformed API key: expected bt_<id>_<secret>")
        key_id, secret = parts[1], "_".join(parts[2:])
        record = self._record(key_id)
        if record is None or not hmac.compare_digest(record["hash"], _hash(secret)):
            raise Unauthorized("unknown API key")
        if record["revoked_at"] is not None:
            raise Unauthorized(f"API key {key_id} was revoked")
        return Principal(key_id, record["role"], record["company"], record["name"])


class RateLimiter:
    """A token bucket per key: ``per_minute`` sustained, bursts up to ``burst``."""

    def __init__(self, per_minute: int, burst: int) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key_id: str) -> None:
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key_id, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens < 1.0:
                self._buckets[key_id] = (tokens, now)
                wait = max(1, int((1.0 - tokens) / self.rate) + 1)
                raise RateLimited(f"rate limit of {self.rate * 60:.0f} requests per minute for this key", wait)
            self._buckets[key_id] = (tokens - 1.0, now)


def principal(request: Request, presented: Annotated[str | None, Security(api_key_header)]) -> Principal:
    """Authenticate the request's key and charge its rate limit."""
    keys: KeyStore = request.app.state.keys
    who = keys.authenticate(presented)
    request.state.principal = who
    request.app.state.rate_limiter.take(who.key_id)
    return who


def require(*roles: Role) -> Callable[..., Principal]:
    """A dependency admitting only the given roles (403 names the role and what it may not do)."""

    def check(request: Request, who: Annotated[Principal, Depends(principal)]) -> Principal:
        if who.role not in roles:
            raise Forbidden(f"role {who.role} may not {request.method} {request.url.path}; allowed: {', '.join(roles)}")
        return who

    return check


PrincipalDep = Annotated[Principal, Depends(principal)]


def check_reporter_events(who: Principal, reporters: list[str]) -> None:
    """A reporter key speaks for its own company only."""
    if who.role != "reporter":
        return
    foreign = [i for i, r in enumerate(reporters) if r != who.company]
    if foreign:
        shown = ", ".join(str(i) for i in foreign[:20])
        raise Forbidden(f"a reporter key for {who.company} may only submit its own events; events {shown} name another")


def check_battery_access(db: Database, who: Principal, code: str) -> None:
    """A reporter may read only batteries its company has held or reported on."""
    if who.role != "reporter":
        return
    rows = db.read("security.company_knows_battery", code=code, company=who.company)
    if rows and not rows[0]["allowed"]:
        raise Forbidden(f"company {who.company} has neither held nor reported on battery {code}")


class AuditLog:
    """Append-only trail of writes and single-battery reads, hash-chained per writer.

    Writes are recorded before their answer leaves; reads are queued and written in batches
    by one thread, so an investigator's look-up does not wait for its own audit entry."""

    def __init__(self, db: Database, flush_s: float = 0.5) -> None:
        self.db = db
        self.writer = uuid.uuid4().hex[:12]
        self.seq = 0
        self.prev = "0" * 64
        self._lock = threading.Lock()
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue(maxsize=100_000)
        self._flush_s = flush_s
        self._thread = threading.Thread(target=self._run, name="audit-writer", daemon=True)
        self._thread.start()

    def _seal(self, entry: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.seq += 1
            entry = {**entry, "writer": self.writer, "seq": self.seq, "prev": self.prev}
            canonical = json.dumps(entry, sort_keys=True, separators=(",", ":"), default=str)
            entry["hash"] = hashlib.sha256(canonical.encode()).hexdigest()
            self.prev = entry["hash"]
        return entry

    def record(self, entry: dict[str, Any], *, wait: bool) -> None:
        sealed = self._seal({"id": uuid.uuid4().hex, "at": datetime.now(UTC).isoformat(), **entry})
        if wait:
            try:
                self.db.write("audit.append", rows=[sealed])
                return
            except Exception as exc:
                # Neo4j is away (the request itself most likely got a 503): the writer thread
                # keeps retrying the entry until it is back.
                log.warning("audit entry queued for retry: %s", exc)
        try:
            self._queue.put_nowait(sealed)
        except queue.Full:
            log.error("audit queue full; entry %s dropped", sealed["id"])

    def _run(self) -> None:
        stop = False
        while not stop:
            batch: list[dict[str, Any]] = []
            try:
                item = self._queue.get(timeout=self._flush_s)
                if item is None:
                    stop = True
                else:
                    batch.append(item)
                while len(batch) < 1000:
                    item = self._queue.get_nowait()
                    if item is None:
                        stop = True
                        break
                    batch.append(item)
            except queue.Empty:
                pass
            if batch:
                self._write(batch)

    def _write(self, batch: list[dict[str, Any]]) -> None:
        for attempt in range(30):
            try:
                self.db.write("audit.append", rows=batch)
                return
            except Exception as exc:
                log.warning("audit write failed (%s), attempt %d", exc, attempt + 1)
                time.sleep(1.0)
        log.error("dropped %d audit entries after repeated failures", len(batch))

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)


def list_audit(
    db: Database, since: datetime, until: datetime, key_id: str | None, battery: str | None, limit: int
) -> list[dict[str, Any]]:
    return db.read("audit.list_entries", since=since, until=until, key_id=key_id, battery=battery, limit=limit)
