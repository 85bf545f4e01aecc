"""The recovery report: each recycler's recovered lithium, nickel, cobalt and manganese against the
input's estimated content and the minimum recovery rates, through the API against the real Neo4j."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.db import Database
from tests.factories import MAKER, RECYCLER, Events, day, pack, seed_registry

UNTIL = day(300)


def _recycled(ev: Events, battery: str, chemistry: str, recovered: dict[str, float]) -> list[dict[str, Any]]:
    done = ev.recycled(battery, day(30))
    done["recovered"] = recovered
    return [
        ev.produced(battery, day(0), chemistry=chemistry),
        ev.shipped(battery, RECYCLER, day(10), MAKER),
        ev.received(battery, MAKER, day(12), RECYCLER),
        done,
    ]


def test_a_recycler_under_the_nickel_minimum_is_flagged(client: TestClient, db: Database) -> None:
    seed_registry(db)
    ev = Events()
    # 420 kg each. LFP: 1.0 % lithium, 4.2 kg; NCM: 1.6 % Li 6.72 kg, 8 % Ni 33.6, 2.7 % Co 11.34, 2.5 % Mn 10.5.
    events = _recycled(ev, pack(1), "LFP", {"li": 3.9})
    events += _recycled(ev, pack(2, chemistry="E"), "ternary", {"li": 6.2, "ni": 32.0, "co": 11.2, "mn": 10.4})
    res = client.post("/v1/events", json={"events": events})
    assert res.status_code == 200, res.text

    res = client.get("/v1/leakage/recovery", params={"as_of": UNTIL.isoformat()})
    assert res.status_code == 200, res.text
    report = res.json()
    assert report["minimum"] == {"li": 0.9, "ni": 0.98, "co": 0.98, "mn": 0.98}
    [recycler] = report["recyclers"]
    assert (recycler["company"], recycler["packs"], recycler["input_kg"]) == (RECYCLER, 2, 840.0)
    got = {e["element"]: e for e in recycler["elements"]}
    assert got["li"]["content_kg"] == pytest.approx(4.2 + 6.72)
    assert got["li"]["rate"] == pytest.approx(10.1 / 10.92, abs=1e-4)
    assert not got["li"]["below"]
    assert got["ni"]["rate"] == pytest.approx(32.0 / 33.6, abs=1e-4)
    assert got["ni"]["below"] and not got["co"]["below"] and not got["mn"]["below"]
    assert recycler["below"]

    # The summary names it, computed now and from the stored findings alike.
    computed = client.get("/v1/leakage/summary", params={"as_of": UNTIL.isoformat()}).json()
    assert client.post("/v1/findings/sweep", params={"as_of": UNTIL.isoformat()}).status_code == 200
    stored = client.get("/v1/leakage/summary").json()
    assert (computed["recovery_below"], stored["recovery_below"], stored["source"]) == (
        [RECYCLER],
        [RECYCLER],
        "stored",
    )

    # Outside the period: nothing; as CSV: one row per element.
    early = client.get("/v1/leakage/recovery", params={"as_of": UNTIL.isoformat(), "days": 10}).json()
    assert early["recyclers"] == []
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/v1/leakage/recovery", params={"as_of": UNTIL.isoformat(), "format": "csv"}).text)
        )
    )
    assert [(r["element"], r["below"]) for r in rows] == [
        ("li", "False"),
        ("ni", "True"),
        ("co", "False"),
        ("mn", "False"),
    ]


def test_a_compliant_recycler_is_not_flagged_and_a_correction_takes_an_input_out(
    client: TestClient, db: Database
) -> None:
    seed_registry(db)
    ev = Events()
    good = _recycled(ev, pack(1), "LFP", {"li": 3.95})
    bad = _recycled(ev, pack(2), "LFP", {"li": 1.0})
    assert client.post("/v1/events", json={"events": good + bad}).status_code == 200
    [before] = client.get("/v1/leakage/recovery", params={"as_of": UNTIL.isoformat()}).json()["recyclers"]
    assert before["below"] and before["packs"] == 2
    assert (
        client.post("/v1/events", json={"events": [ev.correction(bad[-1]["event_id"], day(40), RECYCLER)]}).status_code
        == 200
    )
    [after] = client.get("/v1/leakage/recovery", params={"as_of": UNTIL.isoformat()}).json()["recyclers"]
    assert (after["packs"], after["below"]) == (1, False)
    li = after["elements"][0]
    assert li["rate"] == pytest.approx(3.95 / 4.2, abs=1e-4)
    assert [e["rate"] for e in after["elements"][1:]] == [None, None, None]  # LFP holds no Ni, Co or Mn
