"""What the rules read is what is hashed: each flat property edited directly in Neo4j is caught.

The trace, the projection and the leakage rules read an event's flat properties (indexed), not its
payload; an attacker with the database would edit those. Each case edits one, and both
``/verify`` and the checkpoint verifier must name the event and the property.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.db import Database
from app.services import integrity
from tests.factories import (
    AUTOMAKER,
    RECYCLER,
    STATION_A,
    SWAP_OP,
    WORKSHOP,
    Events,
    day,
    first_life,
    pack,
    seed_registry,
    vin,
)

CST = timezone(timedelta(hours=8))
EV = Events("rd")
LIFE = [
    *first_life(EV, pack(1), vin(1)),  # produced, shipped, received, installed, (vehicle_sold)
    EV.produced(pack(2), day(0)),
    EV.swapped(vin(1), STATION_A, pack(1), pack(2), day(30)),
    EV.shipped(pack(1), RECYCLER, day(31), SWAP_OP),
    EV.received(pack(1), SWAP_OP, day(32), RECYCLER),
    EV.recycled(pack(1), day(40)),
]
BY_TYPE = {e["type"]: e["event_id"] for e in LIFE if e["type"] not in ("shipped", "received", "produced")}
FIRST = {kind: next(e["event_id"] for e in LIFE if e["type"] == kind) for kind in ("produced", "shipped", "received")}

# (event, property, the value an attacker writes; None removes it)
EDITS: list[tuple[str, str, Any]] = [
    (FIRST["produced"], "occurred_at", datetime(2023, 6, 1, 9, tzinfo=CST)),
    (FIRST["produced"], "reporter", AUTOMAKER),
    (FIRST["produced"], "chemistry", "ternary"),
    (FIRST["produced"], "mass_kg", 5.0),
    (FIRST["produced"], "capacity_kwh", 1.0),
    (FIRST["produced"], "type", "received"),
    (FIRST["produced"], "battery", pack(9)),
    (FIRST["produced"], "province", "110000"),
    (FIRST["produced"], "event_id", "forged-id"),
    (FIRST["shipped"], "to_company", WORKSHOP),
    (FIRST["received"], "from_company", WORKSHOP),
    (FIRST["received"], "reporter", None),
    (BY_TYPE["installed"], "vehicle", vin(2)),
    (BY_TYPE["swapped"], "station", "ST0002"),
    (BY_TYPE["swapped"], "battery_out", pack(3)),
    (BY_TYPE["recycled"], "input_mass_kg", 1.0),
    (BY_TYPE["recycled"], "recovered_total_kg", 0.0),
    (BY_TYPE["recycled"], "recovered_kg", [0.0, 0.0, 0.0]),
    # Not in the payload but in the hashed record: a late report made to look timely, an import claimed.
    (BY_TYPE["installed"], "recorded_at", datetime(2023, 6, 1, 9, tzinfo=CST)),
    (BY_TYPE["swapped"], "imported", True),
]


def _run(db: Database, text: str, **params: Any) -> list[dict[str, Any]]:
    with db.driver.session(database=db.name) as session:
        return [record.data() for record in session.run(text, params)]  # type: ignore[arg-type]


@pytest.fixture
def world(client: TestClient, db: Database, tmp_path: Path) -> Path:
    seed_registry(db)
    res = client.post("/v1/events", json={"events": LIFE})
    assert res.status_code == 200, res.text
    exported = tmp_path / "checkpoint.jsonl"
    integrity.take_checkpoint(db, export_to=exported)
    return exported


@pytest.mark.parametrize(("event_id", "prop", "value"), EDITS, ids=[f"{p}" for _, p, _ in EDITS])
def test_an_edited_read_property_is_caught(
    client: TestClient, db: Database, world: Path, event_id: str, prop: str, value: Any
) -> None:
    for code in (pack(1), pack(2)):
        assert client.get(f"/v1/batteries/{code}/verify").json()["valid"] is True
    _run(db, "MATCH (e:Event {event_id: $id}) SET e += $change", id=event_id, change={prop: value})
    found = [
        problem
        for code in (pack(1), pack(2))
        for problem in client.get(f"/v1/batteries/{code}/verify").json()["problems"]
    ]
    named = [event_id, value]  # an edited event_id is reported under the id it now carries
    assert any(p["event_id"] in named and prop in p["reason"] for p in found), found
    checked = integrity.verify_checkpoint(db, world)
    assert checked["chains_intact"] is False
    reasons = [p["reason"] for m in checked["mismatches"] for p in m["problems"] if p["event_id"] in named]
    assert any(prop in reason for reason in reasons), checked


def test_an_added_property_is_caught(client: TestClient, db: Database, world: Path) -> None:
    """A recipient written onto a production (which has none) is as much an edit as a changed one."""
    victim = FIRST["produced"]
    _run(db, "MATCH (e:Event {event_id: $id}) SET e.to_company = $uscc", id=victim, uscc=WORKSHOP)
    problems = client.get(f"/v1/batteries/{pack(1)}/verify").json()["problems"]
    assert [p["reason"] for p in problems if p["event_id"] == victim] == [
        "stored property differs from the hashed payload: to_company is set but the payload has none"
    ]
