"""The projection's queries: read what the replay needs, write what it decided.

Each function runs one named query (``cypher/projection/``) inside the caller's transaction and
speaks in the replay's types, so nothing shaped like a Neo4j record reaches the services.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from neo4j import ManagedTransaction

from app.db import run
from app.lifecycle import BatteryLifecycle, EventRow, Interval, Mark, Swap, VehicleEventRow, VehicleLifecycle


def lock_battery_events(tx: ManagedTransaction, codes: Sequence[str]) -> list[EventRow]:
    """Lock the batteries, then read their effective events (``projection.battery_events``)."""
    return [EventRow(**row) for row in run(tx, "projection.battery_events", codes=list(codes))]


def vehicle_events(tx: ManagedTransaction, vins: Sequence[str]) -> list[VehicleEventRow]:
    return [VehicleEventRow(**row) for row in run(tx, "projection.vehicle_events", vins=list(vins))]


def clear_batteries(tx: ManagedTransaction, codes: Sequence[str]) -> None:
    run(tx, "projection.clear_batteries", codes=list(codes))


def battery_row(b: BatteryLifecycle) -> dict[str, Any]:
    return {
        "code": b.code,
        "status": b.status,
        "status_since": b.status_since,
        "produced": b.produced,
        "current_vin": b.current_vin,
        "current_holder": b.current_holder,
        "last_event_at": b.last_event_at,
        "event_count": b.event_count,
        "chemistry": b.attrs.get("chemistry"),
        "mass_kg": b.attrs.get("mass_kg"),
        "capacity_kwh": b.attrs.get("capacity_kwh"),
        "produced_at": b.attrs.get("produced_at"),
        "producer": b.attrs.get("producer"),
        "suspect_receipts": b.suspect_receipts or None,
        "suspect_closings": b.suspect_closings or None,
        "longest_transit_days": b.longest_transit_days,
        "produced_repeatedly": b.produced_repeatedly or None,
    }


def _interval(i: Interval, key: str) -> dict[str, Any]:
    return {
        "code": i.code,
        key: i.target,
        "since": i.since,
        "since_event": i.since_event,
        "until": i.until,
        "until_event": i.until_event,
    }


def _held(i: Interval) -> dict[str, Any]:
    """A custody stay with how it ended (``app.lifecycle.custody``); ``unconfirmed`` only when true."""
    return _interval(i, "uscc") | {"outcome": i.outcome, "next": i.next, "unconfirmed": i.unconfirmed or None}


def _swap(s: Swap) -> dict[str, Any]:
    return {
        "code": s.code,
        "station": s.station,
        "at": s.at,
        "event_id": s.event_id,
        "direction": s.direction,
        "vin": s.vin,
        "came_from": s.came_from,
        "came_as": s.came_as,
    }


def _mark(m: Mark, key: str) -> dict[str, Any]:
    return {"code": m.code, key: m.other, "at": m.at, "event_id": m.event_id}


def write_batteries(tx: ManagedTransaction, lifecycles: Sequence[BatteryLifecycle]) -> None:
    """Battery state and its relationships (``projection.set_batteries`` and ``create_*``)."""
    run(tx, "projection.set_batteries", rows=[battery_row(b) for b in lifecycles])
    run(tx, "projection.create_installed", rows=[_interval(i, "vin") for b in lifecycles for i in b.installed])
    run(tx, "projection.create_held", rows=[_held(i) for b in lifecycles for i in b.held])
    run(tx, "projection.create_swaps", rows=[_swap(s) for b in lifecycles for s in b.swaps])
    run(tx, "projection.create_recycled", rows=[_mark(b.recycled, "uscc") for b in lifecycles if b.recycled])
    run(tx, "projection.create_part_of", rows=[_mark(b.part_of, "parent") for b in lifecycles if b.part_of])
    run(
        tx,
        "projection.create_derived_from",
        rows=[_mark(b.derived_from, "original") for b in lifecycles if b.derived_from],
    )


def write_vehicles(tx: ManagedTransaction, vehicles: Sequence[VehicleLifecycle]) -> None:
    rows = [
        {
            "vin": v.vin,
            "sold_at": v.sold_at,
            "scrapped_at": v.scrapped_at,
            "scrapped_by": v.scrapped_by,
            "exported_at": v.exported_at,
            "export_destination": v.export_destination,
        }
        for v in vehicles
    ]
    run(tx, "projection.set_vehicles", rows=rows)
