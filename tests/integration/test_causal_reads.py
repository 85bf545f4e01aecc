"""Read-your-writes on a cluster: the API runs unchanged on a ``neo4j://`` routing URI (the local
server answers routing for itself), a response to a write carries its bookmarks, and a read that
sends them back, to any API process, sees the write."""

from __future__ import annotations

import http.client
import json
from typing import Any
from urllib.parse import urlsplit

from fastapi.testclient import TestClient

from app.config import Settings
from app.db import Database, causal_scope
from app.errors import BOOKMARK_HEADER
from app.lifecycle import PROJECTION_REVISION
from app.main import create_app
from app.security import issue_key
from bench.server import api_process
from tests.factories import Events, first_life, pack, seed_registry, vin


def _routing(settings: Settings) -> Settings:
    parts = urlsplit(settings.neo4j_uri)
    return settings.model_copy(update={"neo4j_uri": f"neo4j://{parts.hostname}:{parts.port}"})


def test_the_api_on_a_routing_uri_returns_and_honours_bookmarks(db: Database, settings: Settings) -> None:
    seed_registry(db)
    key = issue_key(db, "admin", "causal").key
    code = pack(1)
    with TestClient(create_app(_routing(settings)), headers={"X-API-Key": key}) as client:
        captured = client.post("/v1/events", json={"events": first_life(Events("rw"), code, vin(1))})
        assert captured.status_code == 200, captured.text
        bookmark = captured.headers[BOOKMARK_HEADER]
        assert bookmark and captured.json()["receipt"]["entries"]

        trace = client.get(f"/v1/batteries/{code}/trace", headers={BOOKMARK_HEADER: bookmark})
        assert trace.status_code == 200, trace.text
        assert len(trace.json()["events"]) == 5
        assert BOOKMARK_HEADER not in trace.headers  # a read leaves no bookmark of its own

        malformed = client.get(f"/v1/batteries/{code}", headers={BOOKMARK_HEADER: "not a bookmark!"})
        assert malformed.status_code == 422
        assert malformed.json()["errors"][0]["field"] == BOOKMARK_HEADER
        unknown = client.get(f"/v1/batteries/{code}", headers={BOOKMARK_HEADER: "FB:bm90LWEtYm9va21hcms="})
        assert unknown.status_code == 422, unknown.text
        assert unknown.json()["errors"][0]["field"] == BOOKMARK_HEADER


def test_a_write_scope_collects_bookmarks_that_later_sessions_start_after(settings: Settings, db: Database) -> None:
    routed = Database(_routing(settings))
    try:
        with causal_scope() as scope:
            assert scope.bookmarks() is None
            routed.write("admin.stamp_fresh_store", revision=PROJECTION_REVISION)  # as every start-up does
            first = list(scope.written)
            assert first and scope.bookmarks() is not None
        with causal_scope(first) as later:
            assert routed.read("health.ping") and later.written == []
    finally:
        routed.close()


def _call(port: int, method: str, path: str, headers: dict[str, str], body: Any = None) -> tuple[int, Any, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)  # a new connection: any worker
    try:
        data = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, body=data, headers={"Content-Type": "application/json", **headers})
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"null"), response.getheader(BOOKMARK_HEADER) or ""
    finally:
        conn.close()


def test_several_workers_read_back_what_another_captured(db: Database, settings: Settings, tmp_path: Any) -> None:
    """Two uvicorn workers on a routing URI: each capture is read back, with its bookmark, on fresh
    connections that the kernel spreads over the workers."""
    seed_registry(db, vehicles=6)
    key = issue_key(db, "admin", "workers").key
    env = {
        "NEO4J_URI": _routing(settings).neo4j_uri,
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.password(),
        "AUDIT_DIR": str(tmp_path / "audit"),
        "LOG_KEY_FILE": str(tmp_path / "log-signing.key"),
    }
    ev = Events("wk")
    with api_process(env, workers=2) as api:
        for n in range(1, 7):
            code = pack(n)
            status, body, bookmark = _call(
                api.port, "POST", "/v1/events", {"X-API-Key": key}, {"events": first_life(ev, code, vin(n))}
            )
            assert status == 200 and body["accepted"] == 5, body
            assert bookmark
            for _ in range(3):
                status, trace, _ = _call(
                    api.port, "GET", f"/v1/batteries/{code}/trace", {"X-API-Key": key, BOOKMARK_HEADER: bookmark}
                )
                assert status == 200, trace
                assert len(trace["events"]) == 5
