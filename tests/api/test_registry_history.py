"""The registry keeps its memory: a change keeps the earlier version, identical content changes
nothing, and the record valid at a moment can be asked for (through the API, real Neo4j)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from app.db import Database
from app.schemas.registry import Company, Station
from app.services import registry
from loaders.files import load_registry
from loaders.targets import LocalTarget
from tests.factories import SWAP_OP, T0, uscc, vin

OTHER_OP = uscc(21)
MAKER_A = uscc(22)
RECYCLER_B = uscc(23)


def put(client: TestClient, kind: str, records: list[dict[str, Any]]) -> dict[str, Any]:
    res = client.put(f"/v1/registry/{kind}", json={kind: records})
    assert res.status_code == 200, res.text
    answer: dict[str, Any] = res.json()
    return answer


def counts(answer: dict[str, Any]) -> tuple[int, int, int, int]:
    return answer["upserted"], answer["created"], answer["changed"], answer["unchanged"]


def companies(client: TestClient) -> None:
    put(
        client,
        "companies",
        [
            {"uscc": SWAP_OP, "name": "SwapNet", "roles": ["swap_operator"], "province": "110000"},
            {"uscc": OTHER_OP, "name": "Shanghai Swap", "roles": ["swap_operator"], "province": "310000"},
            {"uscc": MAKER_A, "name": "Lotus Motors", "roles": ["automaker"], "province": "310000"},
        ],
    )


STATION = {"id": "ST000001", "operator": SWAP_OP, "province": "110000", "name": "Chaoyang 1", "lat": 39.9, "lon": 116.4}
SECOND_WORLD = {"id": "ST000001", "operator": OTHER_OP, "province": "310000", "name": "Pudong 1"}


def test_create_identical_and_change_keep_every_version(client: TestClient) -> None:
    companies(client)
    assert counts(put(client, "stations", [STATION, {**STATION, "id": "ST000002"}])) == (2, 2, 0, 0)
    first = client.get("/v1/stations/ST000001", params={"history": "true"}).json()
    assert [v["operator"] for v in first["history"]] == [SWAP_OP]
    registered = first["history"][0]["valid_from"]
    assert first["history"][0]["valid_to"] is None
    assert first["history"][0]["changed_by"].startswith("key ")

    # identical content: nothing new, valid_from unchanged
    assert counts(put(client, "stations", [STATION])) == (1, 0, 0, 1)
    again = client.get("/v1/stations/ST000001", params={"history": "true"}).json()
    assert again["history"] == first["history"]
    assert again["history"][0]["valid_from"] == registered

    # a second world re-registers ST000001 with another operator and province: said, and kept
    assert counts(put(client, "stations", [SECOND_WORLD, {**STATION, "id": "ST000002"}])) == (2, 0, 1, 1)
    now = client.get("/v1/stations/ST000001", params={"history": "true"}).json()
    assert (now["operator"], now["province"], now["name"], now["lat"]) == (OTHER_OP, "310000", "Pudong 1", None)
    old, new = now["history"]
    assert (old["operator"], old["province"], old["name"], old["lat"]) == (SWAP_OP, "110000", "Chaoyang 1", 39.9)
    assert old["valid_from"] == registered
    assert old["valid_to"] == new["valid_from"] is not None
    assert new["valid_to"] is None
    assert old["changed_by"] == new["changed_by"] == first["history"][0]["changed_by"]
    assert client.get("/v1/stations/ST000001").json()["history"] is None  # only when asked
    # the current record is what every existing reader sees
    listed = client.get("/v1/stations", params={"operator": OTHER_OP}).json()["items"]
    assert [s["id"] for s in listed] == ["ST000001"]


def test_company_versions_keep_roles_and_licences(client: TestClient) -> None:
    recycler = {
        "uscc": MAKER_A,
        "name": "Green Metals",
        "roles": ["recycler"],
        "province": "430000",
        "licences": [{"scope": "recycling", "valid_from": "2018-09-01", "batch": 1}],
    }
    assert counts(put(client, "companies", [recycler])) == (1, 1, 0, 0)
    # the same content with roles in another order and a repeated role is the same record
    same = {**recycler, "roles": ["recycler", "recycler"]}
    assert counts(put(client, "companies", [same])) == (1, 0, 0, 1)
    delisted = {**recycler, "roles": ["repairer"], "licences": []}
    assert counts(put(client, "companies", [delisted])) == (1, 0, 1, 0)
    answer = client.get(f"/v1/companies/{MAKER_A}", params={"history": "true"}).json()
    assert answer["roles"] == ["repairer"] and answer["licences"] == []
    old, new = answer["history"]
    assert old["roles"] == ["recycler"]
    assert old["licences"] == [{"scope": "recycling", "valid_from": "2018-09-01", "valid_to": None, "batch": 1}]
    assert old["valid_to"] == new["valid_from"]
    assert new["licences"] == [] and new["valid_to"] is None
    # a licence changed alone (its window closed) is a change too
    put(client, "companies", [recycler])
    closed = {**recycler, "licences": [{"scope": "recycling", "valid_from": "2018-09-01", "valid_to": "2024-12-31"}]}
    assert counts(put(client, "companies", [closed])) == (1, 0, 1, 0)
    assert len(client.get(f"/v1/companies/{MAKER_A}", params={"history": "true"}).json()["history"]) == 4


def test_vehicle_versions(client: TestClient) -> None:
    companies(client)
    car = {"vin": vin(1), "maker": MAKER_A, "model": "L1", "category": "passenger_bev", "swap_capable": True}
    assert counts(put(client, "vehicles", [car])) == (1, 1, 0, 0)
    assert counts(put(client, "vehicles", [car])) == (1, 0, 0, 1)
    assert counts(put(client, "vehicles", [{**car, "model": "L2"}])) == (1, 0, 1, 0)
    answer = client.get(f"/v1/vehicles/{vin(1)}", params={"history": "true"}).json()
    assert answer["model"] == "L2"
    assert [v["model"] for v in answer["history"]] == ["L1", "L2"]
    assert answer["history"][0]["valid_to"] == answer["history"][1]["valid_from"]


def test_a_batch_naming_one_record_twice_is_refused(client: TestClient) -> None:
    companies(client)
    res = client.put("/v1/registry/stations", json={"stations": [STATION, SECOND_WORLD]})
    assert res.status_code == 422, res.text
    assert client.get("/v1/stations/ST000001").status_code == 404


def test_records_at_moments(client: TestClient, db: Database) -> None:
    """Events are judged by the record valid when they occurred; before the first registration
    the first record is the best knowledge there is (and says so)."""
    companies(client)
    put(client, "stations", [STATION])
    put(
        client,
        "companies",
        [
            {
                "uscc": RECYCLER_B,
                "name": "Green Metals",
                "roles": ["recycler"],
                "province": "430000",
                "licences": [
                    {"scope": "recycling", "valid_from": "2018-09-01", "valid_to": "2020-12-31"},
                    {"scope": "dismantling", "valid_from": "2021-01-01"},
                ],
            }
        ],
    )
    between = datetime.now(UTC)
    put(client, "stations", [SECOND_WORLD])
    repairer = {"uscc": RECYCLER_B, "name": "Green Metals", "roles": ["repairer"], "province": "430000"}
    put(client, "companies", [repairer])
    after = datetime.now(UTC) + timedelta(seconds=1)

    pairs = [("ST000001", T0), ("ST000001", between), ("ST000001", after), ("ST404", after)]
    stations = registry.station_operators_at(db, pairs)
    assert set(stations) == set(pairs[:3])
    assert (stations[pairs[0]].operator, stations[pairs[0]].province) == (SWAP_OP, "110000")
    assert stations[pairs[0]].registered_then is False
    assert (stations[pairs[1]].operator, stations[pairs[1]].registered_then) == (SWAP_OP, True)
    assert (stations[pairs[2]].operator, stations[pairs[2]].province) == (OTHER_OP, "310000")
    assert stations[pairs[1]].valid_to == stations[pairs[2]].valid_from

    in_2020 = datetime(2020, 6, 1, 9, tzinfo=T0.tzinfo)
    in_2022 = datetime(2022, 6, 1, 9, tzinfo=T0.tzinfo)
    company_pairs = [(RECYCLER_B, in_2020), (RECYCLER_B, in_2022), (RECYCLER_B, between), (RECYCLER_B, after)]
    # usable inside a managed write transaction, as capture-time checks will call it
    at = db.write_unit("test.companies_at", lambda tx: registry.companies_at(tx, company_pairs))
    assert at[company_pairs[0]].roles == ["recycler"] and not at[company_pairs[0]].registered_then
    assert [lic.scope for lic in at[company_pairs[0]].licences] == ["recycling"]
    assert [lic.scope for lic in at[company_pairs[1]].licences] == ["dismantling"]
    assert at[company_pairs[2]].roles == ["recycler"] and at[company_pairs[2]].registered_then
    assert at[company_pairs[3]].roles == ["repairer"] and at[company_pairs[3]].licences == []


def test_the_loader_and_cli_name_themselves(db: Database, tmp_path: Path) -> None:
    registry.merge_companies(
        db,
        [
            Company(uscc=SWAP_OP, name="SwapNet", roles=["swap_operator"], province="110000"),
            Company(uscc=OTHER_OP, name="Shanghai Swap", roles=["swap_operator"], province="310000"),
        ],
        changed_by="test",
    )
    registry.merge_stations(db, [Station.model_validate(STATION)], changed_by="loader")
    (tmp_path / "stations.jsonl").write_text(
        "\n".join(json.dumps(s) for s in (SECOND_WORLD, {**STATION, "id": "ST000002"})) + "\n"
    )
    report = load_registry(LocalTarget(db, changed_by="cli"), tmp_path)
    assert report.stations == 2
    assert report.registry_counts() == "registry_created=1 registry_changed=1 registry_unchanged=0"
    history = registry.get_station(db, "ST000001", history=True).history or []
    assert [(v.operator, v.changed_by) for v in history] == [(SWAP_OP, "loader"), (OTHER_OP, "cli")]
