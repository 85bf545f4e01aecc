"""EPCIS 2.0 out against the real graph: the query interface's pages validate against GS1's schema,
narrow as asked and never skip an event, and a whole store exported and captured into an empty
one gives the same events, the same chains and the same projection."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient

from app.db import Database
from app.security import issue_key
from app.services.store import clear_store
from loaders.files import load_directory, load_registry
from loaders.synth import generate_world

SCHEMA = Path(__file__).resolve().parents[1] / "fixtures" / "epcis" / "gs1" / "EPCIS-JSON-Schema.json"
JSON_LD = "application/ld+json"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("epcis-query-world")
    generate_world(out, batteries=120, seed=23)
    return out


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA.read_text())
    return jsonschema.validators.validator_for(schema)(schema)


def _store(db: Database) -> dict[str, Any]:
    """What must survive a round trip: every payload, each battery's chain of content hashes, and
    the projection's state of each battery."""
    with db.driver.session(database=db.name) as s:
        payloads = {
            r["id"]: json.loads(r["p"]) for r in s.run("MATCH (e:Event) RETURN e.event_id AS id, e.payload AS p")
        }
        chains = {
            r["code"]: r["hashes"]
            for r in s.run(
                "MATCH (b:Battery)<-[a:ABOUT]-(e:Event) WITH b, a, e ORDER BY a.seq "
                "RETURN b.code AS code, collect(e.content_hash) AS hashes"
            )
        }
        batteries = {
            r["b"]["code"]: r["b"]
            for r in s.run(
                "MATCH (b:Battery) RETURN b {.code, .status, .status_since, .current_vin, .current_holder, "
                ".chain_length, .level, .chemistry} AS b"
            )
        }
    return {"payloads": payloads, "chains": chains, "batteries": batteries}


def _pages(
    client: TestClient, params: dict[str, Any], validator: jsonschema.protocols.Validator
) -> list[dict[str, Any]]:
    """Every page of a query, following the Link header; each page checked against GS1's schema."""
    pages: list[dict[str, Any]] = []
    url, query = "/v1/epcis/events", dict(params)
    tokens: list[str] = []
    while True:
        assert len(pages) < 500, f"paging does not end: tokens {tokens[-5:]}"
        resp = client.get(url, params=query or None)
        assert resp.status_code == 200, resp.text
        assert resp.headers["content-type"].startswith(JSON_LD)
        assert resp.headers["GS1-EPCIS-Version"] == "2.0.0"
        page = resp.json()
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(page)]
        assert errors == [], errors[:5]
        pages.append(page)
        link = resp.headers.get("link")
        if link is None:
            return pages
        url, query = link[1 : link.index(">")], {}
        tokens.append(url.rsplit("=", 1)[1])


def _events(pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for p in pages for e in p["epcisBody"]["queryResults"]["resultsBody"]["eventList"]]


def test_a_store_exported_and_captured_into_an_empty_one_is_the_same(
    db: Database, client: TestClient, world: Path, validator: jsonschema.protocols.Validator
) -> None:
    load_directory(db, world, progress=False)
    before = _store(db)
    pages = _pages(client, {"perPage": 97}, validator)
    assert len(pages) > 3
    assert len(_events(pages)) == len(before["payloads"])

    clear_store(db)
    load_registry(db, world)
    client.headers["X-API-Key"] = issue_key(db, "admin", "round trip").key
    for page in pages:
        resp = client.post("/v1/epcis/capture", json=page, headers={"content-type": JSON_LD})
        assert resp.status_code == 200, resp.text[:2000]
    after = _store(db)
    assert after["payloads"] == before["payloads"]
    assert after["chains"] == before["chains"]
    assert after["batteries"] == before["batteries"]
    # capturing the export again changes nothing
    again = client.post("/v1/epcis/capture", json=pages[0], headers={"content-type": JSON_LD}).json()
    assert again["accepted"] == 0 and again["duplicates"] > 0


def test_queries_narrow_as_asked_and_pages_miss_nothing(
    db: Database,
    client: TestClient,
    world: Path,
    key_for: Callable[..., str],
    validator: jsonschema.protocols.Validator,
) -> None:
    load_directory(db, world, progress=False)
    every = _events(_pages(client, {"perPage": 50}, validator))
    # a correction repeats the eventID it corrects (as EPCIS writes one); its own id is in the declaration
    ids = [e.get("errorDeclaration", {}).get("bt:correction_id", e["eventID"]) for e in every]
    assert len(ids) == len(set(ids))
    assert any("errorDeclaration" in e for e in every), "the world holds corrections"

    shipping = _events(_pages(client, {"EQ_bizStep": "urn:epcglobal:cbv:bizstep:shipping", "perPage": 40}, validator))
    assert shipping and {e["bizStep"] for e in shipping} == {"shipping"}
    assert len(shipping) == sum(1 for e in every if e["bizStep"] == "shipping")

    code = next(e["epcList"][0] for e in every if e["bizStep"] == "receiving")
    mine = _events(_pages(client, {"MATCH_epc": code}, validator))
    assert mine and all(code in json.dumps(e) for e in mine)
    assert len(mine) == sum(1 for e in every if code in json.dumps(e))

    times = sorted(e["eventTime"] for e in every)
    middle = times[len(times) // 2]
    later = _events(_pages(client, {"GE_eventTime": middle, "perPage": 1000}, validator))
    assert later and len(later) < len(every)

    reporter = every[0]["bt:reporter"].rsplit(":", 1)[1]
    client.headers["X-API-Key"] = key_for("reporter", reporter)
    own = _events(_pages(client, {"perPage": 1000}, validator))
    assert own and {e["bt:reporter"] for e in own} == {every[0]["bt:reporter"]}
    assert len(own) == sum(1 for e in every if e["bt:reporter"] == every[0]["bt:reporter"])


def test_bad_parameters_are_named(client: TestClient) -> None:
    cases = {
        "MATCH_epc": {"MATCH_epc": "urn:epc:id:sgtin:0614141.107346.2018"},
        "EQ_bizStep": {"EQ_bizStep": "storing"},
        "EQ_bizLocation": {"EQ_bizLocation": "urn:gbt32100:uscc:91320400MA1MK7A3F4"},
        "nextPageToken": {"nextPageToken": "abc"},
        "GE_eventTime": {"GE_eventTime": "2025-01-01T00:00:00"},
    }
    for field, params in cases.items():
        resp = client.get("/v1/epcis/events", params=params)
        assert resp.status_code == 422, (field, resp.text)
        assert field in {e["field"] for e in resp.json()["errors"]}, (field, resp.json())


def test_a_batterys_history_is_a_capturable_document(
    db: Database, client: TestClient, world: Path, validator: jsonschema.protocols.Validator
) -> None:
    load_directory(db, world, progress=False)
    with db.driver.session(database=db.name) as s:
        code = s.run(
            "MATCH (b:Battery)<-[:ABOUT]-(e:Event {type: 'correction'}) RETURN b.code AS code LIMIT 1"
        ).single()["code"]
    resp = client.get(f"/v1/batteries/{code}/epcis")
    assert resp.status_code == 200
    doc = resp.json()
    assert doc["type"] == "EPCISDocument"
    assert [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)] == []
    events = doc["epcisBody"]["eventList"]
    assert any("errorDeclaration" in e for e in events)
    assert client.get("/v1/batteries/K7NPE12A3B5C7DF610009999/epcis").status_code == 404
