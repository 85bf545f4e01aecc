"""Field readers: one EPCIS field (or extension field) read, checked and turned native.

Each reader returns the native value, or None after recording on the event why it could not.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Final

from app.epcis.formats import kind_of, show
from app.epcis.model import Event, Native
from app.epcis.uris import (
    BATTERY_FORMS,
    USCC_FORMS,
    VIN_FORMS,
    UriError,
    is_uscc_uri,
    parse_battery_uri,
    parse_uscc_uri,
    parse_vin_uri,
)
from app.epcis.vocab import DISPOSITION, SOURCE_DEST_TYPE, cbv_term
from app.identifiers import IdentifierError, parse_battery_code, parse_uscc

__all__ = [
    "read_application",
    "read_batteries",
    "read_battery",
    "read_destination_country",
    "read_hand_over_condition",
    "read_health",
    "read_location_id",
    "read_note",
    "read_number",
    "read_number_ext",
    "read_production_attributes",
    "read_province",
    "read_removal_reason",
    "read_reporter",
    "read_required_party",
    "read_vehicle",
    "read_vehicles",
]

_REMOVAL_REASONS: Final = ("repair", "replacement", "scrapping", "other")
_MAX_NOTE: Final = 2000
_DECIMAL: Final = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_APPLICATION: Final = re.compile(r"[a-z][a-z0-9_]{1,39}")
_PROVINCE: Final = re.compile(r"\d{6}")
_COUNTRY: Final = re.compile(r"[A-Z]{2}")


def read_batteries(event: Event, list_name: str) -> list[str]:
    """Battery codes of an identifier list; each bad entry is a problem naming its index."""
    raw = event.raw.get(list_name)
    if raw is None or raw == []:
        event.problem(
            list_name,
            f"no battery listed: name each battery as {BATTERY_FORMS} "
            "(quantity lists count classes of objects and cannot name a battery)",
        )
        return []
    if not isinstance(raw, list):
        event.problem(list_name, f"expected a list of identifier URIs, got {kind_of(raw)}")
        return []
    return _identifiers(event, list_name, raw, parse_battery_uri, "battery")


def _identifiers(
    event: Event, list_name: str, raw: list[object], parse: Callable[[object], str], noun: str
) -> list[str]:
    """Each entry parsed once; a bad or repeated entry is a problem naming its index."""
    found: list[str] = []
    for i, uri in enumerate(raw):
        try:
            value = parse(uri)
        except UriError as err:
            event.problem(f"{list_name}[{i}]", err.reason)
            continue
        if value in found:
            event.problem(f"{list_name}[{i}]", f"lists {noun} {value} twice")
            continue
        found.append(value)
    return found


def read_battery(event: Event, field: str) -> str | None:
    """The battery code of a single-identifier field such as ``parentID``."""
    raw = event.raw.get(field)
    try:
        return parse_battery_uri(raw)
    except UriError as err:
        event.problem(field, err.reason)
        return None


def read_vehicle(event: Event) -> str | None:
    """The vehicle of an AssociationEvent: its parentID, a ``urn:vin:`` URI."""
    try:
        return parse_vin_uri(event.raw.get("parentID"))
    except UriError as err:
        event.problem("parentID", f"the vehicle: {err.reason}")
        return None


def read_vehicles(event: Event, list_name: str) -> list[str]:
    """VINs of an identifier list (``urn:vin:``); each bad entry is a problem naming its index."""
    raw = event.raw.get(list_name)
    if not isinstance(raw, list) or not raw:
        event.problem(list_name, f"no vehicle listed: name each vehicle as {VIN_FORMS}")
        return []
    return _identifiers(event, list_name, raw, parse_vin_uri, "vehicle")


def read_destination_country(event: Event) -> str | None:
    """bt:destination: the ISO 3166-1 alpha-2 country a vehicle is exported to (never CN)."""
    field = event.ext("destination")
    if field is None:
        event.problem("bt:destination", "missing: departing maps to vehicle_exported only with the country (e.g. TH)")
        return None
    value = field[1]
    if not isinstance(value, str) or not _COUNTRY.fullmatch(value):
        event.problem(field[0], f"expected an ISO 3166-1 alpha-2 country code such as TH, got {show(value)}")
        return None
    if value == "CN":
        event.problem(field[0], "an export leaves China, so the destination cannot be CN")
        return None
    return value


def read_location_id(event: Event, name: str) -> object:
    """``bizLocation.id`` or ``readPoint.id`` as written; the caller decides what it must be."""
    location = event.raw.get(name)
    return location.get("id") if isinstance(location, Mapping) else None


def _party_entry(event: Event, list_name: str) -> tuple[str, object] | None:
    """The possessing (else owning) party of a source or destination list, with its field."""
    raw = event.raw.get(list_name)
    if raw is None:
        return None
    if not isinstance(raw, list):
        event.problem(list_name, f"expected a list of {{type, ...}} objects, got {kind_of(raw)}")
        return None
    key = "source" if list_name == "sourceList" else "destination"
    by_type: dict[str, tuple[str, object]] = {}
    for i, entry in enumerate(raw):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("type"), str):
            event.problem(f"{list_name}[{i}]", f"expected an object with 'type' and '{key}'")
            continue
        kind = cbv_term(str(entry["type"]), SOURCE_DEST_TYPE)
        by_type.setdefault(kind, (f"{list_name}[{i}].{key}", entry.get(key)))
    return by_type.get("possessing_party") or by_type.get("owning_party")


def read_required_party(event: Event, list_name: str, native: str, who: str) -> str | None:
    """The company a native field (``to``, ``from``) must name, taken from a source or destination list."""
    entry = _party_entry(event, list_name)
    if entry is None:
        event.problem(
            list_name,
            f"no possessing_party or owning_party: {native!r} ({who}) comes from it, as {USCC_FORMS}",
        )
        return None
    try:
        return parse_uscc_uri(entry[1])
    except UriError as err:
        event.problem(entry[0], err.reason)
        return None


def read_reporter(event: Event, party_list: str | None) -> str | None:
    """bt:reporter, else the step's party list, else a company URI as bizLocation or readPoint."""
    field = event.ext("reporter")
    if field is not None:
        where, value = field
        if isinstance(value, str) and not is_uscc_uri(value):
            try:
                return parse_uscc(value).code
            except IdentifierError as err:
                event.problem(
                    where,
                    f"{value!r} is not a unified social credit code (GB 32100): "
                    f"{err.field}: {err.reason}; send {USCC_FORMS} or the bare code",
                )
                return None
        try:
            return parse_uscc_uri(value)
        except UriError as err:
            event.problem(where, err.reason)
            return None
    if party_list is not None:
        entry = _party_entry(event, party_list)
        if entry is not None:
            try:
                return parse_uscc_uri(entry[1])
            except UriError as err:
                event.problem(entry[0], f"the reporter: {err.reason}")
                return None
    for name in ("bizLocation", "readPoint"):
        location = read_location_id(event, name)
        if is_uscc_uri(location):
            try:
                return parse_uscc_uri(location)
            except UriError as err:
                event.problem(f"{name}.id", err.reason)
                return None
    lists = f" or the {party_list} party" if party_list else ""
    event.problem(
        "bt:reporter",
        f"no reporter: give bt:reporter as {USCC_FORMS}{lists}, or a company URI as bizLocation.id or readPoint.id",
    )
    return None


def read_removal_reason(event: Event, default: str) -> str | None:
    """bt:reason wins; else disposition needs_replacement/damaged; else ``default``."""
    field = event.ext("reason")
    if field is not None:
        if field[1] in _REMOVAL_REASONS:
            return str(field[1])
        event.problem(
            field[0],
            f"expected one of {', '.join(_REMOVAL_REASONS)}, got {show(field[1])}",
        )
        return None
    disposition = event.raw.get("disposition")
    if isinstance(disposition, str):
        word = cbv_term(event.expand(disposition), DISPOSITION)
        if word == "needs_replacement":
            return "replacement"
        if word == "damaged":
            return "repair"
    return default


def read_application(event: Event, step: str) -> str | None:
    """bt:application, which a second life cannot be recorded without."""
    field = event.ext("application")
    if field is None:
        event.problem(
            "bt:application",
            f"missing: {step} maps to repurposed only with bt:application (e.g. energy_storage, backup_power)",
        )
        return None
    value = field[1]
    if not isinstance(value, str) or not _APPLICATION.fullmatch(value):
        event.problem(
            field[0],
            f"expected a lower-case word such as energy_storage (a-z, 0-9, _; 2-40 characters), got {show(value)}",
        )
        return None
    return value


def read_production_attributes(event: Event, codes: Sequence[str], *, ilmd: bool, step: str) -> Native | None:
    """chemistry, mass_kg and capacity_kwh (required when a pack is produced)."""
    where = "in ilmd or on the event" if ilmd else "on the event"
    why = f"{step} maps to produced only with bt:chemistry, bt:mass_kg and, for a pack, bt:capacity_kwh ({where})"
    attributes: Native = {}
    field = event.ext("chemistry", ilmd=ilmd)
    if field is None:
        event.problem("bt:chemistry", f"missing: {why}")
    elif not isinstance(field[1], str) or not 1 <= len(field[1].strip()) <= 32:
        event.problem(
            field[0], f"expected a GB/T 34014 chemistry letter or a name of up to 32 characters, got {show(field[1])}"
        )
    else:
        attributes["chemistry"] = field[1].strip()
    mass = read_number_ext(event, "mass_kg", why, minimum_exclusive=True, ilmd=ilmd)
    if mass is not None:
        attributes["mass_kg"] = mass
    needs_capacity = any(parse_battery_code(code).level == "pack" for code in codes)
    capacity = read_number_ext(event, "capacity_kwh", why, minimum_exclusive=True, ilmd=ilmd, required=needs_capacity)
    if capacity is not None:
        attributes["capacity_kwh"] = capacity
    if "chemistry" not in attributes or mass is None or (needs_capacity and capacity is None):
        return None
    return attributes


def read_number_ext(
    event: Event,
    name: str,
    why: str,
    *,
    minimum_exclusive: bool,
    ilmd: bool = False,
    required: bool = True,
) -> float | None:
    """An extension field read as a number; missing is a problem only when ``required``."""
    field = event.ext(name, ilmd=ilmd)
    if field is None:
        if required:
            event.problem(f"bt:{name}", f"missing: {why}")
        return None
    return read_number(event, field[0], field[1], minimum_exclusive=minimum_exclusive)


def read_number(event: Event, where: str, value: object, *, minimum_exclusive: bool) -> float | None:
    """A JSON number or a decimal string (JSON-LD extensions often carry strings)."""
    number = _as_float(value)
    if number is None:
        event.problem(where, f"expected a number, got {show(value)}")
        return None
    if not math.isfinite(number):
        event.problem(where, f"must be a finite number, got {show(value)}")
        return None
    if number < 0 or (minimum_exclusive and number == 0):
        bound = "above 0" if minimum_exclusive else "0 or more"
        event.problem(where, f"expected a number {bound}, got {show(value)}")
        return None
    return number


def _as_float(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        return float(value)
    return None


def read_province(event: Event) -> str | None:
    """bt:province, optional; a GB/T 2260 code when given."""
    field = event.ext("province")
    if field is None:
        return None
    if isinstance(field[1], str) and _PROVINCE.fullmatch(field[1]):
        return field[1]
    event.problem(field[0], f"expected a 6-digit GB/T 2260 division code, got {show(field[1])}")
    return None


def read_note(event: Event) -> str | None:
    """bt:note, optional; bounded like a native note."""
    field = event.ext("note")
    if field is None:
        return None
    if isinstance(field[1], str) and len(field[1]) <= _MAX_NOTE:
        return field[1]
    event.problem(field[0], f"expected text of at most {_MAX_NOTE} characters")
    return None


_HEALTH_METHODS: Final = ("bms_readout", "residual_energy_test", "estimate")


def read_health(event: Event) -> Native | None:
    """bt:soh_pct, bt:capacity_kwh, bt:cycle_count, bt:method (bt:internal_resistance_mohm optional):
    what inspecting maps to health_measured with. Ranges are the native contract's to check."""
    why = (
        "inspecting maps to health_measured only with bt:soh_pct (%), bt:capacity_kwh (measured kWh), "
        "bt:cycle_count and bt:method (bms_readout, residual_energy_test or estimate)"
    )
    soh = read_number_ext(event, "soh_pct", why, minimum_exclusive=False)
    capacity = read_number_ext(event, "capacity_kwh", why, minimum_exclusive=True)
    cycles = read_number_ext(event, "cycle_count", why, minimum_exclusive=False)
    resistance = read_number_ext(event, "internal_resistance_mohm", why, minimum_exclusive=True, required=False)
    if cycles is not None and not cycles.is_integer():
        field = event.ext("cycle_count")
        event.problem(field[0] if field else "bt:cycle_count", f"expected a whole number of cycles, got {cycles:g}")
        cycles = None
    method: str | None = None
    field = event.ext("method")
    if field is None:
        event.problem("bt:method", f"missing: {why}")
    elif field[1] not in _HEALTH_METHODS:
        event.problem(field[0], f"expected one of {', '.join(_HEALTH_METHODS)}, got {show(field[1])}")
    else:
        method = str(field[1])
    if soh is None or capacity is None or cycles is None or method is None:
        return None
    found: Native = {"soh_pct": soh, "capacity_kwh": capacity, "cycle_count": int(cycles), "method": method}
    if resistance is not None:
        found["internal_resistance_mohm"] = resistance
    return found


def read_hand_over_condition(event: Event) -> Native:
    """bt:soh_pct and bt:residual_capacity_kwh, optional on a repurposing: its condition at hand-over."""
    found: Native = {}
    soh = read_number_ext(event, "soh_pct", "", minimum_exclusive=False, required=False)
    residual = read_number_ext(event, "residual_capacity_kwh", "", minimum_exclusive=True, required=False)
    if soh is not None:
        found["soh_pct"] = soh
    if residual is not None:
        found["residual_capacity_kwh"] = residual
    return found
