"""Fade over life for analysts: health readings by age band per chemistry, maker or use, aggregated
in the database; corrected readings left out; narrowed like the other networks; on a real Neo4j."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.analytics.fade import AGE_BANDS
from app.db import Database
from app.security import issue_key
from tests.factories import AUTOMAKER, MAKER, Events, day, first_life, pack, seed_registry, vin


@pytest.fixture
def readings(client: TestClient, db: Database) -> None:
    """pack(1) (LFP, in vin(1)) read at 0.8 and 3 years, the second by the automaker (Shanghai);
    pack(2) (LFP, never installed) at 0.8 years plus a reading voided by its reporter; pack(3)
    (ternary, never installed) at 3 years. Every pack was made on 2023-05-17 (its code says so)."""
    seed_registry(db)
    ev = Events("fade")
    events = [
        *first_life(ev, pack(1), vin(1)),
        ev.produced(pack(2), day(0)),
        ev.produced(pack(3, chemistry="E"), day(0), chemistry="NCM"),
        ev.health(pack(1), day(10), MAKER, soh_pct=99.0),
        ev.health(pack(1), day(800), AUTOMAKER, soh_pct=95.0),
        ev.health(pack(2), day(20), MAKER, soh_pct=97.0),
        ev.health(pack(3, chemistry="E"), day(800), MAKER, soh_pct=90.0),
    ]
    voided = ev.health(pack(2), day(30), MAKER, soh_pct=50.0)
    events += [voided, ev.correction(voided["event_id"], day(31), MAKER)]
    res = client.post("/v1/events", json={"events": events})
    assert res.status_code == 200, res.text


def _cells(res: Any) -> list[tuple[str, str, int, int, float, float, float]]:
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["bands"] == ["0-2", "2-4", "4-6", "6-8", "8-10", "10+"]
    assert body["readings"] == sum(c["readings"] for c in body["cells"])
    return [
        (c["group"], c["band"], c["readings"], c["batteries"], c["mean_soh_pct"], c["min_soh_pct"], c["max_soh_pct"])
        for c in body["cells"]
    ]


def test_the_bands_the_query_counts_are_the_bands_the_picture_draws() -> None:
    """The query bands by floor(age / 2), the last from 10 years: AGE_BANDS must stay that."""
    assert [lo for lo, _ in AGE_BANDS] == [0, 2, 4, 6, 8, 10] and AGE_BANDS[-1][1] >= 99


@pytest.mark.usefixtures("readings")
def test_fade_by_chemistry_maker_and_use(client: TestClient) -> None:
    assert _cells(client.get("/v1/analytics/health/fade")) == [
        ("LFP", "0-2", 2, 2, 98.0, 97.0, 99.0),
        ("LFP", "2-4", 1, 1, 95.0, 95.0, 95.0),
        ("ternary", "2-4", 1, 1, 90.0, 90.0, 90.0),
    ]  # the voided 50 % reading is in none of them
    by_maker = client.get("/v1/analytics/health/fade", params={"by": "maker"})
    assert _cells(by_maker) == [("CAT", "0-2", 2, 2, 98.0, 97.0, 99.0), ("CAT", "2-4", 2, 2, 92.5, 90.0, 95.0)]
    assert {c["group_name"] for c in by_maker.json()["cells"]} == {"Cathay Cells"}
    assert _cells(client.get("/v1/analytics/health/fade", params={"by": "use"})) == [
        ("not_installed", "0-2", 1, 1, 97.0, 97.0, 97.0),
        ("not_installed", "2-4", 1, 1, 90.0, 90.0, 90.0),
        ("vehicle", "0-2", 1, 1, 99.0, 99.0, 99.0),
        ("vehicle", "2-4", 1, 1, 95.0, 95.0, 95.0),
    ]


@pytest.mark.usefixtures("readings")
def test_filters_chemistry_period_and_the_measurers_province(client: TestClient) -> None:
    url = "/v1/analytics/health/fade"
    assert _cells(client.get(url, params={"chemistry": "ternary"})) == [("ternary", "2-4", 1, 1, 90.0, 90.0, 90.0)]
    assert _cells(client.get(url, params={"province": "310000"})) == [("LFP", "2-4", 1, 1, 95.0, 95.0, 95.0)]
    since = day(100).isoformat()
    later = _cells(client.get(url, params={"since": since}))
    assert [c[:3] for c in later] == [("LFP", "2-4", 1), ("ternary", "2-4", 1)]
    bad = client.get(url, params={"by": "colour"})
    assert bad.status_code == 422 and "by" in bad.text


@pytest.mark.usefixtures("readings")
def test_who_may_read_fade(app_client: TestClient, db: Database, key_for: Callable[..., str]) -> None:
    url = "/v1/analytics/health/fade"
    app_client.headers.pop("X-API-Key", None)  # the world was posted with the admin key

    def get(key: str | None, **params: str) -> Any:
        return app_client.get(url, params=params, headers={"X-API-Key": key} if key else {})

    assert get(None).status_code == 401
    assert get(key_for("reporter", MAKER)).status_code == 403  # every maker's packs, not only its own
    assert len(_cells(get(key_for("analyst")))) == 3  # aggregates only: no code, no VIN in the answer
    assert "CATPB" not in get(key_for("analyst")).text
    limited = issue_key(db, "regulator", "Shanghai only", provinces=["310000"]).key
    assert _cells(get(limited)) == [("LFP", "2-4", 1, 1, 95.0, 95.0, 95.0)]
    assert get(limited, province="320000").status_code == 403
