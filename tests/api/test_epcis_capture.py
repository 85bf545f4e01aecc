"""EPCIS 2.0 documents through POST /v1/epcis/capture into the real graph."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from app.db import Database
from app.epcis import map_document
from app.schemas.registry import Company, Station
from app.services import registry

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "epcis"
GS1 = FIXTURES / "gs1"


def _doc(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return doc


def _register_parties(db: Database, *names: str) -> None:
    """Register every company and station the fixture documents name, as the sender would have."""
    usccs: set[str] = set()
    stations: set[tuple[str, str]] = set()
    maker_codes: dict[str, str] = {}  # the producer of a code holds its maker code
    for name in names:
        for ev in map_document(_doc(name)).events:
            usccs.update(str(ev[k]) for k in ("reporter", "to", "from") if k in ev)
            if ev["type"] == "produced":
                maker_codes[str(ev["reporter"])] = str(ev["battery"])[:3]
            if "station" in ev:
                stations.add((str(ev["station"]), str(ev["reporter"])))
    registry.merge_companies(
        db,
        [
            Company(
                uscc=u,
                name=f"Party {u[-4:]}",
                roles=["battery_maker"],
                province="310000",
                maker_code=maker_codes.get(u, "BTX"),
            )
            for u in sorted(usccs)
        ],
        changed_by="test",
    )
    if stations:
        registry.merge_stations(
            db, [Station(id=s, operator=op, province="310000") for s, op in sorted(stations)], changed_by="test"
        )


def test_capture_maps_stores_and_is_idempotent(client: TestClient, db: Database) -> None:
    _register_parties(db, "lifecycle.jsonld", "corrections.jsonld")
    doc = _doc("lifecycle.jsonld")
    mapped = map_document(doc)
    first = client.post("/v1/epcis/capture", json=doc)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["native_events"] == len(mapped.events) and body["accepted"] == len(mapped.events)
    again = client.post("/v1/epcis/capture", json=doc).json()
    assert again["accepted"] == 0 and again["duplicates"] == len(mapped.events)

    battery = next(str(e["battery"]) for e in mapped.events if e["type"] == "installed")
    trace = client.get(f"/v1/batteries/{battery}/trace").json()
    assert {e["event_id"] for e in trace["events"]} >= {
        str(e["event_id"]) for e in mapped.events if e.get("battery") == battery
    }

    exported = [e for e in trace["events"] if e["type"] == "vehicle_exported"]
    assert [(e["role"], e["details"]["destination"]) for e in exported] == [("vehicle", "TH")]

    corrections = client.post("/v1/epcis/capture", json=_doc("corrections.jsonld"))
    assert corrections.status_code == 200, corrections.text
    trace = client.get(f"/v1/batteries/{battery}/trace").json()
    assert any(e["corrected"] for e in trace["events"])


def test_gs1_examples_are_refused_with_reasons(client: TestClient, db: Database) -> None:
    examples = sorted(GS1.glob("*.jsonld"))
    assert examples, f"no GS1 examples under {GS1}"
    for path in examples:
        res = client.post("/v1/epcis/capture", json=json.loads(path.read_text()))
        assert res.status_code == 422, (path.name, res.status_code)
        errors = res.json()["errors"]
        assert errors and all(e["reason"] for e in errors), path.name


def test_malformed_document_is_422_naming_the_field(client: TestClient, db: Database) -> None:
    res = client.post("/v1/epcis/capture", json={"type": "NotADocument"})
    assert res.status_code == 422
    fields = {e["field"] for e in res.json()["errors"]}
    assert "type" in fields
