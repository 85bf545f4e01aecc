"""Keeping the stored findings current in a running API: a scoped maintenance shortly after events
arrive, and a full sweep at least every ``findings_time_sweep_s`` for the rules that fire on the
passing of time alone (and for what maintenance cannot see: events stored without a log position).

Each API process runs one keeper thread, waking every ``findings_maintain_s`` (a debounce: the
events of that interval are maintained together, right after their transactions), or every
``findings_sweep_s`` when maintenance is off. Before a full sweep it reads what the last sweep (of
any process) recorded, so a sweep that another just made is not repeated, and it claims the sweep
on the feed, so that of several processes that find one due only one runs the rules (a claim
lapses after ``CLAIM`` if its process died). Sweeps from elsewhere (the CLI, an admin's request)
take no claim; they are serialised with the keeper's by the feed's lock. A maintenance takes no
claim either: it applies its results only if, under the feed's lock, nobody covered its events first.
On start it has the server plan every rule's query (``leakage.plan_all``), which on a warm store
takes longer than running them.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Literal

from app.config import Settings
from app.db import Database
from app.repositories import findings as repo
from app.services import leakage
from app.services.findings.maintain import maintain
from app.services.findings.sweep import sweep

log = logging.getLogger(__name__)

#: How long one process's claim on the next sweep holds if it never records the sweep (it died).
CLAIM = timedelta(minutes=15)

Step = Literal["sweep", "maintain"]


def next_step(db: Database, time_sweep_s: float, now: datetime | None = None) -> Step | None:
    """What is due: a sweep (never swept, the last one too old, or events the log does not place),
    a maintenance (events logged since the last sweep or maintenance), or nothing."""
    state = repo.feed_state(db)
    if state.swept_at is None:
        return "sweep" if state.events_now > 0 else None
    age = ((now or datetime.now(UTC)) - state.swept_at).total_seconds()
    if age >= time_sweep_s:
        return "sweep"
    if state.log_seen is not None and state.log_size > state.log_seen:
        return "maintain"
    if state.events_now != state.events_seen:
        return "sweep"
    return None


def due(db: Database, time_sweep_s: float, now: datetime | None = None) -> bool:
    """Whether the stored findings need a sweep or a maintenance."""
    return next_step(db, time_sweep_s, now) is not None


class Keeper:
    """The background thread that maintains and sweeps when due."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.maintain_s = settings.findings_maintain_s
        self.every_s = self.maintain_s if self.maintain_s > 0 else settings.findings_sweep_s
        self.time_sweep_s = settings.findings_time_sweep_s
        self.workers = settings.leakage_workers
        self.calendar = leakage.calendar_for(settings)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="findings-keeper", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:  # the rules' plans first, so that the first sweep or maintenance runs them at once
            log.info("findings keeper: the rules' queries planned in %.1f s", leakage.plan_all(self.db, self.calendar))
        except Exception:
            log.exception("planning the rules' queries failed; the first sweep plans them")
        while not self._stop.wait(self.every_s):
            try:
                self._once()
            except Exception:
                log.exception("findings upkeep failed; the next check tries again")

    def _once(self) -> None:
        step = next_step(self.db, self.time_sweep_s)
        if step == "maintain" and self.maintain_s > 0:
            report = maintain(self.db, self.calendar, workers=self.workers)
            if report is not None:
                log.info(
                    "findings maintained for %d events (%d batteries) in %.2f s: %d opened, %d reopened, %d resolved",
                    report.events,
                    len(report.touched),
                    report.seconds,
                    report.opened,
                    report.reopened,
                    report.resolved,
                )
            return
        now = datetime.now(UTC)
        if step is not None and repo.claim_sweep(self.db, now, now + CLAIM):
            began = time.perf_counter()
            swept = sweep(self.db, self.calendar, workers=self.workers)
            log.info(
                "findings swept in %.1f s: %d opened, %d reopened, %d resolved, %d open",
                time.perf_counter() - began,
                swept.opened,
                swept.reopened,
                swept.resolved,
                swept.open,
            )

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
