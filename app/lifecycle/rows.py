"""The replay's input: one row per (battery, event naming it), defined once.

Rows come from two places and must be the same: the store (``cypher/projection/battery_events``,
whose ``returns`` header a unit test holds against ``EventRow``) and the payloads of events that
are being written or shown (``event_row``). Times travel as a pair: ``t`` (epoch milliseconds,
for ordering across UTC offsets) and ``occurred_at`` (the RFC 3339 text with the reporter's
offset, written back as-is). Building datetimes per row cost more than the database work in bulk
loads, so the replay compares integers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class EventRow:
    """One effective (uncorrected) event as seen from one battery it names, under ``role``."""

    code: str
    role: str  # subject, out, in, component, new
    event_id: str
    type: str
    t: int
    occurred_at: str
    reporter: str
    vehicle: str | None = None
    station: str | None = None
    battery: str | None = None
    from_company: str | None = None
    to_company: str | None = None
    chemistry: str | None = None
    mass_kg: float | None = None
    capacity_kwh: float | None = None  # produced: rated; health_measured: measured
    soh_pct: float | None = None  # health_measured, repurposed (at hand-over)
    cycle_count: int | None = None
    method: str | None = None
    residual_capacity_kwh: float | None = None  # repurposed
    application: str | None = None  # repurposed


#: The columns a query feeding the replay must return, in order.
EVENT_ROW_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(EventRow))


@dataclass(frozen=True, slots=True)
class VehicleEventRow:
    """One effective event naming a vehicle (``cypher/projection/vehicle_events``)."""

    vin: str
    event_id: str
    type: str
    t: int
    occurred_at: str
    reporter: str
    destination: str | None = None  # vehicle_exported: ISO 3166-1 alpha-2


VEHICLE_EVENT_ROW_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(VehicleEventRow))


def epoch_ms(at: datetime) -> int:
    """The replay's ordering key of an aware datetime."""
    return int(at.timestamp() * 1000)


def roles_in(payload: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """Every (battery code, role) an event payload names, in the order ingestion links them."""
    if "battery" in payload:
        yield payload["battery"], "subject"
    if "battery_out" in payload:
        yield payload["battery_out"], "out"
        yield payload["battery_in"], "in"
    for code in payload.get("components", []):
        yield code, "component"
    if payload.get("new_code"):
        yield payload["new_code"], "new"


def event_row(code: str, role: str, t: int, payload: Mapping[str, Any]) -> EventRow:
    """The replay row of a canonical event payload (see ``app.schemas.events``), seen from ``code``."""
    return EventRow(
        code=code,
        role=role,
        event_id=payload["event_id"],
        type=payload["type"],
        t=t,
        occurred_at=payload["occurred_at"],
        reporter=payload["reporter"],
        vehicle=payload.get("vehicle"),
        station=payload.get("station"),
        battery=payload.get("battery"),
        from_company=payload.get("from"),
        to_company=payload.get("to"),
        chemistry=payload.get("chemistry"),
        mass_kg=payload.get("mass_kg"),
        capacity_kwh=payload.get("capacity_kwh"),
        soh_pct=payload.get("soh_pct"),
        cycle_count=payload.get("cycle_count"),
        method=payload.get("method"),
        residual_capacity_kwh=payload.get("residual_capacity_kwh"),
        application=payload.get("application"),
    )
