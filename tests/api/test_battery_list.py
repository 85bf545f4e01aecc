"""``GET /v1/batteries`` filtered by status, maker, chemistry and province, as the list page asks."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from app.db import Database
from app.security import issue_key
from tests.factories import AUTOMAKER, MAKER, REPAIRER, SECOND_LIFE, Events, day, first_life, pack, seed_registry, vin

TERNARY = pack(4, chemistry="E")


@pytest.fixture
def world(client: TestClient, db: Database) -> None:
    seed_registry(db)
    ev = Events("list")
    events = [
        *first_life(ev, pack(1), vin(1)),  # Jiangsu (maker) and Shanghai (automaker); installed
        ev.produced(pack(2), day(0), province="440000"),  # Guangdong; in stock
        ev.produced(pack(3), day(0)),
        ev.shipped(pack(3), SECOND_LIFE, day(2), MAKER),
        ev.received(pack(3), MAKER, day(4), SECOND_LIFE),  # Jiangsu only
        ev.produced(TERNARY, day(0), chemistry="ternary"),
    ]
    assert client.post("/v1/events", json={"events": events}).status_code == 200


def codes(client: TestClient, headers: dict[str, str] | None = None, **params: str) -> list[str]:
    res = client.get("/v1/batteries", params=params, headers=headers or {})
    assert res.status_code == 200, res.text
    return [b["code"] for b in res.json()["items"]]


def test_province_keeps_the_batteries_with_an_event_there(world: None, client: TestClient) -> None:
    assert codes(client, province="440000") == [pack(2)]
    assert codes(client, province="310000") == [pack(1)]
    assert codes(client, province="320000") == sorted([pack(1), pack(3), TERNARY])
    assert codes(client, province="650000") == []


def test_filters_combine(world: None, client: TestClient) -> None:
    assert codes(client, province="320000", status="installed") == [pack(1)]
    assert codes(client, province="310000", maker="CAT") == [pack(1)]
    assert codes(client, province="320000", maker="BYD") == []
    assert codes(client, chemistry="ternary") == [TERNARY]
    assert codes(client, province="440000", chemistry="LFP", status="in_stock") == [pack(2)]
    assert codes(client, province="440000", status="installed") == []


def test_a_bad_province_is_422_and_one_outside_a_limited_key_403(
    world: None, app_client: TestClient, db: Database, key_for: Callable[..., str]
) -> None:
    investigator = {"X-API-Key": key_for("investigator")}
    for bad in ("44", "4400001", "guangdong"):
        res = app_client.get("/v1/batteries", params={"province": bad}, headers=investigator)
        assert res.status_code == 422 and res.json()["errors"][0]["field"] == "query.province", res.text
    limited = {"X-API-Key": issue_key(db, "regulator", "limited", provinces=["310000", "440000"]).key}
    assert codes(app_client, limited, province="440000") == [pack(2)]
    refused = app_client.get("/v1/batteries", params={"province": "320000"}, headers=limited)
    assert refused.status_code == 403 and "320000" in refused.json()["detail"]
    for role in ("analyst", "reporter"):
        key = key_for(role, MAKER if role == "reporter" else None)
        assert (
            app_client.get("/v1/batteries", params={"province": "320000"}, headers={"X-API-Key": key}).status_code
            == 403
        )


def test_a_reporter_lists_its_own_companys_batteries_only(
    world: None, app_client: TestClient, key_for: Callable[..., str]
) -> None:
    second_life = {"X-API-Key": key_for("reporter", SECOND_LIFE)}
    assert codes(app_client, second_life) == [pack(3)]  # received it: held it
    assert codes(app_client, second_life, status="installed") == []
    automaker = {"X-API-Key": key_for("reporter", AUTOMAKER)}
    assert codes(app_client, automaker) == [pack(1)]
    assert codes(app_client, automaker, chemistry="LFP", status="installed") == [pack(1)]
    maker = {"X-API-Key": key_for("reporter", MAKER)}
    assert codes(app_client, maker) == sorted([pack(1), pack(2), pack(3), TERNARY])
    page = app_client.get("/v1/batteries", params={"limit": 2}, headers=maker).json()
    assert len(page["items"]) == 2 and page["next_after"] == page["items"][-1]["code"]
    rest = codes(app_client, maker, after=page["next_after"])
    assert [b["code"] for b in page["items"]] + rest == sorted([pack(1), pack(2), pack(3), TERNARY])
    nobody = {"X-API-Key": key_for("reporter", REPAIRER)}
    assert codes(app_client, nobody) == []
