"""``batterytrace checkpoint --out FILE`` and ``batterytrace verify FILE | --battery CODE``.

A checkpoint is a Merkle root over every battery's hash chain, exported with its leaves; kept
elsewhere, it later proves that no chain was rewritten since, even consistently.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.cli.common import Subparsers, database
from app.ledger import verifier
from app.services import integrity, ledger_upgrade


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
    register_ledger(sub)


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


def register_ledger(sub: Subparsers) -> None:
    """``ledger upgrade|verify`` and ``verify-proof``: the verifiable log from the command line."""
    ledger_cmd = sub.add_parser("ledger", help="the verifiable log: upgrade an older store, or audit the whole log")
    inner = ledger_cmd.add_subparsers(dest="ledger_command", required=True)
    up = inner.add_parser("upgrade", help="re-hash an older store's chains and log its events (once; safe to rerun)")
    up.set_defaults(handler=_upgrade)
    audit = inner.add_parser("audit", help="rebuild the whole log from the stored events and compare (exit 2 if not)")
    audit.add_argument("--head", type=Path, help="a signed head kept earlier (JSON): its root must be rebuilt too")
    audit.set_defaults(handler=_audit)
    proof = sub.add_parser(
        "verify-proof",
        help="check a receipt, head, inclusion or consistency proof, or a battery's bundle offline "
        "(`verify-proof --help`; the same as `python app/ledger/verifier.py`)",
        add_help=False,
    )
    proof.set_defaults(handler=_verify_proof)


def _upgrade(args: argparse.Namespace) -> int:
    with database() as db:
        report = ledger_upgrade.upgrade(db, progress=lambda line: print(line, flush=True))
    print(report.said())
    return 0


def _verify_proof(args: argparse.Namespace) -> int:
    """Reached only without arguments (``main`` hands the rest to the verifier): its usage."""
    return verifier.main(["--help"])


def passthrough(command: str, argv: list[str]) -> int:
    """``verify-proof``: the one-file verifier's own command line; no database is opened."""
    assert command == "verify-proof"
    return verifier.main(argv)


def _audit(args: argparse.Namespace) -> int:
    """Exit 2 when the stored events do not rebuild the log (or the head kept)."""
    kept = None
    if args.head is not None:
        head = json.loads(args.head.read_text())
        head = head.get("tree_head", head)
        kept = (int(head["tree_size"]), str(head["root_hash"]))
    with database() as db:
        report = ledger_upgrade.audit_log(db, kept=kept)
    print(json.dumps({"size": report.size, "root": report.root, "valid": report.valid, "problems": report.problems}))
    return 0 if report.valid else 2
