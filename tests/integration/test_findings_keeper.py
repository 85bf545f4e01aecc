"""The API's findings keeper: it sweeps first, then maintains by itself when events arrive, and does
nothing when nothing changed."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from app.config import Settings
from app.db import Database
from app.repositories import findings as repo
from app.services.findings import Keeper, due, next_step, sweep
from app.services.ingest import ingest_raw
from app.services.leakage.workdays import make_calendar
from tests.factories import MAKER, Events, pack, seed_registry


def _wait_for_sweep(db: Database, after: datetime | None, seconds: float = 60) -> datetime:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        swept = repo.feed_state(db).swept_at
        if swept is not None and (after is None or swept > after):
            return swept
        time.sleep(0.1)
    raise AssertionError("the keeper did not sweep")


def _wait_for_maintenance(db: Database, seconds: float = 60) -> datetime:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = repo.feed_state(db)
        if state.maintained_at is not None and state.log_seen == state.log_size:
            return state.maintained_at
        time.sleep(0.1)
    raise AssertionError("the keeper did not maintain")


def test_the_keeper_sweeps_when_events_arrive(db: Database, settings: Settings) -> None:
    assert not due(db, 3600)  # an empty store: nothing to judge
    seed_registry(db)
    ev = Events("keep")
    shipped_at = datetime(2024, 3, 2, tzinfo=UTC)
    ingest_raw(db, [ev.produced(pack(1)), ev.shipped(pack(1), MAKER, shipped_at, MAKER)])
    assert due(db, 3600)
    keeper = Keeper(db, settings.model_copy(update={"findings_sweep_s": 0.1, "findings_maintain_s": 0.1}))
    try:
        first = _wait_for_sweep(db, None)
        state = repo.feed_state(db)
        assert state.events_seen == state.events_now == 2
        assert not due(db, 3600)
        # Nothing new: no sweep; a sweep older than the time limit is due again (deadlines pass by themselves).
        assert due(db, 3600, now=first + timedelta(hours=2))
        # A new event is maintained for its battery, with no full sweep.
        ingest_raw(db, [ev.repaired(pack(1), shipped_at + timedelta(days=1), reporter=MAKER)])
        _wait_for_maintenance(db)
        state = repo.feed_state(db)
        assert state.events_seen == state.events_now == 3 and state.swept_at == first
        assert next_step(db, 3600) is None
    finally:
        keeper.close()


def test_of_two_processes_one_claims_the_sweep(db: Database) -> None:
    now = datetime.now(UTC)
    assert repo.claim_sweep(db, now, now + timedelta(minutes=15))
    assert not repo.claim_sweep(db, now + timedelta(seconds=1), now + timedelta(minutes=16))
    # A claim whose process died lapses; a recorded sweep releases it.
    assert repo.claim_sweep(db, now + timedelta(minutes=20), now + timedelta(minutes=35))
    sweep(db, make_calendar())
    assert repo.claim_sweep(db, now + timedelta(minutes=21), now + timedelta(minutes=36))
