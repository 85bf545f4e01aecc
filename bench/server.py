"""A real API process on a free loopback port, for benchmarks and the tests that need one."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class ApiProcess:
    port: int
    pid: int

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def api_process(
    env: dict[str, str], log_level: str = "warning", ready_s: float = 60.0, workers: int = 1, root: Path = ROOT
) -> Iterator[ApiProcess]:
    """uvicorn with the app factory (``workers`` processes on one port, as ``make api`` serves it);
    yields once /readyz answers 200, stops it on exit. ``pid`` is uvicorn's (the manager, given workers)."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:create_app",
            "--factory",
            "--port",
            str(port),
            "--log-level",
            log_level,
            *(["--workers", str(workers)] if workers > 1 else []),
        ],
        cwd=root,  # whose ``app`` package is served: this checkout's, or another's (bench/small_batches.py)
        env={**os.environ, **env},
    )
    try:
        deadline = time.monotonic() + ready_s
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/readyz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"the API did not become ready on port {port}")
            time.sleep(0.1)
        yield ApiProcess(port, proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
