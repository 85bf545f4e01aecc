"""Health readings through EPCIS 2.0 on a real Neo4j: CBV inspecting captured as health_measured,
held to the same checks as the native contract, and read back by the query interface in a form
that captures into an empty store as the same event."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.db import Database
from app.epcis.export import CONTEXT
from app.security import issue_key
from app.services.store import clear_store
from tests.factories import AUTOMAKER, RECYCLER, Events, day, first_life, pack, seed_registry, vin

JSON_LD = {"content-type": "application/ld+json"}


def _inspecting(reporter: str, **figures: Any) -> dict[str, Any]:
    return {
        "type": "ObjectEvent",
        "eventID": "urn:uuid:5b1e0f4c-1d2e-4f3a-9b8c-00000000a001",
        "eventTime": "2025-05-10T10:00:00+08:00",
        "eventTimeZoneOffset": "+08:00",
        "epcList": [f"urn:gbt34014:battery:{pack(1)}"],
        "action": "OBSERVE",
        "bizStep": "inspecting",
        "bt:reporter": f"urn:gbt32100:uscc:{reporter}",
        **{f"bt:{k}": v for k, v in figures.items()},
    }


def _doc(*events: dict[str, Any]) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2025-05-10T12:00:00+08:00",
        "epcisBody": {"eventList": list(events)},
    }


FIGURES = {"soh_pct": 93.0, "capacity_kwh": 55.8, "cycle_count": 260, "method": "bms_readout"}


@pytest.fixture
def world(client: TestClient, db: Database) -> list[dict[str, Any]]:
    seed_registry(db)
    events = first_life(Events("life"), pack(1), vin(1))
    assert client.post("/v1/events", json={"events": events}).status_code == 200
    return events


def test_inspecting_is_captured_exported_and_captured_again_as_the_same_event(
    client: TestClient, db: Database, world: list[dict[str, Any]]
) -> None:
    res = client.post("/v1/epcis/capture", json=_doc(_inspecting(AUTOMAKER, **FIGURES, internal_resistance_mohm=88)))
    assert res.status_code == 200 and res.json()["accepted"] == 1, res.text
    health = client.get(f"/v1/batteries/{pack(1)}/trace").json()["health"]
    assert [(h["soh_pct"], h["capacity_kwh"], h["cycle_count"], h["method"]) for h in health] == [
        (93.0, 55.8, 260, "bms_readout")
    ]
    page = client.get("/v1/epcis/events", params={"EQ_bizStep": "inspecting"})
    assert page.status_code == 200, page.text
    (out,) = page.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert (out["type"], out["action"], out["bizStep"]) == ("ObjectEvent", "OBSERVE", "inspecting")
    assert {k: out[f"bt:{k}"] for k in FIGURES} == FIGURES and out["bt:internal_resistance_mohm"] == 88.0
    stored = client.get(f"/v1/batteries/{pack(1)}/trace").json()["events"]
    before = next(e for e in stored if e["type"] == "health_measured")

    # Into an empty store holding the battery's first life: the same event, id and content.
    clear_store(db)
    seed_registry(db)
    client.headers["X-API-Key"] = issue_key(db, "admin", "round trip").key
    assert client.post("/v1/events", json={"events": world}).status_code == 200
    again = client.post("/v1/epcis/capture", json=page.json(), headers=JSON_LD)
    assert again.status_code == 200 and again.json()["accepted"] == 1, again.text
    after = next(
        e for e in client.get(f"/v1/batteries/{pack(1)}/trace").json()["events"] if e["type"] == "health_measured"
    )
    assert (after["event_id"], after["details"]) == (before["event_id"], before["details"])


def test_an_implausible_reading_is_refused_naming_the_field(client: TestClient, world: list[dict[str, Any]]) -> None:
    res = client.post("/v1/epcis/capture", json=_doc(_inspecting(AUTOMAKER, **{**FIGURES, "soh_pct": 130})))
    assert res.status_code == 422, res.text
    assert "soh_pct" in {e["field"] for e in res.json()["errors"]}


def test_a_reading_from_an_unlinked_company_is_refused(client: TestClient, world: list[dict[str, Any]]) -> None:
    res = client.post("/v1/epcis/capture", json=_doc(_inspecting(RECYCLER, **FIGURES)))
    assert res.status_code == 403, res.text
    assert client.get(f"/v1/batteries/{pack(1)}/trace").json()["health"] == []


def test_a_repurposing_keeps_its_condition_through_export(client: TestClient, world: list[dict[str, Any]]) -> None:
    ev = Events("sl")
    hand_over = ev.repurposed(pack(1), day(700), "backup_power", soh_pct=66.0, residual_capacity_kwh=39.6)
    assert client.post("/v1/events", json={"events": [hand_over]}).status_code == 200
    page = client.get("/v1/epcis/events", params={"EQ_bizStep": "decommissioning"}).json()
    (out,) = page["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert (out["bt:soh_pct"], out["bt:residual_capacity_kwh"]) == (66.0, 39.6)
