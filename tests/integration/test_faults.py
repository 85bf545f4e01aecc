"""Neo4j killed in the middle of an ingest run by several retrying clients.

While it is down the API answers 503 with Retry-After (never 500) and /readyz fails; once it is
back the same API process recovers by itself, and every acknowledged event is stored exactly
once. Runs on its own Neo4j instance and a real uvicorn process, so nothing else is disturbed.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from app.config import Settings
from app.db import Database
from app.security import issue_key
from app.services.store import apply_schema, clear_store
from bench.server import free_port
from neo4j_runtime import launcher
from tests.factories import Events, pack, seed_registry

ROOT = Path(__file__).resolve().parents[2]
HOME = Path(os.environ.get("BT_FAULT_NEO4J_HOME", ROOT / "var" / "neo4j-faults"))
PORT = int(os.environ.get("BT_FAULT_NEO4J_PORT", "7696"))
CLIENTS = 3
BATCHES_PER_CLIENT = 15
BATCH = 20


def _request(port: int, method: str, path: str, key: str, body: Any = None) -> tuple[int, dict[str, str]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        data = json.dumps(body) if body is not None else None
        conn.request(method, path, body=data, headers={"X-API-Key": key, "content-type": "application/json"})
        res = conn.getresponse()
        res.read()
        return res.status, {k.lower(): v for k, v in res.getheaders()}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def fault_server() -> Iterator[launcher.Instance]:
    instance = launcher.start(HOME, PORT, heap="1g", pagecache="512m")
    yield instance
    launcher.stop(HOME)


def test_kill_neo4j_during_ingest(fault_server: launcher.Instance) -> None:
    settings = Settings(neo4j_uri=fault_server.uri, neo4j_password=SecretStr(fault_server.password))
    db = Database(settings)
    apply_schema(db)
    clear_store(db)
    seed_registry(db)
    key = issue_key(db, "admin", "fault test").key
    db.close()

    api_port = free_port()
    env = dict(
        os.environ,
        NEO4J_URI=fault_server.uri,
        NEO4J_PASSWORD=fault_server.password,
        NEO4J_RETRY_TIME_S="1",
        NEO4J_CONNECT_TIMEOUT_S="1",
        RETRY_AFTER_S="1",
        KEY_CACHE_S="3600",
    )
    api = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:create_app",
            "--factory",
            "--port",
            str(api_port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    statuses: Counter[int] = Counter()
    acknowledged: list[str] = []
    lock = threading.Lock()
    errors: list[str] = []

    def client(n: int) -> None:
        ev = Events(f"c{n}")
        for b in range(BATCHES_PER_CLIENT):
            batch = [ev.produced(pack(n * 10_000 + b * BATCH + i)) for i in range(BATCH)]
            for _attempt in range(200):
                try:
                    status, headers = _request(api_port, "POST", "/v1/events", key, {"events": batch})
                except OSError as exc:
                    errors.append(f"client {n}: {exc}")
                    time.sleep(0.5)
                    continue
                with lock:
                    statuses[status] += 1
                if status == 200:
                    with lock:
                        acknowledged.extend(e["event_id"] for e in batch)
                    break
                if status != 503:
                    errors.append(f"client {n}: unexpected {status}")
                    return
                if "retry-after" not in headers:
                    errors.append("503 without Retry-After")
                time.sleep(min(float(headers.get("retry-after", "1")), 1.0))
            time.sleep(0.05)

    try:
        for _ in range(300):
            try:
                if _request(api_port, "GET", "/readyz", key)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for t in threads:
            t.start()
        while len(acknowledged) < CLIENTS * BATCH * 5:  # some batches in before the crash
            time.sleep(0.05)
        os.kill(fault_server.pid, signal.SIGKILL)
        launcher.stop(HOME, timeout_s=5)  # clears the pid file of the killed server
        down_ready = _request(api_port, "GET", "/readyz", key)
        assert down_ready[0] == 503 and "retry-after" in down_ready[1]
        time.sleep(3)  # clients keep sending into the outage
        restarted = launcher.start(HOME, PORT, heap="1g", pagecache="512m")
        for t in threads:
            t.join(timeout=300)
        assert _request(api_port, "GET", "/readyz", key)[0] == 200
    finally:
        api.terminate()
        api.wait(timeout=30)

    assert not errors, errors[:5]
    assert statuses[500] == 0
    assert statuses[503] > 0, statuses  # the outage was seen by the clients
    assert len(acknowledged) == CLIENTS * BATCHES_PER_CLIENT * BATCH
    check = Database(Settings(neo4j_uri=restarted.uri, neo4j_password=SecretStr(restarted.password)))
    try:
        with check.driver.session(database=check.name) as s:
            stored = [r["id"] for r in s.run("MATCH (e:Event) RETURN e.event_id AS id")]
    finally:
        check.close()
    assert Counter(stored) == Counter(acknowledged)  # each acknowledged event exactly once, nothing else
