"""Keeping the store's derived state equal to the replay of its events.

Runs inside the ingest (or reproject) transaction that changed the events, so a reader never
sees an event without its effect: lock the batteries, read their effective histories, replay,
and write the result over what was there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from neo4j import ManagedTransaction

from app.lifecycle import BatteryLifecycle, EventRow, replay_all, replay_vehicles
from app.repositories import projection as repo


def refresh_projection(
    tx: ManagedTransaction,
    codes: Sequence[str],
    vins: Sequence[str],
    new_rows: Mapping[str, list[EventRow]] | None = None,
) -> list[BatteryLifecycle]:
    """Rebuild the lifecycle state of these batteries and vehicles from their events.

    ``codes`` have stored events and are read back (under a lock); ``new_rows`` carries the
    complete histories of batteries created by this very transaction (the bulk-load case, and
    most of its cost: there is nothing to read back). Returns the batteries' replays, whose
    contradictions are what capture warns about."""
    new_rows = new_rows or {}
    lifecycles: list[BatteryLifecycle] = []
    if codes or new_rows:
        rows = repo.lock_battery_events(tx, codes) if codes else []
        for batch_rows in new_rows.values():
            rows.extend(batch_rows)
        lifecycles = replay_all([*codes, *new_rows], rows, segments=False)  # the trace shows segments
        if codes:
            repo.clear_batteries(tx, codes)
        repo.write_batteries(tx, lifecycles)
    if vins:
        repo.write_vehicles(tx, replay_vehicles(vins, repo.vehicle_events(tx, vins)))
    return lifecycles
