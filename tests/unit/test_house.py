"""The house rules a reader relies on: a file under app/ does one job (500 lines at most), and
only repositories run queries.

(The import layers are held by the contracts in pyproject.toml, which ``make lint`` checks.)"""

from __future__ import annotations

import re
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
LIMIT = 500


def test_no_python_file_under_app_is_longer_than_the_limit() -> None:
    sizes = {str(p.relative_to(APP)): len(p.read_text(encoding="utf-8").splitlines()) for p in APP.rglob("*.py")}
    assert sizes, "app/ has Python files"
    assert {name: n for name, n in sizes.items() if n > LIMIT} == {}


def test_only_repositories_run_queries() -> None:
    """Services, the security package, routes and the CLI reach Cypher through a repository function."""
    pattern = re.compile(r"\bdb\.(read|write|stream|autocommit)\(|\brun\(tx,|\bstream_in\(tx,|\.session\(")
    offenders = [
        f"{p.relative_to(APP)}:{n}"
        for p in APP.rglob("*.py")
        if p.parts[len(APP.parts)] not in ("repositories",) and p.name != "db.py"
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
