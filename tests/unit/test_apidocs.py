"""The documentation pages name only the API's own files, and say how to build them when absent."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.apidocs import NEEDED, mount_docs


def _client(directory: Path) -> TestClient:
    app = FastAPI(docs_url=None, redoc_url=None)
    mount_docs(app, directory)
    return TestClient(app)


def test_pages_load_only_local_assets(tmp_path: Path) -> None:
    for name in NEEDED:
        (tmp_path / name).write_text("/* stand-in bundle */")
    client = _client(tmp_path)
    for page in ("/docs", "/redoc"):
        resp = client.get(page)
        assert resp.status_code == 200, page
        sources = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", resp.text) + re.findall(
            r"""url:\\s*['"]([^'"]+)""", resp.text
        )
        assert sources, page
        assert all(s.startswith("/") for s in sources), (page, sources)
        assert "https://" not in resp.text, page
        assert "default-src 'self'" in resp.headers["content-security-policy"]
    assert client.get("/static/apidocs/swagger-ui-bundle.js").text == "/* stand-in bundle */"


def test_without_the_build_the_pages_say_how_to_make_it(tmp_path: Path) -> None:
    client = _client(tmp_path)
    resp = client.get("/docs")
    assert resp.status_code == 503
    assert "make ui" in resp.text
