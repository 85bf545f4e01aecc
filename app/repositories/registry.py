"""The registry queries (``cypher/registry/``): records in, records out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from neo4j import ManagedTransaction

from app.db import Database, run
from app.schemas.registry import CompanyRecord, StationRecord, VehicleRecord


def merge_companies(db: Database, rows: list[dict[str, Any]]) -> None:
    db.write("registry.merge_companies", rows=rows)


def merge_stations(tx: ManagedTransaction, rows: list[dict[str, Any]]) -> None:
    run(tx, "registry.merge_stations", rows=rows)


def merge_vehicles(tx: ManagedTransaction, rows: list[dict[str, Any]]) -> None:
    run(tx, "registry.merge_vehicles", rows=rows)


def known_companies(tx: ManagedTransaction, usccs: Sequence[str]) -> set[str]:
    return {r["uscc"] for r in run(tx, "registry.known_companies", usccs=list(usccs))}


def get_company(db: Database, uscc: str) -> CompanyRecord | None:
    rows = db.read("registry.get_company", uscc=uscc)
    return CompanyRecord(**rows[0]) if rows else None


def list_companies(db: Database, after: str, limit: int, role: str | None, province: str | None) -> list[CompanyRecord]:
    rows = db.read("registry.list_companies", after=after, limit=limit, role=role, province=province)
    return [CompanyRecord(**r) for r in rows]


def get_station(db: Database, station_id: str) -> StationRecord | None:
    rows = db.read("registry.get_station", id=station_id)
    return StationRecord(**rows[0]) if rows else None


def list_stations(
    db: Database, after: str, limit: int, operator: str | None, province: str | None
) -> list[StationRecord]:
    rows = db.read("registry.list_stations", after=after, limit=limit, operator=operator, province=province)
    return [StationRecord(**r) for r in rows]


def get_vehicle(db: Database, vin: str) -> VehicleRecord | None:
    rows = db.read("registry.get_vehicle", vin=vin)
    return VehicleRecord(**rows[0]) if rows else None
