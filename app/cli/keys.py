"""``batterytrace keys create|list|revoke|demo``: API keys.

``create --role R [--company USCC] [--provinces CODES] --name N [--expires DATE | --days N]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import cast

from app.cli.common import Subparsers, database
from app.errors import DomainError
from app.security import ROLES, Role, ensure_demo_keys, issue_key, list_keys, revoke_key
from app.services import registry


def register(sub: Subparsers) -> None:
    """``keys``: API keys, whose secrets are shown once and stored only as a digest."""
    keys = sub.add_parser("keys", help="API keys: create, list, revoke, demo", description="API keys")
    commands = keys.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="issue a key (shown once)")
    create.add_argument("--role", choices=ROLES, required=True)
    create.add_argument("--company", help="USCC of a registered company; required for reporter keys")
    create.add_argument(
        "--provinces",
        type=_codes,
        help="comma-separated GB/T 2260 province codes (e.g. 440000,320000); regulator keys only: "
        "the key then sees only batteries, findings, summaries and networks within them",
    )
    create.add_argument("--name", required=True)
    expiry = create.add_mutually_exclusive_group()
    expiry.add_argument("--expires", type=_moment, help="expiry: a date (midnight UTC) or an ISO 8601 time")
    expiry.add_argument("--days", type=_days, help="expiry N days from now")
    create.set_defaults(handler=_create)
    commands.add_parser("list", help="keys without secrets").set_defaults(handler=_list)
    revoke = commands.add_parser("revoke", help="revoke a key by id")
    revoke.add_argument("id")
    revoke.set_defaults(handler=_revoke)
    demo = commands.add_parser(
        "demo", help="one key per role for the demo world (reporter: its first company), reused while valid"
    )
    demo.add_argument("--out", default="var/demo-keys.json")
    demo.set_defaults(handler=_demo)


def _moment(text: str) -> datetime:
    """A date is read as midnight UTC, a time without an offset as UTC."""
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (2027-01-01) or an ISO 8601 time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _codes(text: str) -> list[str]:
    return [code.strip() for code in text.split(",")]


def _days(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days (1 or more)")
    return int(text)


def _create(args: argparse.Namespace) -> int:
    expires = datetime.now(UTC) + timedelta(days=args.days) if args.days else args.expires
    with database(schema=True) as db:
        try:
            issued = issue_key(db, cast(Role, args.role), args.name, args.company, expires, args.provinces)
        except DomainError as err:
            print(f"error: {err.message}", file=sys.stderr)
            return 1
    print(json.dumps(issued.__dict__, default=datetime.isoformat))
    return 0


def _list(args: argparse.Namespace) -> int:
    with database(schema=True) as db:
        for row in list_keys(db):
            print(json.dumps(row.model_dump(mode="json")))  # times in ISO 8601, as the API answers them
    return 0


def _revoke(args: argparse.Namespace) -> int:
    with database(schema=True) as db:
        if not revoke_key(db, args.id):
            print(f"error: no key {args.id}", file=sys.stderr)
            return 1
    print(f"revoked {args.id}")
    return 0


def _saved(path: Path) -> dict[str, str]:
    """The demo keys saved by an earlier run; nothing when there is no readable file."""
    try:
        saved = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as err:
        print(f"warning: ignoring {path} ({err}); issuing fresh demo keys", file=sys.stderr)
        return {}
    return {k: v for k, v in saved.items() if isinstance(v, str)} if isinstance(saved, dict) else {}


def _demo(args: argparse.Namespace) -> int:
    """One key per role, printed and saved to ``--out`` (the Makefile's ``demo-keys``); reused while valid."""
    out = Path(args.out)
    with database(schema=True) as db:
        companies = registry.list_companies(db, after="", limit=1, role=None, province=None).items
        reporter_company = companies[0].uscc if companies else None
        demo = ensure_demo_keys(db, _saved(out), reporter_company)
    for role, key in demo.keys.items():
        note = f"  (company {reporter_company})" if role == "reporter" else ""
        print(f"{role:<13} {key}{note}" + ("  reused" if role in demo.reused else "  new"))
    if demo.revoked:
        print(f"revoked stale demo keys: {', '.join(demo.revoked)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(demo.keys, indent=2) + "\n")
    out.chmod(0o600)  # the secrets, in the clear
    print(f"saved to {out}")
    return 0
