"""Map EPCIS 2.0 JSON-LD documents onto native v1 events, collecting every problem on the way.

Pure functions: no database, no HTTP. ``map_document`` never raises for bad input; it returns
the events it could map, every problem (by EPCIS event index, field and reason) and the number
of EPCIS events seen. A document with problems still returns its mapped events; rejecting the
whole document is the caller's decision. ``docs/epcis.md`` shows worked examples.

Document
    ``type`` is ``EPCISDocument`` (events in ``epcisBody.eventList``) or ``EPCISQueryDocument``
    (events in ``epcisBody.queryResults.resultsBody.eventList``); any other type stops mapping.
    ``@context`` must be present and name the GS1 EPCIS context (a URL ending in
    ``epcis-context.jsonld``); ``schemaVersion`` must be ``"2.0"`` (required for EPCISDocument,
    checked when present otherwise); ``creationDate`` is an RFC 3339 time. Problems with these
    are reported and the events are still mapped, so one answer lists everything to fix.

Every event
    ``type``, ``eventTime`` (RFC 3339 with an offset) and ``eventTimeZoneOffset`` (``±hh:mm``)
    are required, ``action`` (OBSERVE, ADD, DELETE) too except on TransformationEvents.
    ``occurred_at`` is ``eventTime`` shown in ``eventTimeZoneOffset``. An EPCIS event maps to
    one native event per battery, or to none when it has any problem.

Identifiers (see app/epcis/uris.py)
    Batteries ``urn:gbt34014:battery:<code>`` or ``https://id.batterytrace.org/battery/<code>``
    (24-character code or the 19-character second-life form). GS1 SGTINs and Digital Links are
    refused even when their serial looks like a code: no registry maps GTINs to GB/T 34014 codes.
    Companies ``urn:gbt32100:uscc:<code>``, vehicles ``urn:vin:<VIN>``, swap stations
    ``urn:batterytrace:station:<id>``.

Extensions
    Fields in the namespace ``https://id.batterytrace.org/epcis#``, written with any prefix the
    document's (or event's) ``@context`` maps to it (``bt:`` below) or as full IRIs:
    ``bt:reporter``, ``bt:province``, ``bt:note``, ``bt:chemistry``, ``bt:mass_kg``,
    ``bt:capacity_kwh``, ``bt:reason``, ``bt:application``, ``bt:new_code``,
    ``bt:battery_out``, ``bt:input_mass_kg``, ``bt:recovered``. ``ilmd`` may carry only the
    production attributes. Unknown names, fields the event's step does not use, and ``bt:``
    without a declaration are problems: a typo, or a swap sent without its station, must not
    pass silently as something else.

Reporter
    ``bt:reporter`` (a company URI or bare code), else for shipping the possessing (else owning)
    party of ``sourceList``, for receiving that of ``destinationList``, else ``bizLocation.id``
    or ``readPoint.id`` when they are company URIs.

Business steps (bare CBV word, ``urn:epcglobal:cbv:bizstep:<w>`` or
``https://ref.gs1.org/cbv/BizStep-<w>``)
    ObjectEvent ADD commissioning -> produced (bt:chemistry, bt:mass_kg, bt:capacity_kwh for
    packs, in ``ilmd`` or on the event); OBSERVE shipping -> shipped (``to`` = destination
    party); OBSERVE receiving -> received (``from`` = source party); repairing -> repaired;
    decommissioning with bt:application -> repurposed (bt:new_code optional); destroying or
    disassembling with bt:input_mass_kg and bt:recovered -> recycled (one battery per event).
    AggregationEvent ADD assembling -> produced of ``parentID`` with ``components`` =
    ``childEPCs`` (needs bt:chemistry and bt:mass_kg, bt:capacity_kwh for packs).
    AssociationEvent (``parentID`` a vehicle) ADD installing -> installed; DELETE removing ->
    removed (reason: bt:reason, else disposition needs_replacement -> replacement, damaged ->
    repair, else other); ADD replacing -> swapped when ``bizLocation`` is a station (new battery
    in ``childEPCs``, old one in bt:battery_out), installed otherwise; DELETE replacing ->
    removed with default reason replacement.
    TransformationEvent commissioning or ``bt:repurposing`` (inputEPCList the old codes,
    outputEPCList the one second-life code, bt:application) -> repurposed with new_code;
    destroying or disassembling (one input battery, bt:input_mass_kg, bt:recovered) -> recycled.
    Anything else is a problem naming the mapped steps.

Corrections
    An event carrying ``errorDeclaration`` repeats the original event (same ``eventID``, same
    fields), as EPCIS specifies. It needs ``eventID``; its body is mapped as the original was, and each resulting
    native event gets a ``correction`` with ``corrects`` = that event's id, ``reason`` from the
    CBV error reason (``incorrect_data`` / ``did_not_occur``, bare, ``urn:epcglobal:cbv:er:`` or
    ``https://ref.gs1.org/cbv/ER-``), ``occurred_at`` = ``declarationTime`` and
    ``corrective_event_ids`` = the native base ids of ``correctiveEventIDs``.

Event ids
    ``epcis:`` + the first 40 hex digits of SHA-256 over ``"eventID\\n" + eventID`` when the
    event has one, else over ``"content\\n" + canonical JSON`` (sorted keys, no whitespace, UTF-8),
    so resending the same document is idempotent. Several batteries in one event give
    ``<id>:1``, ``<id>:2``... in list order. Corrections hash ``"errorDeclaration\\n" + eventID``:
    one declaration per event. Two events of one document yielding the same id is a problem.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Final

from app.epcis.uris import (
    BATTERY_FORMS,
    USCC_FORMS,
    UriError,
    is_station_uri,
    is_uscc_uri,
    parse_battery_uri,
    parse_station_uri,
    parse_uscc_uri,
    parse_vin_uri,
)
from app.epcis.vocab import (
    BIZSTEP,
    BT_NAMESPACE,
    DISPOSITION,
    ERROR_REASON,
    REPURPOSING_STEP,
    SOURCE_DEST_TYPE,
    cbv_term,
)
from app.identifiers import IdentifierError, parse_battery_code, parse_uscc

__all__ = ["EXTENSION_FIELDS", "MAPPED_STEPS", "EpcisMapping", "EpcisProblem", "map_document"]

Native = dict[str, object]
Draft = tuple[str, Native]  # (native type, its type-specific fields)

EXTENSION_FIELDS: Final = frozenset(
    {
        "reporter",
        "province",
        "note",
        "chemistry",
        "mass_kg",
        "capacity_kwh",
        "reason",
        "application",
        "new_code",
        "battery_out",
        "input_mass_kg",
        "recovered",
    }
)

MAPPED_STEPS: Final = (
    "ObjectEvent: commissioning (ADD), shipping (OBSERVE), receiving (OBSERVE), repairing, "
    "decommissioning (with bt:application), destroying or disassembling (with "
    "bt:input_mass_kg and bt:recovered); AggregationEvent: assembling (ADD); "
    "AssociationEvent: installing (ADD), removing (DELETE), replacing (ADD or DELETE); "
    "TransformationEvent: commissioning or bt:repurposing, destroying or disassembling"
)
MAPPED_TYPES: Final = ("ObjectEvent", "AggregationEvent", "AssociationEvent", "TransformationEvent")
_ACTION_REQUIRED: Final = frozenset({"ObjectEvent", "AggregationEvent", "AssociationEvent", "TransactionEvent"})
_ACTIONS: Final = ("OBSERVE", "ADD", "DELETE")
_REMOVAL_REASONS: Final = ("repair", "replacement", "scrapping", "other")
_ERROR_REASONS: Final = ("incorrect_data", "did_not_occur")
_LEVEL_RANK: Final = {"cell": 0, "module": 1, "pack": 2}
_MAX_CORRECTIVE_IDS: Final = 100
_MAX_NOTE: Final = 2000

_RFC3339: Final = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})")
_TZ_OFFSET: Final = re.compile(r"[+-]((0\d|1[0-3]):[0-5]\d|14:00)")
_DECIMAL: Final = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_APPLICATION: Final = re.compile(r"[a-z][a-z0-9_]{1,39}")
_ELEMENT: Final = re.compile(r"[A-Za-z]{1,2}")
_PROVINCE: Final = re.compile(r"\d{6}")
_PREFIX_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class EpcisProblem:
    """Something that could not be mapped: where (event index, field) and why, in a sentence."""

    index: int | None
    field: str
    reason: str


@dataclass(frozen=True)
class EpcisMapping:
    """The native events mapped from one document, the problems found, and its event count."""

    events: list[dict[str, object]]
    problems: list[EpcisProblem]
    source_count: int


# --------------------------------------------------------------------------- document


def map_document(doc: object) -> EpcisMapping:
    """Map an EPCIS 2.0 document (parsed JSON) to native v1 events; never raises on bad input."""
    problems: list[EpcisProblem] = []
    if not isinstance(doc, Mapping):
        problems.append(EpcisProblem(None, "document", f"expected an EPCIS 2.0 JSON object, got {_kind(doc)}"))
        return EpcisMapping([], problems, 0)

    doc_type = doc.get("type")
    if doc_type == "EPCISDocument":
        path: tuple[str, ...] = ("epcisBody", "eventList")
    elif doc_type == "EPCISQueryDocument":
        path = ("epcisBody", "queryResults", "resultsBody", "eventList")
    else:
        problems.append(
            EpcisProblem(
                None,
                "type",
                f"expected 'EPCISDocument' (or 'EPCISQueryDocument'), got {_show(doc_type)}",
            )
        )
        return EpcisMapping([], problems, 0)

    def doc_problem(field: str, reason: str) -> None:
        problems.append(EpcisProblem(None, field, reason))

    _check_context(doc.get("@context"), doc_problem)
    version = doc.get("schemaVersion")
    if (version is not None or doc_type == "EPCISDocument") and version != "2.0":
        doc_problem("schemaVersion", f'expected "2.0" (EPCIS 2.0 documents), got {_show(version)}')
    creation = doc.get("creationDate")
    if creation is not None or doc_type == "EPCISDocument":
        try:
            _parse_time(creation)
        except ValueError as err:
            doc_problem("creationDate", str(err))

    raw_events = _event_list(doc, path, doc_problem)
    if raw_events is None:
        return EpcisMapping([], problems, 0)

    prefixes = _prefixes(doc.get("@context"))
    events: list[Native] = []
    produced_by: dict[object, int] = {}  # native event_id -> index of the EPCIS event
    for index, raw in enumerate(raw_events):
        event = _Event(index, raw, prefixes) if isinstance(raw, Mapping) else None
        if event is None:
            problems.append(EpcisProblem(index, "event", f"expected an EPCIS event object, got {_kind(raw)}"))
            continue
        mapped = _map_event(event)
        _check_repeated(event, mapped, produced_by)
        problems.extend(event.problems)
        if not event.problems:
            events.extend(mapped)
    return EpcisMapping(events, problems, len(raw_events))


def _event_list(
    doc: Mapping[str, object], path: tuple[str, ...], problem: Callable[[str, str], None]
) -> list[object] | None:
    """The event list at ``path``, or None after saying which level is missing."""
    node: Mapping[str, object] = doc
    for depth, key in enumerate(path):
        child = node.get(key)
        where = ".".join(path[: depth + 1])
        if depth == len(path) - 1:
            if isinstance(child, list):
                return child
            problem(where, f"expected a list of EPCIS events, got {_kind(child)}")
        elif isinstance(child, Mapping):
            node = child
            continue
        else:
            problem(where, f"expected an object holding {'.'.join(path)}, got {_kind(child)}")
        return None
    return None


def _check_context(context: object, problem: Callable[[str, str], None]) -> None:
    """The GS1 context must be named: without it the bare EPCIS terms have no meaning."""
    if context is None:
        problem("@context", "missing: name the GS1 EPCIS 2.0 context (.../epcis-context.jsonld)")
        return
    entries = context if isinstance(context, list) else [context]
    for i, entry in enumerate(entries):
        if not isinstance(entry, str | Mapping):
            field = f"@context[{i}]" if isinstance(context, list) else "@context"
            problem(field, f"expected a context URL or an object, got {_kind(entry)}")
            return
    if not any(isinstance(e, str) and e.endswith("epcis-context.jsonld") for e in entries):
        problem(
            "@context",
            "does not name the GS1 EPCIS context: include "
            "'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'",
        )


def _prefixes(context: object) -> dict[str, str]:
    """Prefix -> IRI from the object entries of a JSON-LD @context (remote ones are not read)."""
    found: dict[str, str] = {}
    entries = context if isinstance(context, list) else [context]
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        for key, value in entry.items():
            if not isinstance(key, str) or not _PREFIX_NAME.fullmatch(key):
                continue
            if isinstance(value, Mapping):
                value = value.get("@id")
            if isinstance(value, str):
                found[key] = value
    return found


def _check_repeated(event: _Event, mapped: list[Native], produced_by: dict[object, int]) -> None:
    """Two EPCIS events of one document must not yield the same native id.

    That happens with a repeated eventID, a repeated errorDeclaration, or an identical event
    without eventID sent twice; an original and its errorDeclaration give different ids.
    """
    earlier = next((produced_by[n["event_id"]] for n in mapped if n["event_id"] in produced_by), None)
    if earlier is not None:
        event.problem(
            "eventID" if "eventID" in event.raw else "event",
            f"gives the same event id as event {earlier}: an EPCIS event is captured once; "
            "to change it, send it again with an errorDeclaration",
        )
        return
    for native in mapped:
        produced_by[native["event_id"]] = event.index


# --------------------------------------------------------------------------- one event


class _Event:
    """One EPCIS event being mapped: its fields, its extension fields and its problems."""

    def __init__(self, index: int, raw: Mapping[str, object], prefixes: Mapping[str, str]):
        self.index = index
        self.raw = raw
        self.problems: list[EpcisProblem] = []
        self.read: set[str] = set()  # extension fields (as written) that some rule looked at
        self.prefixes = {**prefixes, **_prefixes(raw.get("@context"))}
        self.ours = self._collect(raw, "")
        ilmd = raw.get("ilmd")
        self.ilmd_ours = self._collect(ilmd, "ilmd.") if isinstance(ilmd, Mapping) else {}

    def problem(self, field: str, reason: str) -> None:
        self.problems.append(EpcisProblem(self.index, field, reason))

    def expand(self, term: str) -> str:
        """Expand a compact IRI (``bt:repurposing``) with the declared prefixes."""
        prefix, sep, rest = term.partition(":")
        if sep and prefix in self.prefixes and not rest.startswith("//"):
            return self.prefixes[prefix] + rest
        return term

    def _collect(self, fields: Mapping[str, object], where: str) -> dict[str, tuple[str, object]]:
        """Our extension fields in ``fields``: local name -> (field as written, value)."""
        ours: dict[str, tuple[str, object]] = {}
        for key, value in fields.items():
            if not isinstance(key, str):
                continue
            expanded = self.expand(key)
            if not expanded.startswith(BT_NAMESPACE):
                if key.startswith("bt:") and "bt" not in self.prefixes:
                    self.problem(
                        where + key,
                        f"uses the prefix 'bt', which @context does not declare: add "
                        f'{{"bt": "{BT_NAMESPACE}"}} to @context',
                    )
                continue
            name = expanded[len(BT_NAMESPACE) :]
            if name not in EXTENSION_FIELDS:
                known = ", ".join(sorted(EXTENSION_FIELDS))
                self.problem(where + key, f"unknown extension field {name!r}; known: {known}")
            elif name in ours:
                self.problem(where + key, f"gives {name!r} a second time ({ours[name][0]!r})")
            else:
                ours[name] = (where + key, value)
        return ours

    def ext(self, name: str, *, ilmd: bool = False) -> tuple[str, object] | None:
        """An extension field (in ``ilmd`` too when asked); a clash between the two is a problem."""
        top = self.ours.get(name)
        low = self.ilmd_ours.get(name) if ilmd else None
        self.read.update(field[0] for field in (top, low) if field is not None)
        if top is not None and low is not None and top[1] != low[1]:
            self.problem(low[0], f"disagrees with {top[0]!r}: give {name!r} once")
        return top or low

    def check_unused(self, why: str) -> None:
        """Our fields that no rule read are mistakes (a wrong step, or a field in the wrong place)."""
        for where, _ in [*self.ours.values(), *self.ilmd_ours.values()]:
            if where not in self.read:
                self.problem(where, f"is not used {why}: remove it, or check the bizStep and where it is written")

    def step(self) -> str | None:
        """The business step as a bare CBV word, or an expanded IRI for non-CBV steps."""
        raw = self.raw.get("bizStep")
        if raw is None:
            self.problem("bizStep", f"missing; mapped steps are {MAPPED_STEPS}")
            return None
        if not isinstance(raw, str) or not raw:
            self.problem("bizStep", f"expected a CBV business step, got {_show(raw)}")
            return None
        return cbv_term(self.expand(raw), BIZSTEP)


@dataclass(frozen=True)
class _Rule:
    """How one (event type, business step) maps: its handler, allowed actions, reporter list."""

    handler: Callable[[_Event, str | None], list[Draft]]
    actions: tuple[str, ...] | None = None
    reporter_list: str | None = None


def _map_event(event: _Event) -> list[Native]:
    raw = event.raw
    event_type = raw.get("type")
    if not isinstance(event_type, str) or not event_type:
        event.problem("type", f"expected an EPCIS event type, got {_show(event_type)}")
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
    rule = _RULES.get((event_type, step))
    if rule is None:
        elsewhere = [kind for kind, mapped in _RULES if mapped == step]
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
    reporter = _reporter(event, rule.reporter_list)
    province, note = _province(event), _note(event)
    event.check_unused(f"by bizStep {step!r} on an {event_type} ({action or 'no action'})")
    base_id = _base_id(event, required=declaration is not None)
    if event.problems or when is None or reporter is None or base_id is None:
        return []
    tz, occurred_at = when

    natives: list[Native] = []
    for number, (native_type, fields) in enumerate(drafts, start=1):
        native: Native = {
            "event_id": _numbered(base_id, number, len(drafts)),
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
    return _corrections(event, declaration, natives, tz)


def _occurred_at(event: _Event) -> tuple[timezone, str] | None:
    """eventTime shown in eventTimeZoneOffset, RFC 3339; the offset is reused for declarations."""
    moment: datetime | None = None
    tz: timezone | None = None
    try:
        moment = _parse_time(event.raw.get("eventTime"))
    except ValueError as err:
        event.problem("eventTime", str(err))
    offset = event.raw.get("eventTimeZoneOffset")
    if isinstance(offset, str) and _TZ_OFFSET.fullmatch(offset):
        tz = _offset(offset)
    else:
        event.problem(
            "eventTimeZoneOffset",
            f"expected an offset '+hh:mm' or '-hh:mm' (-13:59 to +14:00), got {_show(offset)}",
        )
    if moment is None or tz is None:
        return None
    try:
        return tz, moment.astimezone(tz).isoformat()
    except OverflowError:
        event.problem("eventTime", "out of range once shown in eventTimeZoneOffset")
        return None


def _action(event: _Event, event_type: str) -> str | None:
    action = event.raw.get("action")
    if action is None and event_type not in _ACTION_REQUIRED:
        return None
    if action not in _ACTIONS:
        what = "missing" if action is None else f"got {_show(action)}"
        event.problem("action", f"{what}: an {event_type} needs OBSERVE, ADD or DELETE")
        return None
    return str(action)


def _base_id(event: _Event, *, required: bool) -> str | None:
    """``epcis:`` + a hash of the eventID, else of the event's canonical JSON."""
    event_id = event.raw.get("eventID")
    if event_id is not None and not (isinstance(event_id, str) and event_id):
        event.problem("eventID", f"expected a URI string, got {_show(event_id)}")
        return None
    if isinstance(event_id, str):
        return _hash_id("eventID", event_id)
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
    return _hash_id("content", canonical)


def _hash_id(kind: str, text: str) -> str:
    digest = hashlib.sha256(f"{kind}\n{text}".encode("utf-8", "surrogatepass")).hexdigest()
    return f"epcis:{digest[:40]}"


def _numbered(base_id: str, number: int, total: int) -> str:
    return base_id if total == 1 else f"{base_id}:{number}"


# --------------------------------------------------------------------------- corrections


def _corrections(event: _Event, declaration: object, originals: list[Native], tz: timezone) -> list[Native]:
    """One correction per native event the declared-in-error EPCIS event mapped to."""
    if not isinstance(declaration, Mapping):
        event.problem("errorDeclaration", f"expected an object, got {_kind(declaration)}")
        return []
    occurred_at: str | None = None
    try:
        occurred_at = _parse_time(declaration.get("declarationTime")).astimezone(tz).isoformat()
    except (ValueError, OverflowError) as err:
        event.problem("errorDeclaration.declarationTime", str(err))
    reason_raw = declaration.get("reason")
    reason = cbv_term(reason_raw, ERROR_REASON) if isinstance(reason_raw, str) else None
    if reason not in _ERROR_REASONS:
        spelled = " or ".join(ERROR_REASON.spellings(r) for r in _ERROR_REASONS)
        what = "missing" if reason_raw is None else f"got {_show(reason_raw)}"
        event.problem(
            "errorDeclaration.reason",
            f"{what}: a correction needs the reason {spelled}",
        )
    corrective: list[str] = []
    raw_ids = declaration.get("correctiveEventIDs", [])
    if not isinstance(raw_ids, list):
        event.problem("errorDeclaration.correctiveEventIDs", f"expected a list, got {_kind(raw_ids)}")
    elif len(raw_ids) > _MAX_CORRECTIVE_IDS:
        event.problem(
            "errorDeclaration.correctiveEventIDs",
            f"lists {len(raw_ids)} events; at most {_MAX_CORRECTIVE_IDS} are accepted",
        )
    else:
        for i, raw_id in enumerate(raw_ids):
            if isinstance(raw_id, str) and raw_id:
                corrective.append(_hash_id("eventID", raw_id))
            else:
                event.problem(
                    f"errorDeclaration.correctiveEventIDs[{i}]",
                    f"expected an eventID string, got {_show(raw_id)}",
                )
    if event.problems or occurred_at is None:
        return []
    base_id = _hash_id("errorDeclaration", str(event.raw["eventID"]))
    corrections: list[Native] = []
    for number, original in enumerate(originals, start=1):
        correction: Native = {
            "event_id": _numbered(base_id, number, len(originals)),
            "type": "correction",
            "occurred_at": occurred_at,
            "reporter": original["reporter"],
        }
        if "province" in original:
            correction["province"] = original["province"]
        correction["corrects"] = original["event_id"]
        correction["reason"] = reason
        if corrective:
            correction["corrective_event_ids"] = list(corrective)
        corrections.append(correction)
    return corrections


# --------------------------------------------------------------------------- step handlers


def _produced_by_commissioning(event: _Event, action: str | None) -> list[Draft]:
    codes = _batteries(event, "epcList")
    attributes = _production_attributes(event, codes, ilmd=True, step="commissioning")
    if attributes is None:
        return []
    return [("produced", {"battery": code, **attributes}) for code in codes]


def _produced_by_assembling(event: _Event, action: str | None) -> list[Draft]:
    parent = _battery(event, "parentID")
    children = _batteries(event, "childEPCs")
    if parent is not None:
        level = parse_battery_code(parent).level
        for i, child in enumerate(children):
            sub = parse_battery_code(child).level
            if _LEVEL_RANK[sub] >= _LEVEL_RANK[level]:
                event.problem(
                    f"childEPCs[{i}]",
                    f"a {level} can only contain lower levels (pack > module > cell), not a {sub}",
                )
    attributes = _production_attributes(event, [parent] if parent is not None else [], ilmd=False, step="assembling")
    if parent is None or attributes is None:
        return []
    return [("produced", {"battery": parent, **attributes, "components": children})]


def _shipped(event: _Event, action: str | None) -> list[Draft]:
    codes = _batteries(event, "epcList")
    to = _required_party(event, "destinationList", "to", "the receiving company")
    return [("shipped", {"battery": code, "to": to}) for code in codes]


def _received(event: _Event, action: str | None) -> list[Draft]:
    codes = _batteries(event, "epcList")
    sender = _required_party(event, "sourceList", "from", "the sending company")
    return [("received", {"battery": code, "from": sender}) for code in codes]


def _repaired(event: _Event, action: str | None) -> list[Draft]:
    return [("repaired", {"battery": code}) for code in _batteries(event, "epcList")]


def _installed(event: _Event, action: str | None) -> list[Draft]:
    vehicle = _vehicle(event)
    codes = _batteries(event, "childEPCs")
    return [("installed", {"battery": code, "vehicle": vehicle}) for code in codes]


def _removed(event: _Event, action: str | None, default_reason: str = "other") -> list[Draft]:
    vehicle = _vehicle(event)
    codes = _batteries(event, "childEPCs")
    reason = _removal_reason(event, default_reason)
    return [("removed", {"battery": c, "vehicle": vehicle, "reason": reason}) for c in codes]


def _replacing(event: _Event, action: str | None) -> list[Draft]:
    """DELETE -> removed (replacement); ADD -> swapped at a station, else installed."""
    if action == "DELETE":
        return _removed(event, action, default_reason="replacement")
    location = _location_id(event, "bizLocation")
    if not is_station_uri(location):
        return _installed(event, action)
    station: str | None = None
    try:
        station = parse_station_uri(location)
    except UriError as err:
        event.problem("bizLocation.id", err.reason)
    vehicle = _vehicle(event)
    codes = _batteries(event, "childEPCs")
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


def _repurposed_by_decommissioning(event: _Event, action: str | None) -> list[Draft]:
    codes = _batteries(event, "epcList")
    application = _application(event, "decommissioning")
    new_code: str | None = None
    field = event.ext("new_code")
    if field is not None:
        try:
            new_code = parse_battery_uri(field[1])
        except UriError as err:
            event.problem(field[0], err.reason)
        if new_code is not None and new_code in codes:
            event.problem(field[0], "equals a battery it was made from")
    drafts: list[Draft] = []
    for code in codes:
        fields: Native = {"battery": code, "application": application}
        if new_code is not None:
            fields["new_code"] = new_code
        drafts.append(("repurposed", fields))
    return drafts


def _repurposed_by_transformation(event: _Event, action: str | None) -> list[Draft]:
    originals = _batteries(event, "inputEPCList")
    outputs = _batteries(event, "outputEPCList")
    application = _application(event, "a second-life TransformationEvent")
    if len(outputs) > 1:
        event.problem(
            "outputEPCList",
            f"names {len(outputs)} batteries; a repurposing names the one second-life code",
        )
    new_code = outputs[0] if len(outputs) == 1 else None
    if new_code is not None and new_code in originals:
        event.problem("outputEPCList[0]", "equals a battery it was made from")
    return [("repurposed", {"battery": code, "application": application, "new_code": new_code}) for code in originals]


def _recycled_by_object(event: _Event, action: str | None) -> list[Draft]:
    return _recycled(event, "epcList")


def _recycled_by_transformation(event: _Event, action: str | None) -> list[Draft]:
    return _recycled(event, "inputEPCList")


def _recycled(event: _Event, list_name: str) -> list[Draft]:
    """Material recovery: one battery, its input mass and the kg recovered per element."""
    codes = _batteries(event, list_name)
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
    mass = _number_ext(event, "input_mass_kg", why, minimum_exclusive=True)
    recovered: dict[str, float] = {}
    field = event.ext("recovered")
    if field is None:
        event.problem("bt:recovered", f"missing: {why}")
    elif not isinstance(field[1], Mapping):
        event.problem(field[0], f"expected an object of element -> kg, got {_kind(field[1])}")
    else:
        for element, value in field[1].items():
            where = f"{field[0]}.{element}"
            if not isinstance(element, str) or not _ELEMENT.fullmatch(element):
                event.problem(where, "expected a chemical element symbol such as li, co, ni, mn")
                continue
            key = element.lower()
            kg = _number(event, where, value, minimum_exclusive=False)
            if key in recovered:
                event.problem(where, f"gives element {key!r} twice")
            elif kg is not None:
                recovered[key] = kg
    if len(codes) != 1 or mass is None:
        return []
    return [("recycled", {"battery": codes[0], "input_mass_kg": mass, "recovered": recovered})]


_RULES: Final[Mapping[tuple[str, str], _Rule]] = {
    ("ObjectEvent", "commissioning"): _Rule(_produced_by_commissioning, ("ADD",)),
    ("ObjectEvent", "shipping"): _Rule(_shipped, ("OBSERVE",), reporter_list="sourceList"),
    ("ObjectEvent", "receiving"): _Rule(_received, ("OBSERVE",), reporter_list="destinationList"),
    ("ObjectEvent", "repairing"): _Rule(_repaired),
    ("ObjectEvent", "decommissioning"): _Rule(_repurposed_by_decommissioning),
    ("ObjectEvent", "destroying"): _Rule(_recycled_by_object),
    ("ObjectEvent", "disassembling"): _Rule(_recycled_by_object),
    ("AggregationEvent", "assembling"): _Rule(_produced_by_assembling, ("ADD",)),
    ("AssociationEvent", "installing"): _Rule(_installed, ("ADD",)),
    ("AssociationEvent", "removing"): _Rule(_removed, ("DELETE",)),
    ("AssociationEvent", "replacing"): _Rule(_replacing, ("ADD", "DELETE")),
    ("TransformationEvent", "commissioning"): _Rule(_repurposed_by_transformation),
    ("TransformationEvent", REPURPOSING_STEP): _Rule(_repurposed_by_transformation),
    ("TransformationEvent", "destroying"): _Rule(_recycled_by_transformation),
    ("TransformationEvent", "disassembling"): _Rule(_recycled_by_transformation),
}


# --------------------------------------------------------------------------- field readers


def _batteries(event: _Event, list_name: str) -> list[str]:
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
        event.problem(list_name, f"expected a list of identifier URIs, got {_kind(raw)}")
        return []
    codes: list[str] = []
    for i, uri in enumerate(raw):
        try:
            code = parse_battery_uri(uri)
        except UriError as err:
            event.problem(f"{list_name}[{i}]", err.reason)
            continue
        if code in codes:
            event.problem(f"{list_name}[{i}]", f"lists battery {code} twice")
            continue
        codes.append(code)
    return codes


def _battery(event: _Event, field: str) -> str | None:
    raw = event.raw.get(field)
    try:
        return parse_battery_uri(raw)
    except UriError as err:
        event.problem(field, err.reason)
        return None


def _vehicle(event: _Event) -> str | None:
    """The vehicle of an AssociationEvent: its parentID, a ``urn:vin:`` URI."""
    try:
        return parse_vin_uri(event.raw.get("parentID"))
    except UriError as err:
        event.problem("parentID", f"the vehicle: {err.reason}")
        return None


def _location_id(event: _Event, name: str) -> object:
    location = event.raw.get(name)
    return location.get("id") if isinstance(location, Mapping) else None


def _party_entry(event: _Event, list_name: str) -> tuple[str, object] | None:
    """The possessing (else owning) party of a source or destination list, with its field."""
    raw = event.raw.get(list_name)
    if raw is None:
        return None
    if not isinstance(raw, list):
        event.problem(list_name, f"expected a list of {{type, ...}} objects, got {_kind(raw)}")
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


def _required_party(event: _Event, list_name: str, native: str, who: str) -> str | None:
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


def _reporter(event: _Event, party_list: str | None) -> str | None:
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
        location = _location_id(event, name)
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


def _removal_reason(event: _Event, default: str) -> str | None:
    """bt:reason wins; else disposition needs_replacement/damaged; else ``default``."""
    field = event.ext("reason")
    if field is not None:
        if field[1] in _REMOVAL_REASONS:
            return str(field[1])
        event.problem(
            field[0],
            f"expected one of {', '.join(_REMOVAL_REASONS)}, got {_show(field[1])}",
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


def _application(event: _Event, step: str) -> str | None:
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
            f"expected a lower-case word such as energy_storage (a-z, 0-9, _; 2-40 characters), got {_show(value)}",
        )
        return None
    return value


def _production_attributes(event: _Event, codes: Sequence[str], *, ilmd: bool, step: str) -> Native | None:
    """chemistry, mass_kg and capacity_kwh (required when a pack is produced)."""
    where = "in ilmd or on the event" if ilmd else "on the event"
    why = f"{step} maps to produced only with bt:chemistry, bt:mass_kg and, for a pack, bt:capacity_kwh ({where})"
    attributes: Native = {}
    field = event.ext("chemistry", ilmd=ilmd)
    if field is None:
        event.problem("bt:chemistry", f"missing: {why}")
    elif not isinstance(field[1], str) or not 2 <= len(field[1].strip()) <= 32:
        event.problem(field[0], f"expected a chemistry name of 2-32 characters, got {_show(field[1])}")
    else:
        attributes["chemistry"] = field[1].strip()
    mass = _number_ext(event, "mass_kg", why, minimum_exclusive=True, ilmd=ilmd)
    if mass is not None:
        attributes["mass_kg"] = mass
    needs_capacity = any(parse_battery_code(code).level == "pack" for code in codes)
    capacity = _number_ext(event, "capacity_kwh", why, minimum_exclusive=True, ilmd=ilmd, required=needs_capacity)
    if capacity is not None:
        attributes["capacity_kwh"] = capacity
    if "chemistry" not in attributes or mass is None or (needs_capacity and capacity is None):
        return None
    return attributes


def _number_ext(
    event: _Event,
    name: str,
    why: str,
    *,
    minimum_exclusive: bool,
    ilmd: bool = False,
    required: bool = True,
) -> float | None:
    field = event.ext(name, ilmd=ilmd)
    if field is None:
        if required:
            event.problem(f"bt:{name}", f"missing: {why}")
        return None
    return _number(event, field[0], field[1], minimum_exclusive=minimum_exclusive)


def _number(event: _Event, where: str, value: object, *, minimum_exclusive: bool) -> float | None:
    """A JSON number or a decimal string (JSON-LD extensions often carry strings)."""
    number = _as_float(value)
    if number is None or not math.isfinite(number):
        event.problem(where, f"expected a number, got {_show(value)}")
        return None
    if number < 0 or (minimum_exclusive and number == 0):
        bound = "above 0" if minimum_exclusive else "0 or more"
        event.problem(where, f"expected a number {bound}, got {_show(value)}")
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


def _province(event: _Event) -> str | None:
    field = event.ext("province")
    if field is None:
        return None
    if isinstance(field[1], str) and _PROVINCE.fullmatch(field[1]):
        return field[1]
    event.problem(field[0], f"expected a 6-digit GB/T 2260 division code, got {_show(field[1])}")
    return None


def _note(event: _Event) -> str | None:
    field = event.ext("note")
    if field is None:
        return None
    if isinstance(field[1], str) and len(field[1]) <= _MAX_NOTE:
        return field[1]
    event.problem(field[0], f"expected text of at most {_MAX_NOTE} characters")
    return None


# --------------------------------------------------------------------------- time and display


def _parse_time(value: object) -> datetime:
    """An RFC 3339 date-time with an offset; ValueError with a sentence otherwise."""
    if value is None:
        raise ValueError("missing: expected an RFC 3339 time such as 2025-06-01T08:30:00+08:00")
    match = _RFC3339.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(
            f"expected an RFC 3339 time with an offset such as 2025-06-01T08:30:00+08:00, got {_show(value)}"
        )
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        tz = UTC if offset in ("Z", "z") else _offset(offset)
        return datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            int((fraction or "0")[:6].ljust(6, "0")),
            tzinfo=tz,
        )
    except ValueError:
        raise ValueError(f"{value!r} is not a real date and time") from None


def _offset(text: str) -> timezone:
    sign = -1 if text[0] == "-" else 1
    hours, minutes = int(text[1:3]), int(text[4:6])
    if minutes > 59:
        raise ValueError("offset minutes above 59")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _kind(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    if isinstance(value, int | float):
        return "a number"
    return type(value).__name__


def _show(value: object) -> str:
    text = "nothing" if value is None else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
