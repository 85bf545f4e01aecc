"""The kept custody flows answer exactly what aggregating every stay answers: after a refresh,
with events logged since (read caught up by company), after a correction, and after a reprojection.

A world goes in in two parts through the real ingest path, so the second part's events land
after the cursor; every comparison is against ``custody_flows.cypher`` run on the same store.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.db import Database
from app.repositories import analytics as queries
from app.repositories import kept_flows as repo
from app.schemas.analytics import Filters
from app.services import analytics, kept_flows
from app.services.reproject import reproject_all
from loaders.files import load_directory
from loaders.synth import generate_world

BATTERIES = 1200
SEED = 11

Flow = tuple[str, str | None, str, int, int, int, float]


def _flows(rows: Any) -> list[Flow]:
    flows = [
        (r.source, r.target, r.outcome, r.batteries, r.distinct_batteries, r.unconfirmed, round(r.kg, 6)) for r in rows
    ]
    return sorted(flows, key=lambda f: (f[0], f[1] or "", f[2]))


def _scan(db: Database, province: str | None = None) -> list[Flow]:
    params: dict[str, Any] = {"since": None, "until": None, "province": province, "chemistry": None}
    return db.read_unit("t", lambda tx: _flows(queries.custody_flows(tx, **params)))


def _kept(db: Database, province: str | None = None) -> list[Flow] | None:
    def work(tx: Any) -> list[Flow] | None:
        rows = kept_flows.rows(tx, province, None)
        return None if rows is None else _flows(rows)

    return db.read_unit("t", work)


def _split_world(tmp_path: Path) -> tuple[Path, Path]:
    """The world's registry in both parts, its events 70 / 30 in recording order."""
    world = tmp_path / "world"
    generate_world(world, BATTERIES, SEED)
    lines = (world / "events.jsonl").read_text().splitlines()
    cut = int(len(lines) * 0.7)
    parts = []
    for name, chunk in (("first", lines[:cut]), ("second", lines[cut:])):
        part = tmp_path / name
        part.mkdir()
        for registry in ("companies.jsonl", "stations.jsonl", "vehicles.jsonl", "manifest.json"):
            (part / registry).write_text((world / registry).read_text())
        (part / "events.jsonl").write_text("\n".join(chunk) + "\n")
        parts.append(part)
    return parts[0], parts[1]


@pytest.fixture
def split_world(tmp_path: Path) -> tuple[Path, Path]:
    return _split_world(tmp_path)


def test_kept_flows_equal_the_full_aggregation_as_events_arrive(db: Database, split_world: tuple[Path, Path]) -> None:
    first, second = split_world
    load_directory(db, first, progress=False)
    assert _kept(db) is None, "never refreshed: the read takes the full scan"
    whole = kept_flows.refresh(db)
    assert whole.full and whole.rows > 50
    assert _kept(db) == _scan(db)

    load_directory(db, second, progress=False)
    state = repo.state(db)
    assert state.behind is not None and state.behind > 0
    assert _kept(db) == _scan(db), "dirty companies aggregated afresh in the read"

    step = kept_flows.refresh(db)
    assert not step.full and step.companies > 0
    assert repo.state(db).behind == 0
    assert _kept(db) == _scan(db)
    assert kept_flows.refresh_if_behind(db) is None, "nothing logged since: no refresh"

    holders = [f[0] for f in _scan(db)]
    provinces = sorted({r["province"] for r in db.read("analytics.companies", usccs=holders, as_of=None)} - {None})
    assert provinces
    for province in provinces[:3]:
        assert _kept(db, province) == _scan(db, province), province


def test_the_custody_graph_reads_the_kept_flows_and_a_window_still_scans(db: Database, tmp_path: Path) -> None:
    world = tmp_path / "w"
    generate_world(world, 600, SEED)
    load_directory(db, world, progress=False)
    before = analytics.custody_graph(db)
    kept_flows.refresh(db)
    # Make the kept rows visibly wrong: a graph that still matched would not be reading them.
    db.write_unit("t", lambda tx: tx.run("MATCH (f:CustodyFlow) SET f.batteries = f.batteries + 1000").consume())
    after = analytics.custody_graph(db)
    assert after.number_of_edges() == before.number_of_edges()
    assert all(d["batteries"] >= 1000 for _, _, d in after.edges(data=True) if d["batteries"])
    windowed = analytics.project_custody(db, Filters(until="2100-01-01T00:00:00+08:00"))
    assert {(u, v): d["batteries"] for u, v, d in windowed.edges(data=True)} == {
        (u, v): d["batteries"] for u, v, d in before.edges(data=True)
    }


def test_a_correction_moves_the_flows_it_undoes(
    db: Database, tmp_path: Path, as_company: Callable[[str], Callable[..., Any]]
) -> None:
    world = tmp_path / "w"
    generate_world(world, 600, SEED)
    load_directory(db, world, progress=False)
    kept_flows.refresh(db)
    events = [json.loads(line) for line in (world / "events.jsonl").read_text().splitlines()]
    receipts = [e for e in events if e["type"] == "received"]
    assert receipts
    receipt = receipts[len(receipts) // 2]
    before = _scan(db)
    answer = as_company(receipt["reporter"])(
        {
            "event_id": "KF-2026-0001",
            "type": "correction",
            "occurred_at": (datetime.fromisoformat(receipt["occurred_at"]) + timedelta(hours=1)).isoformat(),
            "reporter": receipt["reporter"],
            "corrects": receipt["event_id"],
            "reason": "did_not_occur",
        }
    )
    assert answer.status_code in (200, 201), answer.text
    assert _scan(db) != before, "the voided receipt changed someone's flows"
    assert _kept(db) == _scan(db)
    kept_flows.refresh(db)
    assert _kept(db) == _scan(db)


def test_a_reprojection_forgets_the_kept_flows(db: Database, tmp_path: Path) -> None:
    world = tmp_path / "w"
    generate_world(world, 300, SEED)
    load_directory(db, world, progress=False)
    kept_flows.refresh(db)
    reproject_all(db)
    assert repo.state(db).upto is None
    assert _kept(db) is None
    assert kept_flows.refresh(db).full
    assert _kept(db) == _scan(db)


def test_the_flows_keeper_catches_up_by_itself(db: Database, tmp_path: Path) -> None:
    world = tmp_path / "w"
    generate_world(world, 300, SEED)
    load_directory(db, world, progress=False)
    keeper = kept_flows.FlowKeeper(db, 0.2)
    try:
        deadline = time.monotonic() + 60
        while repo.state(db).behind != 0 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        keeper.close()
    assert repo.state(db).behind == 0
    assert _kept(db) == _scan(db)
