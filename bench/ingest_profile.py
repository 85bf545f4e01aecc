"""Where a small batch's time goes: the API served in this process, every span of it timed.

Timing spans, no sampling profiler: each named query (``app.db.run``) with its round trip, the
commit (a write unit's time outside its work), waiting for an ingest slot, the audit entry (file and
shipping), the receipt (tile reads and signature), and the whole request as the client sees it. One
client shows one batch's path; several show what waiting adds. Totals are summed over threads, so
with several clients the spans add up to more than the wall clock.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import app.db as dbmod
from app.queries import get_query

_spans: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
_lock = threading.Lock()


def _add(name: str, seconds: float) -> None:
    with _lock:
        span = _spans[name]
        span[0] += seconds
        span[1] += 1


@contextmanager
def _span(name: str) -> Iterator[None]:
    began = time.perf_counter()
    try:
        yield
    finally:
        _add(name, time.perf_counter() - began)


_instrumented: list[bool] = []


def _instrument() -> None:
    """Wrap the one road to the database and the request's other stations (once per process)."""
    if _instrumented:
        return
    _instrumented.append(True)
    original_run = dbmod.run

    def timed_run(tx: Any, name: str, /, **params: Any) -> list[dict[str, Any]]:
        query = get_query(name)
        if query.unwinds is not None and params.get(query.unwinds) == []:
            return []  # not sent: not a round trip
        with _span(f"query {name}"):
            return original_run(tx, name, **params)

    for module in list(sys.modules.values()):
        if module is not None and getattr(module, "run", None) is original_run:
            module.run = timed_run  # type: ignore[attr-defined]

    original_write_unit = dbmod.Database.write_unit
    original_read_unit = dbmod.Database.read_unit

    def write_unit(self: dbmod.Database, tag: str, work: Callable[[Any], Any]) -> Any:
        worked = [0.0]

        def timed_work(tx: Any) -> Any:
            began = time.perf_counter()
            try:
                return work(tx)
            finally:
                worked[0] += time.perf_counter() - began

        began = time.perf_counter()
        try:
            return original_write_unit(self, tag, timed_work)
        finally:
            _add(f"write unit {tag}: begin+commit (outside work)", time.perf_counter() - began - worked[0])
            _add(f"write unit {tag}: work", worked[0])

    def read_unit(self: dbmod.Database, tag: str, work: Callable[[Any], Any]) -> Any:
        with _span(f"read unit {tag} (whole)"):
            return original_read_unit(self, tag, work)

    dbmod.Database.write_unit = write_unit  # type: ignore[method-assign]
    dbmod.Database.read_unit = read_unit  # type: ignore[method-assign]

    from app.security.audit import AuditLog
    from app.services import ingest, ledger

    original_record = AuditLog.record

    def record(self: AuditLog, entry: dict[str, Any], *, store: bool = False) -> dict[str, Any]:
        with _span("audit entry (wal + ship)"):
            return original_record(self, entry, store=store)

    AuditLog.record = record  # type: ignore[method-assign]
    original_receipt = ledger.receipt

    def receipt(*a: Any, **k: Any) -> Any:
        with _span("receipt (tiles + signature)"):
            return original_receipt(*a, **k)

    ingest.receipt = receipt  # type: ignore[attr-defined]
    original_ingest = ingest.ingest_events

    def ingest_events(*a: Any, **k: Any) -> Any:
        with _span("ingest_events (whole)"):
            return original_ingest(*a, **k)

    import app.api.events as events_route

    setattr(events_route, "ingest_events", ingest_events)  # noqa: B010 (a private import replaced)


def profile(
    env: dict[str, str], key: str, codes: list[str], reporter: str, clients: int, seconds: float, batch: int
) -> dict[str, Any]:
    """Serve the app in a thread of this process and run ``clients`` writers; the spans per batch."""
    import uvicorn

    from bench.load import run_load
    from bench.server import free_port

    os.environ.update(env)
    from app.main import create_app

    app = create_app()
    _instrument()
    _spans.clear()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        run_load(port, 0, key, codes, reporter, duration_s=2, clients=clients, write_share=1.0, measure_rss=False)
        _spans.clear()
        result = run_load(
            port,
            0,
            key,
            codes,
            reporter,
            duration_s=seconds,
            clients=clients,
            write_share=1.0,
            batch=batch,
            measure_rss=False,
        )
    finally:
        server.should_exit = True
        thread.join(timeout=30)
    summary = result.summary()
    writes = max(1, result.writes)
    per_batch = {
        name: round(total * 1000 / writes, 2) for name, (total, _) in sorted(_spans.items(), key=lambda kv: -kv[1][0])
    }
    return {
        "clients": clients,
        "batches": result.writes,
        "events_per_s": round(summary["load.events_per_s"], 1),
        "request_p50_ms": round(summary["load.p50_ms"], 1),
        "request_mean_ms": round(sum(result.latencies_ms) / writes, 2),
        "ms_per_batch": per_batch,
        "calls_per_batch": {name: round(n / writes, 2) for name, (_, n) in _spans.items()},
    }
