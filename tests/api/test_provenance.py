"""W3C PROV out against the real graph: both formats parse with the ``prov`` package, round-trip,
say the same thing, and hold every event of the battery, its reporters, its parts, its second-life
products and its end; the route is guarded as the trace is."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prov.constants import PROV_N_MAP
from prov.model import ProvDocument, ProvRecord

from app.db import Database
from app.epcis.uris import BATTERY_URN_PREFIX, EVENT_URN_PREFIX, STATION_URN_PREFIX, USCC_URN_PREFIX
from app.security import issue_key
from loaders.files import load_directory
from loaders.synth import generate_world
from tests.factories import (
    AUTOMAKER,
    DISMANTLER,
    MAKER,
    RECYCLER,
    REPAIRER,
    SECOND_LIFE,
    STATION_A,
    SWAP_OP,
    Events,
    day,
    module,
    pack,
    seed_registry,
    vin,
)

BT = "https://id.batterytrace.org/prov#"
PROV = "http://www.w3.org/ns/prov#"
Facts = dict[str, set[tuple[Any, ...]]]


def _get(client: TestClient, code: str, fmt: str) -> ProvDocument:
    """The document in one format, parsed by the prov package, and checked to survive a round trip."""
    resp = client.get(f"/v1/batteries/{code}/provenance", params={"format": fmt})
    assert resp.status_code == 200, resp.text
    if fmt == "prov-json":
        assert resp.headers["content-type"].startswith("application/json")
        doc = ProvDocument.deserialize(content=resp.text, format="json")
        again = ProvDocument.deserialize(content=doc.serialize(format="json"), format="json")
    else:
        assert resp.headers["content-type"].startswith("text/turtle")
        doc = ProvDocument.deserialize(content=resp.text, format="rdf", rdf_format="turtle")
        text = doc.serialize(format="rdf", rdf_format="turtle")
        again = ProvDocument.deserialize(content=text, format="rdf", rdf_format="turtle")
    assert again == doc
    return doc


def _both(client: TestClient, code: str) -> ProvDocument:
    """The PROV-JSON and the PROV-O answers are the same document."""
    doc = _get(client, code, "prov-json")
    assert _get(client, code, "prov-o") == doc
    return doc


def _value(v: Any) -> Any:
    return v.uri if hasattr(v, "uri") else v


def _facts(doc: ProvDocument) -> Facts:
    """Each relation as a tuple of its formal terms (URIs), by PROV-JSON name; elements by kind, with
    their attributes."""
    out: Facts = defaultdict(set)
    for rec in doc.get_records():
        name = PROV_N_MAP[rec.get_type()]
        if rec.is_element():
            out[name].add((rec.identifier.uri,))
        else:
            out[name].add(tuple(_value(v) for _, v in rec.formal_attributes))
    return out


def _attrs(doc: ProvDocument, uri: str) -> dict[str, set[Any]]:
    rec: ProvRecord = next(r for r in doc.get_records() if r.is_element() and r.identifier.uri == uri)
    out: dict[str, set[Any]] = defaultdict(set)
    for key, value in rec.attributes:
        out[key.uri].add(_value(value))
    return out


def _pairs(facts: Facts, kind: str, first: int = 0, second: int = 1) -> set[tuple[Any, Any]]:
    return {(f[first], f[second]) for f in facts[kind]}


def _event(event_id: str) -> str:
    return EVENT_URN_PREFIX + event_id


def _battery(code: str) -> str:
    return BATTERY_URN_PREFIX + code


def _company(uscc: str) -> str:
    return USCC_URN_PREFIX + uscc


def _hand_built_world(client: TestClient, db: Database) -> dict[str, Any]:
    """Pack a (three modules) goes into a vehicle, is swapped out, a repair of it is reported and
    voided, and it goes to second life under a new code; pack b is swapped in and recycled."""
    seed_registry(db)
    ev = Events("prov")
    a, b, v, new_code = pack(1), pack(2), vin(2), pack(9, maker="SWL")
    modules = [module(i) for i in range(1, 4)]
    events = [ev.produced(m, day(0), mass_kg=40.0) for m in modules]
    made = ev.produced(a, day(1), components=modules)
    events += [
        made,
        ev.shipped(a, AUTOMAKER, day(2), MAKER),
        ev.received(a, MAKER, day(3), AUTOMAKER),
        ev.installed(a, v, day(10)),
        ev.sold(v, day(20)),
        ev.produced(b, day(1)),
        ev.shipped(b, SWAP_OP, day(2), MAKER),
        ev.received(b, MAKER, day(4), SWAP_OP),
    ]
    swap = ev.swapped(v, STATION_A, a, b, day(30))
    repair = ev.repaired(a, day(35))
    events += [
        swap,
        repair,
        ev.correction(repair["event_id"], day(36), REPAIRER),
        ev.shipped(a, SECOND_LIFE, day(40), SWAP_OP),
        ev.received(a, SWAP_OP, day(42), SECOND_LIFE),
    ]
    second = ev.repurposed(a, day(50), "energy_storage", new_code=new_code)
    recycled = ev.recycled(b, day(110))
    events += [
        second,
        ev.removed(b, v, day(100), DISMANTLER, "scrapping"),
        ev.shipped(b, RECYCLER, day(101), DISMANTLER),
        ev.received(b, DISMANTLER, day(103), RECYCLER),
        recycled,
    ]
    resp = client.post("/v1/events", json={"events": events})
    assert resp.status_code == 200, resp.text
    return {
        "a": a,
        "b": b,
        "new": new_code,
        "modules": modules,
        "made": made,
        "swap": swap,
        "repair": repair,
        "second": second,
        "recycled": recycled,
    }


def _check_against_trace(client: TestClient, code: str, doc: ProvDocument) -> Facts:
    """Every event of the trace is an activity at its time, associated with its reporter, and every
    one but a correction or the making of a second-life code used the battery."""
    trace = client.get(f"/v1/batteries/{code}/trace").json()
    facts = _facts(doc)
    activities = {f[0] for f in facts["activity"]}
    assert activities == {_event(e["event_id"]) for e in trace["events"]}
    used = _pairs(facts, "used")
    associated = _pairs(facts, "wasAssociatedWith")
    for e in trace["events"]:
        if e["role"] not in ("correction", "new"):
            assert (_event(e["event_id"]), _battery(code)) in used, e
        assert (_event(e["event_id"]), _company(e["reporter"]["uscc"])) in associated, e
        attrs = _attrs(doc, _event(e["event_id"]))
        assert attrs[PROV + "type"] == {BT + e["type"]}
        assert attrs[BT + "corrected"] == {e["corrected"]}
    for e in trace["events"]:
        if e["type"] == "correction":
            assert (_event(e["event_id"]), _event(e["details"]["corrects"])) in _pairs(facts, "wasInformedBy")
    assert {f[0] for f in facts["agent"]} >= {_company(e["reporter"]["uscc"]) for e in trace["events"]}
    return facts


def test_a_batterys_provenance_says_what_its_trace_says(client: TestClient, db: Database) -> None:
    w = _hand_built_world(client, db)
    a, b, new_code = w["a"], w["b"], w["new"]

    doc = _both(client, a)
    facts = _check_against_trace(client, a, doc)
    made, second, swap, repair = (_event(w[k]["event_id"]) for k in ("made", "second", "swap", "repair"))
    assert (_battery(a), made) in _pairs(facts, "wasGeneratedBy")
    # the pack from its modules, in its production; the second-life product from the pack
    derived = {(f[0], f[1], f[2]) for f in facts["wasDerivedFrom"]}
    assert {(_battery(a), _battery(m), made) for m in w["modules"]} <= derived
    assert (_battery(new_code), _battery(a), second) in derived
    assert (_battery(new_code), second) in _pairs(facts, "wasGeneratedBy")
    assert not facts["wasInvalidatedBy"]
    # the swap: the station acted for its operator; the voided repair is marked and informs its correction
    station = STATION_URN_PREFIX + STATION_A
    assert (swap, station) in _pairs(facts, "wasAssociatedWith")
    assert (station, _company(SWAP_OP)) in _pairs(facts, "actedOnBehalfOf")
    assert _attrs(doc, repair)[BT + "corrected"] == {True}
    assert _attrs(doc, _company(SECOND_LIFE))[BT + "name"] == {"Second Wind Storage"}
    assert _attrs(doc, _battery(a))[BT + "status"] == {"repurposed"}

    doc = _both(client, b)
    facts = _check_against_trace(client, b, doc)
    assert _pairs(facts, "wasInvalidatedBy") == {(_battery(b), _event(w["recycled"]["event_id"]))}

    doc = _both(client, w["modules"][0])
    facts = _check_against_trace(client, w["modules"][0], doc)
    assert (_battery(a), _battery(w["modules"][0]), made) in {(f[0], f[1], f[2]) for f in facts["wasDerivedFrom"]}

    doc = _both(client, new_code)
    facts = _check_against_trace(client, new_code, doc)
    assert (_battery(new_code), _battery(a), second) in {(f[0], f[1], f[2]) for f in facts["wasDerivedFrom"]}


def test_provenance_is_guarded_as_the_trace_is(
    client: TestClient, app_client: TestClient, db: Database, key_for: Callable[..., str]
) -> None:
    w = _hand_built_world(client, db)
    a = w["a"]
    path = f"/v1/batteries/{a}/provenance"
    assert client.get(path, params={"format": "provn"}).status_code == 422
    assert client.get(f"/v1/batteries/{pack(77)}/provenance").status_code == 404
    app_client.headers.pop("X-API-Key", None)
    cases = {
        "own reporter": (key_for("reporter", MAKER), 200),
        "another company": (key_for("reporter", RECYCLER), 403),  # it only ever held pack b
        "another province": (issue_key(db, "regulator", "limited", provinces=["650000"]).key, 404),
        "analyst": (key_for("analyst"), 403),
    }
    for who, (key, want) in cases.items():
        for fmt in ("prov-json", "prov-o"):
            got = app_client.get(path, params={"format": fmt}, headers={"X-API-Key": key})
            assert got.status_code == want, (who, fmt, got.text[:200])
            assert want == 200 or "wasAssociatedWith" not in got.text, (who, fmt)
            trace = app_client.get(f"/v1/batteries/{a}/trace", headers={"X-API-Key": key})
            assert trace.status_code == want, (who, "trace")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("prov-world")
    generate_world(out, batteries=300, seed=32)  # holds each kind the test picks (checked when health readings came)
    return out


def test_the_synthetic_worlds_batteries_in_prov(client: TestClient, db: Database, world: Path) -> None:
    load_directory(db, world, progress=False)
    picks = {
        "corrected": "MATCH (b:Battery)<-[:ABOUT {role: 'correction'}]-(:Event) RETURN b.code AS code",
        "recycled": "MATCH (b:Battery {status: 'recycled'}) RETURN b.code AS code",
        "second life": "MATCH (b:Battery)<-[:ABOUT {role: 'new'}]-(:Event) RETURN b.code AS code",
        "repurposed": "MATCH (b:Battery)<-[:ABOUT {role: 'subject'}]-(:Event {type: 'repurposed'}) "
        "RETURN b.code AS code",
        "pack": "MATCH (b:Battery {level: 'pack'})<-[:PART_OF]-(:Battery) RETURN b.code AS code",
    }
    with db.driver.session(database=db.name) as s:
        codes = {k: s.run(q + " ORDER BY code LIMIT 1").single() for k, q in picks.items()}
    found = {k: r["code"] for k, r in codes.items() if r is not None}
    assert set(found) == set(picks), found
    for kind, code in found.items():
        doc = _both(client, code)
        facts = _check_against_trace(client, code, doc)
        detail = client.get(f"/v1/batteries/{code}").json()
        derived = _pairs(facts, "wasDerivedFrom")
        for product in detail["second_life_products"]:
            assert (_battery(product), _battery(code)) in derived, kind
        if detail["derived_from"]:
            assert (_battery(code), _battery(detail["derived_from"])) in derived, kind
        if detail["parent"]:
            assert (_battery(detail["parent"]), _battery(code)) in derived, kind
        for part in client.get(f"/v1/batteries/{code}/components").json()["components"]:
            assert (_battery(part["parent"]), _battery(part["code"])) in derived, kind
        invalidated = _pairs(facts, "wasInvalidatedBy")
        assert bool(invalidated) == (detail["status"] == "recycled"), kind
