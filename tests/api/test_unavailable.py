"""Neo4j unreachable: 503 with Retry-After, never a 500 (a real closed port, no stand-in)."""

from __future__ import annotations

import socket

from fastapi.testclient import TestClient
from pydantic import SecretStr

from app.config import Settings
from app.main import create_app
from tests.factories import pack


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_database_answers_503_with_retry_after() -> None:
    settings = Settings(
        neo4j_uri=f"bolt://127.0.0.1:{_closed_port()}",
        neo4j_password=SecretStr("irrelevant"),
        neo4j_connect_timeout_s=0.5,
        neo4j_retry_time_s=0.5,
        retry_after_s=7,
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        # A well-formed key: checking it needs the database, so the answer is 503, not 401.
        client.headers["X-API-Key"] = "bt_0123456789ab_secret"
        assert client.get("/healthz").status_code == 200
        for path in ("/readyz", f"/v1/batteries/{pack(1)}", f"/v1/batteries/{pack(1)}/trace", "/v1/batteries"):
            res = client.get(path)
            assert res.status_code == 503, (path, res.status_code, res.text)
            assert res.headers["Retry-After"] == "7"
        res = client.post(
            "/v1/events",
            json={
                "events": [
                    {
                        "event_id": "e1",
                        "type": "repaired",
                        "occurred_at": "2024-01-01T00:00:00+08:00",
                        "reporter": "91350100M000100Y43",
                        "battery": pack(1),
                    }
                ]
            },
        )
        assert res.status_code == 503
