"""``batterytrace load DIR | registry DIR | events FILE | epcis FILE... | reproject``.

Files go through the same validation and Cypher as the API (or, with ``--api``, through the API
itself); ``reproject`` rebuilds every battery's derived state after an upgrade that asks for it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from app.cli.common import Subparsers, database
from app.config import get_settings
from app.db import Database
from app.errors import InvalidInput
from app.lifecycle import PROJECTION_REVISION
from app.services.epcis import capture_document
from app.services.passport import digital_link_prefix
from app.services.reproject import reproject_all
from loaders.files import LoadError, LoadReport, load_directory, load_events, load_registry
from loaders.targets import HttpError, HttpTarget, LocalTarget

#: Worker processes of a local load, one per core (``loaders.files.load_events``; docs/scaling.md).
LOAD_WORKERS = os.cpu_count() or 1


def register(sub: Subparsers) -> None:
    """The loader's commands, each at the top level: ``batterytrace load DIR`` and so on."""
    world = sub.add_parser("load", help="a directory: companies/stations/vehicles.jsonl, then events.jsonl")
    world.add_argument("directory", type=Path)
    reg = sub.add_parser("registry", help="only the registry files of a directory")
    reg.add_argument("directory", type=Path)
    events = sub.add_parser("events", help="one events JSONL file (resumable)")
    events.add_argument("file", type=Path)
    events.add_argument("--restart", action="store_true", help="ignore a saved checkpoint")
    events.add_argument(
        "--import-history",
        action="store_true",
        help="admin path: keep the recorded_at carried by each event (marked as imported)",
    )
    for p in (world, events):
        p.add_argument("--batch-size", type=int, default=5_000)
        p.add_argument("--api", help="send through the HTTP API at this URL instead of straight to Neo4j")
        p.add_argument("--key", default=os.environ.get("BATTERYTRACE_API_KEY"), help="API key for --api")
        p.add_argument(
            "--receipts", type=Path, help="with --api: append each batch's signed receipt to this file (JSON lines)"
        )
        p.add_argument("--quiet", action="store_true", help="no progress bar")
        p.add_argument(
            "--workers",
            type=int,
            default=LOAD_WORKERS,
            help="worker processes, each ingesting its own batches (local loads; --api sends one at a time)",
        )
    for p in (world, reg, events):
        p.set_defaults(handler=_files)
    epcis = sub.add_parser("epcis", help="EPCIS 2.0 JSON-LD documents, each stored atomically")
    epcis.add_argument("files", type=Path, nargs="+")
    epcis.set_defaults(handler=_epcis)
    rebuild = sub.add_parser("reproject", help="rebuild every battery's derived state with the current projection")
    rebuild.add_argument("--batch-size", type=int, default=2_000)
    rebuild.set_defaults(handler=_reproject)


def _files(args: argparse.Namespace) -> int:
    """``load``, ``registry`` and ``events``: one counts line on stdout, errors as one line."""
    try:
        with database(schema=True) as db:
            report = _send(db, args)
    except (LoadError, HttpError) as err:
        print(f"load failed: {err}", file=sys.stderr)
        return 1
    if report is None:
        return 1
    print(
        f"companies={report.companies} stations={report.stations} vehicles={report.vehicles} "
        f"{report.registry_counts()} "
        f"accepted={report.accepted} duplicates={report.duplicates} batches={report.batches} "
        f"seconds={report.seconds:.1f} events_per_s={report.events_per_s:.0f}"
        + (f" resumed_from_line={report.resumed_from_line}" if report.resumed_from_line else "")
    )
    return 0


def _send(db: Database, args: argparse.Namespace) -> LoadReport | None:
    if args.group == "registry":
        return load_registry(LocalTarget(db, changed_by="cli"), args.directory)
    where: Database | HttpTarget = db
    if args.api:
        if not args.key:
            print("load failed: --api needs --key (or BATTERYTRACE_API_KEY)", file=sys.stderr)
            return None
        where = HttpTarget(args.api, args.key, receipts=args.receipts)
    workers = 1 if args.api else max(1, args.workers)  # one HTTP connection, one batch at a time
    if args.group == "load":
        return load_directory(where, args.directory, args.batch_size, progress=not args.quiet, workers=workers)
    return load_events(
        where,
        args.file,
        args.batch_size,
        resume=not args.restart,
        allow_recorded_at=args.import_history,
        progress=not args.quiet,
        workers=workers,
    )


def _epcis(args: argparse.Namespace) -> int:
    """Each document stored atomically or refused with its reasons; exit 1 if any was refused."""
    failed = 0
    settings = get_settings()
    # Without an API request there is no address to default to: only a configured base is accepted.
    prefixes = (digital_link_prefix(settings.digital_link_base),) if settings.digital_link_base else ()
    with database(schema=True) as db:
        for path in args.files:
            try:
                document = json.loads(path.read_text())
                result = capture_document(db, document, settings.max_batch_events, battery_prefixes=prefixes)
            except (InvalidInput, json.JSONDecodeError) as err:
                failed += 1
                reasons = (
                    "; ".join(f"event {p.index}: {p.field}: {p.reason}" for p in err.problems[:20])
                    if isinstance(err, InvalidInput)
                    else str(err)
                )
                print(f"{path}: refused: {reasons}", file=sys.stderr)
                continue
            print(f"{path}: {result.model_dump_json()}")
    return 1 if failed else 0


def _reproject(args: argparse.Namespace) -> int:
    """Batch by batch, with a rate on stderr; safe to rerun."""
    began = time.perf_counter()

    def report(done: int) -> None:
        rate = done / (time.perf_counter() - began)
        print(f"\rreproject: {done:,} batteries, {rate:,.0f}/s", end="", file=sys.stderr)

    with database(schema=True) as db:
        done = reproject_all(db, args.batch_size, report)
    seconds = time.perf_counter() - began
    print(f"\nreprojected={done} seconds={seconds:.1f} revision={PROJECTION_REVISION}")
    return 0
