"""The trace's answer, byte for byte, as the sync route answered it before the read path was made
lighter: the service's ``Trace`` through FastAPI's own serialiser (``TypeAdapter(Trace).dump_json``
by alias), on a battery whose timeline has a correction, a vehicle's event and a health reading."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from app.db import Database
from app.schemas.trace import Trace
from app.services import trace as service
from tests.factories import AUTOMAKER, REPAIRER, Events, day, first_life, pack, seed_registry, vin


def post(client: TestClient, events: list[dict[str, Any]]) -> None:
    res = client.post("/v1/events", json={"events": events})
    assert res.status_code == 200, res.text


def test_trace_bytes_are_the_models_serialisation(client: TestClient, db: Database) -> None:
    seed_registry(db)
    ev = Events("bytes")
    b, wrong, right = pack(7), vin(1), vin(3)
    life = first_life(ev, b, wrong)
    post(client, life)
    fix = ev.correction(life[3]["event_id"], day(11), AUTOMAKER, reason="incorrect_data")
    corrective = ev.installed(b, right, day(10))
    fix["corrective_event_ids"] = [corrective["event_id"]]
    post(client, [fix, corrective])
    post(client, [ev.health(b, day(30), REPAIRER), ev.repaired(b, day(31)), ev.sold(right, day(40))])

    res = client.get(f"/v1/batteries/{b}/trace")
    assert res.status_code == 200, res.text
    expected = TypeAdapter(Trace).dump_json(service.get_trace(db, b), by_alias=True)
    assert res.content == expected
    body = res.json()
    # The battery's life is all there: what the comparison covers is not an empty answer.
    assert {e["role"] for e in body["events"]} >= {"subject", "correction", "vehicle"}
    assert any(e["corrected"] for e in body["events"])
    assert [h["soh_pct"] for h in body["health"]] == [92.0]
    assert [s["ref"] for s in body["segments"] if s["kind"] == "vehicle"] == [right]
    assert res.headers["content-type"] == "application/json"
    assert res.headers["x-audit-id"]
