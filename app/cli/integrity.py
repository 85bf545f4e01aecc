"""``batterytrace checkpoint --out FILE`` and ``batterytrace verify FILE | --battery CODE``.

A checkpoint is a Merkle root over every battery's hash chain, exported with its leaves; kept
elsewhere, it later proves that no chain was rewritten since, even consistently.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.cli.common import Subparsers, database
from app.services import integrity


def register(sub: Subparsers) -> None:
    """``checkpoint`` and ``verify`` at the top level: the two halves of tamper evidence."""
    take = sub.add_parser("checkpoint", help="take a checkpoint and export its leaves to a file")
    take.add_argument("--out", type=Path, required=True)
    take.set_defaults(handler=_checkpoint)
    check = sub.add_parser("verify", help="check an exported checkpoint (or one battery's chain) against the events")
    what = check.add_mutually_exclusive_group(required=True)
    what.add_argument("file", type=Path, nargs="?", help="a file written by 'checkpoint'")
    what.add_argument("--battery", metavar="CODE", help="verify only this battery's chain")
    check.set_defaults(handler=_verify)


def _checkpoint(args: argparse.Namespace) -> int:
    with database() as db:
        print(integrity.take_checkpoint(db, args.out).model_dump_json())
    return 0


def _verify(args: argparse.Namespace) -> int:
    """Exit 2 when the root or a chain does not match, so scripts can alarm on it."""
    with database() as db:
        if args.battery is not None:
            result = integrity.verify_battery(db, args.battery)
            print(result.model_dump_json(indent=2))
            return 0 if result.valid else 2
        report = integrity.verify_checkpoint(db, args.file)
    print(json.dumps(report, indent=2, default=str))
    return 0 if report["root_matches_file"] and report["chains_intact"] else 2
