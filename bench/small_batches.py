"""Small batches from 8 clients, several API configurations back to back on one store, in one run.

The real-time capture path (``small_batches.events_per_s``) compared with itself: each
``--variant NAME[@CHECKOUT]:VAR=VALUE,...`` starts the API (``--workers`` processes; another
checkout's code, e.g. main's, when given) with those settings on the same store, warms it, and runs
8 clients sending batches of 10 repairs for ``--seconds``; the variants run in turn, then again in
the same order (``--rounds``), so a drift of the machine's load shows as a spread rather than as a
difference. ``--profile`` instead serves the app in this process
and times where one batch's time goes (``bench.ingest_profile``).

    python -m bench.small_batches --uri bolt://127.0.0.1:7689 --password-file var/neo4j-test/password \
        --batteries 10000 --load --variant main@/work/main: --variant serial:INGEST_GROUP_MS=0 --variant grouped:

``--load`` empties the store it is pointed at and loads a synthetic world: give it a test or bench
server, never one with data you keep.
"""

from __future__ import annotations

import argparse
import json
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
from bench.samples import repair_sample  # noqa: E402
from bench.server import api_process  # noqa: E402


def _world(db: Database, batteries: int, state: Path) -> None:
    from loaders.files import load_directory
    from loaders.synth import generate_world

    world = ROOT / "var" / f"small-batches-world-{batteries}"
    if not (world / "manifest.json").exists():
        generate_world(world, batteries=batteries, seed=5)
    apply_schema(db)
    clear_store(db)
    load_directory(db, world, progress=False)


def _variant(text: str) -> tuple[str, Path, dict[str, str]]:
    """``NAME[@CHECKOUT]:VAR=VALUE,...``: the API of CHECKOUT (default this one) with those settings."""
    head, _, assignments = text.partition(":")
    name, _, checkout = head.partition("@")
    env = dict(a.split("=", 1) for a in assignments.split(",") if a)
    return name, Path(checkout) if checkout else ROOT, env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uri", required=True)
    parser.add_argument("--user", default="neo4j")
    parser.add_argument("--password-file", type=Path, required=True)
    parser.add_argument("--batteries", type=int, default=10_000)
    parser.add_argument("--load", action="store_true", help="empty the store and load a world first")
    parser.add_argument("--variant", action="append", default=[], help="NAME:VAR=VALUE,... (repeatable)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="time the spans of a batch in this process")
    args = parser.parse_args()
    password = args.password_file.read_text().strip()
    state = Path(tempfile.mkdtemp(prefix="bt-small-batches-"))
    env = {
        "NEO4J_URI": args.uri,
        "NEO4J_USER": args.user,
        "NEO4J_PASSWORD": password,
        "AUDIT_DIR": str(state / "audit"),
        "LOG_KEY_FILE": str(state / "log-signing.key"),
        "RATE_LIMIT_PER_MINUTE": "10000000",
        "RATE_LIMIT_BURST": "1000000",
    }
    settings = Settings(
        neo4j_uri=args.uri,
        neo4j_user=args.user,
        neo4j_password=SecretStr(password),
        audit_dir=state / "audit",
        log_key_file=state / "log-signing.key",
    )
    db = Database(settings)
    if args.load:
        _world(db, args.batteries, state)
    codes, reporter = repair_sample(db, 7, role="repairer")
    key = issue_key(db, "admin", "bench small batches").key
    db.close()
    if args.profile:
        from bench.ingest_profile import profile

        for clients in (1, args.clients):
            print(json.dumps(profile(env, key, codes, reporter, clients, args.seconds, args.batch)), flush=True)
        return
    variants = [_variant(v) for v in args.variant] or [("current", ROOT, {})]
    for round_ in range(args.rounds):
        for name, checkout, extra in variants:
            with api_process({**env, **extra}, workers=args.workers, root=checkout) as api:
                run_load(
                    api.port,
                    0,
                    key,
                    codes,
                    reporter,
                    duration_s=3,
                    clients=args.clients,
                    write_share=1.0,
                    measure_rss=False,
                )
                result = run_load(
                    api.port,
                    0,
                    key,
                    codes,
                    reporter,
                    duration_s=args.seconds,
                    clients=args.clients,
                    write_share=1.0,
                    batch=args.batch,
                    measure_rss=False,
                    seed=round_ + 2,
                ).summary()
            report: dict[str, Any] = {
                "variant": name,
                "checkout": str(checkout),
                "env": extra,
                "round": round_,
                "workers": args.workers,
                "clients": args.clients,
                "batch": args.batch,
                "events_per_s": round(result["load.events_per_s"], 1),
                "p50_ms": round(result["load.p50_ms"], 1),
                "p99_ms": round(result["load.p99_ms"], 1),
                "statuses": result["load.statuses"],
            }
            print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
