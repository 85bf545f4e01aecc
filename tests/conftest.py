"""One real Neo4j server for the whole suite; every data test starts from an empty graph.

Where the server comes from, in order: ``NEO4J_URI`` (with ``NEO4J_USER``/``NEO4J_PASSWORD``)
when set; a testcontainers Neo4j when a Docker engine answers; else the project's own launcher
(Neo4j Community assembled from Maven Central) on a test-only home and port.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from app.config import Settings
from app.db import Database
from app.main import create_app
from app.security import Role, issue_key
from app.services.store import apply_schema, clear_store

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ServerInfo:
    uri: str
    user: str
    password: str
    source: str


def _docker_answers() -> bool:
    """Does a Docker engine answer /_ping? (raw socket: the SDK leaks one when nothing listens)"""
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    try:
        if host.startswith("unix://"):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            address: str | tuple[str, int] = host.removeprefix("unix://")
        elif host.startswith("tcp://"):
            name, _, port = host.removeprefix("tcp://").partition(":")
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            address = (name, int(port or 2375))
        else:
            return False
        with sock:
            sock.settimeout(3)
            sock.connect(address)
            sock.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
            head = sock.recv(64)
            return head.startswith(b"HTTP/1.") and b" 200 " in head
    except OSError:
        return False


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[ServerInfo]:
    if os.environ.get("NEO4J_URI"):
        yield ServerInfo(
            os.environ["NEO4J_URI"],
            os.environ.get("NEO4J_USER", "neo4j"),
            os.environ.get("NEO4J_PASSWORD", ""),
            "NEO4J_URI",
        )
        return
    if _docker_answers():
        from testcontainers.neo4j import Neo4jContainer

        with Neo4jContainer("neo4j:5.26-community", password="batterytrace-test") as container:
            yield ServerInfo(container.get_connection_url(), "neo4j", "batterytrace-test", "docker")
        return
    from neo4j_runtime import launcher

    home = Path(os.environ.get("BT_TEST_NEO4J_HOME", ROOT / "var" / "neo4j-test"))
    port = int(os.environ.get("BT_TEST_NEO4J_PORT", "7697"))
    instance = launcher.start(home=home, port=port, heap="2g", pagecache="1g")
    yield ServerInfo(instance.uri, instance.user, instance.password, "launcher")
    # Leave alone a server this session did not start (another run may be using it).
    if instance.started and not os.environ.get("BT_KEEP_NEO4J"):
        launcher.stop(home)


@pytest.fixture(scope="session")
def settings(neo4j_server: ServerInfo, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    state = tmp_path_factory.mktemp("state")  # the audit trail's files and the log key, not the project's var/
    return Settings(
        neo4j_uri=neo4j_server.uri,
        neo4j_user=neo4j_server.user,
        neo4j_password=SecretStr(neo4j_server.password),
        neo4j_database=os.environ.get("NEO4J_DATABASE", "neo4j"),
        audit_dir=state / "audit",
        log_key_file=state / "log-signing.key",
        findings_sweep_s=0,  # tests sweep when they mean to (the keeper is tested on its own)
        flows_refresh_s=0,  # and refresh the kept custody flows when they mean to
    )


@pytest.fixture(scope="session")
def database(settings: Settings) -> Iterator[Database]:
    db = Database(settings)
    apply_schema(db)
    yield db
    db.close()


@pytest.fixture
def db(database: Database) -> Database:
    """The shared database, emptied before the test (cheap: no restart, schema kept)."""
    clear_store(database)
    return database


@pytest.fixture
def app_client(db: Database, settings: Settings) -> Iterator[TestClient]:
    """The app with no key: for tests of authentication itself."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def client(app_client: TestClient, db: Database) -> TestClient:
    """The app with an admin key, for tests of everything else."""
    app_client.headers["X-API-Key"] = issue_key(db, "admin", "test admin").key
    return app_client


@pytest.fixture
def key_for(db: Database) -> Callable[..., str]:
    """Issue a key of a role (reporter keys need a company)."""

    def issue(role: Role, company: str | None = None) -> str:
        return issue_key(db, role, f"test {role}", company).key

    return issue


@pytest.fixture
def as_company(app_client: TestClient, key_for: Callable[..., str]) -> Callable[[str], Callable[..., Any]]:
    """POST /v1/events with a reporter key of the given company: ``as_company(USCC)(*events)``."""

    def for_company(uscc: str) -> Callable[..., Any]:
        key = key_for("reporter", uscc)

        def post(*events: dict[str, Any]) -> Any:
            return app_client.post("/v1/events", headers={"X-API-Key": key}, json={"events": list(events)})

        return post

    return for_company
