"""Every request example of /openapi.json, sent to the real API in the order the document gives it.

The registry examples register a small world, the event examples tell two packs' lives in it (each
event sent with its own reporter's key, as the company would), the EPCIS example captures a third
pack, and the findings examples work a case of the findings tests' world. An example answers what
it says: 200 (with the warnings it lists in ``x-warnings``), or the refusal its ``x-status`` names,
with the body the document promises.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from app.db import Database
from tests.api.test_findings import A, B, dark, sweep, world
from tests.factories import REPAIRER

Examples = list[tuple[str, dict[str, Any]]]


def examples(doc: dict[str, Any], method: str, path: str, media: str = "application/json") -> Examples:
    content = doc["paths"][path][method]["requestBody"]["content"][media]
    return list(content["examples"].items())


def answered_as_documented(
    doc: dict[str, Any], method: str, path: str, name: str, example: dict[str, Any], res: Any
) -> dict[str, Any]:
    """The answer is the example's promise: its status, documented for the operation, with a Problem body."""
    wanted = example.get("x-status", 200)
    assert res.status_code == wanted, f"{method} {path} example {name!r}: {res.status_code} {res.text}"
    assert str(wanted) in doc["paths"][path][method]["responses"]
    body: dict[str, Any] = res.json()
    if wanted >= 400:
        assert isinstance(body["detail"], str) and body["errors"], body
        assert all(e["field"] and e["reason"] for e in body["errors"]), body
    return body


def test_every_request_example_is_answered_as_documented(
    client: TestClient, db: Database, key_for: Callable[..., str]
) -> None:
    doc = client.get("/openapi.json").json()
    sent: set[tuple[str, str, str]] = set()

    for path in ("/v1/registry/companies", "/v1/registry/stations", "/v1/registry/vehicles"):
        for name, example in examples(doc, "put", path):
            res = client.put(path, json=example["value"])
            answered_as_documented(doc, "put", path, name, example, res)
            sent.add(("put", path, name))

    keys: dict[str, str] = {}
    for name, example in examples(doc, "post", "/v1/events"):
        events = example["value"]["events"]
        reporter = events[0]["reporter"]
        keys.setdefault(reporter, key_for("reporter", reporter))
        res = client.post("/v1/events", json=example["value"], headers={"X-API-Key": keys[reporter]})
        body = answered_as_documented(doc, "post", "/v1/events", name, example, res)
        if res.status_code == 200:
            assert (body["accepted"], body["duplicates"]) == (len(events), 0), body
            assert [w["code"] for w in body["warnings"]] == example.get("x-warnings", []), (name, body["warnings"])
        else:
            assert {e["index"] for e in body["errors"]} == {0}
            promised = doc["paths"]["/v1/events"]["post"]["responses"]["422"]["content"]["application/json"]
            said = promised["example"]["errors"][0]
            assert body["errors"][0]["field"] == said["field"], body
            assert body["errors"][0]["reason"].split(":")[0] == said["reason"].split(":")[0], body
        sent.add(("post", "/v1/events", name))

    for name, example in examples(doc, "post", "/v1/epcis/capture", "application/ld+json"):
        res = client.post(
            "/v1/epcis/capture",
            content=json.dumps(example["value"], ensure_ascii=False).encode(),
            headers={"content-type": "application/ld+json"},
        )
        body = answered_as_documented(doc, "post", "/v1/epcis/capture", name, example, res)
        assert body["accepted"] == body["epcis_events"] == len(example["value"]["epcisBody"]["eventList"]), body
        assert body["warnings"] == [], body
        sent.add(("post", "/v1/epcis/capture", name))

    # The public answers' parameter examples, against the world the examples above told, with no key.
    public = {k: v for k, v in client.headers.items() if k.lower() != "x-api-key"}
    for path in (p for p in doc["paths"] if p.startswith("/public/")):
        for parameter in doc["paths"][path]["get"]["parameters"]:
            for name, example in parameter.get("examples", {}).items():
                where = path.replace("{" + parameter["name"] + "}", example["value"])
                params = {parameter["name"]: example["value"]} if parameter["in"] == "query" else {}
                res = client.get(where, params=params, headers={**public, "X-API-Key": ""})
                answered_as_documented(doc, "get", path, name, example, res)
                sent.add(("get", path, name))

    world(client, db)
    sweep(client)
    reviewed, answered = dark(client, A), dark(client, B)
    regulator = {"X-API-Key": key_for("regulator")}
    for name, example in examples(doc, "patch", "/v1/findings/{finding_id}"):
        res = client.patch(f"/v1/findings/{reviewed['id']}", json=example["value"], headers=regulator)
        answered_as_documented(doc, "patch", "/v1/findings/{finding_id}", name, example, res)
        sent.add(("patch", "/v1/findings/{finding_id}", name))
    company = {"X-API-Key": key_for("reporter", REPAIRER)}
    for name, example in examples(doc, "post", "/v1/findings/{finding_id}/answer"):
        res = client.post(f"/v1/findings/{answered['id']}/answer", json=example["value"], headers=company)
        answered_as_documented(doc, "post", "/v1/findings/{finding_id}/answer", name, example, res)
        sent.add(("post", "/v1/findings/{finding_id}/answer", name))

    documented = {
        (method, path, name)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        for content in op.get("requestBody", {}).get("content", {}).values()
        for name in content.get("examples", {})
    } | {
        (method, path, name)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        for parameter in op.get("parameters", [])
        for name in parameter.get("examples", {})
    }
    assert documented == sent, "request examples no test sends"
