"""Small batches from many clients against real API processes, one configuration after another in
one run: how many uvicorn workers, and how many ingest transactions each lets run at once
(``INGEST_CONCURRENCY``). Batches of ``--batch`` repairs of random batteries of a small world, from
``--clients`` concurrent clients for ``--seconds`` each, then a read-only and a mixed run on the chosen
configuration. Prints one JSON line per run (events/s, statuses, latency percentiles).

    python bench/writers.py --uri bolt://127.0.0.1:7732 --password-file var/neo4j-test/password

It empties the store it is pointed at: give it a test or bench server, never one with data you keep.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pydantic import SecretStr  # noqa: E402

from app.config import Settings  # noqa: E402
from app.db import Database  # noqa: E402
from app.security import issue_key  # noqa: E402
from app.services.store import apply_schema, clear_store  # noqa: E402
from bench.load import run_load  # noqa: E402
from bench.server import api_process  # noqa: E402
from loaders.files import load_directory  # noqa: E402
from loaders.synth import generate_world  # noqa: E402

#: (uvicorn workers, INGEST_CONCURRENCY) measured in turn; the cores of the machine by default.
CONFIGS = [(1, 1), (1, 4), (os.cpu_count() or 2, 1), (os.cpu_count() or 2, 4)]


def _percentile(values: list[float], q: float) -> float:
    return round(statistics.quantiles(values, n=100)[int(q) - 1], 1) if len(values) >= 2 else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uri", required=True)
    parser.add_argument("--user", default="neo4j")
    parser.add_argument("--password-file", type=Path, required=True)
    parser.add_argument("--batteries", type=int, default=300)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--reads-only", action="store_true", help="only the read-only and the mixed run")
    args = parser.parse_args()
    password = args.password_file.read_text().strip()
    state = Path(tempfile.mkdtemp(prefix="bt-writers-"))
    settings = Settings(
        neo4j_uri=args.uri,
        neo4j_user=args.user,
        neo4j_password=SecretStr(password),
        audit_dir=state / "audit",
        log_key_file=state / "log-signing.key",
    )
    db = Database(settings)
    apply_schema(db)
    clear_store(db)
    generate_world(state / "world", batteries=args.batteries, seed=5)
    load_directory(db, state / "world", progress=False)
    codes = [
        r["code"]
        for r in db.read(
            "trace.list_batteries",
            after="",
            maker=None,
            level="pack",
            status=None,
            chemistry=None,
            provinces=None,
            limit=args.batteries,
        )
    ]
    reporter = db.read("registry.list_companies", after="", limit=1, role="repairer", province=None)[0]["uscc"]
    key = issue_key(db, "admin", "bench writers").key
    db.close()
    env = {
        "NEO4J_URI": args.uri,
        "NEO4J_USER": args.user,
        "NEO4J_PASSWORD": password,
        "AUDIT_DIR": str(state / "audit"),
        "LOG_KEY_FILE": str(state / "log-signing.key"),
        "RATE_LIMIT_PER_MINUTE": "1000000",
        "RATE_LIMIT_BURST": "100000",
    }
    runs: list[tuple[int, int, float]] = [] if args.reads_only else [(w, c, 1.0) for w, c in CONFIGS]
    runs += [(CONFIGS[-1][0], 4, 0.0), (CONFIGS[-1][0], 4, 0.2)]  # reads only, then 80/20, as `make api` runs
    for workers, concurrency, share in runs:
        with api_process({**env, "INGEST_CONCURRENCY": str(concurrency)}, workers=workers) as api:
            run_load(api.port, api.pid, key, codes, reporter, duration_s=3, clients=args.clients, write_share=share)
            result = run_load(
                api.port,
                api.pid,
                key,
                codes,
                reporter,
                duration_s=args.seconds,
                clients=args.clients,
                write_share=share,
                batch=args.batch,
            )
        report: dict[str, Any] = {
            "workers": workers,
            "ingest_concurrency": concurrency,
            "write_share": share,
            "clients": args.clients,
            "events_per_s": round(result.writes * args.batch / result.seconds, 1),
            "requests_per_s": round((result.reads + result.writes) / result.seconds, 1),
            "statuses": result.statuses,
            "p50_ms": _percentile(result.latencies_ms, 50),
            "p99_ms": _percentile(result.latencies_ms, 99),
            "read_p50_ms": _percentile(result.read_ms, 50),
            "read_p99_ms": _percentile(result.read_ms, 99),
            "seconds": round(result.seconds, 1),
        }
        print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
