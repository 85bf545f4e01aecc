"""Browser tests: Debian's headless Chromium, driven by Playwright, against the real API process.

The API runs as `make api` runs it (uvicorn in a subprocess, the built UI mounted at /ui) on a
free port, pointed at the suite's Neo4j (tests/conftest.py) loaded with a small synthetic world.
Missing prerequisites fail loudly: these tests are part of `make test`, which installs them.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from app.config import Settings
from app.db import Database
from app.security import ROLES, issue_key
from app.services.store import clear_store
from app.ui import UI_DIR
from loaders.files import load_directory
from loaders.synth import generate_world

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = Path(os.environ.get("BT_CHROMIUM", "/usr/bin/chromium"))
# As polyglot.md says for this machine: without the background-networking flags Chromium keeps
# dialling Google's hosts, which the closed network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class World:
    """Batteries of the loaded world picked for what each test wants to see."""

    swap_battery: str
    corrected_battery: str
    corrected_event: str
    repaired_battery: str
    pack_with_modules: str
    vin: str
    events: dict[str, int]


@dataclass(frozen=True)
class Server:
    url: str
    log: Path

    key: str = ""

    def get(self, path: str) -> Any:
        request = urllib.request.Request(self.url + path, headers={"X-API-Key": self.key} if self.key else {})
        with urllib.request.urlopen(request, timeout=30) as resp:
            return json.load(resp)

    def has_path(self, prefix: str) -> bool:
        return any(p.startswith(prefix) for p in self.get("/openapi.json")["paths"])


def _pick_world(events_file: Path) -> World:
    """Read the generator's own event file: which packs were swapped, corrected, repaired, built."""
    swaps: Counter[str] = Counter()
    by_id: dict[str, dict[str, Any]] = {}
    corrections: list[dict[str, Any]] = []
    repaired: list[str] = []
    with_modules: list[str] = []
    installs: Counter[str] = Counter()
    types: Counter[str] = Counter()
    with events_file.open() as fh:
        for line in fh:
            e = json.loads(line)
            types[e["type"]] += 1
            by_id[e["event_id"]] = e
            if e["type"] == "swapped":
                swaps[e["battery_in"]] += 1
            elif e["type"] == "correction":
                corrections.append(e)
            elif e["type"] == "repaired":
                repaired.append(e["battery"])
            elif e["type"] == "produced" and e.get("components") and e["battery"][3] == "P":
                with_modules.append(e["battery"])
            elif e["type"] == "installed":
                installs[e["vehicle"]] += 1
    corrected = next(
        (by_id[c["corrects"]] for c in corrections if by_id.get(c["corrects"], {}).get("battery")),
        None,
    )
    assert swaps and corrected and repaired and with_modules and installs, f"world lacks a case: {types}"
    return World(
        swap_battery=swaps.most_common(1)[0][0],
        corrected_battery=corrected["battery"],
        corrected_event=corrected["event_id"],
        repaired_battery=repaired[0],
        pack_with_modules=with_modules[0],
        vin=installs.most_common(1)[0][0],
        events=dict(types),
    )


@pytest.fixture(scope="session")
def ui_build() -> Path:
    index = UI_DIR / "index.html"
    if not index.is_file():
        pytest.fail(f"the UI is not built ({index} missing): run `make ui` (npm ci + vite build in ui/)")
    return UI_DIR


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} missing: run `make e2e-deps` (apt-get install chromium, as root)")
    return CHROMIUM


@pytest.fixture(scope="module")
def world(database: Database, tmp_path_factory: pytest.TempPathFactory) -> World:
    """A 300-pack world in the suite's Neo4j, emptied first like every data test's graph."""
    clear_store(database)
    directory = tmp_path_factory.mktemp("e2e-world")
    generate_world(directory, batteries=300, seed=13)
    load_directory(database, directory, progress=False)
    return _pick_world(directory / "events.jsonl")


@pytest.fixture(scope="module")
def api_keys(database: Database, world: World) -> dict[str, str]:
    """One key per role (issue 6), issued after the world is loaded (clearing the graph drops keys)."""
    return {role: issue_key(database, role, f"e2e {role}", None).key for role in ROLES if role != "reporter"}


def use_key(pg: Page, key: str) -> None:
    """Put a key where the UI's settings box keeps it, before the page's scripts run."""
    pg.context.add_init_script(f"localStorage.setItem('batterytrace.apiKey', {json.dumps(key)})")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(settings: Settings, world: World, api_keys: dict[str, str], ui_build: Path) -> Iterator[Server]:
    """The API as `make api` starts it, in its own process, on a free loopback port."""
    ARTIFACTS.mkdir(exist_ok=True)
    port = _free_port()
    log = ARTIFACTS / "api-server.log"
    env = {
        **os.environ,
        "NEO4J_URI": settings.neo4j_uri,
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.password(),
        "NEO4J_DATABASE": settings.neo4j_database,
    }
    cmd = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--host", "127.0.0.1"]
    with log.open("wb") as out:
        proc = subprocess.Popen([*cmd, "--port", str(port)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the API exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(url + "/readyz", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the API did not become ready in 60 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield Server(url, log, api_keys["admin"])
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright, chromium: Path) -> Iterator[Browser]:
    b = playwright_driver.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
    yield b
    b.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh context per test (its own localStorage); page errors fail the test.

    The browser's language is English unless a test asks for another with
    ``@pytest.mark.parametrize("page", ["zh-CN"], indirect=True)``: the UI picks its language
    from it, so no test depends on the machine's own locale.
    """
    locale = getattr(request, "param", "en-US")
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale=locale)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda err: errors.append(str(err)))
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    pg.screenshot(path=str(ARTIFACTS / f"{name}-final.png"), full_page=True)
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def shot(pg: Page, name: str) -> Path:
    """Save a full-page screenshot under tests/e2e/artifacts/ (git-ignored) and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path
