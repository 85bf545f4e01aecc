"""Native v1 events out as EPCIS 2.0 JSON-LD: the inverse of the capture mapping (docs/epcis.md).

Each native event becomes one EPCIS event whose ``eventID`` is in our event namespace, so that
capturing the export into another store keeps every event's id, content, order and chains. A
correction is written as EPCIS writes one: the corrected event repeated with an
``errorDeclaration`` (and ``bt:correction_id``, the correction's own id).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Final

from app.epcis.uris import (
    BATTERY_URN_PREFIX,
    EVENT_URN_PREFIX,
    STATION_URN_PREFIX,
    USCC_URN_PREFIX,
    VIN_URN_PREFIX,
)
from app.epcis.vocab import BT_NAMESPACE

__all__ = ["CONTEXT", "GS1_CONTEXT", "bizstep_of", "document", "query_document", "to_epcis"]

GS1_CONTEXT: Final = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
CONTEXT: Final = [GS1_CONTEXT, {"bt": BT_NAMESPACE}]
_OWNER: Final = "owning_party"
_HOLDER: Final = "possessing_party"

Payload = Mapping[str, Any]


def battery(code: str) -> str:
    return BATTERY_URN_PREFIX + code


def vehicle(vin: str) -> str:
    return VIN_URN_PREFIX + vin


def company(uscc: str) -> str:
    return USCC_URN_PREFIX + uscc


def event_uri(event_id: str) -> str:
    return EVENT_URN_PREFIX + event_id


def bizstep_of(payload: Payload, corrected: Payload | None = None) -> str:
    """The bare CBV step (or our repurposing IRI) a native event is written with."""
    kind = payload["type"]
    if kind == "correction":
        return bizstep_of(corrected) if corrected is not None else "other"
    if kind == "produced":
        return "assembling" if payload.get("components") else "commissioning"
    if kind == "repurposed":
        return "bt:repurposing" if payload.get("new_code") else "decommissioning"
    return _STEPS[kind]


_STEPS: Final = {
    "shipped": "shipping",
    "received": "receiving",
    "installed": "installing",
    "removed": "removing",
    "swapped": "replacing",
    "repaired": "repairing",
    "health_measured": "inspecting",
    "vehicle_sold": "retail_selling",
    "vehicle_exported": "departing",
    "vehicle_scrapped": "disassembling",
    "recycled": "destroying",
}


def to_epcis(payload: Payload, corrected: Payload | None = None) -> dict[str, Any]:
    """One native event as an EPCIS event; a correction needs the payload of the event it corrects."""
    if payload["type"] == "correction":
        if corrected is None or corrected.get("type") == "correction":
            raise ValueError(f"{payload['event_id']}: a correction is written with the event it corrects")
        event = to_epcis(corrected)
        declaration: dict[str, Any] = {
            "declarationTime": _time(payload["occurred_at"]),
            "reason": payload["reason"],
        }
        if payload.get("corrective_event_ids"):
            declaration["correctiveEventIDs"] = [event_uri(i) for i in payload["corrective_event_ids"]]
        declaration["bt:correction_id"] = event_uri(payload["event_id"])
        if payload["reporter"] != corrected["reporter"]:
            declaration["bt:reporter"] = company(payload["reporter"])
        if payload.get("province") != corrected.get("province"):
            declaration["bt:province"] = payload.get("province")
        if payload.get("note") is not None:
            declaration["bt:note"] = payload["note"]
        event["errorDeclaration"] = declaration
        return event
    event = {"type": "", "eventID": event_uri(payload["event_id"]), **_when(payload["occurred_at"])}
    event.update(_BODIES[payload["type"]](payload))
    event["bizStep"] = bizstep_of(payload)
    event["bt:reporter"] = company(payload["reporter"])
    for name in ("province", "note"):
        if payload.get(name) is not None:
            event[f"bt:{name}"] = payload[name]
    return event


def _when(occurred_at: str) -> dict[str, str]:
    moment = datetime.fromisoformat(occurred_at)
    offset = moment.strftime("%z") or "+0000"
    return {"eventTime": _time(occurred_at), "eventTimeZoneOffset": f"{offset[:3]}:{offset[3:]}"}


def _time(value: str) -> str:
    """RFC 3339 with its offset (a trailing Z kept as Z)."""
    return datetime.fromisoformat(value).isoformat().replace("+00:00", "Z")


def _object(action: str, epcs: list[str], **extra: Any) -> dict[str, Any]:
    return {"type": "ObjectEvent", "action": action, "epcList": epcs, **extra}


def _association(action: str, payload: Payload, child: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "AssociationEvent",
        "action": action,
        "parentID": vehicle(payload["vehicle"]),
        "childEPCs": [battery(child)],
        **extra,
    }


def _attributes(payload: Payload) -> dict[str, Any]:
    found = {"bt:chemistry": payload["chemistry"], "bt:mass_kg": payload["mass_kg"]}
    if payload.get("capacity_kwh") is not None:
        found["bt:capacity_kwh"] = payload["capacity_kwh"]
    return found


def _produced(payload: Payload) -> dict[str, Any]:
    if payload.get("components"):
        return {
            "type": "AggregationEvent",
            "action": "ADD",
            "parentID": battery(payload["battery"]),
            "childEPCs": [battery(c) for c in payload["components"]],
            **_attributes(payload),
        }
    return _object("ADD", [battery(payload["battery"])], ilmd=_attributes(payload))


def _party(kind: str, uscc: str) -> list[dict[str, str]]:
    return [{"type": _HOLDER, kind: company(uscc)}]


def _shipped(payload: Payload) -> dict[str, Any]:
    return _object(
        "OBSERVE",
        [battery(payload["battery"])],
        sourceList=_party("source", payload["reporter"]),
        destinationList=_party("destination", payload["to"]),
    )


def _received(payload: Payload) -> dict[str, Any]:
    return _object(
        "OBSERVE",
        [battery(payload["battery"])],
        sourceList=_party("source", payload["from"]),
        destinationList=_party("destination", payload["reporter"]),
    )


def _swapped(payload: Payload) -> dict[str, Any]:
    return _association(
        "ADD",
        payload,
        payload["battery_in"],
        bizLocation={"id": STATION_URN_PREFIX + payload["station"]},
        **{"bt:battery_out": battery(payload["battery_out"])},
    )


_HEALTH_FIELDS: Final = ("soh_pct", "capacity_kwh", "cycle_count", "internal_resistance_mohm", "method")
_HAND_OVER_FIELDS: Final = ("soh_pct", "residual_capacity_kwh")


def _extensions(payload: Payload, names: Iterable[str]) -> dict[str, Any]:
    return {f"bt:{name}": payload[name] for name in names if payload.get(name) is not None}


def _repurposed(payload: Payload) -> dict[str, Any]:
    condition = _extensions(payload, _HAND_OVER_FIELDS)
    if payload.get("new_code"):
        return {
            "type": "TransformationEvent",
            "inputEPCList": [battery(payload["battery"])],
            "outputEPCList": [battery(payload["new_code"])],
            "bt:application": payload["application"],
            **condition,
        }
    return _object("OBSERVE", [battery(payload["battery"])], **{"bt:application": payload["application"]}, **condition)


def _recycled(payload: Payload) -> dict[str, Any]:
    return _object(
        "DELETE",
        [battery(payload["battery"])],
        **{"bt:input_mass_kg": payload["input_mass_kg"], "bt:recovered": dict(payload.get("recovered", {}))},
    )


_BODIES: Final = {
    "produced": _produced,
    "shipped": _shipped,
    "received": _received,
    "installed": lambda p: _association("ADD", p, p["battery"]),
    "removed": lambda p: _association("DELETE", p, p["battery"], **{"bt:reason": p["reason"]}),
    "swapped": _swapped,
    "repaired": lambda p: _object("OBSERVE", [battery(p["battery"])]),
    "health_measured": lambda p: _object("OBSERVE", [battery(p["battery"])], **_extensions(p, _HEALTH_FIELDS)),
    "vehicle_sold": lambda p: _object("OBSERVE", [vehicle(p["vehicle"])]),
    "vehicle_exported": lambda p: _object("OBSERVE", [vehicle(p["vehicle"])], **{"bt:destination": p["destination"]}),
    "vehicle_scrapped": lambda p: _object("OBSERVE", [vehicle(p["vehicle"])]),
    "repurposed": _repurposed,
    "recycled": _recycled,
}


def _header(kind: str, created: datetime) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "type": kind,
        "schemaVersion": "2.0",
        "creationDate": created.isoformat().replace("+00:00", "Z"),
    }


def document(events: Iterable[dict[str, Any]], created: datetime) -> dict[str, Any]:
    """An EPCISDocument: what a partner can capture as it stands."""
    return {**_header("EPCISDocument", created), "epcisBody": {"eventList": list(events)}}


def query_document(events: Iterable[dict[str, Any]], created: datetime, query_name: str) -> dict[str, Any]:
    """An EPCISQueryDocument: the answer to a query, its events in the order they were recorded."""
    return {
        **_header("EPCISQueryDocument", created),
        "epcisBody": {"queryResults": {"queryName": query_name, "resultsBody": {"eventList": list(events)}}},
    }
