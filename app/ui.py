"""The web UI (built from ui/ by `make ui`) served at /ui by the same process as the API.

The UI speaks only to the public /v1 endpoints with the user's own key, so serving it here adds
no new access path; when the build is absent (no `make ui` yet) the API runs without it.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

UI_DIR = Path(__file__).resolve().parent / "static" / "ui"


def mount_ui(app: FastAPI, directory: Path = UI_DIR) -> bool:
    """Serve the built UI at /ui/ and send / there; False (nothing mounted) without a build."""
    if not (directory / "index.html").is_file():
        return False
    app.mount("/ui", StaticFiles(directory=directory, html=True), name="ui")

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/ui/")

    return True
