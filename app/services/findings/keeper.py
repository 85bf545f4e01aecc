"""Keeping the stored findings current in a running API: a sweep when events have arrived, and one
at least every ``findings_time_sweep_s`` for the rules that fire on the passing of time alone.

Each API process runs one keeper thread. Before sweeping it reads what the last sweep (of any
process) recorded, so a sweep that another just made is not repeated, and it claims the sweep on
the feed, so that of several processes that find one due only one runs the rules (a claim lapses
after ``CLAIM`` if its process died). Sweeps from elsewhere (the CLI, an admin's request) take no
claim; they are serialised with the keeper's by the feed's lock.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime, timedelta

from app.config import Settings
from app.db import Database
from app.repositories import findings as repo
from app.services import leakage
from app.services.findings.sweep import sweep

log = logging.getLogger(__name__)

#: How long one process's claim on the next sweep holds if it never records the sweep (it died).
CLAIM = timedelta(minutes=15)


def due(db: Database, time_sweep_s: float, now: datetime | None = None) -> bool:
    """Whether a sweep is due: never swept, events since the last sweep, or the last one too old."""
    state = repo.feed_state(db)
    if state.swept_at is None:
        return state.events_now > 0
    if state.events_now != state.events_seen:
        return True
    age = ((now or datetime.now(UTC)) - state.swept_at).total_seconds()
    return age >= time_sweep_s


class Keeper:
    """The background thread that sweeps when due, checking every ``findings_sweep_s``."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.every_s = settings.findings_sweep_s
        self.time_sweep_s = settings.findings_time_sweep_s
        self.workers = settings.leakage_workers
        self.calendar = leakage.calendar_for(settings)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="findings-keeper", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            try:
                now = datetime.now(UTC)
                if due(self.db, self.time_sweep_s) and repo.claim_sweep(self.db, now, now + CLAIM):
                    began = time.perf_counter()
                    report = sweep(self.db, self.calendar, workers=self.workers)
                    log.info(
                        "findings swept in %.1f s: %d opened, %d reopened, %d resolved, %d open",
                        time.perf_counter() - began,
                        report.opened,
                        report.reopened,
                        report.resolved,
                        report.open,
                    )
            except Exception:
                log.exception("findings sweep failed; the next check tries again")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
