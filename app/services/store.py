"""The store as a whole: its schema, the projection revision its derived state was built by, resets.

A store built by an older projection revision still answers, but rules that read what a newer
replay derives refuse to run on it until ``batterytrace reproject`` rebuilt it.
"""

from __future__ import annotations

import logging
import time

from neo4j.exceptions import ClientError, TransientError

from app.db import Database
from app.errors import StoreOutdated
from app.lifecycle import PROJECTION_REVISION
from app.repositories import store as repo
from app.services import ledger

log = logging.getLogger(__name__)

#: Tries of one schema statement that deadlocks with the same statement from another API worker
#: starting at the same moment (schema statements run outside managed transactions: not retried).
SCHEMA_TRIES = 5


def apply_schema(db: Database) -> list[str]:
    """Constraints and indexes, each ``IF NOT EXISTS``: safe to run at every start."""
    applied = []
    if removed := repo.one_findings_feed(db):
        log.warning("schema: %d duplicate findings feed(s) removed before its constraint", removed)
    for name in repo.schema_statements():
        try:
            _apply_one(db, name)
        except ClientError as err:
            # The same index under an older name: it serves, so it is not an error.
            if err.code != "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists":
                raise
            log.info("schema %s: an equivalent rule exists under another name", name)
        applied.append(name)
    repo.await_indexes(db)
    repo.stamp_fresh_store(db, PROJECTION_REVISION)
    ledger.start_fresh(db)
    db.schema_applied = True
    log.info("schema applied: %d statements", len(applied))
    return applied


def _apply_one(db: Database, name: str) -> None:
    for attempt in range(1, SCHEMA_TRIES + 1):
        try:
            repo.apply_statement(db, name)
            return
        except TransientError:
            if attempt == SCHEMA_TRIES:
                raise
            time.sleep(0.05 * attempt)


def store_revision(db: Database) -> int | None:
    """The projection revision of the store's derived state; None for an unstamped older store."""
    revision, has_batteries = repo.store_revision(db)
    if revision is None and not has_batteries:
        return PROJECTION_REVISION  # nothing stored yet: whatever comes is projected by this code
    return revision


def require_current(db: Database, needed_by: str) -> None:
    revision = store_revision(db)
    if revision is None or revision < PROJECTION_REVISION:
        raise StoreOutdated(
            f"{needed_by} needs the projection at revision {PROJECTION_REVISION}, and this store was built by "
            f"{'an unrecorded older revision' if revision is None else f'revision {revision}'}: "
            "run `batterytrace reproject` (or `make reproject`) once, then ask again"
        )


def clear_store(db: Database) -> None:
    """Empty the store (tests, benchmarks, resets); an empty store is current by definition."""
    repo.clear_graph(db)
    repo.stamp_revision(db, PROJECTION_REVISION)
    ledger.start_fresh(db)


def stamp_current(db: Database) -> None:
    """Record that every battery's derived state is now built by this revision."""
    repo.stamp_revision(db, PROJECTION_REVISION)
