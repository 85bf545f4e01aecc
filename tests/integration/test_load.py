"""A short bounded load run against a real API process: no errors, memory flat.

The long version runs in ``make bench`` (bench/run.py); this one keeps ``make test`` honest.
"""

from __future__ import annotations

from pathlib import Path

from app.config import Settings
from app.db import Database
from app.security import issue_key
from bench.load import run_load
from bench.server import api_process
from loaders.files import load_directory
from loaders.synth import generate_world


def test_mixed_load_has_no_errors_and_flat_memory(db: Database, settings: Settings, tmp_path: Path) -> None:
    generate_world(tmp_path, batteries=200, seed=11)
    load_directory(db, tmp_path, progress=False)
    codes = [
        r["code"]
        for r in db.read(
            "trace.list_batteries",
            after="",
            maker=None,
            level="pack",
            status=None,
            chemistry=None,
            provinces=None,
            limit=200,
        )
    ]
    reporter = db.read("registry.list_companies", after="", limit=1, role=None, province=None)[0]["uscc"]
    key = issue_key(db, "admin", "load").key
    env = {"NEO4J_URI": settings.neo4j_uri, "NEO4J_USER": settings.neo4j_user, "NEO4J_PASSWORD": settings.password()}
    with api_process(env) as api:
        run_load(api.port, api.pid, key, codes, reporter, duration_s=3, clients=3)  # warm-up
        result = run_load(api.port, api.pid, key, codes, reporter, duration_s=8, clients=4)
    summary = result.summary()
    print(summary)
    assert result.reads > 0 and result.writes > 0
    assert result.errors == 0, summary["load.statuses"]
    assert result.rss_after_mb - result.rss_before_mb < 40, summary  # flat, allowing allocator noise
