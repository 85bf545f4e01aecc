"""Rebuild every battery's derived state with the current projection: the upgrade path for a store
built by an older revision (see ``PROJECTION_REVISION``), and a repair tool.

The event log is never touched; each batch of batteries is re-read and re-projected in one managed
transaction exactly as ingestion does it, so a run stopped half-way leaves consistent batteries and
can simply be started again. The store is stamped with the revision only when every battery is done.
"""

from __future__ import annotations

from collections.abc import Callable

from neo4j import ManagedTransaction

from app.db import Database, run
from app.errors import DomainError
from app.services.ingest import refresh_projection
from app.services.projection import PROJECTION_REVISION


class StoreOutdated(DomainError):
    """The store's derived state predates what a query needs: answering would silently miss findings."""

    status_code = 409


def store_revision(db: Database) -> int | None:
    row = db.query("admin.store_revision")[0]
    if row["revision"] is None and not row["has_batteries"]:
        return PROJECTION_REVISION  # nothing stored yet: whatever comes is projected by this code
    return int(row["revision"]) if row["revision"] is not None else None


def require_current(db: Database, needed_by: str) -> None:
    revision = store_revision(db)
    if revision is None or revision < PROJECTION_REVISION:
        raise StoreOutdated(
            f"{needed_by} needs the projection at revision {PROJECTION_REVISION}, and this store was built by "
            f"{'an unrecorded older revision' if revision is None else f'revision {revision}'}: "
            "run `python -m loaders reproject` (or `make reproject`) once, then ask again"
        )


def clear_store(db: Database) -> None:
    """Empty the store (tests, benchmarks, resets); an empty store is current by definition."""
    db.autocommit("admin.clear_graph")
    db.write(lambda tx: run(tx, "admin.stamp_store_revision", revision=PROJECTION_REVISION))


def reproject_all(
    db: Database,
    batch_size: int = 2_000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Re-project every battery in code order, batch by batch; returns how many were rebuilt."""
    done, after = 0, ""
    while True:
        codes = [r["code"] for r in db.query("admin.battery_codes_after", after=after, limit=batch_size)]
        if not codes:
            break

        def work(tx: ManagedTransaction, batch: list[str] = codes) -> None:
            refresh_projection(tx, batch, [])

        db.write(work)
        done += len(codes)
        after = codes[-1]
        if progress is not None:
            progress(done)
    db.write(lambda tx: run(tx, "admin.stamp_store_revision", revision=PROJECTION_REVISION))
    return done
