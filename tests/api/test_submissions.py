"""``GET /v1/companies/me/events``: a company's latest submissions with their receipts and warnings,
for its own key only (an admin names the company)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.db import Database
from tests.factories import AUTOMAKER, MAKER, SECOND_LIFE, Events, day, first_life, pack, seed_registry, vin


@pytest.fixture
def sent(client: TestClient, db: Database) -> dict[str, Any]:
    """The world's capture answers: the first life of pack 1, and a receipt no shipment explains."""
    seed_registry(db)
    ev = Events("sub")
    life = first_life(ev, pack(1), vin(1))
    first = client.post("/v1/events", json={"events": life})
    assert first.status_code == 200
    made = ev.produced(pack(2), day(0))
    stray = ev.received(pack(2), MAKER, day(5), SECOND_LIFE)  # nobody shipped pack 2 to it
    second = client.post("/v1/events", json={"events": [made, stray]})
    assert second.status_code == 200
    fix = ev.correction(life[1]["event_id"], day(6), MAKER)
    assert client.post("/v1/events", json={"events": [fix]}).status_code == 200
    receipts = {e["event_id"]: e["index"] for a in (first, second) for e in a.json()["receipt"]["entries"]}
    return {"life": life, "made": made, "stray": stray, "fix": fix, "receipts": receipts}


def mine(app_client: TestClient, key: str, **params: Any) -> Any:
    res = app_client.get("/v1/companies/me/events", params=params, headers={"X-API-Key": key})
    assert res.status_code == 200, res.text
    return res.json()


def test_a_reporter_reads_its_own_latest_events_with_receipts(
    sent: dict[str, Any], app_client: TestClient, key_for: Callable[..., str]
) -> None:
    body = mine(app_client, key_for("reporter", MAKER))
    assert body["company"] == MAKER
    ids = [e["event_id"] for e in body["items"]]
    makers = [e["event_id"] for e in (*sent["life"][:2], sent["made"], sent["fix"])]
    assert sorted(ids) == sorted(makers)  # its own four, none of the automaker's or the second-life's
    assert ids[0] == sent["fix"]["event_id"]  # newest first
    recorded = [e["recorded_at"] for e in body["items"]]
    assert recorded == sorted(recorded, reverse=True)
    shipped = next(e for e in body["items"] if e["event_id"] == sent["life"][1]["event_id"])
    assert shipped["corrected"] is True and shipped["batteries"] == [pack(1)]
    assert shipped["log_index"] == sent["receipts"][shipped["event_id"]]
    assert len(mine(app_client, key_for("reporter", MAKER), limit=2)["items"]) == 2


def test_the_warnings_an_event_drew_are_beside_it(
    sent: dict[str, Any], app_client: TestClient, key_for: Callable[..., str]
) -> None:
    items = mine(app_client, key_for("reporter", SECOND_LIFE))["items"]
    assert [e["event_id"] for e in items] == [sent["stray"]["event_id"]]
    assert [w["code"] for w in items[0]["warnings"]] == ["unexplained_receipt"]
    automaker = mine(app_client, key_for("reporter", AUTOMAKER))["items"]
    assert {e["type"] for e in automaker} == {"received", "installed", "vehicle_sold"}
    # The maker voided its shipment: the automaker's receipt of it is now one no shipment explains.
    warned = {e["type"]: [w["code"] for w in e["warnings"]] for e in automaker}
    assert warned == {"received": ["unexplained_receipt"], "installed": [], "vehicle_sold": []}
    sold = next(e for e in automaker if e["type"] == "vehicle_sold")
    assert (sold["vehicle"], sold["batteries"]) == (vin(1), [])


def test_who_may_read_whose(
    sent: dict[str, Any], app_client: TestClient, client: TestClient, key_for: Callable[..., str]
) -> None:
    maker = {"X-API-Key": key_for("reporter", MAKER)}
    other = app_client.get("/v1/companies/me/events", params={"company": AUTOMAKER}, headers=maker)
    assert other.status_code == 403 and AUTOMAKER in other.json()["detail"]
    for role in ("investigator", "regulator", "analyst"):
        refused = app_client.get("/v1/companies/me/events", headers={"X-API-Key": key_for(role)})
        assert refused.status_code == 403 and role in refused.json()["detail"]
    app_client.headers.pop("X-API-Key", None)
    assert app_client.get("/v1/companies/me/events").status_code == 401
    admin = {"X-API-Key": key_for("admin")}
    unnamed = app_client.get("/v1/companies/me/events", headers=admin)
    assert unnamed.status_code == 422 and unnamed.json()["errors"][0]["field"] == "company"
    named = app_client.get("/v1/companies/me/events", params={"company": SECOND_LIFE}, headers=admin)
    assert [e["event_id"] for e in named.json()["items"]] == [sent["stray"]["event_id"]]
    assert app_client.get("/v1/companies/me/events", params={"company": "nope"}, headers=admin).status_code == 422
    assert app_client.get("/v1/companies/me/events", params={"limit": 0}, headers=maker).status_code == 422
