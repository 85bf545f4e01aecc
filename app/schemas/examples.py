"""The request examples of the OpenAPI document: one small world, registered then told in events.

Every example is sent by ``tests/api/test_openapi_examples.py`` against the real API, in the order
written here: the registry examples register the companies, the station and the vehicles; then one
event of each type tells the life of two packs. An example that shows a refusal carries
``x-status`` (the answer it gets); one stored with warnings lists their codes in ``x-warnings``.
Identifiers are built with their check characters, so each one is valid as written.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.identifiers import make_battery_code, make_uscc, make_vin


def _uscc(division: str, n: int) -> str:
    return make_uscc(f"91{division}MA{n:07d}")


MAKER = _uscc("350200", 11)
AUTOMAKER = _uscc("310100", 12)
SWAP_OP = _uscc("110100", 13)
REPAIRER = _uscc("310100", 14)
DISMANTLER = _uscc("310100", 15)
SECOND_LIFE = _uscc("320500", 16)
RECYCLER = _uscc("430100", 17)
STATION = "BJ-SWAP-0001"
VEHICLE = make_vin("LBTAB1C20RS000001")
EXPORTED = make_vin("LBTAB1C20RS000002")
PACK = make_battery_code("NDC", "pack", "B", "01", "TRACE01", date(2024, 3, 1), "0000001")
SPARE = make_battery_code("NDC", "pack", "B", "01", "TRACE01", date(2024, 3, 1), "0000002")
MODULE = make_battery_code("NDC", "module", "B", "01", "TRACE01", date(2024, 2, 28), "0000001")
CAPTURED = make_battery_code("NDC", "pack", "B", "01", "TRACE01", date(2024, 3, 1), "0000003")


def _example(
    summary: str,
    value: Any,
    description: str | None = None,
    *,
    status: int | None = None,
    warnings: tuple[str, ...] = (),
) -> dict[str, Any]:
    """An OpenAPI example; ``status`` for one that shows a refusal (``x-status``, the answer it gets),
    ``warnings`` for one stored with warnings (``x-warnings``, their codes)."""
    out: dict[str, Any] = {"summary": summary, "value": value}
    if description:
        out["description"] = description
    if status is not None:
        out["x-status"] = status
    if warnings:
        out["x-warnings"] = list(warnings)
    return out


# --- registries ---------------------------------------------------------------------------------

COMPANY_EXAMPLES = {
    "chain": _example(
        "the companies of the example world",
        {
            "companies": [
                {"uscc": MAKER, "name": "Ningde Cells", "roles": ["battery_maker"], "province": "350000",
                 "maker_code": "NDC"},
                {"uscc": AUTOMAKER, "name": "Pudong Motors", "roles": ["automaker"], "province": "310000"},
                {"uscc": SWAP_OP, "name": "Capital Swap", "roles": ["swap_operator"], "province": "110000"},
                {"uscc": REPAIRER, "name": "Huangpu Battery Service", "roles": ["repairer"], "province": "310000"},
                {"uscc": DISMANTLER, "name": "Shanghai Dismantling", "roles": ["dismantler"], "province": "310000",
                 "licences": [{"scope": "dismantling", "valid_from": "2020-01-01"}]},
                {"uscc": SECOND_LIFE, "name": "苏州储能科技有限公司", "name_en": "Suzhou Storage",
                 "roles": ["second_life"], "province": "320000",
                 "licences": [{"scope": "second_life", "valid_from": "2021-06-01", "batch": 2}]},
                {"uscc": RECYCLER, "name": "长沙金属再生资源有限公司", "name_en": "Changsha Metals",
                 "roles": ["recycler"], "province": "430000",
                 "licences": [{"scope": "recycling", "valid_from": "2018-09-01", "batch": 1}]},
            ]
        },
        "A battery maker registers with its GB/T 34014 maker code (the first 3 characters of its codes); "
        "dismantlers, second-life companies and recyclers with the licences of the white list.",
    ),
}  # fmt: skip

STATION_EXAMPLES = {
    "station": _example(
        "a swap station and its operator",
        {"stations": [{"id": STATION, "operator": SWAP_OP, "province": "110000", "name": "Chaoyang Road",
                       "lat": 39.92, "lon": 116.46}]},
        "The operator must be registered first.",
    ),
}  # fmt: skip

VEHICLE_EXAMPLES = {
    "vehicles": _example(
        "two vehicles of the automaker",
        {
            "vehicles": [
                {"vin": VEHICLE, "maker": AUTOMAKER, "model": "PM-5", "category": "passenger_bev",
                 "swap_capable": True},
                {"vin": EXPORTED, "maker": AUTOMAKER, "model": "PM-5", "category": "passenger_bev"},
            ]
        },
        "The maker must be registered first; a VIN's 9th character is its check digit.",
    ),
}  # fmt: skip


# --- events: one of each type, in the order they happen -----------------------------------------


def _event(event_id: str, kind: str, at: str, reporter: str, **fields: Any) -> dict[str, Any]:
    return {"events": [{"event_id": event_id, "type": kind, "occurred_at": at, "reporter": reporter, **fields}]}


EVENT_EXAMPLES = {
    "produced": _example(
        "produced: the maker reports a pack and the module inside it",
        _event("NDC-2024-0001", "produced", "2024-03-02T10:00:00+08:00", MAKER, province="350000",
               battery=PACK, chemistry="LFP", mass_kg=420.5, capacity_kwh=75, components=[MODULE]),
        "Only the company registered with the code's maker code may report its production.",
    ),
    "produced_spare": _example(
        "produced: a second pack, the one the swap puts in",
        _event("NDC-2024-0002", "produced", "2024-03-02T11:00:00+08:00", MAKER, battery=SPARE,
               chemistry="磷酸铁锂", mass_kg=420.5, capacity_kwh=75),
        "Chemistries are read from the vocabulary, in English or Chinese, and stored as LFP.",
    ),
    "shipped": _example(
        "shipped: the maker sends the pack to the automaker",
        _event("NDC-2024-0003", "shipped", "2024-03-10T08:30:00+08:00", MAKER, battery=PACK, to=AUTOMAKER),
        "The reporter is the sender.",
    ),
    "received": _example(
        "received: the automaker takes it in",
        _event("PM-2024-0001", "received", "2024-03-12T14:00:00+08:00", AUTOMAKER, battery=PACK, **{"from": MAKER}),
        "The reporter is the receiver; `from` names the sender.",
    ),
    "installed": _example(
        "installed: the automaker fits the pack in a vehicle",
        _event("PM-2024-0002", "installed", "2024-03-20T09:00:00+08:00", AUTOMAKER, battery=PACK, vehicle=VEHICLE),
    ),
    "vehicle_sold": _example(
        "vehicle_sold: the vehicle goes to its first owner",
        _event("PM-2024-0003", "vehicle_sold", "2024-04-01T10:00:00+08:00", AUTOMAKER, vehicle=VEHICLE),
    ),
    "swapped": _example(
        "swapped: the station's operator exchanges the pack",
        _event("CS-2024-0001", "swapped", "2024-06-01T18:45:00+08:00", SWAP_OP, province="110000", vehicle=VEHICLE,
               station=STATION, battery_out=PACK, battery_in=SPARE),
        "Reported by the operator of the station at the time of the swap.",
    ),
    "removed": _example(
        "removed: a repairer takes the spare pack out for repair",
        _event("HB-2024-0001", "removed", "2024-09-01T09:00:00+08:00", REPAIRER, battery=SPARE, vehicle=VEHICLE,
               reason="repair"),
        "`reason` is one of repair, replacement, scrapping, other.",
    ),
    "repaired": _example(
        "repaired: the repairer reports the repair",
        _event("HB-2024-0002", "repaired", "2024-09-05T16:00:00+08:00", REPAIRER, battery=SPARE),
    ),
    "health_measured": _example(
        "health_measured: the repairer reads the spare pack's BMS",
        _event("HB-2024-0003", "health_measured", "2024-09-05T17:00:00+08:00", REPAIRER, battery=SPARE,
               soh_pct=96.5, capacity_kwh=72.4, cycle_count=180, method="bms_readout"),
        "Only a company the record links to the battery may report its health (here the repairer that took it "
        "out). `method` is bms_readout, residual_energy_test (GB/T 34015) or estimate; internal_resistance_mohm "
        "is optional. A capacity more than 10% above the produced one, or a cycle count lower than an earlier "
        "reading, is stored with a warning.",
    ),
    "vehicle_scrapped": _example(
        "vehicle_scrapped: the dismantler scraps the vehicle",
        _event("SD-2025-0001", "vehicle_scrapped", "2025-01-10T10:00:00+08:00", DISMANTLER, vehicle=VEHICLE),
    ),
    "vehicle_exported": _example(
        "vehicle_exported: the automaker exports its other vehicle",
        _event("PM-2025-0001", "vehicle_exported", "2025-02-01T12:00:00+08:00", AUTOMAKER, vehicle=EXPORTED,
               destination="DE"),
        "`destination` is an ISO 3166-1 alpha-2 country other than CN.",
    ),
    "repurposed": _example(
        "repurposed: a second-life company turns the first pack into storage",
        _event("SS-2025-0001", "repurposed", "2025-03-01T09:00:00+08:00", SECOND_LIFE, battery=PACK,
               application="energy_storage", soh_pct=78.0, residual_capacity_kwh=58.5),
        "`soh_pct` and `residual_capacity_kwh` (optional) give its condition at hand-over. Stored, with a "
        "`not_holder` warning: by the record the swap operator still holds the pack, since no "
        "shipment to the second-life company was reported. A claim that contradicts the record is kept as said "
        "and answered with `warnings`; missing steps like this one are what the leakage rules look for. "
        "Applications are published at GET /v1/vocabularies; e_bike is banned but recordable as evidence.",
        warnings=("not_holder",),
    ),
    "recycled": _example(
        "recycled: the recycler recovers the pack's materials",
        _event("CM-2025-0001", "recycled", "2025-06-01T15:00:00+08:00", RECYCLER, battery=PACK, input_mass_kg=418.0,
               recovered={"li": 4.9, "fe": 41.2, "cu": 12.5}),
        "`recovered` is kilograms by element symbol (lower case). Stored with a `not_holder` warning too: by "
        "the record the second-life company never passed the pack on.",
        warnings=("not_holder",),
    ),
    "correction": _example(
        "correction: the repairer voids its repair report",
        _event("HB-2025-0001", "correction", "2025-06-02T09:00:00+08:00", REPAIRER, corrects="HB-2024-0002",
               reason="did_not_occur", note="reported against the wrong pack"),
        "A company voids only its own events; the voided event stays stored, marked void.",
    ),
    "refused_vin": _example(
        "refused: a VIN with a wrong check digit (422)",
        _event("PM-2025-0002", "vehicle_sold", "2025-06-03T10:00:00+08:00", AUTOMAKER,
               vehicle=VEHICLE[:8] + ("0" if VEHICLE[8] != "0" else "1") + VEHICLE[9:]),
        "A batch with any invalid event is refused whole: the answer names each event's index, field and reason.",
        status=422,
    ),
}  # fmt: skip


# --- EPCIS 2.0 ----------------------------------------------------------------------------------

EPCIS_EXAMPLES = {
    "commission_and_ship": _example(
        "a pack commissioned by its maker and shipped to the automaker",
        {
            "@context": [
                "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                {"bt": "https://id.batterytrace.org/epcis#"},
            ],
            "type": "EPCISDocument",
            "schemaVersion": "2.0",
            "creationDate": "2024-03-15T12:00:00+08:00",
            "epcisBody": {
                "eventList": [
                    {
                        "type": "ObjectEvent",
                        "eventID": "urn:uuid:0c6f3d2e-8a41-4b7c-9e15-000000000001",
                        "eventTime": "2024-03-03T09:00:00+08:00",
                        "eventTimeZoneOffset": "+08:00",
                        "epcList": [f"urn:gbt34014:battery:{CAPTURED}"],
                        "action": "ADD",
                        "bizStep": "commissioning",
                        "bt:reporter": f"urn:gbt32100:uscc:{MAKER}",
                        "ilmd": {"bt:chemistry": "LFP", "bt:mass_kg": 420.5, "bt:capacity_kwh": 75},
                    },
                    {
                        "type": "ObjectEvent",
                        "eventID": "urn:uuid:0c6f3d2e-8a41-4b7c-9e15-000000000002",
                        "eventTime": "2024-03-11T08:00:00+08:00",
                        "eventTimeZoneOffset": "+08:00",
                        "epcList": [f"urn:gbt34014:battery:{CAPTURED}"],
                        "action": "OBSERVE",
                        "bizStep": "shipping",
                        "sourceList": [{"type": "possessing_party", "source": f"urn:gbt32100:uscc:{MAKER}"}],
                        "destinationList": [{"type": "owning_party", "destination": f"urn:gbt32100:uscc:{AUTOMAKER}"}],
                    },
                ]
            },
        },
        "Battery codes, companies and stations travel in URNs of their own (docs/epcis.md); each EPCIS event "
        "becomes a native event and is checked like one.",
    ),
}


# --- findings -----------------------------------------------------------------------------------

CASE_UPDATE_EXAMPLES = {
    "review": _example("take the case up", {"status": "under_review", "assignee": "Inspector Wang"}),
    "ask": _example(
        "ask the company, in a note it sees",
        {"note": "please send the shipping papers for this pack", "shared": True},
    ),
    "dismiss": _example(
        "dismiss, with the reason a dismissal needs",
        {"status": "dismissed", "note": "pack held as evidence by the police"},
    ),
    "refused_dismissal": _example("refused: a dismissal without a note (422)", {"status": "dismissed"}, status=422),
}

ANSWER_EXAMPLES = {
    "explain": _example(
        "the company explains",
        {"note": "the pack went to our licensed recycler; the shipment is reported now"},
        "The answer may also name `events`: ids of the missing steps the company has since reported itself.",
    ),
}


# --- public answers (no key): sent after the events above, so the packs have their stages --------

PUBLIC_PROVINCE_EXAMPLES = {
    "jiangsu": _example(
        "the white list of Jiangsu", "320000", "Suzhou Storage, a second-life firm listed in batch 2, in force today"
    ),
    "prefecture": _example("a prefecture's code instead of its province's", "320500", status=422),
}
PUBLIC_USCC_EXAMPLES = {
    "recycler": _example("a licensed recycler", RECYCLER, "licensed for recycling since 2018 (batch 1)"),
    "automaker": _example("a registered company off the white list", AUTOMAKER),
    "check_character": _example(
        "a wrong check character", RECYCLER[:-1] + ("0" if RECYCLER[-1] != "0" else "1"), status=422
    ),
}
PUBLIC_CODE_EXAMPLES = {
    "recycled": _example("a recycled pack", PACK, "stage recycled, its recycler licensed, nothing to do"),
    "removed": _example(
        "a pack taken out of its vehicle", SPARE, "held by a repairer off the white list: hand it to a licensed firm"
    ),
    "malformed": _example("a code cut short", PACK[:20], "answered like a code the platform does not know"),
}
