"""EPCIS out: every native event of a synthetic world written as EPCIS 2.0, valid against GS1's
JSON schema, and mapped back by the capture side to the very same native event."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from app.epcis import map_document
from app.epcis.export import document, query_document, to_epcis
from app.schemas.events import canonical_payload, event_adapter
from loaders.synth import generate_world
from tests.factories import MAKER, REPAIRER, SECOND_LIFE, Events, day, pack

SCHEMA = Path(__file__).resolve().parents[1] / "fixtures" / "epcis" / "gs1" / "EPCIS-JSON-Schema.json"
NOW = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def payloads(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    out = tmp_path_factory.mktemp("epcis-world")
    generate_world(out, batteries=150, seed=11)
    with (out / "events.jsonl").open() as fh:
        raw = [json.loads(line) for line in fh]
    # second life and recycling, both repurposing forms, and a correction with a corrective event
    ev = Events("x")
    old, second = pack(90), "K7NPE12A3B5C7DF61R" + "P"
    fix = ev.repaired(pack(91), day(5))
    wrong = ev.repaired(pack(91), day(4))
    correction = {**ev.correction(wrong["event_id"], day(6), wrong["reporter"], "incorrect_data")}
    correction["corrective_event_ids"] = [fix["event_id"]]
    note = {**ev.repaired(pack(92), day(7)), "note": "拆包检查 · opened for inspection", "province": "440000"}
    voided = ev.repaired(pack(95), day(4))
    # an admin voiding another company's event: its own reporter, province and reason in a note
    admin_void = {
        **ev.correction(voided["event_id"], day(6), MAKER),
        "note": "重复上报 duplicate",
        "province": "110000",
    }
    raw += [
        voided,
        admin_void,
        ev.repurposed(old, day(8), "energy_storage", new_code=second),
        ev.repurposed(pack(93), day(8), "backup_power", soh_pct=71.5, residual_capacity_kwh=42.0),
        ev.repurposed(pack(96), day(8), "energy_storage", new_code="K7NPE12A3B5C7DF62R" + "P", soh_pct=80.0),
        ev.health(pack(93), day(7), SECOND_LIFE, method="residual_energy_test", internal_resistance_mohm=120.5),
        ev.health(pack(92), day(7), REPAIRER, soh_pct=100, capacity_kwh=60, cycle_count=0),
        ev.recycled(pack(94), day(9)),
        wrong,
        fix,
        correction,
        note,
    ]
    return [canonical_payload(event_adapter.validate_python(e)) for e in raw]


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA.read_text())
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _exported(payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_id = {p["event_id"]: p for p in payloads}
    return [to_epcis(p, by_id.get(p.get("corrects", ""))) for p in payloads]


def test_the_world_has_every_event_type(payloads: list[dict[str, Any]]) -> None:
    kinds = {p["type"] for p in payloads}
    assert {
        "produced",
        "shipped",
        "received",
        "installed",
        "swapped",
        "removed",
        "repaired",
        "vehicle_sold",
        "vehicle_exported",
        "vehicle_scrapped",
        "health_measured",
        "repurposed",
        "recycled",
        "correction",
    } <= kinds, kinds


def test_every_exported_document_validates_against_the_gs1_schema(
    payloads: list[dict[str, Any]], validator: jsonschema.protocols.Validator
) -> None:
    events = _exported(payloads)
    for doc in (document(events, NOW), query_document(events, NOW, "SimpleEventQuery")):
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        assert errors == [], [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_a_broken_export_fails_the_schema(validator: jsonschema.protocols.Validator) -> None:
    """The check can fail: an event time that is not a time is refused by GS1's schema."""
    doc = document([{"type": "ObjectEvent", "eventTime": "yesterday", "eventTimeZoneOffset": "+08:00"}], NOW)
    assert list(validator.iter_errors(doc))


def test_capture_maps_the_export_back_to_the_same_events(payloads: list[dict[str, Any]]) -> None:
    mapping = map_document(document(_exported(payloads), NOW))
    assert mapping.problems == []
    back = [canonical_payload(event_adapter.validate_python(n)) for n in mapping.events]
    assert len(back) == len(payloads)
    for original, captured in zip(payloads, back, strict=True):
        assert captured == original
