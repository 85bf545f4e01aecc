"""What the verifiable log costs at capture: events/s with and without the append, in one run.

The same events are ingested into an emptied store twice per round, once with the log and once
without (``ingest_events(log=False)``, which only this benchmark passes), alternating which goes
first, in bulk batches and in small real-time batches. The figure is the ratio of medians.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from app.db import Database
from app.services.ingest import ingest_events, validate_raw
from app.services.store import clear_store
from loaders.files import load_registry, read_batches


def _rate(db: Database, world: Path, models: list[Any], batch: int, log: bool) -> float:
    clear_store(db)
    load_registry(db, world)
    began = time.perf_counter()
    for start in range(0, len(models), batch):
        ingest_events(db, models[start : start + batch], allow_recorded_at=True, log=log)
    return len(models) / (time.perf_counter() - began)


def ledger_cost(db: Database, world: Path, events: int = 20_000, small: int = 2_000, rounds: int = 3) -> dict[str, Any]:
    """``ledger.*`` figures: bulk (batches of 5,000) and small (batches of 10) with and without the log."""
    rows = next(iter(read_batches(world / "events.jsonl", events)))[2]
    models = validate_raw(rows)
    out: dict[str, Any] = {"ledger.sample_events": len(models), "ledger.small_sample_events": min(small, len(models))}
    for name, batch, sample in (("bulk", 5_000, models), ("small", 10, models[:small])):
        with_log: list[float] = []
        without: list[float] = []
        for r in range(rounds):
            order = (True, False) if r % 2 == 0 else (False, True)
            for log in order:
                (with_log if log else without).append(_rate(db, world, sample, batch, log))
        a, b = statistics.median(with_log), statistics.median(without)
        out[f"ledger.{name}_events_per_s_with_log"] = a
        out[f"ledger.{name}_events_per_s_without_log"] = b
        out[f"ledger.{name}_slowdown"] = 1 - a / b
    clear_store(db)
    return out
