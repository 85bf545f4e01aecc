"""The local server's settings are read once and agree everywhere: NEO4J_PORT and NEO4J_HOME_DIR
from the environment, else ``.env``, give the launcher its port and home and the API its URI and
password file; an explicit NEO4J_URI or NEO4J_PASSWORD_FILE wins for a server elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import Settings
from neo4j_runtime import launcher

NAMES = ("NEO4J_URI", "NEO4J_PORT", "NEO4J_HOME_DIR", "NEO4J_PASSWORD_FILE", "NEO4J_HEAP")


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory (so no developer's .env) and none of the settings in the environment."""
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_uri_follows_neo4j_port(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().neo4j_uri == "bolt://127.0.0.1:7687"
    monkeypatch.setenv("NEO4J_PORT", "7720")
    assert Settings().neo4j_uri == "bolt://127.0.0.1:7720"
    monkeypatch.setenv("NEO4J_URI", "bolt://db.example:7687")
    assert Settings().neo4j_uri == "bolt://db.example:7687"
    assert Settings(neo4j_uri="bolt://127.0.0.1:7697").neo4j_uri == "bolt://127.0.0.1:7697"


def test_the_password_file_follows_the_home(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_HOME_DIR", "var/neo4j-demo")
    assert Settings().neo4j_password_file == Path("var/neo4j-demo/password")
    monkeypatch.setenv("NEO4J_PASSWORD_FILE", "/run/secrets/neo4j")
    assert Settings().neo4j_password_file == Path("/run/secrets/neo4j")


def test_launcher_and_api_read_dotenv_alike(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (workdir / ".env").write_text('NEO4J_PORT=7720\nNEO4J_HEAP="1g"  # small machine\n# NEO4J_HOME_DIR=elsewhere\n')
    assert launcher.setting("NEO4J_PORT", "7687") == "7720"
    assert launcher.setting("NEO4J_HEAP", "4g") == "1g"
    assert launcher.setting("NEO4J_HOME_DIR", "var/neo4j") == "var/neo4j"
    assert Settings().neo4j_uri == "bolt://127.0.0.1:7720"
    monkeypatch.setenv("NEO4J_PORT", "7730")  # the environment wins over .env, for both
    assert launcher.setting("NEO4J_PORT", "7687") == "7730"
    assert Settings().neo4j_uri == "bolt://127.0.0.1:7730"


def test_a_loopback_uri_on_another_port_is_named() -> None:
    assert launcher.uri_port_mismatch(7720, None) is None
    assert launcher.uri_port_mismatch(7720, "bolt://127.0.0.1:7720") is None
    assert launcher.uri_port_mismatch(7720, "neo4j://db.example:7687") is None
    mismatch = launcher.uri_port_mismatch(7720, "bolt://localhost")
    assert mismatch is not None and "names port 7687" in mismatch
