"""Roles, the authenticated principal, and the access rules that go beyond a role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.db import Database
from app.errors import Forbidden
from app.repositories import security as repo

Role = Literal["reporter", "investigator", "regulator", "analyst", "admin"]
ROLES: tuple[Role, ...] = ("reporter", "investigator", "regulator", "analyst", "admin")


@dataclass(frozen=True)
class Principal:
    """Who a request speaks for: the key, its role and, for reporters, its company."""

    key_id: str
    role: Role
    company: str | None
    name: str
    #: A regulator key limited to these GB/T 2260 provinces; None = not limited.
    provinces: frozenset[str] | None = None


def check_role(who: Principal, roles: tuple[Role, ...], method: str, path: str) -> None:
    """403 naming the role and what it may not do, so the caller knows which key to use."""
    if who.role not in roles:
        raise Forbidden(f"role {who.role} may not {method} {path}; allowed: {', '.join(roles)}")


def shows_single_batteries(who: Principal) -> bool:
    """Whether answers may name single batteries and vehicles: analysts get aggregates only."""
    return who.role != "analyst"


def check_reporter_events(who: Principal, reporters: list[str]) -> None:
    """A reporter key speaks for its own company only."""
    if who.role != "reporter":
        return
    foreign = [i for i, r in enumerate(reporters) if r != who.company]
    if foreign:
        shown = ", ".join(str(i) for i in foreign[:20])
        raise Forbidden(f"a reporter key for {who.company} may only submit its own events; events {shown} name another")


def check_battery_access(db: Database, who: Principal, code: str) -> None:
    """A reporter may read only batteries its company has held or reported on."""
    if who.role != "reporter":
        return
    # An unknown battery is let through: the read itself answers 404.
    if repo.company_knows_battery(db, code, who.company) is False:
        raise Forbidden(f"company {who.company} has neither held nor reported on battery {code}")
