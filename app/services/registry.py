"""Registries: who the companies are (and their white-list licences), stations and vehicles.

Upserts are idempotent; a station or vehicle naming an unregistered company is refused whole,
like an event batch, so the registry never holds a dangling reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from neo4j import ManagedTransaction

from app.db import Database
from app.errors import FieldProblem, InvalidInput, NotFound
from app.repositories import registry as repo
from app.schemas.registry import (
    Company,
    CompanyPage,
    CompanyRecord,
    Station,
    StationPage,
    StationRecord,
    Vehicle,
    VehicleRecord,
)

T = TypeVar("T")


def _company_row(c: Company) -> dict[str, Any]:
    return {
        "uscc": c.uscc,
        "name": c.name,
        "roles": sorted(set(c.roles)),
        "province": c.province,
        "maker_code": c.maker_code,
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


def merge_companies(db: Database, companies: Sequence[Company]) -> int:
    """Upsert companies with their licences; returns how many were written."""
    rows = [_company_row(c) for c in companies]
    repo.merge_companies(db, rows)
    return len(rows)


def _require_companies(tx: ManagedTransaction, refs: list[tuple[int, str, str]], what: str) -> None:
    known = repo.known_companies(tx, sorted({u for _, _, u in refs}))
    problems = [
        FieldProblem(field, f"company {uscc} is not registered", index)
        for index, field, uscc in refs
        if uscc not in known
    ]
    if problems:
        raise InvalidInput(problems, f"{len(problems)} {what} name unregistered companies; nothing was stored")


def merge_stations(db: Database, stations: Sequence[Station]) -> int:
    rows = [s.model_dump() for s in stations]

    def work(tx: ManagedTransaction) -> None:
        _require_companies(tx, [(i, "operator", s.operator) for i, s in enumerate(stations)], "stations")
        repo.merge_stations(tx, rows)

    db.write_unit("registry.merge_stations", work)
    return len(rows)


def merge_vehicles(db: Database, vehicles: Sequence[Vehicle]) -> int:
    rows = [v.model_dump() for v in vehicles]

    def work(tx: ManagedTransaction) -> None:
        _require_companies(tx, [(i, "maker", v.maker) for i, v in enumerate(vehicles)], "vehicles")
        repo.merge_vehicles(tx, rows)

    db.write_unit("registry.merge_vehicles", work)
    return len(rows)


def _found(record: T | None, what: str) -> T:
    if record is None:
        raise NotFound(f"{what} is not registered")
    return record


def get_company(db: Database, uscc: str) -> CompanyRecord:
    """One company with its licences, or NotFound."""
    return _found(repo.get_company(db, uscc), f"company {uscc}")


def list_companies(db: Database, after: str, limit: int, role: str | None, province: str | None) -> CompanyPage:
    """Keyset pages by USCC."""
    items = repo.list_companies(db, after, limit, role, province)
    return CompanyPage(items=items, next_after=items[-1].uscc if len(items) == limit else None)


def get_station(db: Database, station_id: str) -> StationRecord:
    return _found(repo.get_station(db, station_id), f"swap station {station_id}")


def list_stations(db: Database, after: str, limit: int, operator: str | None, province: str | None) -> StationPage:
    """Keyset pages by station id."""
    items = repo.list_stations(db, after, limit, operator, province)
    return StationPage(items=items, next_after=items[-1].id if len(items) == limit else None)


def get_vehicle(db: Database, vin: str) -> VehicleRecord:
    return _found(repo.get_vehicle(db, vin), f"vehicle {vin}")
