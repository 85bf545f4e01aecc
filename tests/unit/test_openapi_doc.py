"""/openapi.json says every answer an operation can give, with its body and headers, and teaches.

The answers around a route are derived by ``app.openapi`` from the route table and the route's
dependencies; this walks the document and holds it to the table, so a new route is documented
(or fails here) without anyone writing its refusals.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.main import create_app
from app.openapi import operations
from app.security.access import ROLES
from app.security.policy import access_for

# Public routes that reach Neo4j (the others answer from the process alone: no 503).
PUBLIC_WITH_DATABASE = {
    ("get", "/readyz"),
    ("get", "/public/recyclers"),
    ("get", "/public/companies/{uscc}/licence"),
    ("get", "/public/batteries/{code}"),
}
# Routes that read their JSON body through app.api.deps' media check (415 for another type).
MEDIA_CHECKED = {
    ("post", "/v1/events"),
    ("post", "/v1/epcis/capture"),
    ("put", "/v1/registry/companies"),
    ("put", "/v1/registry/stations"),
    ("put", "/v1/registry/vehicles"),
}
# Fields and parameters holding identifiers: each must say what it is and what is checked.
IDENTIFIERS = {"battery", "battery_in", "battery_out", "vehicle", "vin", "reporter", "uscc", "to", "from"}
IDENTIFIERS |= {"event_id", "corrects", "station", "province", "code", "station_id", "operator", "maker", "id"}
REQUEST_SCHEMAS = {"Company", "Station", "Vehicle", "Licence"}


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    """The document as served (the app builds it without a database; JSON as the route answers it)."""
    return json.loads(json.dumps(create_app().openapi()))


def _props(node: Any) -> list[dict[str, Any]]:
    """Every property schema anywhere below ``node``."""
    out: list[dict[str, Any]] = []
    if isinstance(node, dict):
        for value in (node.get("properties") or {}).values():
            if isinstance(value, dict):
                out.append(value)
        for value in node.values():
            out.extend(_props(value))
    elif isinstance(node, list):
        for value in node:
            out.extend(_props(value))
    return out


def test_every_operation_lists_the_answers_the_guards_give(doc: dict[str, Any]) -> None:
    for method, path, op in operations(doc):
        access = access_for(method, path)
        assert access is not None, f"{method} {path} has no entry in the route table"
        answers = op["responses"]
        where = f"{method.upper()} {path}"
        assert "422" in answers, where  # parameters and bodies, and the bookmark header on every route
        if access.public:
            assert not {"401", "403"} & set(answers), where
            # the public answers are limited per client address; the rest of the public routes not at all
            assert ("429" in answers) == access.per_client, where
        else:
            assert {"401", "429", "503"} <= set(answers), where
            narrowed = set(access.roles) != set(ROLES) or access.provinces == "filter" or access.reporter_own
            assert ("403" in answers) == narrowed, f"{where}: 403 exactly when the table refuses some key"
        if access.public:
            assert ("503" in answers) == ((method, path) in PUBLIC_WITH_DATABASE), where
        if any(p["in"] == "path" and "enum" not in p["schema"] for p in op.get("parameters", [])):
            # a public answer says "unknown" in a 200 rather than 404
            assert ("404" in answers) != access.per_client, where
        assert ("413" in answers) == ("requestBody" in op), where
        assert ("415" in answers) == ((method, path) in MEDIA_CHECKED), where
        for status in ("429", "503"):
            if status in answers:
                assert answers[status]["headers"]["Retry-After"]["schema"]["type"] == "integer", (where, status)
        for status, answer in answers.items():
            if status[0] in "45":
                assert answer["description"], (where, status)
                assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Problem"}


def test_the_problem_body_names_field_and_reason(doc: dict[str, Any]) -> None:
    problem = doc["components"]["schemas"]["Problem"]
    assert problem["required"] == ["detail"]
    assert problem["properties"]["errors"]["items"]["required"] == ["field", "reason"]
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    example = doc["paths"]["/v1/events"]["post"]["responses"]["422"]["content"]["application/json"]["example"]
    assert {"index", "field", "reason"} <= set(example["errors"][0])


def test_every_request_body_has_examples_and_events_one_per_type(doc: dict[str, Any]) -> None:
    bodies = [(m, p, op["requestBody"]) for m, p, op in operations(doc) if "requestBody" in op]
    assert bodies
    for method, path, body in bodies:
        for media, content in body["content"].items():
            assert content.get("examples"), f"{method.upper()} {path} {media}: no example"
    events = doc["paths"]["/v1/events"]["post"]["requestBody"]["content"]["application/json"]["examples"]
    kinds = {e["value"]["events"][0]["type"] for e in events.values() if "x-status" not in e}
    assert kinds == set(
        doc["components"]["schemas"]["EventBatch"]["properties"]["events"]["items"]["discriminator"]["mapping"]
    )


def test_identifiers_say_what_they_are_and_what_is_checked(doc: dict[str, Any]) -> None:
    schemas = doc["components"]["schemas"]
    events = schemas["EventBatch"]["properties"]["events"]["items"]["discriminator"]["mapping"].values()
    requests = [schemas[ref.rsplit("/", 1)[1]] for ref in events] + [schemas[n] for n in REQUEST_SCHEMAS]
    for schema in requests:
        assert schema.get("description"), schema["title"]
        for name, prop in schema["properties"].items():
            if name in IDENTIFIERS:
                assert len(prop.get("description", "")) > 40, (schema["title"], name)
    for method, path, op in operations(doc):
        for p in op.get("parameters", []):
            if p["name"] in IDENTIFIERS and p["in"] == "path":
                assert len(p.get("description", "")) > 40, (method, path, p["name"])


def test_count_of_properties_without_a_description(doc: dict[str, Any]) -> None:
    props = _props(doc["components"])
    bare = [p for p in props if not p.get("description")]
    print(f"properties: {len(props)}, without a description: {len(bare)}")
    # 537 of 667 had none before the request schemas and identifiers were described; do not slide back.
    assert len(bare) <= 391
