"""The demo keys of ``make run``: one per role, kept across runs instead of issued anew each time.

A saved demo key is reused while it still authenticates (stored, secret matching, neither revoked
nor expired) for the same role and company; any other key named like a demo key is revoked, so
the store holds one live demo key per role however often the demo starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from app.db import Database
from app.errors import Unauthorized
from app.security.access import ROLES, Role
from app.security.keys import issue_key, list_keys, revoke_key
from app.security.store import authenticate

DEMO_NAMES = frozenset(f"demo {role}" for role in ROLES)


@dataclass(frozen=True)
class DemoKeys:
    """The live demo keys by role, which of them were reused, and the stale ones revoked."""

    keys: dict[str, str]
    reused: list[str] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)


def _still_valid(db: Database, key: str, role: Role, company: str | None) -> bool:
    try:
        who = authenticate(db, key)
    except Unauthorized:
        return False
    return (who.role, who.company, who.name) == (role, company, f"demo {role}")


def ensure_demo_keys(db: Database, saved: Mapping[str, str], reporter_company: str | None) -> DemoKeys:
    """One live key per role (reporter only when a company is registered), reusing ``saved`` where it still works."""
    keys: dict[str, str] = {}
    reused: list[str] = []
    for role in ROLES:
        company = reporter_company if role == "reporter" else None
        if role == "reporter" and company is None:
            continue
        old = saved.get(role)
        if isinstance(old, str) and _still_valid(db, old, role, company):
            keys[role] = old
            reused.append(role)
        else:
            keys[role] = issue_key(db, role, f"demo {role}", company).key
    live = {key.split("_")[1] for key in keys.values()}
    stale = [k.id for k in list_keys(db) if k.name in DEMO_NAMES and k.revoked_at is None and k.id not in live]
    for key_id in stale:
        revoke_key(db, key_id)
    return DemoKeys(keys, reused, stale)
