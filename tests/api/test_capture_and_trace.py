"""Event capture and trace through the HTTP API, against the real Neo4j."""

from __future__ import annotations

import random
from typing import Any

from fastapi.testclient import TestClient

from app.db import Database
from app.identifiers import make_uscc
from app.security import issue_key
from app.services.store import clear_store
from tests.factories import (
    AUTOMAKER,
    DISMANTLER,
    MAKER,
    RECYCLER,
    REPAIRER,
    SECOND_LIFE,
    STATION_A,
    STATION_B,
    SWAP_OP,
    WORKSHOP,
    Events,
    day,
    first_life,
    module,
    pack,
    seed_registry,
    vin,
)


def post(client: TestClient, events: list[dict[str, Any]]) -> Any:
    return client.post("/v1/events", json={"events": events})


def count(db: Database, label: str) -> int:
    with db.driver.session(database=db.name) as s:
        rec = s.run("MATCH (n) WHERE $label IN labels(n) RETURN count(n) AS n", label=label).single()
    assert rec is not None
    return int(rec["n"])


def test_first_life_is_traced(client: TestClient, db: Database) -> None:
    seed_registry(db)
    ev = Events()
    b, v = pack(1), vin(1)
    res = post(client, first_life(ev, b, v))
    assert res.status_code == 200, res.text
    answer = res.json()
    assert answer.pop("receipt")["tree_head"]["tree_size"] == 5
    assert answer == {"accepted": 5, "duplicates": 0, "warnings": [], "voided_for_others": []}

    detail = client.get(f"/v1/batteries/{b}").json()
    assert detail["status"] == "installed"
    assert detail["current_vehicle"]["vin"] == v
    assert detail["current_custodian"] is None
    assert detail["identity"]["maker_code"] == "CAT"
    assert detail["identity"]["level"] == "pack"
    assert detail["chemistry"] == "LFP"
    assert detail["producer"] == MAKER

    trace = client.get(f"/v1/batteries/{b}/trace").json()
    assert [e["type"] for e in trace["events"]] == ["produced", "shipped", "received", "installed", "vehicle_sold"]
    assert trace["events"][4]["role"] == "vehicle" and trace["events"][4]["details"]["vehicle"] == v
    first = trace["events"][0]
    ids = [e["event_id"] for e in trace["events"]]
    # Where the battery was, from the same replay the store was built with.
    assert [(s["kind"], s["ref"], s["opened_by"], s["closed_by"]) for s in trace["segments"]] == [
        ("holder", MAKER, ids[0], ids[1]),
        ("transit", AUTOMAKER, ids[1], ids[2]),
        ("holder", AUTOMAKER, ids[2], ids[3]),
        ("vehicle", v, ids[3], None),
    ]
    assert trace["segments"][0]["name"] == "Cathay Cells" and trace["segments"][-1]["to"] is None
    assert trace["segments"][-1]["from"] == trace["events"][3]["occurred_at"] == detail["current_vehicle"]["since"]
    assert first["reporter"]["uscc"] == MAKER and first["reporter"]["name"] == "Cathay Cells"
    assert first["recorded_at"] and first["corrected"] is False
    assert first["details"]["mass_kg"] == 420.0

    vehicle = client.get(f"/v1/vehicles/{v}/batteries").json()
    assert vehicle["sold_at"] is not None
    assert [(x["code"], x["until"]) for x in vehicle["batteries"]] == [(b, None)]


def test_a_pack_trace_shows_its_vehicles_events_while_it_was_in_them(client: TestClient, db: Database) -> None:
    seed_registry(db)
    ev = Events()
    a, b, c, v, w = pack(1), pack(2), pack(3), vin(1), vin(3)
    sold = ev.sold(v, day(20))
    scrapped = ev.scrapped(v, day(300))
    exported = ev.exported(w, day(40), destination="BE")
    history = [
        *first_life(ev, a, v)[:4],
        sold,
        ev.removed(a, v, day(100), REPAIRER, "replacement"),
        ev.produced(b, day(50)),
        ev.shipped(b, REPAIRER, day(60), MAKER),
        ev.received(b, MAKER, day(62), REPAIRER),
        ev.installed(b, v, day(101), REPAIRER),
        scrapped,
        ev.removed(b, v, day(301), DISMANTLER, "scrapping"),
        *first_life(ev, c, w)[:4],
        exported,
    ]
    assert post(client, history).status_code == 200

    def vehicle_events(code: str) -> list[tuple[str, str, str]]:
        events = client.get(f"/v1/batteries/{code}/trace").json()["events"]
        return [(e["event_id"], e["role"], e["details"]["vehicle"]) for e in events if e["type"].startswith("vehicle_")]

    # a left the car before it was scrapped; b went in after it was sold.
    assert vehicle_events(a) == [(sold["event_id"], "vehicle", v)]
    assert vehicle_events(b) == [(scrapped["event_id"], "vehicle", v)]
    assert vehicle_events(c) == [(exported["event_id"], "vehicle", w)]
    trace_c = client.get(f"/v1/batteries/{c}/trace").json()
    assert trace_c["events"][-1]["details"]["destination"] == "BE"
    assert [s["kind"] for s in trace_c["segments"]][-1] == "vehicle"  # vehicle events open no segment

    car = client.get(f"/v1/vehicles/{w}/batteries").json()
    assert (car["export_destination"], car["sold_at"]) == ("BE", None)
    assert car["exported_at"] == exported["occurred_at"]
    home = post(client, [ev.exported(w, day(50), destination="CN")])
    assert home.status_code == 422 and "cannot be CN" in home.text
    assert post(client, [ev.exported(w, day(50), destination="Thailand")]).status_code == 422


def test_resend_is_idempotent(client: TestClient, db: Database) -> None:
    seed_registry(db)
    events = first_life(Events(), pack(1), vin(1))
    first = post(client, events).json()
    assert [e["index"] for e in first.pop("receipt")["entries"]] == [0, 1, 2, 3, 4]
    assert first == {"accepted": 5, "duplicates": 0, "warnings": [], "voided_for_others": []}
    resent = {"accepted": 0, "duplicates": 5, "warnings": [], "voided_for_others": [], "receipt": None}
    assert post(client, events).json() == resent
    # Mixed: two old, one new, and an exact repeat inside the batch.
    extra = Events("x").repaired(pack(1), day(40))
    mixed = post(client, [events[0], events[1], extra, extra]).json()
    assert [(e["event_id"], e["index"]) for e in mixed.pop("receipt")["entries"]] == [(extra["event_id"], 5)]
    assert mixed == {"accepted": 1, "duplicates": 3, "warnings": [], "voided_for_others": []}
    assert count(db, "Event") == 6
    assert count(db, "Battery") == 1
    trace = client.get(f"/v1/batteries/{pack(1)}/trace").json()
    assert len(trace["events"]) == 6  # vehicle_sold once: the vehicle's event, while the pack was in it


def test_reused_id_with_other_content_is_409_and_nothing_is_written(client: TestClient, db: Database) -> None:
    seed_registry(db)
    ev = Events()
    events = first_life(ev, pack(1), vin(1))
    post(client, events[:2])
    altered = dict(events[1], to=RECYCLER)
    res = post(client, [events[2], altered])
    assert res.status_code == 409
    assert res.json()["event_ids"] == [events[1]["event_id"]]
    assert count(db, "Event") == 2  # events[2] was not stored either


def test_invalid_batch_lists_every_bad_event_and_stores_nothing(client: TestClient, db: Database) -> None:
    seed_registry(db)
    ev = Events()
    good = ev.produced(pack(1))
    bad_code = dict(ev.produced(pack(2)), battery="CATPB01TRACE01ED1000000Z")  # month "D"
    bad_vin = ev.installed(pack(1), vin(1), day(2))
    bad_vin["vehicle"] = (
        bad_vin["vehicle"][:8] + ("0" if bad_vin["vehicle"][8] != "0" else "1") + bad_vin["vehicle"][9:]
    )
    unknown_type = {"event_id": "z1", "type": "teleported", "occurred_at": day(1).isoformat(), "reporter": MAKER}
    no_offset = dict(ev.repaired(pack(1), day(3)), occurred_at="2024-03-04T10:00:00")
    res = post(client, [good, bad_code, bad_vin, unknown_type, no_offset])
    assert res.status_code == 422
    errors = res.json()["errors"]
    by_index = {e["index"]: e for e in errors}
    assert set(by_index) == {1, 2, 3, 4}
    assert by_index[1]["field"] == "battery" and "month" in by_index[1]["reason"]
    assert by_index[2]["field"] == "vehicle" and "check_digit" in by_index[2]["reason"]
    assert "teleported" in by_index[3]["reason"] or by_index[3]["field"] == "type"
    assert by_index[4]["field"] == "occurred_at"
    assert count(db, "Event") == 0


def test_unregistered_companies_and_stations_are_422(client: TestClient, db: Database) -> None:
    seed_registry(db)
    ev = Events()
    stranger = make_uscc("91110000MA0000000")
    events = [
        ev.produced(pack(1), reporter=stranger),
        ev.shipped(pack(2), stranger, day(1), MAKER),
        ev.swapped(vin(2), "ST9999", pack(3), pack(4), day(2)),
    ]
    res = post(client, events)
    assert res.status_code == 422
    fields = sorted((e["index"], e["field"]) for e in res.json()["errors"])
    assert fields == [(0, "reporter"), (1, "to"), (2, "station")]
    assert count(db, "Event") == 0


def test_out_of_order_arrival_gives_the_same_projection(client: TestClient, db: Database) -> None:
    seed_registry(db)
    ev = Events()
    b, v1, v2 = pack(1), vin(1), vin(3)
    history = [
        *first_life(ev, b, v1),
        ev.removed(b, v1, day(100), REPAIRER, "replacement"),
        ev.shipped(b, RECYCLER, day(101), REPAIRER),
        ev.received(b, REPAIRER, day(110), RECYCLER),
    ]
    post(client, history)
    in_order = client.get(f"/v1/batteries/{b}").json()
    in_order_vehicle = client.get(f"/v1/vehicles/{v1}/batteries").json()

    clear_store(db)
    client.headers["X-API-Key"] = issue_key(db, "admin", "after the reset").key  # the reset removed the keys
    seed_registry(db)
    shuffled = history[:]
    random.Random(4).shuffle(shuffled)
    for i in range(0, len(shuffled), 3):  # late, reversed, in separate batches
        assert post(client, shuffled[i : i + 3][::-1]).status_code == 200
    assert client.get(f"/v1/batteries/{b}").json() == in_order
    assert client.get(f"/v1/vehicles/{v1}/batteries").json() == in_order_vehicle
    assert in_order["status"] == "in_stock"
    assert in_order["current_custodian"]["uscc"] == RECYCLER
    assert client.get(f"/v1/vehicles/{v2}/batteries").json()["batteries"] == []


def test_correction_voids_the_event_it_names(client: TestClient, db: Database) -> None:
    seed_registry(db)
    ev = Events()
    b, wrong, right = pack(1), vin(1), vin(3)
    base = first_life(ev, b, wrong)
    post(client, base)
    install = base[3]
    fix = ev.correction(install["event_id"], day(11), AUTOMAKER, reason="incorrect_data")
    corrective = ev.installed(b, right, day(10))
    fix["corrective_event_ids"] = [corrective["event_id"]]
    assert post(client, [fix, corrective]).status_code == 200

    detail = client.get(f"/v1/batteries/{b}").json()
    assert detail["current_vehicle"]["vin"] == right
    assert client.get(f"/v1/vehicles/{wrong}/batteries").json()["batteries"] == []
    trace = client.get(f"/v1/batteries/{b}/trace").json()["events"]
    voided = next(e for e in trace if e["event_id"] == install["event_id"])
    assert voided["corrected"] is True and voided["corrected_by"] == [fix["event_id"]]
    assert any(e["type"] == "correction" for e in trace)
    # The voided installation moves nothing: the segments know only the corrective one.
    segments = client.get(f"/v1/batteries/{b}/trace").json()["segments"]
    assert [(s["kind"], s["ref"]) for s in segments if s["kind"] == "vehicle"] == [("vehicle", right)]
    assert install["event_id"] not in {s["opened_by"] for s in segments} | {s["closed_by"] for s in segments}

    # A correction of a correction is refused; a correction of an unknown event too.
    res = post(client, [ev.correction(fix["event_id"], day(12), AUTOMAKER), ev.correction("nope", day(12), MAKER)])
    assert res.status_code == 422
    assert [e["field"] for e in res.json()["errors"]] == ["corrects", "corrects"]


def test_swaps_repair_second_life_and_recycling(client: TestClient, db: Database) -> None:
    seed_registry(db)
    ev = Events()
    a, b, v = pack(1), pack(2), vin(2)
    events = [
        ev.produced(a, day(0)),
        ev.produced(b, day(0)),
        ev.shipped(a, AUTOMAKER, day(1), MAKER),
        ev.received(a, MAKER, day(2), AUTOMAKER),
        ev.installed(a, v, day(3)),
        ev.shipped(b, SWAP_OP, day(1), MAKER),
        ev.received(b, MAKER, day(2), SWAP_OP),
        ev.swapped(v, STATION_A, a, b, day(30)),
        ev.swapped(v, STATION_B, b, a, day(60)),
    ]
    res = post(client, events)
    assert res.status_code == 200, res.text
    assert client.get(f"/v1/batteries/{a}").json()["current_vehicle"]["vin"] == v
    pool = client.get(f"/v1/batteries/{b}").json()
    assert pool["status"] == "in_swap_pool" and pool["current_custodian"]["uscc"] == SWAP_OP
    history = client.get(f"/v1/vehicles/{v}/batteries").json()["batteries"]
    assert [(h["code"], h["until"] is None) for h in history] == [(a, False), (b, False), (a, True)]
    # how each went in and came out, and at which station (the vehicle page's timeline draws these)
    assert [(h["since_type"], h["since_station"], h["until_type"], h["until_station"]) for h in history] == [
        ("installed", None, "swapped", STATION_A),
        ("swapped", STATION_A, "swapped", STATION_B),
        ("swapped", STATION_B, None, None),
    ]
    assert [(h["since_station_name"], h["until_station_name"]) for h in history] == [
        (None, "A"),
        ("A", "B"),
        ("B", None),
    ]

    swaps = client.get(f"/v1/stations/{STATION_A}/swaps").json()
    assert [(s["battery_out"], s["battery_in"]) for s in swaps["items"]] == [(a, b)]
    window = client.get(
        f"/v1/stations/{STATION_B}/swaps", params={"since": day(61).isoformat(), "until": day(90).isoformat()}
    ).json()
    assert window["items"] == []
    assert client.get("/v1/stations/ST4040/swaps").status_code == 404

    new_code = pack(9, maker="SWL")
    more = [
        ev.removed(a, v, day(400), DISMANTLER, "scrapping"),
        ev.shipped(a, SECOND_LIFE, day(401), DISMANTLER),
        ev.received(a, DISMANTLER, day(405), SECOND_LIFE),
        ev.repurposed(a, day(420), "energy_storage", new_code=new_code),
        ev.shipped(b, WORKSHOP, day(61), SWAP_OP),
        ev.received(b, SWAP_OP, day(62), WORKSHOP),
        ev.recycled(b, day(90), reporter=WORKSHOP),
    ]
    assert post(client, more).status_code == 200
    assert client.get(f"/v1/batteries/{a}").json()["status"] == "repurposed"
    derived = client.get(f"/v1/batteries/{new_code}").json()
    assert derived["derived_from"] == a and derived["current_custodian"]["uscc"] == SECOND_LIFE
    assert client.get(f"/v1/batteries/{a}").json()["second_life_products"] == [new_code]
    recycled = client.get(f"/v1/batteries/{b}").json()
    assert recycled["status"] == "recycled" and recycled["current_custodian"] is None


def test_components_and_parent(client: TestClient, db: Database) -> None:
    seed_registry(db)
    ev = Events()
    modules = [module(i) for i in range(1, 4)]
    events = [ev.produced(m, day(0), mass_kg=40.0) for m in modules]
    events.append(ev.produced(pack(1), day(1), components=modules))
    assert post(client, events).status_code == 200
    comps = client.get(f"/v1/batteries/{pack(1)}/components").json()["components"]
    assert [(c["code"], c["depth"]) for c in comps] == [(m, 1) for m in sorted(modules)]
    assert client.get(f"/v1/batteries/{modules[0]}").json()["parent"] == pack(1)
    assert client.get(f"/v1/batteries/{pack(1)}").json()["component_count"] == 3
    # A module cannot contain a pack.
    res = post(client, [ev.produced(module(9), day(2), components=[pack(2)])])
    error = res.json()["errors"][0]
    assert res.status_code == 422 and error["field"] == "components[0]" and "lower levels" in error["reason"]


def test_unknown_and_malformed_identifiers(client: TestClient, db: Database) -> None:
    seed_registry(db)
    unknown = client.get(f"/v1/batteries/{pack(77)}")
    assert unknown.status_code == 404 and pack(77) in unknown.json()["detail"]
    assert client.get(f"/v1/batteries/{pack(77)}/trace").status_code == 404
    bad = client.get("/v1/batteries/NOT-A-CODE")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "code"
    assert client.get("/v1/vehicles/LSV00001XR0000001/batteries").status_code == 422
    assert client.get(f"/v1/vehicles/{vin(55)}/batteries").status_code == 404


def test_listing_filters_and_pages(client: TestClient, db: Database) -> None:
    seed_registry(db)
    ev = Events()
    codes = [pack(i) for i in range(1, 8)] + [pack(100 + i, chemistry="E") for i in range(3)]
    post(client, [ev.produced(c, day(0), chemistry="ternary" if c[4] == "E" else "LFP") for c in codes])
    post(client, [ev.shipped(codes[0], AUTOMAKER, day(1), MAKER)])
    seen: list[str] = []
    after = ""
    while True:
        page = client.get("/v1/batteries", params={"after": after, "limit": 4}).json()
        seen += [b["code"] for b in page["items"]]
        if not page["next_after"]:
            break
        after = page["next_after"]
    assert seen == sorted(codes)
    transit = client.get("/v1/batteries", params={"status": "in_transit"}).json()["items"]
    assert [b["code"] for b in transit] == [codes[0]]
    assert len(client.get("/v1/batteries", params={"maker": "CAT", "level": "pack"}).json()["items"]) == 10
    assert client.get("/v1/batteries", params={"maker": "toolong"}).status_code == 422
