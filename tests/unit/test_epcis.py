"""EPCIS 2.0 -> native v1 events: GS1's own examples, our fixture documents, and bad input.

No database: ``app.epcis`` is pure. GS1's examples carry GS1 identifiers, so they must parse and
come back with reasons, never crash; our fixtures carry battery codes, VINs and USCCs built with
``app.identifiers`` and must map to exactly the expected native events.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from app.epcis import BT_NAMESPACE, EpcisMapping, EpcisProblem, battery_code_from_epc, map_document
from app.identifiers import is_battery_code, is_uscc, is_vin

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "epcis"
# GS1's own example documents, vendored unchanged under tests/fixtures/epcis/gs1/.
_VENDORED_EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "epcis" / "gs1"
GS1_EXAMPLES = Path(os.environ.get("BATTERYTRACE_GS1_EPCIS_EXAMPLES", str(_VENDORED_EXAMPLES)))
GS1_FILES = sorted(GS1_EXAMPLES.glob("*.jsonld")) if GS1_EXAMPLES.is_dir() else []

# The literal identifiers written into the fixture files (made with make_battery_code,
# make_vin and make_uscc).
MAKER, AUTO, SWAP, RECYCLER, SECOND, REPAIRER = (
    "91320400MA1MK7A3F4",
    "91440300MA5FDR2K88",
    "91310000MA1FL4UW6C",
    "91360900MA35HT7Q1L",
    "91330100MA2H3N8P4C",
    "91320500MA1WX3NC21",
)
P1, P2, P3, P4 = (
    "K7NPE12A3B5C7DF610000101",
    "K7NPB08A3B5C7DF620000102",
    "K7NPE12A3B5C7DF630000103",
    "K7NPE12A3B5C7DF630000104",
)
M1, M2, C1 = "K7NME12A3B5C7DF5L0000011", "K7NME12A3B5C7DF5L0000012", "K7NCE12A3B5C7DF5A0000001"
SECOND_LIFE = "Q2LPB08G3F0000007RP"
V1, V2, V3 = "LSGKB54H2KA012345", "LNBSCCAK1PR104233", "LGXCE4CB5R0201556"
UUID = "urn:uuid:5b0e8f6c-1d2a-4e7b-9c3d-0000000000"  # + two digits in lifecycle.jsonld
SWAP_UUID = "urn:uuid:7d2f1a90-3b4c-4d5e-8f6a-000000000"  # + three digits
EOL_UUID = "urn:uuid:9a8b7c6d-5e4f-4a3b-8c2d-000000000"  # + three digits

CONTEXT: list[object] = [
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
    {"bt": BT_NAMESPACE},
]

# design.md, "The event contract (v1)": required and optional fields per type.
COMMON_REQUIRED = {"event_id", "type", "occurred_at", "reporter"}
COMMON_OPTIONAL = {"province", "note"}
V1_FIELDS: dict[str, tuple[set[str], set[str]]] = {
    "produced": ({"battery", "chemistry", "mass_kg"}, {"capacity_kwh", "components"}),
    "shipped": ({"battery", "to"}, set()),
    "received": ({"battery", "from"}, set()),
    "installed": ({"battery", "vehicle"}, set()),
    "vehicle_sold": ({"vehicle"}, set()),
    "swapped": ({"vehicle", "station", "battery_out", "battery_in"}, set()),
    "removed": ({"battery", "vehicle", "reason"}, set()),
    "repaired": ({"battery"}, set()),
    "vehicle_scrapped": ({"vehicle"}, set()),
    "vehicle_exported": ({"vehicle", "destination"}, set()),
    "health_measured": (
        {"battery", "soh_pct", "capacity_kwh", "cycle_count", "method"},
        {"internal_resistance_mohm"},
    ),
    "repurposed": ({"battery", "application"}, {"new_code", "soh_pct", "residual_capacity_kwh"}),
    "recycled": ({"battery", "input_mass_kg", "recovered"}, set()),
    "correction": ({"corrects", "reason"}, {"corrective_event_ids"}),
}
EVENT_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data


def id_from_event_id(event_id: str) -> str:
    """The documented id scheme, re-derived here so the test does not trust the code under test."""
    return "epcis:" + hashlib.sha256(f"eventID\n{event_id}".encode()).hexdigest()[:40]


def id_from_content(event: dict[str, Any]) -> str:
    canonical = json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "epcis:" + hashlib.sha256(f"content\n{canonical}".encode()).hexdigest()[:40]


def correction_id(event_id: str) -> str:
    return "epcis:" + hashlib.sha256(f"errorDeclaration\n{event_id}".encode()).hexdigest()[:40]


def document(*events: object, **overrides: object) -> dict[str, object]:
    doc: dict[str, object] = {
        "@context": copy.deepcopy(CONTEXT),
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2025-06-10T10:00:00+08:00",
        "epcisBody": {"eventList": list(events)},
    }
    doc.update(overrides)
    return doc


def fields(mapping: EpcisMapping) -> list[tuple[int | None, str]]:
    return [(p.index, p.field) for p in mapping.problems]


# --------------------------------------------------------------------------- GS1 examples


def test_gs1_examples_are_present() -> None:
    if not GS1_FILES:
        pytest.skip(f"GS1 examples not found in {GS1_EXAMPLES} (set BATTERYTRACE_GS1_EPCIS_EXAMPLES)")
    assert len(GS1_FILES) >= 20


@pytest.mark.parametrize("path", GS1_FILES, ids=[p.name for p in GS1_FILES])
def test_gs1_example_is_parsed_and_refused_with_reasons(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    mapping = map_document(doc)
    event_count = len(doc["epcisBody"]["eventList"])
    assert mapping.source_count == event_count
    # GS1 identifiers are not battery codes: nothing maps, and every event says why.
    assert mapping.events == []
    assert {p.index for p in mapping.problems} == set(range(event_count))
    for problem in mapping.problems:
        assert problem.field and len(problem.reason) > 20, problem
    # The documents themselves are valid EPCIS 2.0: no document-level complaints.
    assert [p for p in mapping.problems if p.index is None] == []


def gs1(name: str) -> EpcisMapping:
    path = GS1_EXAMPLES / name
    if not path.is_file():
        pytest.skip(f"{path} not found")
    return map_document(json.loads(path.read_text(encoding="utf-8")))


def test_gs1_sgtin_is_refused_naming_the_accepted_forms() -> None:
    problems = {(p.index, p.field): p.reason for p in gs1("Example_9.6.1-ObjectEvent.jsonld").problems}
    reason = problems[(0, "epcList[0]")]
    assert "SGTIN" in reason and "no registered mapping" in reason
    assert "urn:gbt34014:battery:<code>" in reason
    assert "https://id.batterytrace.org/battery/<code>" in reason
    assert (0, "destinationList") in problems  # the consignee of a shipment must be named
    assert (1, "sourceList") in problems


def test_gs1_digital_link_is_refused_with_its_own_reason() -> None:
    mapping = gs1("Example_9.6.1-ObjectEventWithDigitalLink.jsonld")
    reason = next(p.reason for p in mapping.problems if p.field == "epcList[0]")
    assert "Digital Link" in reason and "GTIN" in reason


def test_gs1_unmapped_step_names_the_mapped_steps() -> None:
    mapping = gs1("Example_9.6.3-AggregationEvent.jsonld")
    reason = next(p.reason for p in mapping.problems if p.index == 0 and p.field == "bizStep")
    assert reason.startswith("bizStep 'receiving' is not mapped (on an ObjectEvent only)")
    assert "mapped steps are" in reason and "commissioning" in reason and "replacing" in reason


def test_gs1_inspecting_is_a_health_reading_that_needs_its_figures() -> None:
    mapping = gs1("PersistentDisposition-example.jsonld")
    found = {p.field for p in mapping.problems if p.index == 1}
    assert "bizStep" not in found
    assert {"bt:soh_pct", "bt:capacity_kwh", "bt:cycle_count", "bt:method"} <= found


def test_gs1_party_identifiers_are_refused_as_companies() -> None:
    mapping = gs1("object_event_all_possible_fields.jsonld")
    by_field = {p.field: p.reason for p in mapping.problems}
    assert "ADD does not fit" in by_field["action"]  # receiving is OBSERVE
    assert "urn:gbt32100:uscc:" in by_field["sourceList[1].source"]  # possessing_party, a PGLN


# --------------------------------------------------------------------------- our documents


def expected_lifecycle() -> list[dict[str, object]]:
    doc = load("lifecycle.jsonld")
    shipped = id_from_event_id(UUID + "03")
    return [
        {
            "event_id": id_from_event_id(UUID + "01"),
            "type": "produced",
            "occurred_at": "2025-06-01T09:15:00+08:00",
            "reporter": MAKER,  # readPoint.id is a company URI
            "province": "320000",
            "battery": P1,
            "chemistry": "ternary",
            "mass_kg": 452.5,
            "capacity_kwh": 75.0,
            "components": [M1, M2],
        },
        {
            # no eventID: the id hashes the event's canonical JSON
            "event_id": id_from_content(doc["epcisBody"]["eventList"][1]),
            "type": "produced",
            "occurred_at": "2025-06-02T09:00:00+08:00",  # 01:00Z shown at +08:00
            "reporter": MAKER,
            "battery": P2,
            "chemistry": "LFP",
            "mass_kg": 420.5,
            "capacity_kwh": 62.0,
        },
        {
            "event_id": shipped + ":1",
            "type": "shipped",
            "occurred_at": "2025-06-03T08:00:00+08:00",
            "reporter": MAKER,
            "battery": P1,
            "to": AUTO,
        },
        {
            "event_id": shipped + ":2",
            "type": "shipped",
            "occurred_at": "2025-06-03T08:00:00+08:00",
            "reporter": MAKER,
            "battery": P2,
            "to": AUTO,
        },
        {
            "event_id": id_from_event_id(UUID + "04"),
            "type": "received",
            "occurred_at": "2025-06-04T10:00:00+08:00",
            "reporter": AUTO,  # the destination's possessing party
            "battery": P1,
            "from": MAKER,
        },
        {
            "event_id": id_from_event_id(UUID + "05"),
            "type": "installed",
            "occurred_at": "2025-06-05T14:30:00.250000+08:00",
            "reporter": AUTO,
            "note": "line 3, station 7",
            "battery": P1,
            "vehicle": V1,
        },
        {
            "event_id": id_from_event_id(UUID + "07"),  # 06 is corrections.jsonld's corrective event
            "type": "vehicle_exported",
            "occurred_at": "2025-06-20T10:00:00+08:00",
            "reporter": AUTO,
            "vehicle": V1,
            "destination": "TH",
        },
    ]


def expected_swap_and_repair() -> list[dict[str, object]]:
    def eid(n: int) -> str:
        return id_from_event_id(f"{SWAP_UUID}{n}")

    return [
        {
            "event_id": eid(101),
            "type": "swapped",
            "occurred_at": "2025-07-01T18:02:11+08:00",
            "reporter": SWAP,
            "province": "310000",
            "vehicle": V2,
            "station": "SH-PSS-0412",
            "battery_out": P4,
            "battery_in": P3,
        },
        {
            "event_id": eid(102),
            "type": "removed",
            "occurred_at": "2025-08-11T09:00:00+08:00",
            "reporter": REPAIRER,  # bizLocation.id is a company URI
            "battery": P1,
            "vehicle": V1,
            "reason": "repair",  # disposition damaged
        },
        {
            "event_id": eid(103),
            "type": "repaired",
            "occurred_at": "2025-08-12T16:45:00+08:00",
            "reporter": REPAIRER,
            "battery": P1,
        },
        {
            "event_id": eid(120),
            "type": "health_measured",
            "occurred_at": "2025-08-12T17:30:00+08:00",
            "reporter": REPAIRER,
            "battery": P1,
            "soh_pct": 91.5,
            "capacity_kwh": 57.2,
            "cycle_count": 412,
            "method": "bms_readout",
        },
        {
            "event_id": eid(104),
            "type": "installed",
            "occurred_at": "2025-08-13T10:00:00+08:00",
            "reporter": REPAIRER,
            "battery": P1,
            "vehicle": V1,
        },
        {
            "event_id": eid(105),
            "type": "removed",
            "occurred_at": "2028-03-02T11:20:00+08:00",
            "reporter": REPAIRER,
            "battery": P1,
            "vehicle": V1,
            "reason": "scrapping",  # bt:reason wins over disposition needs_replacement
        },
        {
            "event_id": eid(106),
            "type": "removed",
            "occurred_at": "2026-01-20T08:00:00+08:00",
            "reporter": AUTO,
            "battery": P2,
            "vehicle": V3,
            "reason": "replacement",  # replacing DELETE
        },
    ]


def expected_end_of_life() -> list[dict[str, object]]:
    doc = load("end-of-life.jsonld")
    return [
        {
            "event_id": id_from_event_id(f"{EOL_UUID}201"),
            "type": "repurposed",
            "occurred_at": "2026-03-15T10:00:00+08:00",
            "reporter": SECOND,
            "battery": P2,
            "application": "energy_storage",
            "new_code": SECOND_LIFE,
        },
        {
            "event_id": id_from_event_id(f"{EOL_UUID}202"),
            "type": "repurposed",
            "occurred_at": "2026-04-01T09:30:00+08:00",
            "reporter": SECOND,
            "battery": P4,
            "application": "e_bike",  # banned, but recorded as evidence
        },
        {
            "event_id": id_from_event_id(f"{EOL_UUID}203"),
            "type": "recycled",
            "occurred_at": "2028-05-10T14:00:00+08:00",
            "reporter": RECYCLER,
            "province": "360000",
            "battery": P1,
            "input_mass_kg": 452.5,
            "recovered": {"li": 4.1, "co": 9.8, "ni": 30.2, "mn": 8.0},
        },
        {
            "event_id": id_from_content(doc["epcisBody"]["eventList"][3]),
            "type": "recycled",
            "occurred_at": "2028-05-11T10:00:00+08:00",
            "reporter": RECYCLER,
            "battery": P3,
            "input_mass_kg": 448.0,
            "recovered": {"li": 3.9},
        },
    ]


def expected_corrections() -> list[dict[str, object]]:
    shipped, fixed, installed = UUID + "03", UUID + "06", UUID + "05"
    corrections: list[dict[str, object]] = [
        {
            "event_id": correction_id(shipped) + f":{n}",
            "type": "correction",
            "occurred_at": "2025-06-10T10:00:00+08:00",  # declarationTime 02:00Z at +08:00
            "reporter": MAKER,
            "corrects": id_from_event_id(shipped) + f":{n}",
            "reason": "incorrect_data",
            "corrective_event_ids": [id_from_event_id(fixed)],
        }
        for n in (1, 2)
    ]
    return [
        *corrections,
        {
            "event_id": id_from_event_id(fixed),
            "type": "shipped",
            "occurred_at": "2025-06-03T08:05:00+08:00",
            "reporter": MAKER,
            "battery": P2,
            "to": AUTO,
        },
        {
            "event_id": correction_id(installed),
            "type": "correction",
            "occurred_at": "2025-06-06T09:00:00+08:00",
            "reporter": AUTO,
            "corrects": id_from_event_id(installed),
            "reason": "did_not_occur",
        },
    ]


EXPECTED: dict[str, Callable[[], list[dict[str, object]]]] = {
    "lifecycle.jsonld": expected_lifecycle,
    "swap-and-repair.jsonld": expected_swap_and_repair,
    "end-of-life.jsonld": expected_end_of_life,
    "corrections.jsonld": expected_corrections,
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_maps_to_exactly_the_expected_events(name: str) -> None:
    doc = load(name)
    mapping = map_document(doc)
    assert mapping.problems == []
    assert mapping.events == EXPECTED[name]()
    body = doc["epcisBody"]
    events = body["eventList"] if "eventList" in body else body["queryResults"]["resultsBody"]["eventList"]
    assert mapping.source_count == len(events)


def all_fixture_events() -> list[dict[str, object]]:
    return [event for name in sorted(EXPECTED) for event in map_document(load(name)).events]


def test_fixtures_cover_every_mappable_native_type() -> None:
    types = {event["type"] for event in all_fixture_events()}
    assert types == set(V1_FIELDS) - {"vehicle_sold", "vehicle_scrapped"}


def test_native_events_follow_the_v1_field_lists() -> None:
    for event in all_fixture_events():
        required, optional = V1_FIELDS[str(event["type"])]
        keys = set(event)
        assert COMMON_REQUIRED | required <= keys, event
        assert keys <= COMMON_REQUIRED | COMMON_OPTIONAL | required | optional, event
        assert EVENT_ID.fullmatch(str(event["event_id"])), event
        assert datetime.fromisoformat(str(event["occurred_at"])).utcoffset() is not None
        assert is_uscc(str(event["reporter"]))
        for key in ("battery", "battery_in", "battery_out", "new_code"):
            if key in event:
                assert is_battery_code(str(event[key])), event
        for key in ("to", "from"):
            if key in event:
                assert is_uscc(str(event[key])), event
        if "vehicle" in event:
            assert is_vin(str(event["vehicle"]))
        json.dumps(event)  # JSON-ready


def test_native_events_pass_the_contract_models() -> None:
    from app.schemas.events import event_adapter

    for event in all_fixture_events():
        event_adapter.validate_python(event)


def test_corrections_point_at_the_ids_the_original_document_produced() -> None:
    originals = {e["event_id"]: e for e in map_document(load("lifecycle.jsonld")).events}
    corrections = [e for e in map_document(load("corrections.jsonld")).events if e["type"] == "correction"]
    corrected = [originals[str(c["corrects"])] for c in corrections]
    assert [(e["type"], e.get("battery")) for e in corrected] == [
        ("shipped", P1),
        ("shipped", P2),
        ("installed", P1),
    ]


def test_resending_a_document_gives_the_same_events() -> None:
    doc = load("end-of-life.jsonld")
    reordered = json.loads(json.dumps(doc, sort_keys=True))  # same content, other key order
    assert map_document(doc) == map_document(reordered) == map_document(load("end-of-life.jsonld"))


def test_content_id_changes_with_the_content() -> None:
    doc = load("end-of-life.jsonld")
    before = map_document(doc).events[3]["event_id"]
    doc["epcisBody"]["eventList"][3]["bt:input_mass_kg"] = "449"
    assert map_document(doc).events[3]["event_id"] != before


def test_a_document_with_one_bad_event_still_maps_the_others() -> None:
    doc = load("swap-and-repair.jsonld")
    doc["epcisBody"]["eventList"][2]["epcList"] = ["urn:gbt34014:battery:K7NPE12"]
    mapping = map_document(doc)
    assert fields(mapping) == [(2, "epcList[0]")]
    assert len(mapping.events) == 6
    assert "repaired" not in {e["type"] for e in mapping.events}


# --------------------------------------------------------------------------- identifiers


@pytest.mark.parametrize(
    ("uri", "code"),
    [
        (f"urn:gbt34014:battery:{P1}", P1),
        (f"URN:GBT34014:battery:{P1}", P1),  # scheme and namespace are case-insensitive
        (f"https://id.batterytrace.org/battery/{P1}", P1),
        (f"urn:gbt34014:battery:{SECOND_LIFE}", SECOND_LIFE),  # 19-character second-life form
        (f"urn:gbt34014:battery:{C1}", C1),
        (f"urn:gbt34014:battery:{P1[:-1]}", None),  # 23 characters
        (f"urn:gbt34014:battery:{P1[:3]}X{P1[4:]}", None),  # X is not a product type
        (f"urn:gbt34014:battery: {P1}", None),
        (f"urn:gbt34014:battery:{P1}?x=1", None),
        (f"https://id.batterytrace.org/battery/{P1}/", None),
        (f"http://example.org/battery/{P1}", None),
        (f"urn:epc:id:sgtin:0614141.107346.{P1}", None),  # a code as a serial is still refused
        (f"https://id.gs1.org/01/09506000134352/21/{P1}", None),
        ("urn:epc:id:sscc:0614141.1234567890", None),
        (f" urn:gbt34014:battery:{P1}", None),
        ("", None),
    ],
)
def test_battery_code_from_epc(uri: str, code: str | None) -> None:
    assert battery_code_from_epc(uri) == code


# --------------------------------------------------------------------------- bad documents


def shipping_event(**changes: object) -> dict[str, object]:
    event: dict[str, object] = {
        "type": "ObjectEvent",
        "eventID": "urn:uuid:00000000-0000-4000-8000-000000000001",
        "eventTime": "2025-06-03T08:00:00+08:00",
        "eventTimeZoneOffset": "+08:00",
        "epcList": [f"urn:gbt34014:battery:{P1}"],
        "action": "OBSERVE",
        "bizStep": "shipping",
        "sourceList": [{"type": "possessing_party", "source": f"urn:gbt32100:uscc:{MAKER}"}],
        "destinationList": [{"type": "possessing_party", "destination": f"urn:gbt32100:uscc:{AUTO}"}],
    }
    for key, value in changes.items():
        if value is None:
            event.pop(key, None)
        else:
            event[key] = value
    return event


def install_event(**changes: object) -> dict[str, object]:
    event: dict[str, object] = {
        "type": "AssociationEvent",
        "eventTime": "2025-06-05T14:30:00+08:00",
        "eventTimeZoneOffset": "+08:00",
        "parentID": f"urn:vin:{V1}",
        "childEPCs": [f"urn:gbt34014:battery:{P1}"],
        "action": "ADD",
        "bizStep": "installing",
        "bt:reporter": f"urn:gbt32100:uscc:{AUTO}",
    }
    for key, value in changes.items():
        if value is None:
            event.pop(key, None)
        else:
            event[key] = value
    return event


def departing_event(**changes: object) -> dict[str, object]:
    event: dict[str, object] = {
        "type": "ObjectEvent",
        "eventTime": "2025-06-20T10:00:00+08:00",
        "eventTimeZoneOffset": "+08:00",
        "epcList": [f"urn:vin:{V1}", f"urn:vin:{V2}"],
        "action": "OBSERVE",
        "bizStep": "departing",
        "bt:reporter": f"urn:gbt32100:uscc:{AUTO}",
        "bt:destination": "BE",
    }
    event.update(changes)
    return event


def test_departing_vehicles_map_to_one_export_each() -> None:
    mapping = map_document(document(departing_event()))
    assert mapping.problems == []
    assert [(e["type"], e["vehicle"], e["destination"]) for e in mapping.events] == [
        ("vehicle_exported", V1, "BE"),
        ("vehicle_exported", V2, "BE"),
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"bt:destination": "CN"}, "bt:destination"),
        ({"bt:destination": "Thailand"}, "bt:destination"),
        ({"epcList": [f"urn:gbt34014:battery:{P1}"]}, "epcList[0]"),
        ({"action": "ADD"}, "action"),
    ],
)
def test_departing_is_refused_naming_the_field(changes: dict[str, object], field: str) -> None:
    mapping = map_document(document(departing_event(**changes)))
    assert mapping.events == [] and (0, field) in fields(mapping)


def test_departing_without_a_destination_is_refused() -> None:
    event = departing_event()
    del event["bt:destination"]
    mapping = map_document(document(event))
    assert mapping.events == [] and (0, "bt:destination") in fields(mapping)


def test_good_base_events_map() -> None:
    mapping = map_document(document(shipping_event(), install_event()))
    assert mapping.problems == []
    assert [e["type"] for e in mapping.events] == ["shipped", "installed"]


@pytest.mark.parametrize(
    ("doc", "field", "words"),
    [
        ([], "document", "JSON object"),
        ("EPCISDocument", "document", "JSON object"),
        (document(shipping_event(), type="EPCISMasterDataDocument"), "type", "'EPCISDocument'"),
        ({k: v for k, v in document().items() if k != "type"}, "type", "'EPCISDocument'"),
        (document(epcisBody={}), "epcisBody.eventList", "list of EPCIS events"),
        (document(epcisBody=[]), "epcisBody", "object"),
        (document(epcisBody={"eventList": {}}), "epcisBody.eventList", "list"),
        (document(type="EPCISQueryDocument", epcisBody={"eventList": []}), "epcisBody.queryResults", "object"),
    ],
)
def test_document_shape_problems_stop_mapping(doc: object, field: str, words: str) -> None:
    mapping = map_document(doc)
    assert mapping.events == []
    assert mapping.source_count == 0
    assert [(p.index, p.field) for p in mapping.problems][-1] == (None, field)
    assert words in mapping.problems[-1].reason


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"@context": None}, "@context", "missing"),
        ({"@context": [{"bt": BT_NAMESPACE}]}, "@context", "epcis-context.jsonld"),
        ({"@context": 7}, "@context", "context URL"),
        ({"schemaVersion": "1.2"}, "schemaVersion", '"2.0"'),
        ({"schemaVersion": None}, "schemaVersion", '"2.0"'),
        ({"creationDate": "yesterday"}, "creationDate", "RFC 3339"),
    ],
)
def test_document_header_problems_are_reported_alongside_the_events(
    overrides: dict[str, object], field: str, words: str
) -> None:
    doc = document(shipping_event(), **overrides)
    for key, value in overrides.items():
        if value is None:
            del doc[key]
    mapping = map_document(doc)
    assert (None, field) in fields(mapping)
    assert words in next(p.reason for p in mapping.problems if p.field == field)
    assert mapping.source_count == 1


@pytest.mark.parametrize(
    ("event", "field", "words"),
    [
        (shipping_event(eventTime=None), "eventTime", "missing"),
        (shipping_event(eventTime="2025-06-03T08:00:00"), "eventTime", "offset"),
        (shipping_event(eventTime="2025-02-30T08:00:00+08:00"), "eventTime", "not a real date"),
        (shipping_event(eventTime=1717372800), "eventTime", "RFC 3339"),
        (shipping_event(eventTime="2025-06-03T08:00:00+08:75"), "eventTime", "not a real date"),
        (shipping_event(eventTimeZoneOffset=None), "eventTimeZoneOffset", "+hh:mm"),
        (shipping_event(eventTimeZoneOffset="+8:00"), "eventTimeZoneOffset", "+hh:mm"),
        (shipping_event(eventTimeZoneOffset="+15:00"), "eventTimeZoneOffset", "+14:00"),
        (shipping_event(action=None), "action", "missing"),
        (shipping_event(action="MOVE"), "action", "OBSERVE, ADD or DELETE"),
        (shipping_event(action="ADD"), "action", "expected OBSERVE"),
        (shipping_event(type="TransactionEvent"), "type", "TransactionEvent is not mapped"),
        (shipping_event(type="https://example.org/MyEvent"), "type", "mapped event types are"),
        (shipping_event(type=None), "type", "event type"),
        (shipping_event(bizStep=None), "bizStep", "missing; mapped steps are"),
        (shipping_event(bizStep="storing"), "bizStep", "bizStep 'storing' is not mapped; mapped steps are"),
        (shipping_event(bizStep="urn:epcglobal:cbv:bizstep:loading"), "bizStep", "is not mapped"),
        (shipping_event(bizStep="Shipping"), "bizStep", "is not mapped"),  # CBV words are case-sensitive
        (shipping_event(epcList=[f"urn:gbt34014:battery:{P1[:20]}"]), "epcList[0]", "expected 24 characters"),
        (shipping_event(epcList=["urn:epc:id:sgtin:0614141.107346.2017"]), "epcList[0]", "SGTIN"),
        (shipping_event(epcList=["urn:epc:id:sscc:0614141.1234567890"]), "epcList[0]", "SSCC"),
        (shipping_event(epcList=["urn:epc:class:lgtin:4012345.012345.998877"]), "epcList[0]", "class-level"),
        (shipping_event(epcList=["https://id.gs1.org/01/70614141123451/21/2017"]), "epcList[0]", "Digital Link"),
        (shipping_event(epcList=["battery-42"]), "epcList[0]", "urn:gbt34014:battery:<code>"),
        (shipping_event(epcList=[42]), "epcList[0]", "non-empty string"),
        (shipping_event(epcList=[f"urn:gbt34014:battery:{P1}"] * 2), "epcList[1]", "twice"),
        (shipping_event(epcList=None), "epcList", "no battery listed"),
        (shipping_event(epcList="urn:gbt34014:battery:x"), "epcList", "list of identifier URIs"),
        (shipping_event(destinationList=None), "destinationList", "'to'"),
        (
            shipping_event(
                destinationList=[{"type": "possessing_party", "destination": "urn:epc:id:pgln:0614141.00777"}]
            ),
            "destinationList[0].destination",
            "urn:gbt32100:uscc:",
        ),
        (
            shipping_event(
                destinationList=[{"type": "possessing_party", "destination": f"urn:gbt32100:uscc:{AUTO[:-1]}0"}]
            ),
            "destinationList[0].destination",
            "check_char",
        ),
        (shipping_event(destinationList=["x"]), "destinationList[0]", "'type'"),
        (shipping_event(sourceList=None), "bt:reporter", "no reporter"),
        (shipping_event(sourceList=None, bizLocation={"id": "urn:gbt32100:uscc:123"}), "bizLocation.id", "length"),
        (shipping_event(**{"bt:reporter": f"urn:gbt32100:uscc:{MAKER[:-1]}0"}), "bt:reporter", "check_char"),
        (shipping_event(**{"bt:reporter": 91320400}), "bt:reporter", "non-empty string"),
        (shipping_event(**{"bt:province": "32"}), "bt:province", "6-digit"),
        (shipping_event(**{"bt:note": "x" * 2001}), "bt:note", "2000"),
        (shipping_event(**{"bt:masskg": 3}), "bt:masskg", "unknown extension field 'masskg'"),
        (shipping_event(eventID=""), "eventID", "URI string"),
    ],
)
def test_event_problems_name_the_field(event: dict[str, object], field: str, words: str) -> None:
    mapping = map_document(document(event))
    assert mapping.events == []
    assert mapping.source_count == 1
    assert (0, field) in fields(mapping), mapping.problems
    reason = next(p.reason for p in mapping.problems if p.field == field)
    assert words in reason


def test_undeclared_prefix_is_a_problem() -> None:
    doc = document(shipping_event(**{"bt:reporter": f"urn:gbt32100:uscc:{MAKER}"}))
    doc["@context"] = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]
    mapping = map_document(doc)
    assert (0, "bt:reporter") in fields(mapping)
    assert "does not declare" in mapping.problems[0].reason


def test_extension_fields_may_use_any_prefix_or_the_full_iri() -> None:
    event = shipping_event(sourceList=None, **{f"{BT_NAMESPACE}reporter": f"urn:gbt32100:uscc:{MAKER}"})
    doc = document(event)
    doc["@context"] = [CONTEXT[0], {"trace": BT_NAMESPACE}]
    assert map_document(doc).events[0]["reporter"] == MAKER
    event = shipping_event(sourceList=None, **{"trace:reporter": MAKER}, **{"@context": {"trace": BT_NAMESPACE}})
    doc = document(event)
    doc["@context"] = CONTEXT[:1]
    assert map_document(doc).events[0]["reporter"] == MAKER


def test_a_prefix_bound_elsewhere_is_someone_elses_field() -> None:
    doc = document(shipping_event(**{"bt:reporter": "not ours"}))
    doc["@context"] = [CONTEXT[0], {"bt": "https://example.org/bt#"}]
    mapping = map_document(doc)
    assert mapping.problems == []
    assert mapping.events[0]["reporter"] == MAKER  # from sourceList


@pytest.mark.parametrize(
    ("event", "field", "words"),
    [
        (install_event(parentID=f"urn:vin:{V1[:8]}X{V1[9:]}"), "parentID", "check_digit"),
        (install_event(parentID=f"urn:vin:{V1[:-1]}"), "parentID", "17 characters"),
        (install_event(parentID="urn:epc:id:grai:4012345.55555.987"), "parentID", "urn:vin:"),
        (install_event(parentID=None), "parentID", "urn:vin:"),
        (install_event(action="DELETE"), "action", "expected ADD"),
        (install_event(childEPCs=[]), "childEPCs", "no battery listed"),
        (install_event(bizStep="removing", action="DELETE", **{"bt:reason": "lost"}), "bt:reason", "repair"),
        (install_event(bizStep="assembling"), "bizStep", "is not mapped"),
        (
            install_event(bizStep="replacing", bizLocation={"id": "urn:batterytrace:station:SH-1"}),
            "bt:battery_out",
            "swap station",
        ),
        (
            install_event(
                bizStep="replacing",
                bizLocation={"id": "urn:batterytrace:station:"},
                **{"bt:battery_out": f"urn:gbt34014:battery:{P2}"},
            ),
            "bizLocation.id",
            "station id",
        ),
        (
            install_event(
                bizStep="replacing",
                bizLocation={"id": "urn:batterytrace:station:SH-1"},
                **{"bt:battery_out": f"urn:gbt34014:battery:{P1}"},
            ),
            "bt:battery_out",
            "equals",
        ),
        (
            install_event(
                bizStep="replacing",
                bizLocation={"id": "urn:batterytrace:station:SH-1"},
                childEPCs=[f"urn:gbt34014:battery:{P1}", f"urn:gbt34014:battery:{P3}"],
                **{"bt:battery_out": f"urn:gbt34014:battery:{P2}"},
            ),
            "childEPCs",
            "one event per swap",
        ),
    ],
)
def test_association_problems(event: dict[str, object], field: str, words: str) -> None:
    mapping = map_document(document(event))
    assert mapping.events == []
    assert (0, field) in fields(mapping), mapping.problems
    assert words in next(p.reason for p in mapping.problems if p.field == field)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"bizStep": "removing", "action": "DELETE"}, "other"),
        ({"bizStep": "removing", "action": "DELETE", "disposition": "needs_replacement"}, "replacement"),
        ({"bizStep": "removing", "action": "DELETE", "disposition": "https://ref.gs1.org/cbv/Disp-damaged"}, "repair"),
        ({"bizStep": "replacing", "action": "DELETE", "disposition": "damaged"}, "repair"),
        ({"bizStep": "replacing", "action": "DELETE", "bt:reason": "other"}, "other"),
    ],
)
def test_removal_reasons(changes: dict[str, object], reason: str) -> None:
    mapping = map_document(document(install_event(**changes)))
    assert mapping.problems == []
    assert mapping.events[0]["type"] == "removed"
    assert mapping.events[0]["reason"] == reason


def test_replacing_outside_a_station_installs() -> None:
    mapping = map_document(document(install_event(bizStep="replacing")))
    assert mapping.problems == []
    assert mapping.events[0]["type"] == "installed"


def commissioning_event(**changes: object) -> dict[str, object]:
    event: dict[str, object] = {
        "type": "ObjectEvent",
        "eventTime": "2025-06-02T09:00:00+08:00",
        "eventTimeZoneOffset": "+08:00",
        "epcList": [f"urn:gbt34014:battery:{P2}"],
        "action": "ADD",
        "bizStep": "commissioning",
        "bt:reporter": MAKER,
        "ilmd": {"bt:chemistry": "LFP", "bt:mass_kg": 420.5, "bt:capacity_kwh": 62},
    }
    event.update(changes)
    return event


@pytest.mark.parametrize(
    ("event", "field", "words"),
    [
        (commissioning_event(ilmd={"bt:mass_kg": 420.5, "bt:capacity_kwh": 62}), "bt:chemistry", "missing"),
        (commissioning_event(ilmd={"bt:chemistry": "LFP", "bt:mass_kg": 420.5}), "bt:capacity_kwh", "for a pack"),
        (commissioning_event(ilmd={"bt:chemistry": "LFP", "bt:capacity_kwh": 62}), "bt:mass_kg", "missing"),
        (
            commissioning_event(ilmd={"bt:chemistry": "LFP", "bt:mass_kg": -1, "bt:capacity_kwh": 62}),
            "ilmd.bt:mass_kg",
            "above 0",
        ),
        (
            commissioning_event(ilmd={"bt:chemistry": "LFP", "bt:mass_kg": "heavy", "bt:capacity_kwh": 62}),
            "ilmd.bt:mass_kg",
            "number",
        ),
        (
            commissioning_event(ilmd={"bt:chemistry": "LFP", "bt:mass_kg": True, "bt:capacity_kwh": 62}),
            "ilmd.bt:mass_kg",
            "number",
        ),
        (commissioning_event(**{"bt:chemistry": "NCM"}), "ilmd.bt:chemistry", "disagrees"),
        (commissioning_event(action="OBSERVE"), "action", "expected ADD"),
    ],
)
def test_production_problems(event: dict[str, object], field: str, words: str) -> None:
    mapping = map_document(document(event))
    assert mapping.events == []
    assert (0, field) in fields(mapping), mapping.problems
    assert words in next(p.reason for p in mapping.problems if p.field == field)


def test_modules_need_no_capacity() -> None:
    event = commissioning_event(
        epcList=[f"urn:gbt34014:battery:{M1}", f"urn:gbt34014:battery:{M2}"],
        ilmd={"bt:chemistry": "ternary", "bt:mass_kg": "35"},
    )
    mapping = map_document(document(event))
    assert mapping.problems == []
    base = id_from_content(event)
    assert [(e["event_id"], e["battery"], e["mass_kg"]) for e in mapping.events] == [
        (base + ":1", M1, 35.0),
        (base + ":2", M2, 35.0),
    ]
    assert "capacity_kwh" not in mapping.events[0]


def assembling_event(**changes: object) -> dict[str, object]:
    event: dict[str, object] = {
        "type": "AggregationEvent",
        "eventTime": "2025-06-01T09:15:00+08:00",
        "eventTimeZoneOffset": "+08:00",
        "parentID": f"urn:gbt34014:battery:{M1}",
        "childEPCs": [f"urn:gbt34014:battery:{C1}"],
        "action": "ADD",
        "bizStep": "assembling",
        "bt:reporter": MAKER,
        "bt:chemistry": "ternary",
        "bt:mass_kg": 35,
    }
    event.update(changes)
    return event


def test_assembling_a_module_from_cells() -> None:
    mapping = map_document(document(assembling_event()))
    assert mapping.problems == []
    assert mapping.events[0]["battery"] == M1
    assert mapping.events[0]["components"] == [C1]


@pytest.mark.parametrize(
    ("event", "field", "words"),
    [
        (assembling_event(childEPCs=[f"urn:gbt34014:battery:{M2}"]), "childEPCs[0]", "lower levels"),
        (assembling_event(parentID=f"urn:gbt34014:battery:{P1}"), "bt:capacity_kwh", "for a pack"),
        (assembling_event(**{"bt:chemistry": None}), "bt:chemistry", "chemistry letter or a name"),
        ({k: v for k, v in assembling_event().items() if k != "bt:chemistry"}, "bt:chemistry", "assembling"),
        (assembling_event(parentID="urn:epc:id:sscc:0614141.1234567890"), "parentID", "SSCC"),
        (assembling_event(action="DELETE"), "action", "expected ADD"),
    ],
)
def test_assembling_problems(event: dict[str, object], field: str, words: str) -> None:
    mapping = map_document(document(event))
    assert mapping.events == []
    assert (0, field) in fields(mapping), mapping.problems
    assert words in next(p.reason for p in mapping.problems if p.field == field)


def eol_event(**changes: object) -> dict[str, object]:
    event: dict[str, object] = {
        "type": "ObjectEvent",
        "eventTime": "2028-05-10T14:00:00+08:00",
        "eventTimeZoneOffset": "+08:00",
        "epcList": [f"urn:gbt34014:battery:{P1}"],
        "action": "OBSERVE",
        "bizStep": "destroying",
        "bt:reporter": RECYCLER,
        "bt:input_mass_kg": 450,
        "bt:recovered": {"li": 4},
    }
    event.update(changes)
    return {k: v for k, v in event.items() if v is not None}


DECOMMISSIONING: dict[str, object] = {
    "bizStep": "decommissioning",
    "bt:input_mass_kg": None,
    "bt:recovered": None,
}


@pytest.mark.parametrize(
    ("event", "field", "words"),
    [
        (
            eol_event(epcList=[f"urn:gbt34014:battery:{P1}", f"urn:gbt34014:battery:{P2}"]),
            "epcList",
            "one event per battery",
        ),
        ({k: v for k, v in eol_event().items() if k != "bt:recovered"}, "bt:recovered", "taking a battery apart"),
        ({k: v for k, v in eol_event().items() if k != "bt:input_mass_kg"}, "bt:input_mass_kg", "missing"),
        (eol_event(**{"bt:recovered": {"lithium": 4}}), "bt:recovered.lithium", "element symbol"),
        (eol_event(**{"bt:recovered": {"li": -1}}), "bt:recovered.li", "0 or more"),
        (eol_event(**{"bt:recovered": {"li": 1, "Li": 2}}), "bt:recovered.Li", "twice"),
        (eol_event(**{"bt:recovered": [4]}), "bt:recovered", "element -> kg"),
        (eol_event(**DECOMMISSIONING), "bt:application", "decommissioning"),
        (eol_event(**DECOMMISSIONING, **{"bt:application": "E-Bike"}), "bt:application", "lower-case"),
        (eol_event(bizStep="decommissioning", **{"bt:application": "e_bike"}), "bt:recovered", "is not used"),
        (
            eol_event(**DECOMMISSIONING, **{"bt:application": "e_bike", "bt:new_code": "x"}),
            "bt:new_code",
            "not a battery identifier",
        ),
    ],
)
def test_end_of_life_problems(event: dict[str, object], field: str, words: str) -> None:
    mapping = map_document(document(event))
    assert mapping.events == []
    assert (0, field) in fields(mapping), mapping.problems
    assert words in next(p.reason for p in mapping.problems if p.field == field)


def test_zero_recovery_is_recordable() -> None:
    mapping = map_document(document(eol_event(**{"bt:recovered": {}})))
    assert mapping.problems == []
    assert mapping.events[0]["recovered"] == {}


def test_transformation_repurposing_needs_one_second_life_code() -> None:
    event = {
        "type": "TransformationEvent",
        "eventTime": "2026-03-15T10:00:00+08:00",
        "eventTimeZoneOffset": "+08:00",
        "inputEPCList": [f"urn:gbt34014:battery:{P2}", f"urn:gbt34014:battery:{P3}"],
        "outputEPCList": [f"urn:gbt34014:battery:{SECOND_LIFE}"],
        "bizStep": "https://ref.gs1.org/cbv/BizStep-commissioning",
        "bt:application": "backup_power",
        "bt:reporter": SECOND,
    }
    mapping = map_document(document(event))
    assert mapping.problems == []
    assert [(e["battery"], e["new_code"]) for e in mapping.events] == [(P2, SECOND_LIFE), (P3, SECOND_LIFE)]
    event["outputEPCList"] = [f"urn:gbt34014:battery:{SECOND_LIFE}", f"urn:gbt34014:battery:{P4}"]
    assert (0, "outputEPCList") in fields(map_document(document(event)))


def declared(event: dict[str, object], **declaration: object) -> dict[str, object]:
    body: dict[str, object] = {"declarationTime": "2025-06-10T02:00:00Z", "reason": "incorrect_data"}
    body.update(declaration)
    return {**event, "errorDeclaration": body}


@pytest.mark.parametrize(
    ("event", "field", "words"),
    [
        (declared(shipping_event(eventID=None)), "eventID", "errorDeclaration must carry the eventID"),
        (declared(shipping_event(), reason=None), "errorDeclaration.reason", "incorrect_data"),
        (declared(shipping_event(), reason="urn:epcglobal:cbv:er:typo"), "errorDeclaration.reason", "did_not_occur"),
        (declared(shipping_event(), declarationTime="soon"), "errorDeclaration.declarationTime", "RFC 3339"),
        (declared(shipping_event(), correctiveEventIDs="urn:x"), "errorDeclaration.correctiveEventIDs", "list"),
        (declared(shipping_event(), correctiveEventIDs=[1]), "errorDeclaration.correctiveEventIDs[0]", "eventID"),
        ({**shipping_event(), "errorDeclaration": "oops"}, "errorDeclaration", "object"),
        (declared(shipping_event(epcList=["urn:epc:id:sgtin:1.2.3"])), "epcList[0]", "SGTIN"),
    ],
)
def test_error_declaration_problems(event: dict[str, object], field: str, words: str) -> None:
    mapping = map_document(document(event))
    assert mapping.events == []
    assert (0, field) in fields(mapping), mapping.problems
    assert words in next(p.reason for p in mapping.problems if p.field == field)


def test_error_reason_accepts_the_three_spellings() -> None:
    for reason in ("did_not_occur", "urn:epcglobal:cbv:er:did_not_occur", "https://ref.gs1.org/cbv/ER-did_not_occur"):
        mapping = map_document(document(declared(shipping_event(), reason=reason)))
        assert mapping.problems == []
        assert mapping.events[0]["reason"] == "did_not_occur"


def test_an_original_and_its_declaration_may_share_a_document() -> None:
    mapping = map_document(document(shipping_event(), declared(shipping_event())))
    assert mapping.problems == []
    assert [e["type"] for e in mapping.events] == ["shipped", "correction"]
    assert mapping.events[1]["corrects"] == mapping.events[0]["event_id"]


def test_a_repeated_event_id_is_a_problem() -> None:
    mapping = map_document(document(shipping_event(), shipping_event(eventTime="2025-06-04T08:00:00+08:00")))
    assert fields(mapping) == [(1, "eventID")]
    assert "event 0" in mapping.problems[0].reason
    assert len(mapping.events) == 1


def test_event_that_is_not_an_object() -> None:
    mapping = map_document(document("ObjectEvent", shipping_event()))
    assert mapping.problems == [EpcisProblem(0, "event", "expected an EPCIS event object, got a string")]
    assert len(mapping.events) == 1
    assert mapping.source_count == 2


def test_occurred_at_is_shown_in_the_event_offset() -> None:
    event = shipping_event(eventTime="2005-04-05T02:33:31.116Z", eventTimeZoneOffset="-06:00")
    assert map_document(document(event)).events[0]["occurred_at"] == "2005-04-04T20:33:31.116000-06:00"
    event = shipping_event(eventTime="2025-06-03T08:00:00.123456789+08:00")
    assert map_document(document(event)).events[0]["occurred_at"] == "2025-06-03T08:00:00.123456+08:00"


def test_event_ids_stay_within_the_contract() -> None:
    epcs = [f"urn:gbt34014:battery:K7NME12A3B5C7DF5L{n:07d}" for n in range(1, 13)]  # twelve modules, ids :1 to :12
    event = commissioning_event(epcList=epcs, ilmd={"bt:chemistry": "LFP", "bt:mass_kg": 30})
    ids = [str(e["event_id"]) for e in map_document(document(event)).events]
    assert len(ids) == 12 and len(set(ids)) == 12
    assert all(EVENT_ID.fullmatch(i) for i in ids)
    assert ids[-1].endswith(":12")


# --------------------------------------------------------------------------- robustness

WEIRD: list[object] = [None, 0, -1.5, float("nan"), True, "", "x", [], {}, [None], [{}], {"id": 1}, {"": []}]


def robustness_documents() -> list[tuple[str, dict[str, Any]]]:
    docs = [(p.name, json.loads(p.read_text(encoding="utf-8"))) for p in GS1_FILES]
    docs += [(name, load(name)) for name in sorted(EXPECTED)]
    return docs


def test_no_input_makes_it_raise() -> None:
    """Every field of every event, replaced by every odd JSON value, still gives an answer."""
    for name, doc in robustness_documents():
        body = doc["epcisBody"]
        events = body["eventList"] if "eventList" in body else body["queryResults"]["resultsBody"]["eventList"]
        for index, event in enumerate(events):
            for key in list(event):
                for value in WEIRD:
                    mutated = copy.deepcopy(doc)
                    target = (
                        mutated["epcisBody"]["eventList"]
                        if "eventList" in body
                        else mutated["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
                    )
                    target[index][key] = value
                    result = map_document(mutated)
                    assert isinstance(result, EpcisMapping), (name, key, value)
        for key in list(doc):
            for value in WEIRD:
                assert isinstance(map_document({**doc, key: value}), EpcisMapping), (name, key, value)
    for value in [*WEIRD, object(), {1: 2}, {"type": "EPCISDocument", "epcisBody": {"eventList": [{1: 2}]}}]:
        assert isinstance(map_document(value), EpcisMapping)


def test_an_identical_event_without_event_id_sent_twice_is_a_problem() -> None:
    event = commissioning_event()
    mapping = map_document(document(event, copy.deepcopy(event)))
    assert fields(mapping) == [(1, "event")]
    assert len(mapping.events) == 1


def test_a_repeated_error_declaration_is_a_problem() -> None:
    mapping = map_document(document(declared(shipping_event()), declared(shipping_event())))
    assert fields(mapping) == [(1, "eventID")]


def test_decommissioning_may_name_the_second_life_code() -> None:
    new_code = f"https://id.batterytrace.org/battery/{SECOND_LIFE}"
    event = eol_event(**DECOMMISSIONING, **{"bt:application": "energy_storage", "bt:new_code": new_code})
    mapping = map_document(document(event))
    assert mapping.problems == []
    assert mapping.events[0]["new_code"] == SECOND_LIFE
    event["bt:new_code"] = f"urn:gbt34014:battery:{P1}"
    assert (0, "bt:new_code") in fields(map_document(document(event)))


def test_a_second_life_code_cannot_be_its_own_original() -> None:
    event = {
        "type": "TransformationEvent",
        "eventTime": "2026-03-15T10:00:00+08:00",
        "eventTimeZoneOffset": "+08:00",
        "inputEPCList": [f"urn:gbt34014:battery:{P2}"],
        "outputEPCList": [f"urn:gbt34014:battery:{P2}"],
        "bizStep": "commissioning",
        "bt:application": "backup_power",
        "bt:reporter": SECOND,
    }
    assert fields(map_document(document(event))) == [(0, "outputEPCList[0]")]


def test_a_correction_keeps_the_province_of_the_original() -> None:
    mapping = map_document(document(declared(shipping_event(**{"bt:province": "320000"}))))
    assert mapping.problems == []
    assert mapping.events[0]["province"] == "320000"


def inspecting_event(**changes: object) -> dict[str, object]:
    event: dict[str, object] = {
        "type": "ObjectEvent",
        "eventID": "urn:uuid:00000000-0000-4000-8000-0000000000a1",
        "eventTime": "2025-07-01T10:00:00+08:00",
        "eventTimeZoneOffset": "+08:00",
        "epcList": [f"urn:gbt34014:battery:{P1}"],
        "action": "OBSERVE",
        "bizStep": "inspecting",
        "bt:reporter": f"urn:gbt32100:uscc:{REPAIRER}",
        "bt:soh_pct": 88.5,
        "bt:capacity_kwh": "53.1",
        "bt:cycle_count": 640,
        "bt:method": "bms_readout",
    }
    for key, value in changes.items():
        if value is None:
            event.pop(key, None)
        else:
            event[key] = value
    return event


def test_inspecting_maps_to_a_health_reading() -> None:
    mapping = map_document(document(inspecting_event(**{"bt:internal_resistance_mohm": 92})))
    assert mapping.problems == []
    (native,) = mapping.events
    assert {k: native[k] for k in ("type", "battery", "soh_pct", "capacity_kwh", "cycle_count", "method")} == {
        "type": "health_measured",
        "battery": P1,
        "soh_pct": 88.5,
        "capacity_kwh": 53.1,
        "cycle_count": 640,
        "method": "bms_readout",
    }
    assert native["internal_resistance_mohm"] == 92.0 and native["reporter"] == REPAIRER
    assert isinstance(native["cycle_count"], int)


@pytest.mark.parametrize(
    ("event", "field", "words"),
    [
        (inspecting_event(**{"bt:soh_pct": None}), "bt:soh_pct", "missing: inspecting maps to health_measured"),
        (inspecting_event(**{"bt:soh_pct": "high"}), "bt:soh_pct", "expected a number"),
        (inspecting_event(**{"bt:cycle_count": 12.5}), "bt:cycle_count", "whole number"),
        (inspecting_event(**{"bt:method": "guess"}), "bt:method", "bms_readout, residual_energy_test, estimate"),
        (inspecting_event(**{"bt:capacity_kwh": 0}), "bt:capacity_kwh", "above 0"),
        (inspecting_event(action="ADD"), "action", "expected OBSERVE"),
        (
            inspecting_event(epcList=[f"urn:gbt34014:battery:{P1}", f"urn:gbt34014:battery:{P2}"]),
            "epcList",
            "one event per battery",
        ),
        (inspecting_event(**{"bt:application": "energy_storage"}), "bt:application", "is not used by bizStep"),
    ],
)
def test_inspecting_problems_name_the_field(event: dict[str, object], field: str, words: str) -> None:
    mapping = map_document(document(event))
    assert mapping.events == []
    reason = next((p.reason for p in mapping.problems if p.field == field), "")
    assert words in reason, mapping.problems


def test_decommissioning_carries_the_condition_at_hand_over() -> None:
    event = {
        "type": "ObjectEvent",
        "eventTime": "2025-08-01T10:00:00+08:00",
        "eventTimeZoneOffset": "+08:00",
        "epcList": [f"urn:gbt34014:battery:{P1}"],
        "action": "OBSERVE",
        "bizStep": "decommissioning",
        "bt:reporter": f"urn:gbt32100:uscc:{SECOND}",
        "bt:application": "energy_storage",
        "bt:soh_pct": 74,
        "bt:residual_capacity_kwh": 44.4,
    }
    (native,) = map_document(document(event)).events
    assert (native["soh_pct"], native["residual_capacity_kwh"]) == (74.0, 44.4)


@pytest.mark.parametrize(
    ("event", "field"),
    [
        (install_event(bizStep="replacing", **{"bt:battery_out": f"urn:gbt34014:battery:{P2}"}), "bt:battery_out"),
        (install_event(**{"bt:application": "energy_storage"}), "bt:application"),
        (
            commissioning_event(
                ilmd={"bt:chemistry": "LFP", "bt:mass_kg": 420.5, "bt:capacity_kwh": 62, "bt:note": "x"}
            ),
            "ilmd.bt:note",
        ),
        (shipping_event(**{"bt:chemistry": "LFP"}), "bt:chemistry"),
    ],
)
def test_extension_fields_the_step_does_not_use_are_problems(event: dict[str, object], field: str) -> None:
    """A swap sent without its station must not quietly become an installation."""
    mapping = map_document(document(event))
    assert fields(mapping) == [(0, field)]
    assert "is not used by bizStep" in mapping.problems[0].reason
