"""Regulator keys limited to provinces: what they see, what is hidden, what is refused.

The world: pack 1 goes from the maker (Jiangsu, 320000) to the automaker (Shanghai, 310000) and
into vehicle 1; pack 2 is produced with an event that says Guangdong (440000); pack 3 goes from the
maker to the second-life company, both in Jiangsu. A key for 310000 and 440000 sees packs 1 and
2 (an event's province, else its reporter's), not pack 3.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.db import Database
from app.errors import InvalidInput
from app.security import issue_key
from tests.factories import AUTOMAKER, MAKER, SECOND_LIFE, Events, day, first_life, pack, seed_registry, vin

LIMITED = ["310000", "440000"]
AS_OF = "2040-01-01T00:00:00+08:00"  # every pack long silent: findings in every province
SILENT = {"as_of": AS_OF, "service_life_years": 1}


def _world(client: TestClient, db: Database) -> None:
    seed_registry(db)
    ev = Events("prov")
    events = [
        *first_life(ev, pack(1), vin(1)),
        ev.produced(pack(2), day(0), province="440000"),
        ev.produced(pack(3), day(0)),
        ev.shipped(pack(3), SECOND_LIFE, day(2), MAKER),
        ev.received(pack(3), MAKER, day(4), SECOND_LIFE),
    ]
    assert client.post("/v1/events", json={"events": events}).status_code == 200


@pytest.fixture
def limited(db: Database) -> dict[str, str]:
    return {"X-API-Key": issue_key(db, "regulator", "test limited regulator", provinces=LIMITED).key}


@pytest.fixture
def regulator(key_for: Callable[..., str]) -> dict[str, str]:
    return {"X-API-Key": key_for("regulator")}


def test_provinces_are_checked_when_a_key_is_issued(db: Database) -> None:
    for role, provinces, wording in [
        ("regulator", ["440000", "999999"], "999999 is not a GB/T 2260 province-level code"),
        ("regulator", ["440100"], "a prefecture or county code"),
        ("investigator", ["440000"], "only regulator keys"),
        ("regulator", [], "at least one"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            issue_key(db, role, "x", provinces=provinces)  # type: ignore[arg-type]
        assert refused.value.problems[0].field == "provinces" and wording in refused.value.message
    issued = issue_key(db, "regulator", "x", provinces=["440000", "320000", "440000"])
    assert issued.provinces == ("320000", "440000")


def test_batteries_vehicles_and_stations_outside_are_unknown(
    client: TestClient, app_client: TestClient, db: Database, limited: dict[str, str], regulator: dict[str, str]
) -> None:
    _world(client, db)

    def codes(headers: dict[str, str]) -> list[str]:
        return [b["code"] for b in app_client.get("/v1/batteries", headers=headers).json()["items"]]

    assert codes(regulator) == sorted([pack(1), pack(2), pack(3)])
    assert codes(limited) == sorted([pack(1), pack(2)])
    for path in ("", "/trace", "/verify", "/components"):
        assert app_client.get(f"/v1/batteries/{pack(2)}{path}", headers=limited).status_code == 200
        hidden = app_client.get(f"/v1/batteries/{pack(3)}{path}", headers=limited)
        unknown = app_client.get(f"/v1/batteries/{pack(9)}{path}", headers=limited)
        assert hidden.status_code == unknown.status_code == 404
        assert hidden.json()["detail"] == unknown.json()["detail"].replace(pack(9), pack(3))
    assert app_client.get(f"/v1/vehicles/{vin(1)}/batteries", headers=limited).status_code == 200
    assert app_client.get(f"/v1/vehicles/{vin(1)}", headers=limited).status_code == 200
    for path in (f"/v1/vehicles/{vin(2)}", f"/v1/vehicles/{vin(2)}/batteries", "/v1/stations/ST0001/swaps"):
        assert app_client.get(path, headers=limited).status_code == 404  # vehicle 2: no events; stations: Beijing
        assert app_client.get(path, headers=regulator).status_code == 200
    graph = app_client.get(
        "/v1/analytics/vehicle-batteries", params={"vin": vin(1), "code": pack(3)}, headers=limited
    ).json()
    assert {n["id"] for n in graph["nodes"] if n["kind"] == "battery"} == {pack(1), pack(3)}  # pack 3: chosen only
    assert [(e["source"], e["target"]) for e in graph["edges"]] == [(vin(1), pack(1))]


def test_findings_and_summary_are_counted_within_the_provinces(
    client: TestClient, app_client: TestClient, db: Database, limited: dict[str, str], regulator: dict[str, str]
) -> None:
    _world(client, db)
    everything = app_client.get("/v1/leakage/silent_battery", params=SILENT, headers=regulator).json()["items"]
    assert {f["province"] for f in everything} >= {"310000", "320000"}
    inside = [f for f in everything if f["province"] in LIMITED]
    page = app_client.get("/v1/leakage/silent_battery", params=SILENT, headers=limited).json()
    assert page["items"] == inside and inside
    one = app_client.get("/v1/leakage/silent_battery", params={**SILENT, "limit": 1}, headers=limited).json()
    assert one["items"] == inside[:1] and one["next_skip"] == (1 if len(inside) > 1 else None)
    export = app_client.get("/v1/leakage/silent_battery/export", params={**SILENT, "format": "json"}, headers=limited)
    assert export.json() == inside
    outside = app_client.get("/v1/leakage/silent_battery", params={**SILENT, "province": "320000"}, headers=limited)
    assert outside.status_code == 403 and "320000" in outside.json()["detail"]
    assert app_client.get("/v1/leakage/summary", params={"province": "320000"}, headers=limited).status_code == 403

    def summary(headers: dict[str, str]) -> dict[str, Any]:
        answer: dict[str, Any] = app_client.get("/v1/leakage/summary", params={"as_of": AS_OF}, headers=headers).json()
        return answer

    national, mine = summary(regulator), summary(limited)
    assert national["packs"] == 3 and mine["packs"] == 2
    assert {p["province"] for p in mine["by_province"]} <= set(LIMITED)
    assert {p["province"] for p in national["by_province"]} - set(LIMITED)
    counted = {r["rule"]: r["count"] for r in mine["by_rule"]}
    expected = {p["rule"]: 0 for p in national["by_province"]}
    for row in national["by_province"]:
        if row["province"] in LIMITED:
            expected[row["rule"]] += row["count"]
    assert {r: n for r, n in counted.items() if n} == {r: n for r, n in expected.items() if n}


def test_networks_are_narrowed_to_the_provinces(
    client: TestClient, app_client: TestClient, db: Database, limited: dict[str, str], regulator: dict[str, str]
) -> None:
    _world(client, db)

    def edges(headers: dict[str, str]) -> set[tuple[str, str]]:
        graph = app_client.get("/v1/analytics/custody/graph", headers=headers).json()
        return {(e["source"], e["target"]) for e in graph["edges"]}

    assert edges(regulator) == {(MAKER, AUTOMAKER), (MAKER, SECOND_LIFE)}
    assert edges(limited) == {(MAKER, AUTOMAKER)}  # the automaker is in Shanghai
    refused = app_client.get("/v1/analytics/custody/metrics", params={"province": "320000"}, headers=limited)
    assert refused.status_code == 403 and "limited to provinces 310000, 440000" in refused.json()["detail"]
    assert (
        app_client.get("/v1/analytics/custody/graph", params={"province": "310000"}, headers=limited).status_code == 200
    )
    export = app_client.get("/v1/analytics/custody/export", params={"format": "graphml"}, headers=limited)
    assert export.status_code == 200 and "310000,440000" in export.text
