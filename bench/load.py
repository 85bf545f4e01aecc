"""A bounded load run on loopback: concurrent clients mixing trace reads and event writes.

Every client stops by itself after ``duration_s``; traffic goes to 127.0.0.1 only. Reports
throughput, latency percentiles, errors (anything but 200) and the API process's memory before
and after, read from /proc.
"""

from __future__ import annotations

import http.client
import json
import random
import statistics
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


@dataclass
class LoadResult:
    seconds: float
    clients: int
    reads: int = 0
    writes: int = 0
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)
    read_latencies_ms: list[float] = field(default_factory=list)  # the traces alone, for reads-vs-writes
    rss_before_mb: float = 0.0
    rss_after_mb: float = 0.0

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies_ms) or [0.0]
        return {
            "load.seconds": round(self.seconds, 1),
            "load.clients": self.clients,
            "load.requests": self.reads + self.writes,
            "load.reads": self.reads,
            "load.writes": self.writes,
            "load.throughput_rps": (self.reads + self.writes) / self.seconds if self.seconds else 0.0,
            "load.p50_ms": statistics.median(ordered),
            "load.p99_ms": ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))],
            "load.errors": self.errors,
            "load.statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "load.api_rss_before_mb": round(self.rss_before_mb, 1),
            "load.api_rss_after_mb": round(self.rss_after_mb, 1),
        }


def run_load(
    port: int,
    api_pid: int,
    key: str,
    codes: list[str],
    reporter: str,
    *,
    duration_s: float = 10.0,
    clients: int = 4,
    write_share: float = 0.2,
    batch: int = 10,
    seed: int = 1,
) -> LoadResult:
    """Each client: mostly GET /trace of a random battery, sometimes POST a batch of repairs."""
    result = LoadResult(seconds=0.0, clients=clients)
    lock = threading.Lock()
    headers = {"X-API-Key": key, "content-type": "application/json"}
    run_id = f"load{int(time.time() * 1000)}"

    def client(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        sent = 0
        deadline = time.monotonic() + duration_s
        while time.monotonic() < deadline:
            write = rng.random() < write_share
            if write:
                now = datetime.now(UTC).isoformat()
                events = [
                    {
                        "event_id": f"{run_id}-{n}-{sent + i}",
                        "type": "repaired",
                        "occurred_at": now,
                        "reporter": reporter,
                        "battery": rng.choice(codes),
                    }
                    for i in range(batch)
                ]
                sent += batch
                body: str | None = json.dumps({"events": events})
                method, path = "POST", "/v1/events"
            else:
                body, method, path = None, "GET", f"/v1/batteries/{rng.choice(codes)}/trace"
            began = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                res = conn.getresponse()
                res.read()
                status = res.status
            except OSError:
                status = -1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                result.latencies_ms.append(elapsed)
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status != 200:
                    result.errors += 1
                if write:
                    result.writes += 1
                else:
                    result.reads += 1
                    result.read_latencies_ms.append(elapsed)
        conn.close()

    result.rss_before_mb = rss_mb(api_pid)
    began = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - began
    result.rss_after_mb = rss_mb(api_pid)
    return result
