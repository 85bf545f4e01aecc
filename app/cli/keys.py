"""``batterytrace keys create --role R [--company USCC] --name N | list | revoke ID | demo``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import cast

from app.cli.common import Subparsers, database
from app.db import Database
from app.security import ROLES, Role, issue_key, list_keys, revoke_key
from app.services import registry


def register(sub: Subparsers) -> None:
    """``keys``: API keys, whose secrets are shown once and stored only as a digest."""
    keys = sub.add_parser("keys", help="API keys: create, list, revoke, demo", description="API keys")
    commands = keys.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="issue a key (shown once)")
    create.add_argument("--role", choices=ROLES, required=True)
    create.add_argument("--company", help="USCC; required for reporter keys")
    create.add_argument("--name", required=True)
    create.set_defaults(handler=_create)
    commands.add_parser("list", help="keys without secrets").set_defaults(handler=_list)
    revoke = commands.add_parser("revoke", help="revoke a key by id")
    revoke.add_argument("id")
    revoke.set_defaults(handler=_revoke)
    demo = commands.add_parser("demo", help="one key per role for the demo world (reporter: its first company)")
    demo.add_argument("--out", default="var/demo-keys.json")
    demo.set_defaults(handler=_demo)


def _create(args: argparse.Namespace) -> int:
    with database(schema=True) as db:
        try:
            issued = issue_key(db, cast(Role, args.role), args.name, args.company)
        except ValueError as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
    print(json.dumps(issued.__dict__))
    return 0


def _list(args: argparse.Namespace) -> int:
    with database(schema=True) as db:
        for row in list_keys(db):
            print(json.dumps(row.model_dump(), default=str))
    return 0


def _revoke(args: argparse.Namespace) -> int:
    with database(schema=True) as db:
        if not revoke_key(db, args.id):
            print(f"error: no key {args.id}", file=sys.stderr)
            return 1
    print(f"revoked {args.id}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    """One key per role, printed and saved to ``--out`` (the Makefile's ``demo-keys``)."""
    with database(schema=True) as db:
        keys = _demo_keys(db)
    with open(args.out, "w") as fh:
        json.dump(keys, fh, indent=2)
    print(f"saved to {args.out}")
    return 0


def _demo_keys(db: Database) -> dict[str, str]:
    companies = registry.list_companies(db, after="", limit=1, role=None, province=None).items
    reporter_company = companies[0].uscc if companies else None
    keys: dict[str, str] = {}
    for role in ROLES:
        if role == "reporter" and reporter_company is None:
            continue
        issued = issue_key(db, role, f"demo {role}", reporter_company if role == "reporter" else None)
        keys[role] = issued.key
        print(f"{role:<13} {issued.key}" + (f"  (company {reporter_company})" if role == "reporter" else ""))
    return keys
