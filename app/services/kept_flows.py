"""Custody flows kept in the database, so the custody network over all time is read, not re-aggregated.

The custody projection aggregates every stay (one HELD_BY per custody interval, about 3.6 per pack):
about a second per 100,000 packs on the reference machine, too slow for a province or the nation.
So the flows over all time are kept, one row per company, target and outcome (``CustodyFlow``),
with the event log size they stand for (``KeptFlows.upto``). A refresh takes the lock on
``KeptFlows``, reads the log size, and re-aggregates only the companies that the events logged since
name (see ``cypher/analytics/kept_flows_dirty.cypher`` for why no other company's stays can have
moved); a store never refreshed, or more than ``FULL_AFTER`` events behind, is rebuilt whole.

A read is exact whether or not the rows are current: the kept rows of the clean companies, and
the dirty companies aggregated afresh in the same read. Only a store more than ``LIVE_LIMIT``
events behind (or never refreshed) is read by the full scan, as are windows and a chemistry
(``cypher/analytics/custody_flows.cypher``). A reprojection rewrites stays without new events, so
it forgets the kept rows (``forget``) and the next refresh rebuilds them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from neo4j import ManagedTransaction

from app.analytics.rows import CustodyFlowRow
from app.db import Database
from app.repositories import kept_flows as repo
from app.repositories.store import forget_kept_flows

log = logging.getLogger(__name__)

#: Events since the last refresh that a read catches up on by itself (the dirty companies afresh).
LIVE_LIMIT = 50_000
#: A refresh this many events behind re-aggregates every company instead of the dirty ones.
FULL_AFTER = 200_000


@dataclass(frozen=True)
class Refreshed:
    """What a refresh did: whole or by company, how many companies and rows, the log size it reached."""

    full: bool
    companies: int
    rows: int
    upto: int
    seconds: float


def rows(tx: ManagedTransaction, province: str | None, provinces: list[str] | None) -> Iterator[CustodyFlowRow] | None:
    """The flows over all time from the kept rows, caught up in this read; None when too far behind."""
    st = repo.state(tx)
    behind = st.behind
    if st.upto is None or behind is None or behind < 0 or behind > LIVE_LIMIT:
        return None
    dirty = repo.dirty(tx, st.upto) if behind > 0 else []
    return repo.flows(tx, dirty, with_kept=True, province=province, provinces=provinces)


def refresh(db: Database) -> Refreshed:
    """Bring the kept rows up to the log's size now (one write transaction, under the lock)."""
    began = time.perf_counter()

    def work(tx: ManagedTransaction) -> Refreshed:
        upto, size = repo.lock(tx)
        full = upto is None or size - upto > FULL_AFTER or size < upto
        if full:
            repo.clear(tx)
            sources = repo.all_companies(tx)
        else:
            assert upto is not None
            sources = repo.dirty(tx, upto) if size > upto else []
        fresh = list(repo.flows(tx, sources, with_kept=False))
        repo.replace(tx, [] if full else sources, fresh, size)
        return Refreshed(full, len(sources), len(fresh), size, 0.0)

    done = db.write_unit("analytics.kept_flows_refresh", work)
    return Refreshed(done.full, done.companies, done.rows, done.upto, round(time.perf_counter() - began, 3))


def refresh_if_behind(db: Database) -> Refreshed | None:
    """Refresh only when events were logged since the last refresh (a read first: no lock taken)."""
    st = repo.state(db)
    if st.upto is not None and st.upto == st.size:
        return None
    return refresh(db)


def forget(db: Database) -> None:
    """Drop the kept rows and their cursor (after a reprojection): the next refresh rebuilds them."""
    forget_kept_flows(db)


class FlowKeeper:
    """The background thread that refreshes the kept flows every ``every_s`` when events arrived.

    Every API process runs one; refreshes serialise on the lock, and one that finds the rows
    current does nothing, so several processes cost one refresh per change."""

    def __init__(self, db: Database, every_s: float) -> None:
        self.db = db
        self.every_s = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="flows-keeper", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            try:
                done = refresh_if_behind(self.db)
                if done is not None:
                    log.info(
                        "custody flows refreshed in %.2f s (%s, %d companies, %d rows, log size %d)",
                        done.seconds,
                        "whole" if done.full else "by company",
                        done.companies,
                        done.rows,
                        done.upto,
                    )
            except Exception:
                log.exception("custody flows refresh failed; the next check tries again")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
