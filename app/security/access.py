"""Roles, the authenticated principal, and the access rules that go beyond a role.

Province-limited regulator keys: a battery is within a province when one of its standing
(uncorrected) events carries that province, or, carrying none, was reported by a company
registered there (the same fallback findings use for their ``province``); a vehicle when one of
its own events is, or a battery within was ever installed in it; a station by its registered
province. One outside answers 404 in the very words of an unknown one, so the key does not learn
that it exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.db import Database
from app.errors import FieldProblem, Forbidden, InvalidInput, NotFound
from app.repositories import security as repo
from app.schemas.search import SearchKind

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


def province_scope(who: Principal) -> list[str] | None:
    """The provinces a key is limited to, sorted; None when it is not limited."""
    return sorted(who.provinces) if who.provinces else None


def check_province_param(who: Principal, province: str | None) -> None:
    """403 for a ``province=`` outside a province-limited key's provinces."""
    if who.provinces and province is not None and province not in who.provinces:
        allowed = ", ".join(sorted(who.provinces))
        raise Forbidden(f"this {who.role} key is limited to provinces {allowed}; province {province} is outside them")


def findings_company(who: Principal, company: str | None) -> str:
    """Whose findings a compliance view shows: a reporter's own company (403 for another); an
    admin names one (422 without)."""
    if who.role == "reporter":
        if company is not None and company != who.company:
            raise Forbidden(f"a reporter key for {who.company} sees only its own company's findings, not {company}")
        return str(who.company)
    if company is None:
        raise InvalidInput([FieldProblem("company", "an admin key names the company: give its USCC")])
    return company


def check_vehicle_access(db: Database, who: Principal, vin: str) -> None:
    """A province-limited key reads only vehicles within its provinces (404 otherwise, as if unknown)."""
    scope = province_scope(who)
    if scope is not None and repo.vehicle_in_provinces(db, vin, scope) is False:
        raise NotFound(f"vehicle {vin} is not registered")  # the words of app.services.registry.get_vehicle


def check_station_access(db: Database, who: Principal, station_id: str) -> None:
    """A province-limited key reads only stations registered in its provinces (404 otherwise)."""
    scope = province_scope(who)
    if scope is not None and repo.station_in_provinces(db, station_id, scope) is False:
        raise NotFound(f"swap station {station_id} is not registered")  # as app.services.registry.get_station


def check_battery_access(db: Database, who: Principal, code: str) -> None:
    """A reporter may read only batteries its company has held or reported on; a province-limited
    key only batteries within its provinces (404 otherwise, as if unknown)."""
    scope = province_scope(who)
    if scope is not None and repo.battery_in_provinces(db, code, scope) is False:
        raise NotFound(f"battery {code} is not known: no event has named it")  # as app.services.trace
    if who.role != "reporter":
        return
    # An unknown battery is let through: the read itself answers 404.
    if repo.company_knows_battery(db, code, who.company) is False:
        raise Forbidden(f"company {who.company} has neither held nor reported on battery {code}")


def unsearchable_kinds(who: Principal) -> dict[SearchKind, str]:
    """The kinds of ``GET /v1/search`` a key may not read, with why: an analyst reads aggregates (no
    single battery or vehicle), a reporter its own batteries but no vehicles. Companies and stations
    are public registry records for every key."""
    if who.role == "analyst":
        reason = "an analyst key reads aggregates, never a single battery's code or a vehicle's VIN"
        return {"battery": reason, "vehicle": reason}
    if who.role == "reporter":
        return {"vehicle": "a reporter key does not read vehicles (only its own company's batteries)"}
    return {}
