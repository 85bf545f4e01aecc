"""What keeping the stored findings costs ingest: events/s of small batches with the findings kept
beside them and without, in one run on the loaded store.

The API's keeper maintains the findings of the batteries new events touched every
``findings_maintain_s`` (``app.services.findings.maintain``); full sweeps run only on
``findings_time_sweep_s``. This ingests batches of repairs in phases, some with a thread doing what
the keeper does (a scoped maintenance every ``maintain_s``), some with full sweeps back to back (the
keeper before scoped maintenance: every rule over the whole store whenever events had arrived),
some with nothing, in the order S N M M N S so that drift in the store's speed cancels, and
compares the phases' ingest rates. ``findings.ingest_cost_ratio`` is the keeper's (maintenance);
``findings.ingest_cost_ratio_full_sweeps`` the old way's, in the same run.
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

#: What runs beside each phase's ingest: full sweeps back to back, scoped maintenance, or nothing.
_PATTERN = ("sweep", "none", "maintain", "maintain", "none", "sweep")


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
    db: Database,
    codes: list[str],
    reporter: str,
    *,
    phase_s: float = 60.0,
    batch: int = 50,
    maintain_s: float = 5.0,
) -> dict[str, Any]:
    """``findings.ingest_cost_ratio``: small-batch events/s without findings upkeep over events/s with it."""
    calendar = leakage.calendar_for(db.settings)
    workers = db.settings.leakage_workers
    spent = {mode: (0, 0.0) for mode in _PATTERN}
    sweeps = 0
    upkeep: list[tuple[int, int, float]] = []  # events, batteries in scope, seconds of each maintenance
    findings.sweep(db, calendar, workers=workers)  # maintenance goes on from a sweep
    for n, mode in enumerate(_PATTERN):
        stop = threading.Event()

        def sweeping(stop: threading.Event) -> None:
            nonlocal sweeps
            while not stop.is_set():
                findings.sweep(db, calendar, workers=workers)
                sweeps += 1

        def maintaining(stop: threading.Event) -> None:
            while not stop.wait(maintain_s):
                report = findings.maintain(db, calendar, workers=workers)
                if report is not None:
                    upkeep.append((report.events, len(report.touched), report.seconds))

        target = {"sweep": sweeping, "maintain": maintaining}.get(mode)
        beside = threading.Thread(target=target, args=(stop,), daemon=True) if target is not None else None
        if mode == "maintain":
            findings.maintain(db, calendar, workers=workers)  # catch up what earlier phases logged
        if beside is not None:
            beside.start()
        began = time.perf_counter()
        events = _ingest_for(db, phase_s, codes, reporter, batch, f"fcost{int(time.time())}-{n}")
        elapsed = time.perf_counter() - began
        stop.set()
        if beside is not None:
            beside.join()
        total, seconds = spent[mode]
        spent[mode] = (total + events, seconds + elapsed)
    rate = {mode: spent[mode][0] / spent[mode][1] for mode in spent}
    scoped = sorted(upkeep, key=lambda u: u[2])
    median = scoped[len(scoped) // 2] if scoped else (0, 0, 0.0)
    return {
        "findings.ingest_events_per_s_with_sweeps": rate["sweep"],
        "findings.ingest_events_per_s_with_maintenance": rate["maintain"],
        "findings.ingest_events_per_s_without": rate["none"],
        "findings.ingest_cost_ratio": rate["none"] / rate["maintain"],
        "findings.ingest_cost_ratio_full_sweeps": rate["none"] / rate["sweep"],
        "findings.cost_sweeps": float(sweeps),
        "findings.cost_maintenances": float(len(upkeep)),
        "findings.maintain_p50_s": median[2],
        "findings.maintain_p50_events": float(median[0]),
        "findings.maintain_p50_batteries": float(median[1]),
        "findings.cost_phase_s": phase_s,
        "findings.cost_batch": float(batch),
        "findings.cost_maintain_s": maintain_s,
    }
