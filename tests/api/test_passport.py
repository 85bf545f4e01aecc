"""The battery passport, its QR code and the public Digital Link resolver, through the HTTP API."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import zxingcpp
from fastapi.testclient import TestClient
from PIL import Image

from app.config import Settings
from app.db import Database
from app.main import create_app
from app.security import issue_key
from tests.factories import (
    AUTOMAKER,
    DISMANTLER,
    MAKER,
    RECYCLER,
    SECOND_LIFE,
    WORKSHOP,
    Events,
    day,
    first_life,
    pack,
    seed_registry,
    vin,
)
from tests.unit.test_passport import raster, svg_modules

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "passport.schema.json").read_text())
ABSENT = "not reported to this platform: "


def post(client: TestClient, events: list[dict[str, Any]]) -> None:
    res = client.post("/v1/events", json={"events": events})
    assert res.status_code == 200, res.text


def passport(client: TestClient, code: str, **headers: str) -> dict[str, Any]:
    res = client.get(f"/v1/batteries/{code}/passport", headers=headers)
    assert res.status_code == 200, res.text
    body: dict[str, Any] = res.json()
    jsonschema.validate(body, SCHEMA)  # every real answer against the checked-in schema
    return body


def attributes(node: Any) -> Iterator[dict[str, Any]]:
    """Every attribute object (``present`` true or false) anywhere in a passport."""
    if isinstance(node, dict):
        if isinstance(node.get("present"), bool):
            yield node
            return
        for value in node.values():
            yield from attributes(value)


def test_a_first_life_pack_in_the_battery_pass_groups(client: TestClient, db: Database) -> None:
    seed_registry(db)
    ev = Events("pp")
    code, car = pack(1), vin(1)
    events = first_life(ev, code, car)
    events[0]["province"] = "320000"
    post(client, events)
    p = passport(client, code)
    general = p["general_product_information"]
    assert p["digital_link"] == f"http://testserver/battery/{code}"
    assert p["identity"]["maker_code"] == "CAT" and p["identity"]["level"] == "pack"
    assert general["product_identifier"]["value"] == code
    assert general["manufacturer_information"]["value"] == {"uscc": MAKER, "name": "Cathay Cells", "maker_code": "CAT"}
    assert general["manufacturing_date"]["value"] == day(0).date().isoformat()
    assert general["manufacturing_place"]["value"] == {"province": "320000", "name": "Jiangsu"}
    assert general["battery_status"]["value"]["battery_pass"] == "original"
    assert general["battery_status"]["value"]["platform"] == "installed"
    assert (general["battery_mass"]["value"], general["battery_mass"]["unit"]) == (420.0, "kg")
    assert general["putting_into_service"]["value"].startswith(day(10).isoformat()[:19])
    energy = p["performance_and_durability"]["battery_technical_properties"]["rated_energy"]
    assert (energy["value"], energy["unit"]) == (60.0, "kWh")
    chemistry = p["material_composition"]["battery_chemistry"]["value"]
    assert chemistry == {"short_name": "LFP", "confirmed": True}
    assert p["circularity"]["recovered_materials"] == {
        "present": False,
        "reason": ABSENT + "this battery has not been recycled (no recycled event)",
    }
    # Custody is the trace's own segments: the one replay, not a second derivation.
    trace = client.get(f"/v1/batteries/{code}/trace").json()
    assert p["lifecycle_history"]["custody"] == trace["segments"]
    assert [i["vin"] for i in p["lifecycle_history"]["installations"]] == [car]
    # Nothing is left out: every attribute is there, held with a source or absent with a reason.
    found = list(attributes(p))
    assert len(found) > 60
    assert all(a["source"] for a in found if a["present"])
    assert all(a["reason"].startswith(ABSENT) for a in found if not a["present"])
    assert not p["carbon_footprint"]["battery_carbon_footprint"]["present"]


def test_health_readings_fill_the_condition_group(client: TestClient, db: Database) -> None:
    seed_registry(db)
    ev = Events("hp")
    code, car = pack(1), vin(1)
    events = first_life(ev, code, car)
    post(client, events)
    before = passport(client, code)["performance_and_durability"]["battery_condition"]
    assert before["health_readings"] == []
    assert before["state_of_certified_energy"]["reason"].startswith(ABSENT + "no health reading")
    first = ev.health(code, day(300), AUTOMAKER, soh_pct=95.0, capacity_kwh=57.0, cycle_count=150)
    latest = ev.health(code, day(700), AUTOMAKER, soh_pct=88.25, capacity_kwh=52.9, cycle_count=420,
                       method="estimate")  # fmt: skip
    post(client, [latest, first])  # out of order: the latest in event time wins
    condition = passport(client, code)["performance_and_durability"]["battery_condition"]
    soce, fade = condition["state_of_certified_energy"], condition["capacity_fade"]
    assert (soce["value"], soce["unit"], fade["value"], fade["unit"]) == (88.25, "%", 11.75, "%")
    assert latest["event_id"] in soce["source"] and "estimate" in soce["source"]
    assert (condition["remaining_energy"]["value"], condition["remaining_energy"]["unit"]) == (52.9, "kWh")
    assert condition["number_of_full_cycles"]["value"] == 420
    assert [r["event_id"] for r in condition["health_readings"]] == [first["event_id"], latest["event_id"]]
    assert not condition["remaining_capacity"]["present"]  # in Ah: no event carries it


def test_second_life_recycling_and_a_correction(client: TestClient, db: Database) -> None:
    seed_registry(db)
    ev = Events("sl")
    a, b, car, new_code = pack(1), pack(2), vin(2), pack(9, maker="SWL")
    events = [
        *first_life(ev, a, car),
        ev.removed(a, car, day(400), DISMANTLER, "scrapping"),
        ev.shipped(a, SECOND_LIFE, day(401), DISMANTLER),
        ev.received(a, DISMANTLER, day(405), SECOND_LIFE),
        ev.repurposed(a, day(420), "energy_storage", new_code=new_code, soh_pct=72.0, residual_capacity_kwh=43.2),
        ev.shipped(a, WORKSHOP, day(430), SECOND_LIFE),  # moved on: still a repurposed battery
        ev.produced(b, day(0)),
        ev.shipped(b, RECYCLER, day(1), MAKER),
        ev.received(b, MAKER, day(2), RECYCLER),
    ]
    recycled = ev.recycled(b, day(90))
    post(client, [*events, recycled])

    original = passport(client, a)
    status = original["general_product_information"]["battery_status"]["value"]
    assert (status["battery_pass"], status["platform"]) == ("repurposed", "in_transit")
    second = original["lifecycle_history"]["second_life"]
    assert [(r["application"], r["new_code"], r["by"]["uscc"]) for r in second["repurposed"]] == [
        ("energy_storage", new_code, SECOND_LIFE)
    ]
    assert second["second_life_products"] == [new_code] and second["derived_from"] is None
    assert (second["repurposed"][0]["soh_pct"], second["repurposed"][0]["residual_capacity_kwh"]) == (72.0, 43.2)
    condition = original["performance_and_durability"]["battery_condition"]
    assert condition["state_of_certified_energy"]["value"] == 72.0
    assert condition["remaining_energy"]["value"] == 43.2 and not condition["number_of_full_cycles"]["present"]

    derived = passport(client, new_code)
    assert derived["identity"]["maker_code"] == "SWL"
    assert derived["general_product_information"]["battery_status"]["value"]["battery_pass"] == "repurposed"
    assert derived["lifecycle_history"]["second_life"]["derived_from"] == a
    assert not derived["general_product_information"]["manufacturer_information"]["present"]

    waste = passport(client, b)
    assert waste["general_product_information"]["battery_status"]["value"]["battery_pass"] == "waste"
    recovered = waste["circularity"]["recovered_materials"]["value"]
    assert recovered["event_id"] == recycled["event_id"] and recovered["recycler"]["uscc"] == RECYCLER
    assert (recovered["input_mass_kg"], recovered["recovered_kg"]) == (420.0, {"li": 5.0, "co": 0.0, "ni": 0.0})

    # The recycler voids its recycling: the passport follows the replay of what still stands.
    post(client, [ev.correction(recycled["event_id"], day(91), RECYCLER)])
    undone = passport(client, b)
    assert undone["general_product_information"]["battery_status"]["value"]["battery_pass"] == "original"
    assert not undone["circularity"]["recovered_materials"]["present"]


def test_the_resolver_redirects_anyone_alike_for_known_and_unknown_codes(
    client: TestClient, app_client: TestClient, db: Database
) -> None:
    seed_registry(db)
    known, unknown = pack(1), pack(77)
    post(client, first_life(Events("rs"), known, vin(1)))
    key = client.headers.pop("X-API-Key")  # the resolver is for anyone: no key from here on

    def answer(code: str, accept: str | None = None, **params: str) -> tuple[int, str, str, str]:
        res = app_client.get(
            f"/battery/{code}", params=params, headers={"Accept": accept} if accept else {}, follow_redirects=False
        )
        return res.status_code, res.headers["location"], res.headers["vary"], res.headers["link"]

    for accept, params, target in [
        ("text/html", {}, "/ui/#/battery/{c}"),
        (None, {}, "/ui/#/battery/{c}"),
        ("application/json", {}, "/v1/batteries/{c}/passport"),
        ("text/html", {"linkType": "gs1:masterData"}, "/v1/batteries/{c}/passport"),
        ("application/json", {"linkType": "gs1:pip"}, "/ui/#/battery/{c}"),
        (None, {"linkType": "gs1:epcis"}, "/v1/batteries/{c}/epcis"),
    ]:
        seen = answer(known, accept, **params)
        assert seen[:2] == (307, target.format(c=known))
        # The same answer for a code no event names: the resolver learns nothing from the store.
        assert answer(unknown, accept, **params) == (seen[0], *(part.replace(known, unknown) for part in seen[1:]))
    assert app_client.get(f"/battery/{known}", params={"linkType": "x" * 200}).status_code == 422
    assert app_client.get("/battery/NOT-A-CODE", follow_redirects=False).status_code == 422

    # Behind the redirect the passport still asks for a key.
    assert app_client.get(f"/battery/{known}", headers={"Accept": "application/json"}).status_code == 401
    followed = app_client.get(f"/battery/{known}", headers={"Accept": "application/json", "X-API-Key": key})
    assert followed.status_code == 200 and followed.json()["code"] == known
    gone = app_client.get(f"/battery/{unknown}", headers={"Accept": "application/json", "X-API-Key": key})
    assert gone.status_code == 404


def test_the_qr_code_decodes_to_the_digital_link(client: TestClient, db: Database) -> None:
    seed_registry(db)
    code = pack(1)
    post(client, first_life(Events("qr"), code, vin(1)))
    link = passport(client, code)["digital_link"]
    png = client.get(f"/v1/batteries/{code}/qr", params={"format": "png"})
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))] == [link]
    svg = client.get(f"/v1/batteries/{code}/qr")  # svg by default
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    size = int(ET.fromstring(svg.content).attrib["width"]) // 8  # 8 pixels a module
    assert [r.text for r in zxingcpp.read_barcodes(raster(svg_modules(svg.content), size))] == [link]
    assert client.get(f"/v1/batteries/{pack(77)}/qr").status_code == 404
    assert client.get(f"/v1/batteries/{code}/qr", params={"format": "gif"}).status_code == 422


def test_other_companies_and_other_provinces_cannot_read_it(
    client: TestClient, app_client: TestClient, db: Database, key_for: Callable[..., str]
) -> None:
    seed_registry(db)
    code = pack(1)
    post(client, first_life(Events("ac"), code, vin(1)))
    maker, recycler = key_for("reporter", MAKER), key_for("reporter", RECYCLER)
    outside = issue_key(db, "regulator", "limited to Xinjiang", provinces=["650000"]).key
    inside = issue_key(db, "regulator", "limited to Shanghai", provinces=["310000"]).key
    app_client.headers.pop("X-API-Key", None)
    for path in (f"/v1/batteries/{code}/passport", f"/v1/batteries/{code}/qr"):
        assert app_client.get(path, headers={"X-API-Key": maker}).status_code == 200
        foreign = app_client.get(path, headers={"X-API-Key": recycler})  # never held or reported on it
        assert foreign.status_code == 403 and RECYCLER in foreign.json()["detail"]
        hidden = app_client.get(path, headers={"X-API-Key": outside})
        unknown = app_client.get(path.replace(code, pack(77)), headers={"X-API-Key": outside})
        assert hidden.status_code == unknown.status_code == 404
        assert hidden.json()["detail"] == unknown.json()["detail"].replace(pack(77), code)
        # the automaker that received and installed it is registered in Shanghai: within that key's province
        assert app_client.get(path, headers={"X-API-Key": inside}).status_code == 200
        assert app_client.get(path).status_code == 401


@pytest.fixture
def configured(db: Database, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings.model_copy(update={"digital_link_base": "https://id.example.org/dl"}))) as c:
        c.headers["X-API-Key"] = issue_key(db, "admin", "test admin").key
        yield c


def test_a_configured_base_names_the_link_and_capture_takes_it_back(configured: TestClient, db: Database) -> None:
    seed_registry(db)
    code = pack(1)
    post(configured, first_life(Events("cb"), code, vin(1)))
    link = f"https://id.example.org/dl/battery/{code}"
    assert passport(configured, code)["digital_link"] == link
    png = configured.get(f"/v1/batteries/{code}/qr", params={"format": "png"}).content
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))] == [link]
    document = {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2024-05-01T09:00:00+08:00",
        "epcisBody": {
            "eventList": [
                {
                    "type": "ObjectEvent",
                    "eventID": "urn:uuid:5b0e8f6c-1d2a-4e7b-9c3d-00000000b001",
                    "eventTime": "2024-04-20T09:00:00+08:00",
                    "eventTimeZoneOffset": "+08:00",
                    "epcList": [link],
                    "action": "OBSERVE",
                    "bizStep": "repairing",
                    "readPoint": {"id": f"urn:gbt32100:uscc:{MAKER}"},
                }
            ]
        },
    }
    captured = configured.post("/v1/epcis/capture", json=document)
    assert captured.status_code == 200, captured.text
    assert captured.json()["accepted"] == 1
    assert [e["type"] for e in configured.get(f"/v1/batteries/{code}/trace").json()["events"]][-1] == "repaired"
    # Another host's /battery/ path is not this deployment's link: refused, naming the accepted forms.
    document["epcisBody"]["eventList"][0]["epcList"] = [f"https://elsewhere.example/battery/{code}"]  # type: ignore[index]
    document["epcisBody"]["eventList"][0]["eventID"] = "urn:uuid:5b0e8f6c-1d2a-4e7b-9c3d-00000000b002"  # type: ignore[index]
    refused = configured.post("/v1/epcis/capture", json=document)
    assert refused.status_code == 422 and "not a battery identifier" in refused.text
