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
    ``bt:battery_out``, ``bt:input_mass_kg``, ``bt:recovered``, ``bt:destination``, the health
    figures ``bt:soh_pct``, ``bt:cycle_count``, ``bt:method``, ``bt:internal_resistance_mohm``
    and ``bt:residual_capacity_kwh``. ``ilmd`` may carry only the
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
    OBSERVE inspecting (one battery, bt:soh_pct, bt:capacity_kwh, bt:cycle_count, bt:method) ->
    health_measured;
    decommissioning with bt:application -> repurposed (bt:new_code, bt:soh_pct and
    bt:residual_capacity_kwh optional); destroying or
    disassembling with bt:input_mass_kg and bt:recovered -> recycled (one battery per event);
    OBSERVE departing with vehicles (``urn:vin:``) in ``epcList`` and bt:destination (ISO 3166-1
    alpha-2, not CN) -> vehicle_exported per vehicle (CBV has no export step).
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

Modules (each imports only those below it)
    ``mapping`` (this one) checks the document and the event list; ``event`` maps one event
    through the ``steps`` table of handlers, which read with ``fields``; ``corrections`` turns an
    errorDeclaration into native corrections; ``model`` holds the event wrapper, the problem
    record and the id hashing they all share; ``formats`` parses times and quotes values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from app.epcis.event import map_event
from app.epcis.formats import kind_of, parse_time, show
from app.epcis.model import EXTENSION_FIELDS, MAPPED_STEPS, EpcisProblem, Event, Native, context_prefixes

__all__ = ["EXTENSION_FIELDS", "MAPPED_STEPS", "EpcisMapping", "EpcisProblem", "map_document"]


@dataclass(frozen=True)
class EpcisMapping:
    """The native events mapped from one document, the problems found, and its event count."""

    events: list[dict[str, object]]
    problems: list[EpcisProblem]
    source_count: int


def map_document(doc: object) -> EpcisMapping:
    """Map an EPCIS 2.0 document (parsed JSON) to native v1 events; never raises on bad input."""
    problems: list[EpcisProblem] = []
    if not isinstance(doc, Mapping):
        problems.append(EpcisProblem(None, "document", f"expected an EPCIS 2.0 JSON object, got {kind_of(doc)}"))
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
                f"expected 'EPCISDocument' (or 'EPCISQueryDocument'), got {show(doc_type)}",
            )
        )
        return EpcisMapping([], problems, 0)

    def doc_problem(field: str, reason: str) -> None:
        problems.append(EpcisProblem(None, field, reason))

    _check_context(doc.get("@context"), doc_problem)
    version = doc.get("schemaVersion")
    if (version is not None or doc_type == "EPCISDocument") and version != "2.0":
        doc_problem("schemaVersion", _version_problem(version))
    creation = doc.get("creationDate")
    if creation is not None or doc_type == "EPCISDocument":
        try:
            parse_time(creation)
        except ValueError as err:
            doc_problem("creationDate", str(err))

    raw_events = _event_list(doc, path, doc_problem)
    if raw_events is None:
        return EpcisMapping([], problems, 0)

    prefixes = context_prefixes(doc.get("@context"))
    events: list[Native] = []
    produced_by: dict[object, int] = {}  # native event_id -> index of the EPCIS event
    for index, raw in enumerate(raw_events):
        event = Event(index, raw, prefixes) if isinstance(raw, Mapping) else None
        if event is None:
            problems.append(EpcisProblem(index, "event", f"expected an EPCIS event object, got {kind_of(raw)}"))
            continue
        mapped = map_event(event)
        _check_repeated(event, mapped, produced_by)
        problems.extend(event.problems)
        if not event.problems:
            events.extend(mapped)
    return EpcisMapping(events, problems, len(raw_events))


def _version_problem(version: object) -> str:
    """What is wrong with ``schemaVersion``: missing, another version, or not a string at all."""
    if version is None:
        return 'missing: must be the string "2.0" (EPCIS 2.0 documents)'
    if isinstance(version, str):
        return f'must be "2.0" (EPCIS 2.0 documents), got {show(version)}'
    return f'must be the string "2.0", got {kind_of(version)}'


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
            problem(where, f"expected a list of EPCIS events, got {kind_of(child)}")
        elif isinstance(child, Mapping):
            node = child
            continue
        else:
            problem(where, f"expected an object holding {'.'.join(path)}, got {kind_of(child)}")
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
            problem(field, f"expected a context URL or an object, got {kind_of(entry)}")
            return
    if not any(isinstance(e, str) and e.endswith("epcis-context.jsonld") for e in entries):
        problem(
            "@context",
            "does not name the GS1 EPCIS context: include "
            "'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'",
        )


def _check_repeated(event: Event, mapped: list[Native], produced_by: dict[object, int]) -> None:
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
