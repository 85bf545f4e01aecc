"""Rebuild every battery's derived state with the current replay: the upgrade path for a store
built by an older revision (see ``app.lifecycle.PROJECTION_REVISION``), and a repair tool.

The event log is never touched; each batch of batteries is re-read and re-projected in one managed
transaction exactly as ingestion does it, so a run stopped half-way leaves consistent batteries and
can simply be started again. The store is stamped with the revision only when every battery is done.
"""

from __future__ import annotations

from collections.abc import Callable

from neo4j import ManagedTransaction

from app.db import Database
from app.repositories.store import battery_codes_after, forget_kept_flows
from app.services.projection import refresh_projection
from app.services.store import stamp_current


def reproject_all(
    db: Database,
    batch_size: int = 2_000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Re-project every battery in code order, batch by batch; returns how many were rebuilt."""
    done, after = 0, ""
    while True:
        codes = battery_codes_after(db, after, batch_size)
        if not codes:
            break

        def work(tx: ManagedTransaction, batch: list[str] = codes) -> None:
            refresh_projection(tx, batch, [])

        db.write_unit("projection.battery_events", work)
        done += len(codes)
        after = codes[-1]
        if progress is not None:
            progress(done)
    stamp_current(db)
    forget_kept_flows(db)  # every stay was rewritten without an event to say so
    return done
