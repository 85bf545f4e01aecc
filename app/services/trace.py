"""Investigators' questions about one battery, vehicle or station.

Unknown-but-valid identifiers are 404s; malformed ones never get here (422 at the boundary).
"""

from __future__ import annotations

import json
from datetime import datetime

from app.db import Database
from app.errors import NotFound
from app.identifiers import parse_battery_code
from app.schemas.trace import (
    BatteryDetail,
    BatterySummary,
    Component,
    Components,
    Installation,
    Page,
    StationSwaps,
    Swap,
    TimelineEntry,
    Trace,
    VehicleBatteries,
)
from app.services.registry import get_station, get_vehicle

# Fields of the stored payload already shown elsewhere in a timeline entry.
_ENVELOPE = {"event_id", "type", "occurred_at", "reporter"}


def get_battery(db: Database, code: str) -> BatteryDetail:
    """Identity decoded from the code plus the state the graph knows."""
    rows = db.query("trace.get_battery", code=code)
    if not rows:
        raise NotFound(f"battery {code} is not known: no event has named it")
    return BatteryDetail(identity=parse_battery_code(code).to_dict(), **rows[0])


def get_trace(db: Database, code: str) -> Trace:
    """The timeline in event time; corrected events stay visible, marked as such."""
    rows = db.query("trace.battery_timeline", code=code)
    if not rows:
        raise NotFound(f"battery {code} is not known: no event has named it")
    events = [
        TimelineEntry(
            event_id=r["event_id"],
            type=r["type"],
            role=r["role"],
            occurred_at=r["occurred_at"],
            recorded_at=r["recorded_at"],
            imported=r["imported"],
            reporter=r["reporter"],
            corrected=bool(r["corrected_by"]),
            corrected_by=r["corrected_by"],
            details={k: v for k, v in json.loads(r["payload"]).items() if k not in _ENVELOPE},
        )
        for r in rows
    ]
    return Trace(code=code, status=rows[0]["status"], events=events)


def get_components(db: Database, code: str) -> Components:
    get_battery(db, code)
    return Components(code=code, components=[Component(**r) for r in db.query("trace.battery_components", code=code)])


def list_batteries(
    db: Database,
    *,
    after: str,
    limit: int,
    maker: str | None = None,
    level: str | None = None,
    status: str | None = None,
    chemistry: str | None = None,
) -> Page[BatterySummary]:
    """Keyset pages by code: stable and cheap however deep the client pages."""
    rows = db.query(
        "trace.list_batteries", after=after, limit=limit, maker=maker, level=level, status=status, chemistry=chemistry
    )
    items = [BatterySummary(**r) for r in rows]
    return Page[BatterySummary](items=items, next_after=items[-1].code if len(items) == limit else None)


def vehicle_batteries(db: Database, vin: str) -> VehicleBatteries:
    vehicle = get_vehicle(db, vin)
    rows = db.query("trace.vehicle_batteries", vin=vin)
    return VehicleBatteries(
        vin=vin,
        registered=vehicle["registered"],
        sold_at=vehicle["sold_at"],
        scrapped_at=vehicle["scrapped_at"],
        batteries=[Installation(**r) for r in rows],
    )


def station_swaps(
    db: Database, station_id: str, since: datetime, until: datetime, skip: int, limit: int
) -> StationSwaps:
    get_station(db, station_id)
    rows = db.query("trace.station_swaps", id=station_id, since=since, until=until, skip=skip, limit=limit)
    return StationSwaps(
        station=station_id,
        since=since,
        until=until,
        items=[Swap(**r) for r in rows],
        next_skip=skip + limit if len(rows) == limit else None,
    )
