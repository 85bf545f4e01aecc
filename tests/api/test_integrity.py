"""Tamper evidence: editing an event directly in Neo4j is caught by verify and by checkpoints."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from app.db import Database
from app.services import integrity
from tests.factories import AUTOMAKER, REPAIRER, Events, day, first_life, pack, seed_registry, vin


def _post(client: TestClient, events: list[dict[str, object]]) -> None:
    res = client.post("/v1/events", json={"events": events})
    assert res.status_code == 200, res.text


def _cypher(db: Database, text: str, **params: object) -> None:
    with db.driver.session(database=db.name) as s:
        s.run(text, params).consume()  # type: ignore[arg-type]


def test_intact_history_verifies_across_batches_and_corrections(client: TestClient, db: Database) -> None:
    seed_registry(db)
    ev = Events()
    b = pack(1)
    base = first_life(ev, b, vin(1))
    _post(client, base[:2])
    _post(client, base[2:])
    _post(
        client,
        [ev.correction(base[3]["event_id"], day(12), AUTOMAKER), ev.removed(b, vin(1), day(50), REPAIRER, "repair")],
    )
    result = client.get(f"/v1/batteries/{b}/verify").json()
    assert result["valid"] is True, result
    assert result["length"] == 6  # 4 battery events of first_life, the correction, the removal


def test_editing_an_event_in_the_database_is_caught(client: TestClient, db: Database) -> None:
    seed_registry(db)
    ev = Events()
    b = pack(1)
    events = first_life(ev, b, vin(1))
    _post(client, events)
    assert client.get(f"/v1/batteries/{b}/verify").json()["valid"] is True

    victim = events[1]["event_id"]
    _cypher(
        db,
        "MATCH (e:Event {event_id: $id}) SET e.payload = replace(e.payload, $old, $new)",
        id=victim,
        old=AUTOMAKER,
        new=REPAIRER,
    )
    result = client.get(f"/v1/batteries/{b}/verify").json()
    assert result["valid"] is False
    assert any(p["event_id"] == victim and "altered" in p["reason"] for p in result["problems"])


def test_rewriting_hash_and_chain_consistently_is_caught_by_a_checkpoint(
    client: TestClient, db: Database, tmp_path: Path
) -> None:
    seed_registry(db)
    ev = Events()
    codes = [pack(i) for i in range(1, 4)]
    for i, code in enumerate(codes, start=1):
        _post(client, first_life(ev, code, vin(i)))
    exported = tmp_path / "checkpoint.jsonl"
    checkpoint = integrity.take_checkpoint(db, exported)
    assert checkpoint.batteries == 3
    assert integrity.verify_checkpoint(db, exported)["chains_intact"] is True
    assert [c.root for c in integrity.list_checkpoints(db)] == [checkpoint.root]

    # A careful forger rewrites the payload, its hash, the flat property the rules read, the link's
    # chain value (over the forged record) and the head.
    from app.ledger.verifier import record_hash
    from app.services.chain import content_hash, link_hash

    target = codes[1]
    stored = [r for r in db.read("integrity.battery_chain", code=target)]
    last = stored[-1]
    forged = json.loads(last["payload"]) | {"vehicle": vin(9)}
    forged_hash = content_hash(forged)
    forged_record = record_hash(forged, last["stored"]["recorded_at"], last["stored"]["imported"])
    forged_chain = link_hash(stored[-2]["chain"], forged_record)
    _cypher(
        db,
        "MATCH (e:Event {event_id: $id})-[a:ABOUT]->(b:Battery {code: $code}) "
        "SET e.payload = $payload, e.content_hash = $hash, e.vehicle = $vin, a.chain = $chain, b.chain_head = $chain",
        id=last["event_id"],
        code=target,
        payload=json.dumps(forged, sort_keys=True),
        hash=forged_hash,
        chain=forged_chain,
        vin=vin(9),
    )
    # The chain alone is fooled; the log, whose leaves only the signed append can write, is not.
    verified = client.get(f"/v1/batteries/{target}/verify").json()
    assert verified["valid"] is False
    assert [(p["event_id"], p["reason"].split(" (")[0]) for p in verified["problems"]] == [
        (last["event_id"], f"the log's leaf {last['stored']['log_index']} is not this event's record")
    ]
    report = integrity.verify_checkpoint(db, exported)
    assert report["root_matches_file"] is True
    assert report["chains_intact"] is False
    assert [m["code"] for m in report["mismatches"]] == [target]
