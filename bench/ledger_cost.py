"""What the verifiable log costs at capture: events/s with and without the append, in one run.

The events are ingested in order into one emptied store, batch by batch, with the log and without
it (``ingest_events(log=False)``, which only this benchmark passes) in the pattern ABBA BAAB ...,
so that whatever else the machine does in the meantime falls on both alike; a figure is events
over the seconds spent in the batches of one kind. Done for bulk batches (5,000 events) and small
real-time batches (10 events), the small ones following the bulk ones in the same store.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from app.db import Database
from app.services.ingest import ingest_events, validate_raw
from app.services.store import clear_store
from loaders.files import load_registry, read_batches

#: Which batches of four go with the log: the pattern repeats every eight batches.
_PATTERN = (True, False, False, True, False, True, True, False)


def _paired(db: Database, models: list[Any], batch: int) -> dict[bool, tuple[int, float]]:
    """(events, seconds) with the log (True) and without it (False), batches interleaved."""
    spent = {True: (0, 0.0), False: (0, 0.0)}
    for n, start in enumerate(range(0, len(models), batch)):
        chunk = models[start : start + batch]
        log = _PATTERN[n % len(_PATTERN)]
        began = time.perf_counter()
        ingest_events(db, chunk, allow_recorded_at=True, log=log)
        events, seconds = spent[log]
        spent[log] = (events + len(chunk), seconds + time.perf_counter() - began)
    return spent


def ledger_cost(db: Database, world: Path, events: int = 40_000, small: int = 4_000) -> dict[str, Any]:
    """``ledger.*`` figures: bulk (batches of 5,000) and small (batches of 10) with and without the log."""
    rows = next(iter(read_batches(world / "events.jsonl", events + small)))[2]
    models = validate_raw(rows)
    clear_store(db)
    load_registry(db, world)
    out: dict[str, Any] = {"ledger.sample_events": len(models) - small, "ledger.small_sample_events": small}
    for name, batch, sample in (("bulk", 5_000, models[:-small]), ("small", 10, models[-small:])):
        spent = _paired(db, sample, batch)
        a, b = (spent[log][0] / spent[log][1] for log in (True, False))
        out[f"ledger.{name}_events_per_s_with_log"] = a
        out[f"ledger.{name}_events_per_s_without_log"] = b
        out[f"ledger.{name}_slowdown"] = 1 - a / b
    clear_store(db)
    return out
