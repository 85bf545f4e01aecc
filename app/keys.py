"""``python -m app.keys create --role R [--company USCC] --name N | list | revoke ID | demo``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import cast

from app.config import get_settings
from app.db import Database
from app.security import ROLES, Role, issue_key, list_keys, revoke_key
from app.services.store import apply_schema


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.keys", description="API keys")
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create", help="issue a key (shown once)")
    create.add_argument("--role", choices=ROLES, required=True)
    create.add_argument("--company", help="USCC; required for reporter keys")
    create.add_argument("--name", required=True)
    sub.add_parser("list", help="keys without secrets")
    revoke = sub.add_parser("revoke", help="revoke a key by id")
    revoke.add_argument("id")
    demo = sub.add_parser("demo", help="one key per role for the demo world (reporter: its first company)")
    demo.add_argument("--out", default="var/demo-keys.json")
    args = parser.parse_args(argv)
    db = Database(get_settings())
    try:
        apply_schema(db)
        if args.command == "create":
            try:
                issued = issue_key(db, cast(Role, args.role), args.name, args.company)
            except ValueError as err:
                print(f"error: {err}", file=sys.stderr)
                return 1
            print(json.dumps(issued.__dict__))
        elif args.command == "list":
            for row in list_keys(db):
                print(json.dumps(row.model_dump(), default=str))
        elif args.command == "revoke":
            if not revoke_key(db, args.id):
                print(f"error: no key {args.id}", file=sys.stderr)
                return 1
            print(f"revoked {args.id}")
        else:
            companies = db.read("registry.list_companies", after="", limit=1, role=None, province=None)
            reporter_company = companies[0]["uscc"] if companies else None
            keys = {}
            for role in ROLES:
                if role == "reporter" and reporter_company is None:
                    continue
                issued = issue_key(db, role, f"demo {role}", reporter_company if role == "reporter" else None)
                keys[role] = issued.key
                print(f"{role:<13} {issued.key}" + (f"  (company {reporter_company})" if role == "reporter" else ""))
            with open(args.out, "w") as fh:
                json.dump(keys, fh, indent=2)
            print(f"saved to {args.out}")
    finally:
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
