"""The registry queries (``cypher/registry/``): records in, records out.

A merge answers its outcomes (created, changed, unchanged) as counts; the history and at-moment
queries carry licences as keys (``scope|valid_from|valid_to|batch``, a Neo4j property cannot hold
a list of maps), which ``licence_from_key`` turns back into records here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from neo4j import ManagedTransaction

from app.db import Database, Row, read_in, run
from app.schemas.registry import (
    CompanyAt,
    CompanyRecord,
    CompanyVersion,
    LicenceRecord,
    StationAt,
    StationRecord,
    StationVersion,
    VehicleRecord,
    VehicleVersion,
)

Where = Database | ManagedTransaction


def _outcomes(rows: list[Row]) -> dict[str, int]:
    return {r["outcome"]: int(r["n"]) for r in rows}


def merge_companies(db: Database, rows: list[dict[str, Any]], now: datetime, changed_by: str) -> dict[str, int]:
    return _outcomes(db.write("registry.merge_companies", rows=rows, now=now, changed_by=changed_by))


def merge_stations(
    tx: ManagedTransaction, rows: list[dict[str, Any]], now: datetime, changed_by: str
) -> dict[str, int]:
    return _outcomes(run(tx, "registry.merge_stations", rows=rows, now=now, changed_by=changed_by))


def merge_vehicles(
    tx: ManagedTransaction, rows: list[dict[str, Any]], now: datetime, changed_by: str
) -> dict[str, int]:
    return _outcomes(run(tx, "registry.merge_vehicles", rows=rows, now=now, changed_by=changed_by))


def known_companies(tx: ManagedTransaction, usccs: Sequence[str]) -> set[str]:
    return {r["uscc"] for r in run(tx, "registry.known_companies", usccs=list(usccs))}


def licence_key(scope: str, valid_from: date, valid_to: date | None, batch: int | None) -> str:
    """The form the queries compare and keep licences in (``toString`` of a Cypher date is ISO)."""
    return f"{scope}|{valid_from.isoformat()}|{valid_to.isoformat() if valid_to else ''}|{batch if batch else ''}"


def licence_from_key(key: str) -> LicenceRecord:
    scope, start, end, batch = key.split("|")
    return LicenceRecord(
        scope=scope,
        valid_from=date.fromisoformat(start),
        valid_to=date.fromisoformat(end) if end else None,
        batch=int(batch) if batch else None,
    )


def get_company(db: Database, uscc: str) -> CompanyRecord | None:
    rows = db.read("registry.get_company", uscc=uscc)
    return CompanyRecord(**rows[0]) if rows else None


def company_history(db: Database, uscc: str) -> list[CompanyVersion]:
    rows = db.read("registry.company_history", uscc=uscc)
    return [CompanyVersion(**{**r, "licences": [licence_from_key(k) for k in r["licences"] or []]}) for r in rows]


def list_companies(db: Database, after: str, limit: int, role: str | None, province: str | None) -> list[CompanyRecord]:
    rows = db.read("registry.list_companies", after=after, limit=limit, role=role, province=province)
    return [CompanyRecord(**r) for r in rows]


def get_station(db: Database, station_id: str) -> StationRecord | None:
    rows = db.read("registry.get_station", id=station_id)
    return StationRecord(**rows[0]) if rows else None


def station_history(db: Database, station_id: str) -> list[StationVersion]:
    return [StationVersion(**r) for r in db.read("registry.station_history", id=station_id)]


def list_stations(
    db: Database, after: str, limit: int, operator: str | None, province: str | None
) -> list[StationRecord]:
    rows = db.read("registry.list_stations", after=after, limit=limit, operator=operator, province=province)
    return [StationRecord(**r) for r in rows]


def get_vehicle(db: Database, vin: str) -> VehicleRecord | None:
    rows = db.read("registry.get_vehicle", vin=vin)
    return VehicleRecord(**rows[0]) if rows else None


def vehicle_history(db: Database, vin: str) -> list[VehicleVersion]:
    return [VehicleVersion(**r) for r in db.read("registry.vehicle_history", vin=vin)]


def stations_at(where: Where, pairs: Sequence[tuple[str, datetime]]) -> dict[int, StationAt]:
    """The record of each registered station at its moment, by the pair's index."""
    rows = read_in(
        where, "registry.stations_at", pairs=[{"i": i, "station": s, "at": at} for i, (s, at) in enumerate(pairs)]
    )
    return {r["i"]: StationAt(**r, at=pairs[r["i"]][1], registered_then=_then(r, pairs[r["i"]][1])) for r in rows}


def companies_at(where: Where, pairs: Sequence[tuple[str, datetime]]) -> dict[int, CompanyAt]:
    """The record of each registered company at its moment, with all that record's licences."""
    rows = read_in(
        where, "registry.companies_at", pairs=[{"i": i, "uscc": u, "at": at} for i, (u, at) in enumerate(pairs)]
    )
    return {
        r["i"]: CompanyAt(
            **{**r, "licences": [licence_from_key(k) for k in r["licences"] or []], "roles": r["roles"] or []},
            at=pairs[r["i"]][1],
            registered_then=_then(r, pairs[r["i"]][1]),
        )
        for r in rows
    }


def _then(row: Row, at: datetime) -> bool:
    return row["valid_from"] is None or row["valid_from"] <= at
