"""What keeping the stored findings costs ingest: events/s of small batches with sweeps running
beside them and without, in one run on the loaded store.

Stored findings are kept by sweeps (``app.services.findings``): while events keep arriving, the API's
keeper sweeps again as soon as one ends, so this runs sweeps back to back on one thread (the rules on
``LEAKAGE_WORKERS`` sessions) while batches of repairs are ingested, in phases alternating ABBA, and
compares the ingest rate of the phases with sweeps to those without. The ingest transaction itself
does no findings work; the cost is the server's cores the sweeps take.
"""

from __future__ import annotations

import random
import threading
import time
from datetime import UTC, datetime
from typing import Any

from app.db import Database
from app.services import findings, leakage
from app.services.ingest import ingest_raw

#: Which phases run with sweeps beside them.
_PATTERN = (True, False, False, True)


def _ingest_for(db: Database, seconds: float, codes: list[str], reporter: str, batch: int, tag: str) -> int:
    rng = random.Random(tag)
    sent, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        now = datetime.now(UTC).isoformat()
        rows = [
            {"event_id": f"{tag}-{sent + i}", "type": "repaired", "occurred_at": now, "reporter": reporter,
             "battery": rng.choice(codes)}
            for i in range(batch)
        ]  # fmt: skip
        ingest_raw(db, rows)
        sent += batch
    return sent


def findings_cost(
    db: Database, codes: list[str], reporter: str, *, phase_s: float = 60.0, batch: int = 50
) -> dict[str, Any]:
    """``findings.ingest_cost_ratio``: small-batch events/s without sweeps over events/s with them."""
    calendar = leakage.calendar_for(db.settings)
    spent = {True: (0, 0.0), False: (0, 0.0)}
    sweeps = 0
    for n, with_sweeps in enumerate(_PATTERN):
        stop = threading.Event()

        def sweeping(stop: threading.Event) -> None:
            nonlocal sweeps
            while not stop.is_set():
                findings.sweep(db, calendar, workers=db.settings.leakage_workers)
                sweeps += 1

        sweeper = threading.Thread(target=sweeping, args=(stop,), daemon=True) if with_sweeps else None
        if sweeper is not None:
            sweeper.start()
        began = time.perf_counter()
        events = _ingest_for(db, phase_s, codes, reporter, batch, f"fcost{int(time.time())}-{n}")
        elapsed = time.perf_counter() - began
        stop.set()
        if sweeper is not None:
            sweeper.join()
        total, seconds = spent[with_sweeps]
        spent[with_sweeps] = (total + events, seconds + elapsed)
    with_rate, without_rate = (spent[k][0] / spent[k][1] for k in (True, False))
    return {
        "findings.ingest_events_per_s_with_sweeps": with_rate,
        "findings.ingest_events_per_s_without": without_rate,
        "findings.ingest_cost_ratio": without_rate / with_rate,
        "findings.cost_sweeps": float(sweeps),
        "findings.cost_phase_s": phase_s,
        "findings.cost_batch": float(batch),
    }
