"""A store built by an older projection is refused by the rules that need the new derived state,
and ``reproject`` rebuilds it to exactly what ingestion would have written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.db import Database
from app.errors import StoreOutdated
from app.lifecycle import PROJECTION_REVISION
from app.schemas.leakage import Finding
from app.services import analytics, leakage
from app.services.reproject import reproject_all
from app.services.store import store_revision
from loaders.files import load_directory
from loaders.synth import generate_world

REBUILT = ("unexplained_source", "double_presence", "lost_in_transit")


def _findings(db: Database, as_of: str) -> dict[str, list[Finding]]:
    calendar = leakage.calendar_for(db.settings)
    return {rule: list(leakage.iter_findings(db, rule, {"as_of": as_of}, calendar)) for rule in REBUILT}


def _age_the_store(db: Database) -> None:
    """What a store loaded before revision 2 looks like: no stamp, no leakage candidates."""
    with db.driver.session(database=db.name) as session:
        session.run("MATCH (m:StoreRevision) DELETE m").consume()
        session.run(
            "MATCH (b:Battery) REMOVE b.suspect_receipts, b.suspect_closings, b.longest_transit_days, "
            "b.produced_repeatedly"
        ).consume()


def test_an_older_store_is_refused_until_reprojected(db: Database, tmp_path: Path) -> None:
    rates = {"unexplained_source": 0.2, "double_presence": 0.05, "lost_in_transit": 0.1}
    manifest = generate_world(tmp_path, 600, 5, leakage_rates=rates, plant_broker=False, plant_ring=False)
    load_directory(db, tmp_path, progress=False)
    as_of = f"{manifest['as_of']}T00:00:00+08:00"
    assert store_revision(db) == PROJECTION_REVISION
    before = _findings(db, as_of)
    assert all(before[rule] for rule in REBUILT), "the world has cases of both rules"

    _age_the_store(db)
    assert store_revision(db) is None
    for rule in REBUILT:
        with pytest.raises(StoreOutdated, match="reproject"):
            leakage.find(db, rule, {"as_of": as_of}, leakage.calendar_for(db.settings))
    # Rules that read only events and relationships still answer.
    assert leakage.find(db, "unlisted_handover", {"as_of": as_of}, leakage.calendar_for(db.settings)).rule

    batteries = reproject_all(db, batch_size=97)
    assert batteries == db.read("leakage.stats.battery_count")[0]["batteries"]
    assert store_revision(db) == PROJECTION_REVISION
    assert _findings(db, as_of) == before


def test_an_emptied_store_stays_current(db: Database) -> None:
    assert store_revision(db) == PROJECTION_REVISION


def test_a_revision_3_store_has_no_networks_until_reprojected(db: Database, tmp_path: Path) -> None:
    """Revision 4 stores how each custody stay ended and where each swap came from; a store built
    before has neither, so the networks refuse it rather than draw a graph without hand-overs."""
    generate_world(tmp_path, 400, 9, swap_vehicle_share=0.3, batteries_per_station=100)
    load_directory(db, tmp_path, progress=False)

    def networks() -> tuple[list[Any], list[Any]]:
        return (
            sorted(analytics.custody_graph(db).edges(data=True)),
            sorted(analytics.swap_graph(db).edges(data=True)),
        )

    before = networks()
    assert before[0] and before[1], "the world has hand-overs and moves between stations"
    with db.driver.session(database=db.name) as session:
        session.run("MATCH ()-[h:HELD_BY]->() REMOVE h.outcome, h.next, h.unconfirmed").consume()
        session.run("MATCH ()-[s:SWAPPED_AT]->() REMOVE s.came_from, s.came_as").consume()
    db.write("admin.stamp_store_revision", revision=3)
    for project in (analytics.custody_graph, analytics.swap_graph):
        with pytest.raises(StoreOutdated, match=r"revision 4.*revision 3"):
            project(db)
    reproject_all(db, batch_size=150)
    assert networks() == before
