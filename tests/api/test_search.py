"""``GET /v1/search``: partial codes, VINs, companies and stations, each kind as the key may read it.

The world (as tests/security/test_provinces.py): pack 1 from the maker (Jiangsu) to the automaker
(Shanghai) and into vehicle 1; pack 2 produced with an event in Guangdong; pack 3 from the maker
to the second-life company (both Jiangsu); pack 12 only produced. The maker reported on all four,
the second-life company on pack 3 alone, the repairer on none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.db import Database
from app.queries import get_query
from app.security import issue_key
from tests.factories import (
    AUTOMAKER,
    MAKER,
    REPAIRER,
    SECOND_LIFE,
    STATION_A,
    STATION_B,
    Events,
    day,
    first_life,
    pack,
    seed_registry,
    vin,
)

PACKS = [pack(1), pack(2), pack(3), pack(12)]
SERIAL_1 = pack(1)[-6:]  # "000001": the end of pack 1's code and inside pack 12's ("...0000012")


@pytest.fixture
def world(client: TestClient, db: Database) -> None:
    seed_registry(db)
    ev = Events("search")
    events = [
        *first_life(ev, pack(1), vin(1)),
        ev.produced(pack(2), day(0), province="440000"),
        ev.produced(pack(3), day(0)),
        ev.shipped(pack(3), SECOND_LIFE, day(2), MAKER),
        ev.received(pack(3), MAKER, day(4), SECOND_LIFE),
        ev.produced(pack(12), day(0)),
    ]
    assert client.post("/v1/events", json={"events": events}).status_code == 200


def ask(app_client: TestClient, key: str | None, q: str, **params: Any) -> Any:
    res = app_client.get("/v1/search", params={"q": q, **params}, headers={"X-API-Key": key} if key else {})
    assert res.status_code == 200, res.text
    return res.json()


def ids(body: Any, kind: str) -> list[str]:
    return [h["id"] for h in body["hits"] if h["kind"] == kind]


def matches(body: Any, kind: str) -> dict[str, str]:
    return {h["id"]: h["match"] for h in body["hits"] if h["kind"] == kind}


def test_a_partial_code_finds_prefixes_then_codes_containing_it(
    world: None, app_client: TestClient, key_for: Callable[..., str]
) -> None:
    key = key_for("investigator")
    # a prefix in lower case and printed in groups: every pack, in code order
    body = ask(app_client, key, "catpb01 trace01")
    assert ids(body, "battery") == sorted(PACKS)
    assert set(matches(body, "battery").values()) == {"prefix"}
    assert body["searched"] == ["battery", "vehicle", "company", "station"] and body["skipped"] == []
    # the end of a code: pack 1 and pack 12 contain it, neither starts with it
    assert matches(ask(app_client, key, SERIAL_1), "battery") == {pack(1): "contains", pack(12): "contains"}
    # the whole code: that battery first, as exact, with what the list shows of it
    whole = ask(app_client, key, pack(1))
    first = whole["hits"][0]
    assert (first["kind"], first["id"], first["match"]) == ("battery", pack(1), "exact")
    assert first["status"] == "installed" and first["vehicle"] == vin(1) and first["maker_code"] == "CAT"
    assert ids(whole, "battery") == [pack(1)]
    assert ask(app_client, key, "ZZZZ9999")["hits"] == []


def test_a_vin_its_part_and_what_the_vehicle_carries(
    world: None, app_client: TestClient, key_for: Callable[..., str]
) -> None:
    key = key_for("investigator")
    whole = ask(app_client, key, vin(1).lower())
    hit = next(h for h in whole["hits"] if h["kind"] == "vehicle")
    assert (hit["id"], hit["match"], hit["battery"]) == (vin(1), "exact", pack(1))
    assert (hit["company"], hit["company_name"], hit["name"]) == (AUTOMAKER, "Lotus Motors", "L1")
    assert matches(ask(app_client, key, vin(2)[-9:]), "vehicle") == {vin(2): "contains"}
    assert ids(ask(app_client, key, "LSV0000"), "vehicle") == [vin(1), vin(2), vin(3)]


def test_companies_by_name_in_any_case_and_by_uscc(
    world: None, app_client: TestClient, key_for: Callable[..., str]
) -> None:
    key = key_for("investigator")
    for q in ("lotus", "LOTUS", "Lotus Mo", "otus"):
        assert matches(ask(app_client, key, q), "company") == {AUTOMAKER: "name"}, q
    named = next(h for h in ask(app_client, key, "second wind")["hits"] if h["kind"] == "company")
    assert (named["id"], named["name"], named["roles"], named["province"]) == (
        SECOND_LIFE,
        "Second Wind Storage",
        ["second_life"],
        "320000",
    )
    maker = next(h for h in ask(app_client, key, MAKER)["hits"] if h["kind"] == "company")
    assert (maker["id"], maker["match"], maker["maker_code"]) == (MAKER, "exact", "CAT")
    assert matches(ask(app_client, key, MAKER[:12].lower()), "company")[MAKER] == "prefix"
    assert matches(ask(app_client, key, MAKER[8:16]), "company") == {MAKER: "contains"}


def test_stations_by_id_and_name(world: None, app_client: TestClient, key_for: Callable[..., str]) -> None:
    key = key_for("investigator")
    stations = ask(app_client, key, "st000")
    assert ids(stations, "station") == [STATION_A, STATION_B]
    hit = stations["hits"][0]
    assert (hit["company_name"], hit["province"], hit["name"]) == ("SwapNet", "110000", "A")
    assert matches(ask(app_client, key, "0002"), "station") == {STATION_B: "contains"}


def test_results_are_bounded_and_say_when_there_are_more(
    world: None, app_client: TestClient, key_for: Callable[..., str]
) -> None:
    key = key_for("investigator")
    body = ask(app_client, key, "CATPB", limit=2)
    assert ids(body, "battery") == sorted(PACKS)[:2] and body["more"] == ["battery"]
    assert ask(app_client, key, "CATPB", limit=4)["more"] == []
    only = ask(app_client, key, "CATPB", kind="company")
    assert only["searched"] == ["company"] and ids(only, "battery") == []
    assert {s["kind"] for s in only["skipped"]} == {"battery", "vehicle", "station"}


def test_bad_queries_are_422_naming_the_field(world: None, app_client: TestClient, key_for: Callable[..., str]) -> None:
    headers = {"X-API-Key": key_for("investigator")}
    for params, field in [
        ({"q": "a"}, "q"),
        ({"q": "  x "}, "q"),
        ({}, "q"),
        ({"q": "x" * 65}, "q"),
        ({"q": "CATPB", "limit": 0}, "limit"),
        ({"q": "CATPB", "limit": 51}, "limit"),
        ({"q": "CATPB", "kind": "dossier"}, "kind"),
    ]:
        res = app_client.get("/v1/search", params=params, headers=headers)
        assert res.status_code == 422, (params, res.text)
        assert any(field in e["field"].split(".") for e in res.json()["errors"]), res.text


# --- who finds what --------------------------------------------------------------------------


def test_no_key_is_401(world: None, app_client: TestClient) -> None:
    app_client.headers.pop("X-API-Key", None)  # the world was sent with ``client``'s admin key
    assert app_client.get("/v1/search", params={"q": "CATPB"}).status_code == 401


def test_an_analyst_finds_companies_and_stations_never_a_code_or_vin(
    world: None, app_client: TestClient, key_for: Callable[..., str]
) -> None:
    key = key_for("analyst")
    for q in (pack(1), "CATPB", vin(1), "LSV"):
        body = ask(app_client, key, q)
        assert ids(body, "battery") == ids(body, "vehicle") == [], q
        assert {s["kind"] for s in body["skipped"]} == {"battery", "vehicle"}
        assert "aggregates" in body["skipped"][0]["reason"]
    asked = ask(app_client, key, pack(1), kind="battery")  # asking outright changes nothing
    assert asked["hits"] == [] and asked["searched"] == []
    assert ids(ask(app_client, key, "lotus"), "company") == [AUTOMAKER]


def test_a_reporter_finds_its_own_batteries_only_and_no_vehicles(
    world: None, app_client: TestClient, key_for: Callable[..., str]
) -> None:
    second_life = key_for("reporter", SECOND_LIFE)
    body = ask(app_client, second_life, "CATPB")
    assert ids(body, "battery") == [pack(3)]
    assert ids(ask(app_client, second_life, pack(1)), "battery") == []  # exact, but not its own
    assert ids(ask(app_client, second_life, vin(1)), "vehicle") == []
    assert [s["kind"] for s in body["skipped"]] == ["vehicle"]
    # the maker reported on every pack; another company (the repairer) on none
    assert ids(ask(app_client, key_for("reporter", MAKER), "CATPB"), "battery") == sorted(PACKS)
    repairer = ask(app_client, key_for("reporter", REPAIRER), SERIAL_1)
    assert ids(repairer, "battery") == [] and "battery" in repairer["searched"]
    # companies and stations are public records for every key
    assert ids(ask(app_client, second_life, "lotus"), "company") == [AUTOMAKER]


def test_a_province_limited_key_finds_what_lies_in_its_provinces(
    world: None, app_client: TestClient, db: Database
) -> None:
    limited = issue_key(db, "regulator", "test limited", provinces=["310000", "440000"]).key
    body = ask(app_client, limited, "CATPB")
    assert ids(body, "battery") == [pack(1), pack(2)]  # pack 3 and 12 lie in Jiangsu only
    assert ids(ask(app_client, limited, pack(3)), "battery") == []
    assert ids(ask(app_client, limited, "LSV"), "vehicle") == [vin(1)]  # vehicles 2 and 3 have no event
    outside = issue_key(db, "regulator", "test outside", provinces=["650000"]).key
    far = ask(app_client, outside, "CATPB")
    assert ids(far, "battery") == [] and ids(ask(app_client, outside, vin(1)), "vehicle") == []
    assert ids(ask(app_client, outside, "lotus"), "company") == [AUTOMAKER]


@pytest.mark.parametrize("role", ["investigator", "regulator", "admin"])
def test_readers_find_every_kind(world: None, app_client: TestClient, key_for: Callable[..., str], role: str) -> None:
    key = key_for(role)
    assert ids(ask(app_client, key, "CATPB"), "battery") == sorted(PACKS)
    assert ids(ask(app_client, key, vin(3)), "vehicle") == [vin(3)]


# --- the queries use the indexes -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "params", "wanted"),
    [
        (
            "search.batteries",
            {"q": "CATPB", "company": None, "provinces": None, "limit": 10},
            {"NodeUniqueIndexSeekByRange", "NodeIndexContainsScan"},
        ),
        (
            "search.vehicles",
            {"q": "LSV", "provinces": None, "limit": 10},
            {"NodeUniqueIndexSeekByRange", "NodeIndexContainsScan"},
        ),
        (
            "search.companies",
            {"code": "9131", "words": ["Lotus"], "limit": 10},
            {"NodeUniqueIndexSeekByRange", "NodeIndexContainsScan"},
        ),
        (
            "search.stations",
            {"code": "ST", "words": ["A"], "limit": 10},
            {"NodeUniqueIndexSeekByRange", "NodeIndexContainsScan"},
        ),
    ],
)
def test_each_query_seeks_indexes_instead_of_scanning_labels(
    world: None, db: Database, name: str, params: dict[str, Any], wanted: set[str]
) -> None:
    with db.driver.session(database=db.name) as session:
        plan = session.run("EXPLAIN " + get_query(name).text, params).consume().plan
    assert plan is not None
    ops = _operators_of(plan)
    assert wanted <= ops, ops
    assert "NodeByLabelScan" not in ops and "AllNodesScan" not in ops, ops


def _operators_of(plan: Any) -> set[str]:
    """Operator names of an EXPLAIN plan (the driver's dict form), without the planner's suffixes."""
    out = {str(plan["operatorType"]).split("@")[0]}
    for child in plan.get("children", []):
        out |= _operators_of(child)
    return out
