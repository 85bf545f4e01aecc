"""A reporter's compliance view: the leakage findings that name its own company, and nobody else's."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from app.db import Database
from tests.factories import AUTOMAKER, MAKER, Events, day, first_life, pack, seed_registry, vin

AS_OF = "2040-01-01T00:00:00+08:00"  # every pack long silent


def test_a_reporter_sees_the_findings_naming_its_company(
    client: TestClient, app_client: TestClient, db: Database, key_for: Callable[..., str]
) -> None:
    seed_registry(db)
    ev = Events("mine")
    events = [*first_life(ev, pack(1), vin(1)), ev.produced(pack(2), day(0)), ev.produced(pack(3), day(1))]
    assert client.post("/v1/events", json={"events": events}).status_code == 200
    maker = {"X-API-Key": key_for("reporter", MAKER)}

    mine = app_client.get("/v1/companies/me/findings", params={"as_of": AS_OF}, headers=maker).json()
    assert mine["company"] == MAKER and mine["rule"] is None and mine["next_skip"] is None
    assert {f["company"] for f in mine["items"]} == {MAKER}
    assert {(f["rule"], f["battery"]) for f in mine["items"]} >= {
        ("silent_battery", pack(2)),
        ("silent_battery", pack(3)),
    }
    assert [(f["since"], f["rule"]) for f in mine["items"]] == sorted((f["since"], f["rule"]) for f in mine["items"])
    # the same as each rule's findings asked for the company, merged
    rules = [r["id"] for r in client.get("/v1/leakage/rules").json()["rules"]]
    each = [
        f
        for rule in rules
        for f in client.get(f"/v1/leakage/{rule}", params={"as_of": AS_OF, "company": MAKER}).json()["items"]
    ]
    assert sorted(map(str, mine["items"])) == sorted(map(str, each))
    assert (
        client.get("/v1/companies/me/findings", params={"as_of": AS_OF, "company": MAKER}).json()["items"]
        == mine["items"]
    )

    silent = app_client.get(
        "/v1/companies/me/findings", params={"as_of": AS_OF, "rule": "silent_battery", "limit": 1}, headers=maker
    ).json()
    assert silent["rule"] == "silent_battery" and silent["next_skip"] == 1
    assert [f["battery"] for f in silent["items"]] == [pack(2)]
    rest = app_client.get(
        "/v1/companies/me/findings", params={"as_of": AS_OF, "rule": "silent_battery", "skip": 1}, headers=maker
    ).json()
    assert [f["battery"] for f in rest["items"]] == [pack(3)] and rest["next_skip"] is None

    other = app_client.get("/v1/companies/me/findings", params={"company": AUTOMAKER}, headers=maker)
    assert other.status_code == 403 and AUTOMAKER in other.json()["detail"]
    unknown = app_client.get("/v1/companies/me/findings", params={"rule": "no_such_rule"}, headers=maker)
    assert unknown.status_code == 404
    for role in ("investigator", "regulator", "analyst"):
        refused = app_client.get("/v1/companies/me/findings", headers={"X-API-Key": key_for(role)})
        assert refused.status_code == 403 and f"role {role}" in refused.json()["detail"]
    unnamed = client.get("/v1/companies/me/findings")
    assert unnamed.status_code == 422 and unnamed.json()["errors"][0]["field"] == "company"
