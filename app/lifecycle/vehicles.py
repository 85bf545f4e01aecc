"""A vehicle's state from its effective events: when it was first sold, scrapped or exported.

Part of the one replay: the battery replay decides where packs are, this decides the vehicle
dates the trace shows and the rules read (``Vehicle.sold_at``, ``scrapped_at``, ``scrapped_by``,
``exported_at``, ``export_destination``: a pack in a vehicle at its export left the country and
is excused by the rules that expect a domestic end of life).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.lifecycle.rows import VehicleEventRow


@dataclass(frozen=True)
class VehicleLifecycle:
    vin: str
    sold_at: str | None = None
    scrapped_at: str | None = None
    scrapped_by: str | None = None
    exported_at: str | None = None
    export_destination: str | None = None


def replay_vehicle(vin: str, events: Sequence[VehicleEventRow]) -> VehicleLifecycle:
    """The earliest sale, scrapping (with its reporter) and export (with its destination); events
    in any order."""
    ordered = sorted(events, key=lambda ev: (ev.t, ev.event_id))
    sold = next((ev for ev in ordered if ev.type == "vehicle_sold"), None)
    scrapped = next((ev for ev in ordered if ev.type == "vehicle_scrapped"), None)
    exported = next((ev for ev in ordered if ev.type == "vehicle_exported"), None)
    return VehicleLifecycle(
        vin,
        sold_at=sold.occurred_at if sold else None,
        scrapped_at=scrapped.occurred_at if scrapped else None,
        scrapped_by=scrapped.reporter if scrapped else None,
        exported_at=exported.occurred_at if exported else None,
        export_destination=exported.destination if exported else None,
    )


def replay_vehicles(vins: Sequence[str], rows: Iterable[VehicleEventRow]) -> list[VehicleLifecycle]:
    by_vin: dict[str, list[VehicleEventRow]] = {v: [] for v in vins}
    for row in rows:
        by_vin.setdefault(row.vin, []).append(row)
    return [replay_vehicle(vin, by_vin[vin]) for vin in vins]
