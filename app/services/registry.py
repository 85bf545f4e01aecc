"""Registries: who the companies are (and their white-list licences), stations and vehicles.

Upserts are idempotent; a station or vehicle naming an unregistered company is refused whole,
like an event batch, so the registry never holds a dangling reference.

The registry has a memory. The current record stays on the node (``Company``, ``SwapStation``,
``Vehicle``), so every reader keeps working, with ``valid_from`` and ``changed_by``; an upsert
that changes it first copies the superseded record to a version node
(``(:SwapStation)-[:VERSION]->(:StationVersion {valid_from, valid_to, changed_by, ...})``), in
the same UNWIND query as the upsert (one query per batch, so a big registry loads as fast as
before). Version nodes rather than a history list on the record: a Neo4j property cannot hold a
list of maps, a node per version keeps each field typed (dates, points) and queryable by moment
in Cypher (the leakage rules read them), and a registry that never changes costs no extra node.
Identical content writes nothing: no version, ``valid_from`` unchanged. A record's first
``valid_from`` is when the registry first heard of it; nothing earlier is known, so a moment
before it is answered with the first record (``registered_then`` false). Records registered
before history was kept have a null ``valid_from``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from neo4j import ManagedTransaction

from app.db import Database
from app.errors import FieldProblem, InvalidInput, NotFound
from app.repositories import registry as repo
from app.schemas.registry import (
    Company,
    CompanyAt,
    CompanyPage,
    CompanyRecord,
    Station,
    StationAt,
    StationPage,
    StationRecord,
    UpsertResult,
    Vehicle,
    VehicleRecord,
)

T = TypeVar("T")


def _company_row(c: Company) -> dict[str, Any]:
    return {
        "licence_keys": sorted(
            repo.licence_key(lic.scope, lic.valid_from, lic.valid_to, lic.batch) for lic in c.licences
        ),
        "uscc": c.uscc,
        "name": c.name,
        "name_en": c.name_en,
        "roles": sorted(set(c.roles)),
        "province": c.province,
        "maker_code": c.maker_code,
        "imports_for": sorted(set(c.imports_for)),
        "licences": [
            {
                "id": f"{c.uscc}:{lic.scope}:{lic.valid_from.isoformat()}",
                "scope": lic.scope,
                "valid_from": lic.valid_from,
                "valid_to": lic.valid_to,
                "batch": lic.batch,
            }
            for lic in c.licences
        ],
    }


def _no_repeats(keys: Sequence[str], field: str, what: str) -> None:
    """A record sent twice in one batch would be two versions at one moment; refuse it like an event."""
    seen: set[str] = set()
    problems = []
    for index, key in enumerate(keys):
        if key in seen:
            problems.append(FieldProblem(field, f"{key} is sent more than once in this batch", index))
        seen.add(key)
    if problems:
        raise InvalidInput(problems, f"{len(problems)} {what} repeat an earlier one in the batch; nothing was stored")


def merge_companies(db: Database, companies: Sequence[Company], *, changed_by: str) -> UpsertResult:
    """Upsert companies with their licences, keeping each superseded record; counts what changed."""
    _no_repeats([c.uscc for c in companies], "uscc", "companies")
    rows = [_company_row(c) for c in companies]
    return UpsertResult.of(repo.merge_companies(db, rows, datetime.now(UTC), changed_by))


def _require_companies(tx: ManagedTransaction, refs: list[tuple[int, str, str]], what: str) -> None:
    known = repo.known_companies(tx, sorted({u for _, _, u in refs}))
    problems = [
        FieldProblem(field, f"company {uscc} is not registered", index)
        for index, field, uscc in refs
        if uscc not in known
    ]
    if problems:
        raise InvalidInput(problems, f"{len(problems)} {what} name unregistered companies; nothing was stored")


def merge_stations(db: Database, stations: Sequence[Station], *, changed_by: str) -> UpsertResult:
    """Upsert stations (their operators must be registered), keeping each superseded record."""
    _no_repeats([s.id for s in stations], "id", "stations")
    rows = [s.model_dump() for s in stations]
    now = datetime.now(UTC)

    def work(tx: ManagedTransaction) -> dict[str, int]:
        _require_companies(tx, [(i, "operator", s.operator) for i, s in enumerate(stations)], "stations")
        return repo.merge_stations(tx, rows, now, changed_by)

    return UpsertResult.of(db.write_unit("registry.merge_stations", work))


def merge_vehicles(db: Database, vehicles: Sequence[Vehicle], *, changed_by: str) -> UpsertResult:
    """Upsert vehicles (their makers must be registered), keeping each superseded record."""
    _no_repeats([v.vin for v in vehicles], "vin", "vehicles")
    rows = [v.model_dump() for v in vehicles]
    now = datetime.now(UTC)

    def work(tx: ManagedTransaction) -> dict[str, int]:
        _require_companies(tx, [(i, "maker", v.maker) for i, v in enumerate(vehicles)], "vehicles")
        return repo.merge_vehicles(tx, rows, now, changed_by)

    return UpsertResult.of(db.write_unit("registry.merge_vehicles", work))


def _found(record: T | None, what: str) -> T:
    if record is None:
        raise NotFound(f"{what} is not registered")
    return record


def get_company(db: Database, uscc: str, history: bool = False) -> CompanyRecord:
    """One company with its licences (and, asked, every earlier version), or NotFound."""
    record = _found(repo.get_company(db, uscc), f"company {uscc}")
    return record.model_copy(update={"history": repo.company_history(db, uscc)}) if history else record


def list_companies(db: Database, after: str, limit: int, role: str | None, province: str | None) -> CompanyPage:
    """Keyset pages by USCC."""
    items = repo.list_companies(db, after, limit, role, province)
    return CompanyPage(items=items, next_after=items[-1].uscc if len(items) == limit else None)


def get_station(db: Database, station_id: str, history: bool = False) -> StationRecord:
    """One station (and, asked, every earlier version), or NotFound."""
    record = _found(repo.get_station(db, station_id), f"swap station {station_id}")
    return record.model_copy(update={"history": repo.station_history(db, station_id)}) if history else record


def list_stations(db: Database, after: str, limit: int, operator: str | None, province: str | None) -> StationPage:
    """Keyset pages by station id."""
    items = repo.list_stations(db, after, limit, operator, province)
    return StationPage(items=items, next_after=items[-1].id if len(items) == limit else None)


def get_vehicle(db: Database, vin: str, history: bool = False) -> VehicleRecord:
    """One vehicle (and, asked, every earlier registry version), or NotFound."""
    record = _found(repo.get_vehicle(db, vin), f"vehicle {vin}")
    return record.model_copy(update={"history": repo.vehicle_history(db, vin)}) if history else record


# --- the registry as it was when an event occurred ------------------------------------------


def station_operators_at(
    tx_or_db: ManagedTransaction | Database, pairs: Sequence[tuple[str, datetime]]
) -> dict[tuple[str, datetime], StationAt]:
    """Operator and province of each (station id, moment) as the registry had them then.

    One query for all pairs; works inside a managed write transaction (a capture's ``tx``) or on
    a Database. Moments must carry an offset. A station never registered has no key; a moment
    before its first registration gets the first record with ``registered_then`` false."""
    found = repo.stations_at(tx_or_db, pairs)
    return {pairs[i]: record for i, record in found.items()}


def companies_at(
    tx_or_db: ManagedTransaction | Database, pairs: Sequence[tuple[str, datetime]]
) -> dict[tuple[str, datetime], CompanyAt]:
    """Roles, province and the licences in force of each (USCC, moment) as the registry had them then.

    Same contract as ``station_operators_at``. The licences are those of the record valid then
    whose window holds the moment's date (taken in the moment's own offset)."""
    found = repo.companies_at(tx_or_db, pairs)
    answer: dict[tuple[str, datetime], CompanyAt] = {}
    for i, record in found.items():
        day = pairs[i][1].date()
        held = [
            lic for lic in record.licences if lic.valid_from <= day and (lic.valid_to is None or day <= lic.valid_to)
        ]
        answer[pairs[i]] = record.model_copy(update={"licences": held})
    return answer
