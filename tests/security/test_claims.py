"""Only true claims get in: tried from each company's reporter key, through the API, on a real Neo4j.

Each case sends what a dishonest or careless company could send, and checks the status, the
message and that a refused batch wrote nothing (docs/claims.md).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.db import Database
from app.errors import ClaimRefused
from app.identifiers import make_battery_code
from app.schemas.registry import Company, Station
from app.services import registry
from app.services.ingest import ingest_raw
from tests.factories import (
    AUTOMAKER,
    MAKER,
    RECYCLER,
    REPAIRER,
    STATION_A,
    SWAP_OP,
    WORKSHOP,
    Events,
    day,
    first_life,
    pack,
    post_first_life,
    seed_registry,
    trace_of,
    uscc,
    vin,
)

Post = Callable[..., Any]


@pytest.fixture
def world(client: TestClient, db: Database) -> list[dict[str, Any]]:
    """One pack through its first life: produced by MAKER, installed by AUTOMAKER in vin(1)."""
    return post_first_life(client, db)


def _only_error(res: Any, status: int) -> dict[str, Any]:
    assert res.status_code == status, res.text
    errors = res.json()["errors"]
    assert len(errors) == 1, errors
    error: dict[str, Any] = errors[0]
    return error


# --- who may say what -----------------------------------------------------------------------


def test_a_company_cannot_void_another_companys_event(
    client: TestClient, world: list[dict[str, Any]], as_company: Callable[[str], Post]
) -> None:
    produced = world[0]
    res = as_company(AUTOMAKER)(Events("x").correction(produced["event_id"], day(30), AUTOMAKER))
    error = _only_error(res, 403)
    assert error["field"] == "corrects" and error["index"] == 0
    assert f"event {produced['event_id']} was reported by Cathay Cells ({MAKER})" in error["reason"]
    assert "only its own events" in error["reason"]
    battery = client.get(f"/v1/batteries/{pack(1)}").json()
    assert battery["producer"] == MAKER and battery["mass_kg"] == 420.0  # nothing was voided


def test_a_company_voids_its_own_event(
    client: TestClient, world: list[dict[str, Any]], as_company: Callable[[str], Post]
) -> None:
    sold = world[4]
    res = as_company(AUTOMAKER)(Events("x").correction(sold["event_id"], day(30), AUTOMAKER))
    assert res.status_code == 200, res.text
    assert res.json()["accepted"] == 1
    assert client.get(f"/v1/vehicles/{vin(1)}/batteries").json()["sold_at"] is None


def test_an_admin_voids_any_event_with_a_reason_and_the_audit_names_it(
    client: TestClient, world: list[dict[str, Any]]
) -> None:
    produced = world[0]
    bare = Events("adm").correction(produced["event_id"], day(30), AUTOMAKER)
    error = _only_error(client.post("/v1/events", json={"events": [bare]}), 403)
    assert error["field"] == "note" and "must say why" in error["reason"]
    reasoned = {**bare, "note": "court order 2024-17: production report was forged"}
    res = client.post("/v1/events", json={"events": [reasoned]})
    assert res.status_code == 200, res.text
    assert res.json()["voided_for_others"] == [f"event {produced['event_id']} of {MAKER}"]
    audit = client.get("/v1/admin/audit", params={"limit": 20}).json()
    notes = [e["note"] for e in audit if e["method"] == "POST" and e["path"] == "/v1/events"]
    assert f"admin voided event {produced['event_id']} of {MAKER}" in notes


def test_only_the_maker_code_holder_reports_production(
    client: TestClient, world: list[dict[str, Any]], as_company: Callable[[str], Post]
) -> None:
    # A repairer claims a new production of an existing pack, with another chemistry and 5 kg.
    forged = Events("x").produced(pack(1), day(40), reporter=REPAIRER, chemistry="LFP", mass_kg=5.0)
    error = _only_error(as_company(REPAIRER)(forged), 403)
    assert error["field"] == "reporter"
    assert "maker code CAT" in error["reason"] and f"Cathay Cells ({MAKER})" not in error["reason"]
    # ... and of a pack never seen: the same refusal, and nothing stored.
    fresh = Events("y").produced(pack(2), day(40), reporter=REPAIRER)
    assert as_company(REPAIRER)(fresh).status_code == 403
    assert client.get(f"/v1/batteries/{pack(2)}").status_code == 404
    battery = client.get(f"/v1/batteries/{pack(1)}").json()
    assert battery["producer"] == MAKER and battery["mass_kg"] == 420.0


def test_a_second_production_is_refused_until_the_first_is_voided(
    client: TestClient, world: list[dict[str, Any]], as_company: Callable[[str], Post]
) -> None:
    maker = as_company(MAKER)
    first = world[0]
    again = Events("again").produced(pack(1), day(40), mass_kg=5.0)
    res = maker(again)
    assert res.status_code == 409, res.text
    body = res.json()
    assert body["event_ids"] == [again["event_id"]]
    assert f"already produced: event {first['event_id']} reported by {MAKER}" in body["detail"]
    # Voided first (by the maker itself), then produced again in the same batch: accepted.
    void = Events("void").correction(first["event_id"], day(41), MAKER, reason="incorrect_data")
    assert maker(void, again).status_code == 200
    assert client.get(f"/v1/batteries/{pack(1)}").json()["mass_kg"] == 5.0
    # Two productions of one new code in one batch: the second is refused, nothing stored.
    ev = Events("twice")
    res = maker(ev.produced(pack(3), day(1)), ev.produced(pack(3), day(2)))
    assert res.status_code == 409 and "events[1]" in res.json()["detail"]
    assert client.get(f"/v1/batteries/{pack(3)}").status_code == 404


def test_a_refused_batch_writes_nothing(
    client: TestClient, world: list[dict[str, Any]], as_company: Callable[[str], Post]
) -> None:
    ev = Events("mixed")
    res = as_company(AUTOMAKER)(
        ev.installed(pack(1), vin(2), day(50)),
        ev.correction(world[0]["event_id"], day(50), AUTOMAKER),
    )
    assert res.status_code == 403
    assert res.json()["errors"][0]["index"] == 1
    assert len(trace_of(client, pack(1))["events"]) == len(world)  # vehicle_sold shown as the vehicle's event
    assert client.get(f"/v1/vehicles/{vin(2)}/batteries").json()["batteries"] == []


def test_loaders_are_held_to_the_same_claims(db: Database, world: list[dict[str, Any]]) -> None:
    forged = Events("load").produced(pack(1), day(60), reporter=REPAIRER)
    with pytest.raises(ClaimRefused) as refused:
        ingest_raw(db, [forged])
    assert refused.value.problems[0].field == "reporter"


# --- what is plausible ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"occurred_at": "0001-01-01T00:00:00+00:00"}, "occurred_at", "before 2010-01-01"),
        ({"occurred_at": 1759999999}, "occurred_at", "must be a string holding an RFC 3339 date-time"),
        ({"occurred_at": "2024-03-01T09:00:00"}, "occurred_at", "must be an RFC 3339 date-time with a UTC offset"),
        ({"occurred_at": "2023-05-01T09:00:00+08:00"}, "occurred_at", "before 2023-05-17, the production date"),
        ({"province": "999999"}, "province", "999999 is not a GB/T 2260 province-level code"),
        ({"province": "320500"}, "province", "a prefecture or county code"),
        ({"chemistry": "NCM"}, "chemistry", "ternary contradicts the code's chemistry letter B (LFP)"),
        ({"chemistry": "E"}, "chemistry", "ternary contradicts the code's chemistry letter B (LFP)"),
        ({"chemistry": "plutonium"}, "chemistry", "is not a known chemistry"),
    ],
)
def test_implausible_values_are_refused(
    client: TestClient, db: Database, as_company: Callable[[str], Post], change: dict[str, Any], field: str, words: str
) -> None:
    seed_registry(db)
    event = {**Events("bad").produced(pack(7), day(0)), **change}
    error = _only_error(as_company(MAKER)(event), 422)
    assert error["field"] == field and words in error["reason"], error
    assert client.get(f"/v1/batteries/{pack(7)}").status_code == 404


def test_chemistry_as_a_letter_or_a_name_is_stored_normalised(
    client: TestClient, db: Database, as_company: Callable[[str], Post]
) -> None:
    seed_registry(db)
    ternary = make_battery_code("CAT", "pack", "E", "01", "TRACE01", date(2023, 5, 17), "0000009")
    ev = Events("chem")
    lfp = ev.produced(pack(8), day(0), chemistry="磷酸铁锂")
    res = as_company(MAKER)(ev.produced(ternary, day(0), chemistry="E"), lfp)
    assert res.status_code == 200, res.text
    assert client.get(f"/v1/batteries/{ternary}").json()["chemistry"] == "ternary"
    assert client.get(f"/v1/batteries/{pack(8)}").json()["chemistry"] == "LFP"


def test_vocabularies_are_published(client: TestClient) -> None:
    vocab = client.get("/v1/vocabularies").json()
    assert len(vocab["provinces"]) == 34
    assert {"code": "440000", "zh": "广东省", "en": "Guangdong"} in vocab["provinces"]
    lfp = next(c for c in vocab["chemistries"] if c["name"] == "LFP")
    assert lfp["letter"] == "B" and lfp["letter_confirmed"] is True
    assert {t["name"] for t in vocab["vehicle_categories"]} >= {"passenger_bev", "bus", "truck"}
    assert {t["name"] for t in vocab["removal_reasons"]} == {"repair", "replacement", "scrapping", "other"}
    assert next(a for a in vocab["second_life_applications"] if a["name"] == "e_bike")["banned"] is True
    assert {t["name"] for t in vocab["licence_scopes"]} == {"dismantling", "second_life", "recycling"}
    produced = next(t for t in vocab["event_types"] if t["type"] == "produced")
    assert "maker code" in produced["reported_by"] and "409" in produced["refused"]
    assert "not_holder" in {w["name"] for w in vocab["warnings"]}


# --- what the reporter is told --------------------------------------------------------------


def _warned(res: Any) -> list[tuple[int, str, str | None]]:
    assert res.status_code == 200, res.text
    return [(w["index"], w["code"], w["battery"]) for w in res.json()["warnings"]]


def test_contradictions_are_stored_and_warned_about(
    client: TestClient, world: list[dict[str, Any]], as_company: Callable[[str], Post]
) -> None:
    ev = Events("odd")
    # Installed before it was produced (a fresh pack, produced a day later).
    early = ev.installed(pack(2), vin(2), day(-1))
    late_birth = ev.produced(pack(2), day(0))
    assert _warned(as_company(MAKER)(late_birth)) == []
    res = as_company(AUTOMAKER)(early)
    assert _warned(res) == [(0, "before_production", pack(2))]
    assert "before the battery's production" in res.json()["warnings"][0]["message"]
    # In two vehicles at once: pack(1) is still in vin(1).
    assert (0, "two_vehicles", pack(1)) in _warned(as_company(AUTOMAKER)(ev.installed(pack(1), vin(3), day(30))))
    # Shipped by a company that does not hold it (the maker does), received with no shipment.
    produced_3 = ev.produced(pack(3), day(0))
    assert _warned(as_company(MAKER)(produced_3)) == []
    assert _warned(as_company(REPAIRER)(ev.shipped(pack(3), WORKSHOP, day(1), REPAIRER))) == [
        (0, "not_holder", pack(3))
    ]
    res = as_company(RECYCLER)(ev.received(pack(3), AUTOMAKER, day(2), RECYCLER))
    assert _warned(res) == [(0, "unexplained_receipt", pack(3))]
    # An honest end of life gives no warning ...
    assert _warned(as_company(REPAIRER)(ev.removed(pack(2), vin(2), day(31), REPAIRER, "replacement"))) == []
    assert _warned(as_company(REPAIRER)(ev.shipped(pack(2), RECYCLER, day(32), REPAIRER))) == []
    assert _warned(as_company(RECYCLER)(ev.received(pack(2), REPAIRER, day(33), RECYCLER))) == []
    assert _warned(as_company(RECYCLER)(ev.recycled(pack(2), day(40)))) == []
    # ... then the recycler installs it again: after recycling, and outside a recycler's roles.
    after = as_company(RECYCLER)(ev.installed(pack(2), vin(2), day(45), reporter=RECYCLER))
    assert set(_warned(after)) == {(0, "after_recycling", pack(2)), (0, "role_mismatch", None)}
    assert "registered as recycler" in next(w["message"] for w in after.json()["warnings"] if w["battery"] is None)
    # Every warned event was stored as claimed, and its trace shows the warning beside it.
    events = {e["event_id"]: e for e in trace_of(client, pack(2))["events"]}
    assert {w["code"] for w in events[early["event_id"]]["warnings"]} == {"before_production"}
    assert len(events) == 7


def test_a_swap_at_a_station_of_another_operator_is_warned_about(
    client: TestClient, db: Database, as_company: Callable[[str], Post]
) -> None:
    seed_registry(db)
    ev = Events("sw")
    assert client.post("/v1/events", json={"events": first_life(ev, pack(1), vin(2))}).status_code == 200
    assert client.post("/v1/events", json={"events": [ev.produced(pack(2), day(0))]}).status_code == 200
    swap = {**ev.swapped(vin(2), STATION_A, pack(1), pack(2), day(40)), "reporter": MAKER}
    res = as_company(MAKER)(swap)
    codes = {code for _, code, _ in _warned(res)}
    assert {"station_not_operated", "role_mismatch"} <= codes
    message = next(w["message"] for w in res.json()["warnings"] if w["code"] == "station_not_operated")
    assert f"operated by {SWAP_OP}" in message
    trace = trace_of(client, pack(1))
    shown = next(e for e in trace["events"] if e["event_id"] == swap["event_id"])
    assert "station_not_operated" in {w["code"] for w in shown["warnings"]}


def test_an_importer_reports_production_only_under_the_codes_declared_for_it(
    client: TestClient, db: Database, as_company: Callable[[str], Post]
) -> None:
    seed_registry(db)
    importer = uscc(21)
    registry.merge_companies(
        db,
        [Company(uscc=importer, name="Harbour Imports", roles=["importer"], province="310000", imports_for=["KOR"])],
        changed_by="test",
    )
    ev = Events("imp")
    declared = make_battery_code("KOR", "pack", "E", "01", "TRACE01", date(2023, 5, 17), "0000001")
    assert as_company(importer)(ev.produced(declared, day(0), reporter=importer, chemistry="NCM")).status_code == 200
    other = make_battery_code("JPN", "pack", "E", "01", "TRACE01", date(2023, 5, 17), "0000001")
    error = _only_error(as_company(importer)(ev.produced(other, day(0), reporter=importer, chemistry="NCM")), 403)
    assert "maker code JPN" in error["reason"] and "importer declared for it" in error["reason"]


def test_a_swap_is_judged_by_the_stations_operator_at_the_time(
    client: TestClient, db: Database, as_company: Callable[[str], Post]
) -> None:
    seed_registry(db)
    ev = Events("op")
    assert client.post("/v1/events", json={"events": first_life(ev, pack(1), vin(2))}).status_code == 200
    assert client.post("/v1/events", json={"events": [ev.produced(pack(2), day(0))]}).status_code == 200
    # The station passes to another operator today; the 2024 swap was SWAP_OP's to report.
    newcomer = uscc(22)
    company = Company(uscc=newcomer, name="New Swap", roles=["swap_operator"], province="110000")
    registry.merge_companies(db, [company], changed_by="test")
    registry.merge_stations(
        db, [Station(id=STATION_A, operator=newcomer, province="110000", name="A")], changed_by="test"
    )
    then = as_company(SWAP_OP)(ev.swapped(vin(2), STATION_A, pack(1), pack(2), day(40)))
    assert "station_not_operated" not in {code for _, code, _ in _warned(then)}
    now = datetime.now(UTC).isoformat()
    later = {**ev.swapped(vin(2), STATION_A, pack(2), pack(1), day(41)), "occurred_at": now}
    warned = as_company(SWAP_OP)(later)
    assert "station_not_operated" in {code for _, code, _ in _warned(warned)}
    assert f"operated by {newcomer}" in next(w["message"] for w in warned.json()["warnings"])
