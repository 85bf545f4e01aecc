"""Step handlers: what each (event type, business step) pair maps to, as native drafts.

``RULES`` is the table ``app.epcis.event`` looks a step up in; a handler reads its fields and
returns (native type, fields) drafts, which the caller completes with the common fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from app.epcis.fields import (
    read_application,
    read_batteries,
    read_battery,
    read_destination_country,
    read_hand_over_condition,
    read_health,
    read_location_id,
    read_number,
    read_number_ext,
    read_production_attributes,
    read_removal_reason,
    read_required_party,
    read_vehicle,
    read_vehicles,
)
from app.epcis.formats import kind_of
from app.epcis.model import Draft, Event, Native
from app.epcis.uris import (
    BATTERY_FORMS,
    UriError,
    is_station_uri,
    is_vin_uri,
    parse_battery_uri,
    parse_station_uri,
)
from app.epcis.vocab import REPURPOSING_STEP
from app.identifiers import parse_battery_code

__all__ = ["RULES", "Rule"]

_LEVEL_RANK: Final = {"cell": 0, "module": 1, "pack": 2}
_ELEMENT: Final = re.compile(r"[A-Za-z]{1,2}")


@dataclass(frozen=True)
class Rule:
    """How one (event type, business step) maps: its handler, allowed actions, reporter list."""

    handler: Callable[[Event, str | None], list[Draft]]
    actions: tuple[str, ...] | None = None
    reporter_list: str | None = None


def _produced_by_commissioning(event: Event, action: str | None) -> list[Draft]:
    codes = read_batteries(event, "epcList")
    attributes = read_production_attributes(event, codes, ilmd=True, step="commissioning")
    if attributes is None:
        return []
    return [("produced", {"battery": code, **attributes}) for code in codes]


def _exported_by_departing(event: Event, action: str | None) -> list[Draft]:
    """Vehicles leaving the country (CBV departing: on the way to a destination), packs aboard."""
    vins = read_vehicles(event, "epcList")
    destination = read_destination_country(event)
    if destination is None:
        return []
    return [("vehicle_exported", {"vehicle": vin, "destination": destination}) for vin in vins]


def _sold_by_retail_selling(event: Event, action: str | None) -> list[Draft]:
    """Vehicles sold to their first owner (CBV retail_selling), packs aboard."""
    return [("vehicle_sold", {"vehicle": vin}) for vin in read_vehicles(event, "epcList")]


def _names_vehicles(event: Event, list_name: str) -> bool:
    """True when every entry of the list is written as a vehicle (``urn:vin:``)."""
    raw = event.raw.get(list_name)
    return isinstance(raw, list) and bool(raw) and all(is_vin_uri(uri) for uri in raw)


def _produced_by_assembling(event: Event, action: str | None) -> list[Draft]:
    parent = read_battery(event, "parentID")
    children = read_batteries(event, "childEPCs")
    if parent is not None:
        level = parse_battery_code(parent).level
        for i, child in enumerate(children):
            sub = parse_battery_code(child).level
            if _LEVEL_RANK[sub] >= _LEVEL_RANK[level]:
                event.problem(
                    f"childEPCs[{i}]",
                    f"a {level} can only contain lower levels (pack > module > cell), not a {sub}",
                )
    attributes = read_production_attributes(
        event, [parent] if parent is not None else [], ilmd=False, step="assembling"
    )
    if parent is None or attributes is None:
        return []
    return [("produced", {"battery": parent, **attributes, "components": children})]


def _shipped(event: Event, action: str | None) -> list[Draft]:
    codes = read_batteries(event, "epcList")
    to = read_required_party(event, "destinationList", "to", "the receiving company")
    return [("shipped", {"battery": code, "to": to}) for code in codes]


def _received(event: Event, action: str | None) -> list[Draft]:
    codes = read_batteries(event, "epcList")
    sender = read_required_party(event, "sourceList", "from", "the sending company")
    return [("received", {"battery": code, "from": sender}) for code in codes]


def _repaired(event: Event, action: str | None) -> list[Draft]:
    return [("repaired", {"battery": code}) for code in read_batteries(event, "epcList")]


def _inspected(event: Event, action: str | None) -> list[Draft]:
    """A measurement of one battery's health (CBV inspecting): state of health, capacity, cycles."""
    codes = read_batteries(event, "epcList")
    if len(codes) > 1:
        event.problem(
            "epcList",
            f"lists {len(codes)} batteries; a health reading describes one battery, so send one event per battery",
        )
    health = read_health(event)
    if len(codes) != 1 or health is None:
        return []
    return [("health_measured", {"battery": codes[0], **health})]


def _installed(event: Event, action: str | None) -> list[Draft]:
    vehicle = read_vehicle(event)
    codes = read_batteries(event, "childEPCs")
    return [("installed", {"battery": code, "vehicle": vehicle}) for code in codes]


def _removed(event: Event, action: str | None, default_reason: str = "other") -> list[Draft]:
    vehicle = read_vehicle(event)
    codes = read_batteries(event, "childEPCs")
    reason = read_removal_reason(event, default_reason)
    return [("removed", {"battery": c, "vehicle": vehicle, "reason": reason}) for c in codes]


def _replacing(event: Event, action: str | None) -> list[Draft]:
    """DELETE -> removed (replacement); ADD -> swapped at a station, else installed."""
    if action == "DELETE":
        return _removed(event, action, default_reason="replacement")
    location = read_location_id(event, "bizLocation")
    if not is_station_uri(location):
        return _installed(event, action)
    station: str | None = None
    try:
        station = parse_station_uri(location)
    except UriError as err:
        event.problem("bizLocation.id", err.reason)
    vehicle = read_vehicle(event)
    codes = read_batteries(event, "childEPCs")
    if len(codes) > 1:
        event.problem(
            "childEPCs",
            f"a swap installs one battery, {len(codes)} are listed: send one event per swap",
        )
    out_field = event.ext("battery_out")
    battery_out: str | None = None
    if out_field is None:
        event.problem(
            "bt:battery_out",
            f"missing: replacing at a swap station maps to swapped and needs the battery taken out, as {BATTERY_FORMS}",
        )
    else:
        try:
            battery_out = parse_battery_uri(out_field[1])
        except UriError as err:
            event.problem(out_field[0], err.reason)
    if battery_out is not None and codes and battery_out == codes[0]:
        event.problem(out_field[0] if out_field else "bt:battery_out", "equals the battery put in")
    if station is None or battery_out is None or len(codes) != 1:
        return []
    return [
        (
            "swapped",
            {
                "vehicle": vehicle,
                "station": station,
                "battery_out": battery_out,
                "battery_in": codes[0],
            },
        )
    ]


def _repurposed_by_decommissioning(event: Event, action: str | None) -> list[Draft]:
    codes = read_batteries(event, "epcList")
    application = read_application(event, "decommissioning")
    new_code: str | None = None
    field = event.ext("new_code")
    if field is not None:
        try:
            new_code = parse_battery_uri(field[1])
        except UriError as err:
            event.problem(field[0], err.reason)
        if new_code is not None and new_code in codes:
            event.problem(field[0], "equals a battery it was made from")
    condition = read_hand_over_condition(event)
    drafts: list[Draft] = []
    for code in codes:
        fields: Native = {"battery": code, "application": application, **condition}
        if new_code is not None:
            fields["new_code"] = new_code
        drafts.append(("repurposed", fields))
    return drafts


def _repurposed_by_transformation(event: Event, action: str | None) -> list[Draft]:
    originals = read_batteries(event, "inputEPCList")
    outputs = read_batteries(event, "outputEPCList")
    application = read_application(event, "a second-life TransformationEvent")
    if len(outputs) > 1:
        event.problem(
            "outputEPCList",
            f"names {len(outputs)} batteries; a repurposing names the one second-life code",
        )
    new_code = outputs[0] if len(outputs) == 1 else None
    if new_code is not None and new_code in originals:
        event.problem("outputEPCList[0]", "equals a battery it was made from")
    condition = read_hand_over_condition(event)
    return [
        ("repurposed", {"battery": code, "application": application, "new_code": new_code, **condition})
        for code in originals
    ]


def _recycled_by_object(event: Event, action: str | None) -> list[Draft]:
    """A battery destroyed or taken apart for its materials; vehicles so named are scrapped."""
    if _names_vehicles(event, "epcList"):
        return [("vehicle_scrapped", {"vehicle": vin}) for vin in read_vehicles(event, "epcList")]
    return _recycled(event, "epcList")


def _recycled_by_transformation(event: Event, action: str | None) -> list[Draft]:
    return _recycled(event, "inputEPCList")


def _recycled(event: Event, list_name: str) -> list[Draft]:
    """Material recovery: one battery, its input mass and the kg recovered per element."""
    codes = read_batteries(event, list_name)
    if len(codes) > 1:
        event.problem(
            list_name,
            f"lists {len(codes)} batteries; bt:input_mass_kg and bt:recovered describe one "
            "battery, so send one event per battery",
        )
    why = (
        "destroying or disassembling maps to recycled only with bt:input_mass_kg (kg) and "
        'bt:recovered (kg per element, e.g. {"li": 1.2, "co": 3.4}); taking a battery apart '
        "into parts is not mapped"
    )
    mass = read_number_ext(event, "input_mass_kg", why, minimum_exclusive=True)
    recovered: dict[str, float] = {}
    field = event.ext("recovered")
    if field is None:
        event.problem("bt:recovered", f"missing: {why}")
    elif not isinstance(field[1], Mapping):
        event.problem(field[0], f"expected an object of element -> kg, got {kind_of(field[1])}")
    else:
        for element, value in field[1].items():
            where = f"{field[0]}.{element}"
            if not isinstance(element, str) or not _ELEMENT.fullmatch(element):
                event.problem(where, "expected a chemical element symbol such as li, co, ni, mn")
                continue
            key = element.lower()
            kg = read_number(event, where, value, minimum_exclusive=False)
            if key in recovered:
                event.problem(where, f"gives element {key!r} twice")
            elif kg is not None:
                recovered[key] = kg
    if len(codes) != 1 or mass is None:
        return []
    return [("recycled", {"battery": codes[0], "input_mass_kg": mass, "recovered": recovered})]


RULES: Final[Mapping[tuple[str, str], Rule]] = {
    ("ObjectEvent", "commissioning"): Rule(_produced_by_commissioning, ("ADD",)),
    ("ObjectEvent", "shipping"): Rule(_shipped, ("OBSERVE",), reporter_list="sourceList"),
    ("ObjectEvent", "receiving"): Rule(_received, ("OBSERVE",), reporter_list="destinationList"),
    ("ObjectEvent", "repairing"): Rule(_repaired),
    ("ObjectEvent", "inspecting"): Rule(_inspected, ("OBSERVE",)),
    ("ObjectEvent", "departing"): Rule(_exported_by_departing, ("OBSERVE",)),
    ("ObjectEvent", "retail_selling"): Rule(_sold_by_retail_selling, ("OBSERVE",)),
    ("ObjectEvent", "decommissioning"): Rule(_repurposed_by_decommissioning),
    ("ObjectEvent", "destroying"): Rule(_recycled_by_object),
    ("ObjectEvent", "disassembling"): Rule(_recycled_by_object),
    ("AggregationEvent", "assembling"): Rule(_produced_by_assembling, ("ADD",)),
    ("AssociationEvent", "installing"): Rule(_installed, ("ADD",)),
    ("AssociationEvent", "removing"): Rule(_removed, ("DELETE",)),
    ("AssociationEvent", "replacing"): Rule(_replacing, ("ADD", "DELETE")),
    ("TransformationEvent", "commissioning"): Rule(_repurposed_by_transformation),
    ("TransformationEvent", REPURPOSING_STEP): Rule(_repurposed_by_transformation),
    ("TransformationEvent", "destroying"): Rule(_recycled_by_transformation),
    ("TransformationEvent", "disassembling"): Rule(_recycled_by_transformation),
}
