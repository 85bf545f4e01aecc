"""Throughput under concurrency, as ratios measured in one run against one API with its workers.

- reads: 16 clients tracing random packs for a fixed time, through the API and through the bare
  driver running the same query, at the same concurrency (``reads.api_over_driver``);
- mixed: 16 clients, 80% traces and 20% batches of 10 events; the read p99 is compared with the
  read-only p99 of the first step (``mixed.read_p99_over_readonly``);
- small batches: 8 clients sending batches of 10 events, nothing else (``small_batches.events_per_s``).

Clients are threads with one keep-alive connection each (stdlib http.client), in this process.
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any

from app.db import Database
from bench.load import percentile, run_load


def _closed_loop(clients: int, duration_s: float, call: Callable[[random.Random], object]) -> list[float]:
    """Each client calls back to back until the time is up; the latencies of every call (ms)."""
    done: list[float] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        rng = random.Random(n)
        mine: list[float] = []
        deadline = time.monotonic() + duration_s
        while time.monotonic() < deadline:
            began = time.perf_counter()
            call(rng)
            mine.append((time.perf_counter() - began) * 1000)
        with lock:
            done.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(done)


def _api_reads(port: int, key: str, codes: list[str], clients: int, duration_s: float) -> list[float]:
    import http.client

    local = threading.local()

    def call(rng: random.Random) -> None:
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", f"/v1/batteries/{rng.choice(codes)}/trace", headers={"X-API-Key": key})
        res = conn.getresponse()
        res.read()
        if res.status != 200:
            raise SystemExit(f"bench: a trace answered {res.status}")

    return _closed_loop(clients, duration_s, call)


def concurrency(
    db: Database,
    port: int,
    reader_key: str,
    writer_key: str,
    codes: list[str],
    reporter: str,
    duration_s: float,
    workers: int,
) -> dict[str, Any]:
    """The ``reads.*``, ``mixed.*`` and ``small_batches.*`` figures (see the module's docstring)."""
    out: dict[str, Any] = {"concurrency.api_workers": workers, "concurrency.seconds_per_step": duration_s}
    _api_reads(port, reader_key, codes, 4, 2.0)  # warm every worker's pool and caches
    api = _api_reads(port, reader_key, codes, 16, duration_s)
    driver = _closed_loop(16, duration_s, lambda rng: db.read("trace.battery_timeline", code=rng.choice(codes)))
    out |= {
        "reads.clients": 16,
        "reads.api_rps": len(api) / duration_s,
        "reads.driver_rps": len(driver) / duration_s,
        "reads.api_over_driver": len(api) / len(driver),
        "reads.api_p50_ms": statistics.median(api),
        "reads.api_p99_ms": percentile(api, 0.99),
        "reads.driver_p99_ms": percentile(driver, 0.99),
    }
    mixed = run_load(port, 0, writer_key, codes, reporter, duration_s=duration_s, clients=16, measure_rss=False)
    m = mixed.summary()
    out |= {
        "mixed.clients": 16,
        "mixed.write_share": 0.2,
        "mixed.throughput_rps": m["load.throughput_rps"],
        "mixed.read_p99_ms": m["load.read_p99_ms"],
        "mixed.write_p99_ms": m["load.write_p99_ms"],
        "mixed.read_p99_over_readonly": m["load.read_p99_ms"] / out["reads.api_p99_ms"],
        "mixed.errors": m["load.errors"],
    }
    small = run_load(
        port, 0, writer_key, codes, reporter, duration_s=duration_s, clients=8, write_share=1.0, measure_rss=False
    ).summary()
    out |= {
        "small_batches.clients": 8,
        "small_batches.batch": 10,
        "small_batches.events_per_s": small["load.events_per_s"],
        "small_batches.p50_ms": small["load.p50_ms"],
        "small_batches.p99_ms": small["load.p99_ms"],
        "small_batches.errors": small["load.errors"],
    }
    return out
