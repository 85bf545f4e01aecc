"""One EPCIS event: its common fields, its step's rule, then native events (or corrections)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Final

from app.epcis.corrections import map_corrections
from app.epcis.fields import read_note, read_province, read_reporter
from app.epcis.formats import parse_time, show, tz_offset
from app.epcis.model import MAPPED_STEPS, Event, Native, hash_id, numbered
from app.epcis.steps import RULES
from app.epcis.uris import native_event_id

__all__ = ["MAPPED_TYPES", "map_event"]

MAPPED_TYPES: Final = ("ObjectEvent", "AggregationEvent", "AssociationEvent", "TransformationEvent")
_ACTION_REQUIRED: Final = frozenset({"ObjectEvent", "AggregationEvent", "AssociationEvent", "TransactionEvent"})
_ACTIONS: Final = ("OBSERVE", "ADD", "DELETE")
_TZ_OFFSET: Final = re.compile(r"[+-]((0\d|1[0-3]):[0-5]\d|14:00)")


def map_event(event: Event) -> list[Native]:
    """Native events for one EPCIS event, or none once it has any problem (all are still recorded)."""
    raw = event.raw
    event_type = raw.get("type")
    if not isinstance(event_type, str) or not event_type:
        event.problem("type", f"expected an EPCIS event type, got {show(event_type)}")
        return []
    when = _occurred_at(event)
    action = _action(event, event_type)
    declaration = raw.get("errorDeclaration")
    if event_type not in MAPPED_TYPES:
        event.problem(
            "type",
            f"{event_type} is not mapped; mapped event types are {', '.join(MAPPED_TYPES)}",
        )
        return []
    step = event.step()
    if step is None:
        return []
    rule = RULES.get((event_type, step))
    if rule is None:
        elsewhere = [kind for kind, mapped in RULES if mapped == step]
        hint = f" (on an {' or '.join(elsewhere)} only)" if elsewhere else ""
        event.problem(
            "bizStep",
            f"bizStep {raw.get('bizStep')!r} is not mapped{hint}; mapped steps are {MAPPED_STEPS}",
        )
        return []
    if rule.actions is not None and action is not None and action not in rule.actions:
        event.problem(
            "action",
            f"{action} does not fit bizStep {step!r} on an {event_type}: expected {' or '.join(rule.actions)}",
        )
    drafts = rule.handler(event, action)
    reporter = read_reporter(event, rule.reporter_list)
    province, note = read_province(event), read_note(event)
    event.check_unused(f"by bizStep {step!r} on an {event_type} ({action or 'no action'})")
    base_id = _base_id(event, required=declaration is not None)
    if event.problems or when is None or reporter is None or base_id is None:
        return []
    tz, occurred_at = when

    natives: list[Native] = []
    for number, (native_type, fields) in enumerate(drafts, start=1):
        native: Native = {
            "event_id": numbered(base_id, number, len(drafts)),
            "type": native_type,
            "occurred_at": occurred_at,
            "reporter": reporter,
        }
        if province is not None:
            native["province"] = province
        if note is not None:
            native["note"] = note
        native.update(fields)
        natives.append(native)
    if declaration is None:
        return natives
    return map_corrections(event, declaration, natives, tz)


def _occurred_at(event: Event) -> tuple[timezone, str] | None:
    """eventTime shown in eventTimeZoneOffset, RFC 3339; the offset is reused for declarations."""
    moment: datetime | None = None
    tz: timezone | None = None
    try:
        moment = parse_time(event.raw.get("eventTime"))
    except ValueError as err:
        event.problem("eventTime", str(err))
    offset = event.raw.get("eventTimeZoneOffset")
    if isinstance(offset, str) and _TZ_OFFSET.fullmatch(offset):
        tz = tz_offset(offset)
    else:
        event.problem(
            "eventTimeZoneOffset",
            f"expected an offset '+hh:mm' or '-hh:mm' (-13:59 to +14:00), got {show(offset)}",
        )
    if moment is None or tz is None:
        return None
    try:
        return tz, moment.astimezone(tz).isoformat()
    except OverflowError:
        event.problem("eventTime", "out of range once shown in eventTimeZoneOffset")
        return None


def _action(event: Event, event_type: str) -> str | None:
    action = event.raw.get("action")
    if action is None and event_type not in _ACTION_REQUIRED:
        return None
    if action not in _ACTIONS:
        what = "missing" if action is None else f"got {show(action)}"
        event.problem("action", f"{what}: an {event_type} needs OBSERVE, ADD or DELETE")
        return None
    return str(action)


def _base_id(event: Event, *, required: bool) -> str | None:
    """``epcis:`` + a hash of the eventID, else of the event's canonical JSON."""
    event_id = event.raw.get("eventID")
    if event_id is not None and not (isinstance(event_id, str) and event_id):
        event.problem("eventID", f"expected a URI string, got {show(event_id)}")
        return None
    if isinstance(event_id, str):
        return native_event_id(event_id) or hash_id("eventID", event_id)
    if required:
        event.problem(
            "eventID",
            "missing: an errorDeclaration must carry the eventID of the event it declares "
            "in error, or there is nothing to correct",
        )
        return None
    try:
        canonical = json.dumps(event.raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    except (TypeError, ValueError, RecursionError):
        event.problem("event", "is not plain JSON data, so no stable event id can be derived")
        return None
    return hash_id("content", canonical)
