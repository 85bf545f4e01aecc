"""The launcher sets any password on a fresh home: one that starts with ``-`` (which neo4j-admin
once read as an option, for 1 generated password in 64) or with ``@`` (which picocli reads as a
file to expand). Each case starts its own server on a fresh home and connects with the password."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError

from neo4j_runtime import launcher

PORT = int(os.environ.get("BT_LAUNCHER_NEO4J_PORT", "7733"))


@pytest.fixture
def fresh_home(tmp_path: Path) -> Iterator[Path]:
    home = tmp_path / "neo4j"
    yield home
    launcher.stop(home)


def test_generated_passwords_never_start_like_an_option() -> None:
    firsts = {launcher.new_password()[0] for _ in range(2000)}
    assert firsts and all(c.isascii() and c.isalpha() for c in firsts)


@pytest.mark.parametrize("start", ["-", "@"])
def test_a_fresh_home_takes_a_password_that_looks_like_an_option(fresh_home: Path, tmp_path: Path, start: str) -> None:
    if start == "-":
        password = "-Xfirst-a-dash_then-more"
    else:  # a file that exists: picocli would put its content in the password's place
        argfile = tmp_path / "argfile"
        argfile.write_text("expanded-instead\n")
        password = f"@{argfile}"
    instance = launcher.start(fresh_home, PORT, heap="512m", pagecache="128m", initial_password=password)
    assert instance.password == password == launcher.password_of(fresh_home)
    with GraphDatabase.driver(instance.uri, auth=("neo4j", password)) as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS one", database_="neo4j")
        assert records[0]["one"] == 1
    with (
        GraphDatabase.driver(instance.uri, auth=("neo4j", password + "x")) as driver,
        pytest.raises(AuthError, match="authentication failure"),
    ):
        driver.verify_connectivity()


def test_a_password_the_file_would_change_is_refused(tmp_path: Path) -> None:
    with pytest.raises(launcher.LauncherError, match="would not survive the password file"):
        launcher.set_initial_password(tmp_path, " padded password ")
