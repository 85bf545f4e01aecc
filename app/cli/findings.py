"""``batterytrace findings sweep | rebuild``: bring the stored findings up to date, or check them.

``sweep`` runs every rule and stores what changed (what a running API's keeper does on its own).
``rebuild`` recomputes every finding from the rules and compares it with the stored set; it stores
the rules' answer (the stored set then equals it) and counts the summary's tallies again from the
stored findings, unless ``--check``, which only compares and exits 1 when the two differ.
"""

from __future__ import annotations

import argparse
import json
import sys

from app.cli.common import Subparsers, aware_datetime, database
from app.config import get_settings
from app.repositories import findings as repo
from app.services import findings, leakage


def register(sub: Subparsers) -> None:
    group = sub.add_parser("findings", help="the stored findings: sweep them up to date, rebuild or check them")
    cmds = group.add_subparsers(dest="findings_command", required=True, metavar="ACTION")
    for name, text in (
        ("sweep", "run every rule and store what changed"),
        ("rebuild", "recompute every finding and compare with (then store over) the stored set"),
    ):
        cmd = cmds.add_parser(name, help=text)
        cmd.add_argument("--as-of", type=aware_datetime, help="the moment the rules judge at (default now)")
        cmd.add_argument("--workers", type=int, default=None, help="rules run at once (default LEAKAGE_WORKERS)")
        if name == "rebuild":
            cmd.add_argument("--check", action="store_true", help="only compare; exit 1 when they differ")
        cmd.set_defaults(handler=_sweep if name == "sweep" else _rebuild)


def _sweep(args: argparse.Namespace) -> int:
    settings = get_settings()
    with database(schema=True) as db:
        report = findings.sweep(
            db, leakage.calendar_for(settings), as_of=args.as_of, workers=args.workers or settings.leakage_workers
        )
    print(report.model_dump_json())
    return 0


def _rebuild(args: argparse.Namespace) -> int:
    """Print how the rules' answer differs from the stored set (ids), then store it unless --check."""
    settings = get_settings()
    calendar = leakage.calendar_for(settings)
    workers = args.workers or settings.leakage_workers
    with database(schema=True) as db:
        state = repo.feed_state(db)
        moment = args.as_of or state.as_of
        if moment is None:
            print("no sweep has stored findings yet: run 'batterytrace findings sweep'", file=sys.stderr)
            return 1
        found, _ = findings.compute(db, calendar, moment, workers)
        stored = {
            c.id for c in findings.iter_cases(db, findings.CaseFilters(), provinces=None) if c.resolved_at is None
        }
        missing, extra = sorted(set(found) - stored), sorted(stored - set(found))
        print(
            json.dumps(
                {
                    "as_of": moment.isoformat(),
                    "computed": len(found),
                    "stored": len(stored),
                    "same": not missing and not extra,
                    "not_stored": missing[:100],
                    "stored_not_found": extra[:100],
                }
            )
        )
        if args.check:
            return 0 if not missing and not extra else 1
        print(findings.sweep(db, calendar, as_of=moment, workers=workers, recount=True).model_dump_json())
    return 0
