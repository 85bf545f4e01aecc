"""``python -m app.integrity_cli checkpoint --out FILE`` / ``verify FILE`` / ``battery CODE``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.config import get_settings
from app.db import Database
from app.services import integrity


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.integrity_cli", description="tamper evidence")
    sub = parser.add_subparsers(dest="command", required=True)
    take = sub.add_parser("checkpoint", help="take a checkpoint and export its leaves to a file")
    take.add_argument("--out", type=Path, required=True)
    check = sub.add_parser("verify", help="check an exported checkpoint against the stored events")
    check.add_argument("file", type=Path)
    one = sub.add_parser("battery", help="verify one battery's chain")
    one.add_argument("code")
    args = parser.parse_args(argv)
    db = Database(get_settings())
    try:
        if args.command == "checkpoint":
            print(integrity.take_checkpoint(db, args.out).model_dump_json())
            return 0
        if args.command == "verify":
            report = integrity.verify_checkpoint(db, args.file)
            print(json.dumps(report, indent=2, default=str))
            return 0 if report["root_matches_file"] and report["chains_intact"] else 2
        result = integrity.verify_battery(db, args.code)
        print(result.model_dump_json(indent=2))
        return 0 if result.valid else 2
    finally:
        db.close()


if __name__ == "__main__":
    sys.exit(main())
