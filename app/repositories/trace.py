"""The trace queries (``cypher/trace/``), answering in typed rows and schemas."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.db import Database
from app.schemas.trace import BatterySummary, Component, Installation, Reporter, Swap


@dataclass(frozen=True)
class TimelineRow:
    """One event about a battery (``trace.battery_timeline``), its payload parsed."""

    status: str | None
    event_id: str
    type: str
    role: str
    occurred_at: datetime
    recorded_at: datetime
    imported: bool
    reporter: Reporter
    station_operator: str | None
    payload: dict[str, Any]
    corrected_by: list[str]


def battery_timeline(db: Database, code: str) -> list[TimelineRow]:
    return [
        TimelineRow(**{**r, "reporter": Reporter(**r["reporter"]), "payload": json.loads(r["payload"])})
        for r in db.read("trace.battery_timeline", code=code)
    ]


def get_battery(db: Database, code: str) -> dict[str, Any] | None:
    """The battery's stored state, the columns of ``BatteryDetail`` but its decoded identity."""
    rows = db.read("trace.get_battery", code=code)
    return rows[0] if rows else None


def battery_components(db: Database, code: str) -> list[Component]:
    return [Component(**r) for r in db.read("trace.battery_components", code=code)]


def list_batteries(
    db: Database,
    *,
    after: str,
    limit: int,
    maker: str | None,
    level: str | None,
    status: str | None,
    chemistry: str | None,
    provinces: list[str] | None = None,
) -> list[BatterySummary]:
    rows = db.read(
        "trace.list_batteries",
        after=after,
        limit=limit,
        maker=maker,
        level=level,
        status=status,
        chemistry=chemistry,
        provinces=provinces,
    )
    return [BatterySummary(**r) for r in rows]


def company_batteries(
    db: Database,
    company: str,
    *,
    after: str,
    limit: int,
    maker: str | None,
    level: str | None,
    status: str | None,
    chemistry: str | None,
) -> list[BatterySummary]:
    rows = db.read(
        "trace.company_batteries",
        company=company,
        after=after,
        limit=limit,
        maker=maker,
        level=level,
        status=status,
        chemistry=chemistry,
    )
    return [BatterySummary(**r) for r in rows]


def company_events(db: Database, company: str, limit: int) -> list[dict[str, Any]]:
    """The company's latest events (``trace.company_events``), warnings not yet joined."""
    return db.read("trace.company_events", company=company, limit=limit)


def vehicle_batteries(db: Database, vin: str) -> list[Installation]:
    return [Installation(**r) for r in db.read("trace.vehicle_batteries", vin=vin)]


def station_swaps(db: Database, station_id: str, since: datetime, until: datetime, skip: int, limit: int) -> list[Swap]:
    rows = db.read("trace.station_swaps", id=station_id, since=since, until=until, skip=skip, limit=limit)
    return [Swap(**r) for r in rows]
