"""health_measured through the API: accepted from a company the record links to the battery,
refused (422) when implausible, refused (403) from any other company, warned when it contradicts
the record (docs/claims.md); the readings in the trace, on a real Neo4j."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.db import Database
from app.errors import ClaimRefused
from app.services.ingest import ingest_raw
from tests.factories import (
    AUTOMAKER,
    MAKER,
    RECYCLER,
    REPAIRER,
    SECOND_LIFE,
    Events,
    day,
    pack,
    post_first_life,
    trace_of,
    vin,
)

Post = Callable[..., Any]


@pytest.fixture
def world(client: TestClient, db: Database) -> list[dict[str, Any]]:
    """pack(1) (60 kWh rated) produced by MAKER, installed by AUTOMAKER in vin(1)."""
    return post_first_life(client, db)


def test_a_linked_company_reports_health_and_the_trace_shows_it(
    client: TestClient, world: list[dict[str, Any]], as_company: Callable[[str], Post]
) -> None:
    ev = Events("h")
    reading = ev.health(pack(1), day(400), AUTOMAKER, soh_pct=94.5, capacity_kwh=56.7, cycle_count=210,
                        internal_resistance_mohm=85.0)  # fmt: skip
    res = as_company(AUTOMAKER)(reading)
    assert res.status_code == 200, res.text
    assert res.json()["accepted"] == 1 and res.json()["warnings"] == []
    trace = trace_of(client, pack(1))
    assert [
        (h["event_id"], h["soh_pct"], h["capacity_kwh"], h["cycle_count"], h["method"]) for h in trace["health"]
    ] == [(reading["event_id"], 94.5, 56.7, 210, "bms_readout")]
    entry = next(e for e in trace["events"] if e["event_id"] == reading["event_id"])
    assert entry["type"] == "health_measured" and entry["details"]["internal_resistance_mohm"] == 85.0
    # The status and custody are untouched: a measurement is not a hand-over.
    assert trace["status"] == "installed"
    assert [s["kind"] for s in trace["segments"]][-1] == "vehicle"


def test_the_maker_and_a_company_linked_earlier_in_the_batch_may_report(
    client: TestClient, world: list[dict[str, Any]], as_company: Callable[[str], Post]
) -> None:
    ev = Events("m")
    assert as_company(MAKER)(ev.health(pack(2), day(1), MAKER, method="estimate")).status_code == 200
    removal = ev.removed(pack(1), vin(1), day(500), REPAIRER, "repair")
    res = as_company(REPAIRER)(removal, ev.health(pack(1), day(500), REPAIRER, cycle_count=400))
    assert res.status_code == 200, res.text
    assert len(trace_of(client, pack(1))["health"]) == 1


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"soh_pct": 110.5}, "soh_pct", "less than or equal to 110"),
        ({"soh_pct": -1}, "soh_pct", "greater than or equal to 0"),
        ({"capacity_kwh": 0}, "capacity_kwh", "greater than 0"),
        ({"cycle_count": -3}, "cycle_count", "greater than or equal to 0"),
        ({"method": "guess"}, "method", "bms_readout"),
    ],
)
def test_implausible_readings_are_refused_naming_the_field(
    client: TestClient, world: list[dict[str, Any]], change: dict[str, Any], field: str, words: str
) -> None:
    bad = {**Events("bad").health(pack(1), day(400), AUTOMAKER), **change}
    res = client.post("/v1/events", json={"events": [bad]})
    assert res.status_code == 422, res.text
    errors = res.json()["errors"]
    assert [e["field"] for e in errors] == [field], errors
    assert words in errors[0]["reason"]
    assert trace_of(client, pack(1))["health"] == []


def test_an_unlinked_company_is_refused_and_nothing_is_stored(
    client: TestClient, db: Database, world: list[dict[str, Any]], as_company: Callable[[str], Post]
) -> None:
    ev = Events("x")
    res = as_company(RECYCLER)(ev.health(pack(1), day(400), RECYCLER))
    assert res.status_code == 403, res.text
    (error,) = res.json()["errors"]
    assert error["field"] == "reporter" and error["index"] == 0
    assert f"is not linked to battery {pack(1)}" in error["reason"]
    # The admin's key and the bulk loader are held to the same table.
    assert client.post("/v1/events", json={"events": [ev.health(pack(1), day(401), RECYCLER)]}).status_code == 403
    with pytest.raises(ClaimRefused):
        ingest_raw(db, [ev.health(pack(1), day(402), SECOND_LIFE)])
    assert trace_of(client, pack(1))["health"] == []


def test_a_link_through_a_voided_event_does_not_count(
    client: TestClient, world: list[dict[str, Any]], as_company: Callable[[str], Post]
) -> None:
    ev = Events("v")
    removal = ev.removed(pack(1), vin(1), day(300), REPAIRER, "repair")
    repairer = as_company(REPAIRER)
    assert repairer(removal).status_code == 200
    assert repairer(ev.correction(removal["event_id"], day(301), REPAIRER)).status_code == 200
    assert repairer(ev.health(pack(1), day(302), REPAIRER)).status_code == 403


def test_capacity_above_rated_is_stored_with_a_warning(
    client: TestClient, world: list[dict[str, Any]], as_company: Callable[[str], Post]
) -> None:
    ev = Events("cap")
    post = as_company(AUTOMAKER)
    assert post(ev.health(pack(1), day(100), AUTOMAKER, capacity_kwh=65.9)).json()["warnings"] == []  # within 10%
    high = ev.health(pack(1), day(101), AUTOMAKER, capacity_kwh=66.5, cycle_count=301)
    res = post(high)
    assert res.status_code == 200 and res.json()["accepted"] == 1
    (warning,) = res.json()["warnings"]
    assert warning["code"] == "capacity_above_rated" and warning["event_id"] == high["event_id"]
    assert "66.5 kWh against 60 kWh rated" in warning["message"]
    entry = next(e for e in trace_of(client, pack(1))["events"] if e["event_id"] == high["event_id"])
    assert [w["code"] for w in entry["warnings"]] == ["capacity_above_rated"]


def test_a_decreasing_cycle_count_is_stored_with_a_warning(
    client: TestClient, world: list[dict[str, Any]], as_company: Callable[[str], Post]
) -> None:
    ev = Events("cyc")
    post = as_company(AUTOMAKER)
    first = ev.health(pack(1), day(100), AUTOMAKER, cycle_count=500)
    assert post(first).json()["warnings"] == []
    res = post(ev.health(pack(1), day(200), AUTOMAKER, cycle_count=450))
    (warning,) = res.json()["warnings"]
    assert warning["code"] == "cycle_count_decreased"
    assert f"450 cycles after 500 in event {first['event_id']}" in warning["message"]
    # A late reading dated before the first, with fewer cycles, is in order: no new warning for it.
    early = ev.health(pack(1), day(50), AUTOMAKER, cycle_count=100)
    assert post(early).json()["warnings"] == []
    assert len(trace_of(client, pack(1))["health"]) == 3


def test_repurposing_carries_its_condition_at_hand_over(client: TestClient, world: list[dict[str, Any]]) -> None:
    ev = Events("sl")
    events = [
        ev.removed(pack(1), vin(1), day(900), REPAIRER, "replacement"),
        ev.shipped(pack(1), SECOND_LIFE, day(901), REPAIRER),
        ev.received(pack(1), REPAIRER, day(903), SECOND_LIFE),
        ev.health(pack(1), day(905), SECOND_LIFE, soh_pct=76.0, capacity_kwh=45.6, method="residual_energy_test"),
        ev.repurposed(pack(1), day(910), "energy_storage", soh_pct=75.5, residual_capacity_kwh=45.3),
    ]
    res = client.post("/v1/events", json={"events": events})
    assert res.status_code == 200 and res.json()["warnings"] == [], res.text
    health = trace_of(client, pack(1))["health"]
    assert [(h["type"], h["soh_pct"], h["capacity_kwh"], h["method"]) for h in health] == [
        ("health_measured", 76.0, 45.6, "residual_energy_test"),
        ("repurposed", 75.5, 45.3, None),
    ]


def test_who_may_send_a_reading(
    app_client: TestClient, world: list[dict[str, Any]], key_for: Callable[..., str]
) -> None:
    reading = {"events": [Events("k").health(pack(1), day(400), AUTOMAKER)]}
    app_client.headers.pop("X-API-Key")  # the world was sent with the admin's key
    assert app_client.post("/v1/events", json=reading).status_code == 401
    for role in ("investigator", "regulator", "analyst"):
        res = app_client.post("/v1/events", headers={"X-API-Key": key_for(role)}, json=reading)
        assert res.status_code == 403, (role, res.text)
    other = key_for("reporter", REPAIRER)  # a reporter key of another company than the reporter
    assert app_client.post("/v1/events", headers={"X-API-Key": other}, json=reading).status_code == 403
