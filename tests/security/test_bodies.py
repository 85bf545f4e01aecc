"""Malformed bodies get answers a sender can act on: where the JSON breaks, which media type to
send, that a number must be finite, and which JSON type a field wants. Through the real API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.db import Database
from tests.factories import SWAP_OP, Events, pack, seed_registry

JSON = {"content-type": "application/json"}
EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"


def _problems(res: Any) -> list[dict[str, Any]]:
    body: dict[str, Any] = res.json()
    assert body["detail"], body
    problems: list[dict[str, Any]] = body["errors"]
    return problems


def _event() -> dict[str, Any]:
    return Events("body").produced(pack(1))


def test_a_body_that_is_not_json_names_line_and_column(client: TestClient) -> None:
    broken = b'{\n  "events": [\n    {"a": 1}\n    {"b": 2}\n  ]\n}'
    res = client.post("/v1/events", headers=JSON, content=broken)
    assert res.status_code == 422
    assert res.json() == {
        "detail": "invalid input",
        "errors": [{"field": "body", "reason": "body is not valid JSON: Expecting ',' delimiter at line 4, column 5"}],
    }
    res = client.post("/v1/epcis/capture", headers={"content-type": "application/ld+json"}, content=b'{"type": }')
    assert res.status_code == 422
    assert _problems(res) == [
        {"field": "body", "reason": "body is not valid JSON: Expecting value at line 1, column 10"}
    ]


def test_an_empty_body_is_missing_not_malformed(client: TestClient) -> None:
    res = client.post("/v1/events", headers=JSON, content=b"")
    assert res.status_code == 422 and _problems(res) == [{"field": "body", "reason": "missing: send a JSON body"}]


@pytest.mark.parametrize(
    ("headers", "sent"),
    [
        ({"content-type": "text/plain"}, "a body of media type 'text/plain'"),
        ({"content-type": "application/ld+json"}, "a body of media type 'application/ld+json'"),
        ({}, "a body without a Content-Type"),
    ],
    ids=["text-plain", "ld-json", "none"],
)
def test_json_under_another_media_type_is_415(client: TestClient, headers: dict[str, str], sent: str) -> None:
    res = client.post("/v1/events", headers=headers, content=json.dumps({"events": [_event()]}).encode())
    assert res.status_code == 415
    assert res.json() == {"detail": f"unsupported media type: {sent}; send it as application/json"}


def test_registry_routes_want_json_too(client: TestClient) -> None:
    res = client.put("/v1/registry/companies", headers={"content-type": "text/plain"}, content=b'{"companies": []}')
    assert res.status_code == 415
    assert res.json()["detail"] == (
        "unsupported media type: a body of media type 'text/plain'; send it as application/json"
    )


def test_epcis_capture_takes_json_ld_and_json_only(client: TestClient) -> None:
    doc = json.dumps({"type": "EPCISDocument"}).encode()
    res = client.post("/v1/epcis/capture", headers={"content-type": "text/plain"}, content=doc)
    assert res.status_code == 415
    assert res.json()["detail"] == (
        "unsupported media type: a body of media type 'text/plain'; send it as application/ld+json or application/json"
    )
    for media in ("application/ld+json", "application/json; charset=utf-8"):
        res = client.post("/v1/epcis/capture", headers={"content-type": media}, content=doc)
        assert res.status_code == 422 and res.json()["detail"].endswith("nothing was stored"), media


def test_authentication_answers_before_the_media_type(app_client: TestClient) -> None:
    res = app_client.post("/v1/events", headers={"content-type": "text/plain"}, content=b"{}")
    assert res.status_code == 401 and "X-API-Key" in res.json()["detail"]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinities_must_be_finite(client: TestClient, db: Database, literal: str) -> None:
    seed_registry(db)
    event = _event()
    body = json.dumps({"events": [event]}).replace(f'"mass_kg": {event["mass_kg"]}', f'"mass_kg": {literal}')
    assert literal in body
    res = client.post("/v1/events", headers=JSON, content=body.encode())
    assert res.status_code == 422
    assert _problems(res) == [{"field": "mass_kg", "reason": "must be a finite number", "index": 0}]
    station = f'{{"stations": [{{"id": "ST0009", "operator": "{SWAP_OP}", "province": "110000", "lat": {literal}}}]}}'
    res = client.put("/v1/registry/stations", headers=JSON, content=station.encode())
    assert res.status_code == 422
    assert _problems(res) == [{"field": "stations.0.lat", "reason": "must be a finite number"}]


def test_type_mismatches_name_the_json_type_wanted_and_got(client: TestClient) -> None:
    event = dict(_event(), battery=5, mass_kg="heavy")
    res = client.post("/v1/events", json={"events": [event]})
    assert res.status_code == 422
    assert _problems(res) == [
        {"field": "battery", "reason": "must be a string, got a number", "index": 0},
        {"field": "mass_kg", "reason": "must be a number, got a string", "index": 0},
    ]
    res = client.post("/v1/events", json={"events": "all of them"})
    assert res.status_code == 422 and _problems(res) == [
        {"field": "events", "reason": "must be an array, got a string"}
    ]
    res = client.post("/v1/events", json=[_event()])
    assert res.status_code == 422 and _problems(res) == [{"field": "body", "reason": "must be an object, got an array"}]
    company = {"uscc": "x", "name": "n", "roles": "automaker", "province": "310000"}
    res = client.put("/v1/registry/companies", json={"companies": [company, True]})
    assert res.status_code == 422
    assert {"field": "companies.0.roles", "reason": "must be an array, got a string"} in _problems(res)
    assert {"field": "companies.1", "reason": "must be an object, got a boolean"} in _problems(res)


def test_epcis_schema_version_must_be_the_string(client: TestClient) -> None:
    doc = {
        "@context": [EPCIS_CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": 2.0,
        "creationDate": "2025-01-01T00:00:00Z",
        "epcisBody": {"eventList": []},
    }
    res = client.post("/v1/epcis/capture", json=doc)
    assert res.status_code == 422
    assert _problems(res) == [{"field": "schemaVersion", "reason": 'must be the string "2.0", got a number'}]
    res = client.post("/v1/epcis/capture", json=dict(doc, schemaVersion="1.2"))
    assert _problems(res) == [{"field": "schemaVersion", "reason": "must be \"2.0\" (EPCIS 2.0 documents), got '1.2'"}]


def test_a_query_parameter_of_the_wrong_type_shows_what_was_sent(client: TestClient) -> None:
    res = client.get("/v1/batteries", params={"limit": "ten"})
    assert res.status_code == 422
    assert _problems(res) == [{"field": "query.limit", "reason": "must be an integer, got 'ten'"}]
