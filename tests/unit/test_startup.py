"""A malformed query file stops start-up with the file and the reason; it is not an outage."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from app import main
from app.config import Settings
from app.queries import QueryFileError, load_queries


def test_a_malformed_query_file_stops_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "trace").mkdir()
    (tmp_path / "trace" / "broken.cypher").write_text(
        "// A query whose header forgot a parameter.\n// mode: read\n// params: none\n// returns: x\nRETURN $x AS x\n"
    )
    monkeypatch.setattr(main, "registry", lambda: load_queries(tmp_path))
    app = main.create_app(Settings(neo4j_uri="bolt://127.0.0.1:9", neo4j_password=SecretStr("unused")))
    with (
        pytest.raises(QueryFileError, match=r"trace\.broken: parameters used but not declared: \['x'\]"),
        TestClient(app),
    ):
        pass
