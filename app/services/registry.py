"""Registries: who the companies are (and their white-list licences), stations and vehicles.

Upserts are idempotent; a station or vehicle naming an unregistered company is refused whole,
like an event batch, so the registry never holds a dangling reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from neo4j import ManagedTransaction

from app.db import Database, run
from app.errors import FieldProblem, InvalidInput, NotFound
from app.schemas.registry import Company, Station, Vehicle


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
    db.write("registry.merge_companies", rows=rows)
    return len(rows)


def _require_companies(tx: ManagedTransaction, refs: list[tuple[int, str, str]], what: str) -> None:
    known = {r["uscc"] for r in run(tx, "registry.known_companies", usccs=sorted({u for _, _, u in refs}))}
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
        run(tx, "registry.merge_stations", rows=rows)

    db.write_unit("registry.merge_stations", work)
    return len(rows)


def merge_vehicles(db: Database, vehicles: Sequence[Vehicle]) -> int:
    rows = [v.model_dump() for v in vehicles]

    def work(tx: ManagedTransaction) -> None:
        _require_companies(tx, [(i, "maker", v.maker) for i, v in enumerate(vehicles)], "vehicles")
        run(tx, "registry.merge_vehicles", rows=rows)

    db.write_unit("registry.merge_vehicles", work)
    return len(rows)


def _one(rows: list[dict[str, Any]], what: str) -> dict[str, Any]:
    if not rows:
        raise NotFound(f"{what} is not registered")
    return rows[0]


def get_company(db: Database, uscc: str) -> dict[str, Any]:
    return _one(db.read("registry.get_company", uscc=uscc), f"company {uscc}")


def list_companies(
    db: Database, after: str, limit: int, role: str | None, province: str | None
) -> list[dict[str, Any]]:
    return db.read("registry.list_companies", after=after, limit=limit, role=role, province=province)


def get_station(db: Database, station_id: str) -> dict[str, Any]:
    return _one(db.read("registry.get_station", id=station_id), f"swap station {station_id}")


def list_stations(
    db: Database, after: str, limit: int, operator: str | None, province: str | None
) -> list[dict[str, Any]]:
    return db.read("registry.list_stations", after=after, limit=limit, operator=operator, province=province)


def get_vehicle(db: Database, vin: str) -> dict[str, Any]:
    return _one(db.read("registry.get_vehicle", vin=vin), f"vehicle {vin}")
