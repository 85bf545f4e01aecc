"""A battery's provenance in W3C PROV (PROV-JSON or PROV-O Turtle), for systems that reason in PROV.

Nothing here decides the battery's story: the events are the trace's (``trace.battery_history``), and
what the events did to the battery (which one generated it, what it was derived from, what ended
it) is what the one replay decided over the effective events. This module only writes those
facts in PROV's terms; docs/provenance.md gives the mapping.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal

from prov.constants import PROV, PROV_ROLE, PROV_TYPE
from prov.model import Namespace, ProvDocument, QualifiedName

from app.db import Database
from app.epcis.uris import BATTERY_URN_PREFIX, EVENT_URN_PREFIX, STATION_URN_PREFIX, USCC_URN_PREFIX
from app.identifiers import IdentifierError, parse_battery_code
from app.repositories import provenance as repo
from app.repositories import trace as trace_repo
from app.repositories.trace import TimelineRow
from app.schemas.trace import Component, Reporter
from app.services.trace import BatteryHistory, battery_history

ProvFormat = Literal["prov-json", "prov-o"]
MEDIA_TYPES: Final[dict[str, str]] = {"prov-json": "application/json", "prov-o": "text/turtle"}

BT: Final = Namespace("bt", "https://id.batterytrace.org/prov#")
BATTERY: Final = Namespace("battery", BATTERY_URN_PREFIX)
EVENT: Final = Namespace("event", EVENT_URN_PREFIX)
COMPANY: Final = Namespace("company", USCC_URN_PREFIX)
STATION: Final = Namespace("station", STATION_URN_PREFIX)

# Payload fields written as PROV relations or entities rather than as activity attributes.
_RELATED: Final = frozenset(
    {"event_id", "type", "occurred_at", "reporter", "battery", "components", "new_code", "to", "from", "station"}
    | {"corrects", "corrective_event_ids"}
)
# How an event that names a counterparty company is associated with it (prov:role).
_COUNTERPARTIES: Final = {"to": "addressee", "from": "sender"}


@dataclass(frozen=True)
class Rendered:
    body: str
    media_type: str


def get_provenance(db: Database, code: str, fmt: ProvFormat) -> Rendered:
    """The battery's provenance document in ``fmt``; 404 (NotFound) when no event names it."""
    story = battery_history(db, code)
    components = trace_repo.battery_components(db, code)
    known = {r.reporter.uscc for r in story.rows if r.reporter.uscc}
    others = sorted(_named_companies(story.rows) - known)
    doc = provenance_document(story, components, repo.companies(db, others) if others else [])
    if fmt == "prov-o":
        text = doc.serialize(format="rdf", rdf_format="turtle")
    else:
        text = doc.serialize(format="json", ensure_ascii=False)
    assert text is not None, "serialize returns the text when given no destination"
    return Rendered(text, MEDIA_TYPES[fmt])


def _named_companies(rows: list[TimelineRow]) -> set[str]:
    """Counterparties and station operators: the agents the reporters' rows do not describe."""
    named = {str(r.payload[k]) for r in rows for k in _COUNTERPARTIES if r.payload.get(k)}
    return named | {r.station_operator for r in rows if r.station_operator}


def provenance_document(story: BatteryHistory, components: list[Component], companies: list[Reporter]) -> ProvDocument:
    """The PROV document of one battery's story (pure: the caller reads the store)."""
    return _Writer(story, components, companies).write()


class _Writer:
    """Builds one document; remembers what it declared, so each record is written once."""

    def __init__(self, story: BatteryHistory, components: list[Component], companies: list[Reporter]) -> None:
        self.story, self.components = story, components
        self.doc = ProvDocument()
        for ns in (BT, BATTERY, EVENT, COMPANY, STATION):
            self.doc.add_namespace(ns)
        self.companies = {c.uscc: c for c in companies if c.uscc}
        self.companies.update({r.reporter.uscc: r.reporter for r in story.rows if r.reporter.uscc})
        self.times = {r.event_id: r.occurred_at for r in story.rows}
        self.declared: set[QualifiedName] = set()

    def write(self) -> ProvDocument:
        story, life = self.story, self.story.life
        me = self.battery(story.code, status=story.status, attrs=life.attrs)
        for row in story.rows:
            self.event(row)
        repeated = {c.event_id for c in life.contradictions if c.kind == "produced_repeatedly"}
        generated_by = None
        for row in story.rows:
            if row.type == "produced" and row.role == "subject" and not row.corrected_by:
                if row.event_id not in repeated and generated_by is None:
                    generated_by = row
                    self.doc.wasGeneratedBy(me, EVENT[row.event_id], row.occurred_at)
            elif row.type == "repurposed" and row.role == "subject" and not row.corrected_by:
                self.second_life(me, row)
        if life.derived_from is not None:  # this battery is a second-life product
            mark = life.derived_from
            original = self.battery(mark.other)
            self.doc.wasGeneratedBy(me, EVENT[mark.event_id], self.times.get(mark.event_id) or _when(mark.at))
            self.doc.wasDerivedFrom(me, original, EVENT[mark.event_id], other_attributes={PROV_TYPE: BT["secondLife"]})
        if life.part_of is not None:  # this battery went into a pack (or a module)
            mark = life.part_of
            parent = self.battery(mark.other)
            self.doc.wasGeneratedBy(parent, EVENT[mark.event_id], self.times.get(mark.event_id) or _when(mark.at))
            self.doc.wasDerivedFrom(parent, me, EVENT[mark.event_id], other_attributes={PROV_TYPE: BT["assembly"]})
        self.parts(me, generated_by)
        if life.recycled is not None:
            mark = life.recycled
            self.doc.wasInvalidatedBy(me, EVENT[mark.event_id], self.times.get(mark.event_id) or _when(mark.at))
        return self.doc

    # --- entities -------------------------------------------------------------------------------

    def battery(self, code: str, *, status: str | None = None, attrs: dict[str, Any] | None = None) -> QualifiedName:
        """Declare a battery (a pack, module, cell or second-life product) once; its id."""
        ident = BATTERY[code]
        if ident in self.declared:
            return ident
        self.declared.add(ident)
        values: dict[Any, Any] = {PROV_TYPE: BT["Battery"], BT["code"]: code}
        level = _level(code)
        if level is not None:
            values[BT["level"]] = level
        if status is not None:
            values[BT["status"]] = status
        for name in ("chemistry", "mass_kg", "capacity_kwh"):
            if attrs and attrs.get(name) is not None:
                values[BT[name]] = attrs[name]
        self.doc.entity(ident, values)
        return ident

    def second_life(self, me: QualifiedName, row: TimelineRow) -> None:
        new_code = row.payload.get("new_code")
        if not new_code:
            return
        product = self.battery(str(new_code))
        self.doc.wasGeneratedBy(product, EVENT[row.event_id], row.occurred_at)
        self.doc.wasDerivedFrom(product, me, EVENT[row.event_id], other_attributes={PROV_TYPE: BT["secondLife"]})

    def parts(self, me: QualifiedName, generated_by: TimelineRow | None) -> None:
        """Modules from their cells, the pack from its modules; the assembly named when the
        battery's own production event lists the part."""
        listed = set(generated_by.payload.get("components", [])) if generated_by is not None else set()
        for part in self.components:
            entity = self.battery(part.code, status=part.status)
            parent = self.battery(part.parent)
            activity = EVENT[generated_by.event_id] if generated_by is not None and part.code in listed else None
            if parent != me:
                activity = None
            self.doc.wasDerivedFrom(parent, entity, activity, other_attributes={PROV_TYPE: BT["assembly"]})

    # --- activities and agents ------------------------------------------------------------------

    def event(self, row: TimelineRow) -> None:
        """An event as an instantaneous activity, with who reported it and whom it names."""
        ident = EVENT[row.event_id]
        first = ident not in self.declared
        if first:
            self.declared.add(ident)
            self.doc.activity(ident, row.occurred_at, row.occurred_at, self.event_attributes(row))
        if row.role == "correction":
            self.correction(row)
        elif row.role != "new":  # a second-life product is generated by the event, not used by it
            self.doc.used(ident, BATTERY[self.story.code], row.occurred_at, other_attributes=_role(row.role))
        if not first:
            return
        if row.reporter.uscc:
            self.doc.wasAssociatedWith(ident, self.company(row.reporter.uscc), other_attributes=_role("reporter"))
        for key, role in _COUNTERPARTIES.items():
            if row.payload.get(key):
                self.doc.wasAssociatedWith(ident, self.company(str(row.payload[key])), other_attributes=_role(role))
        if row.payload.get("station"):
            station = self.station(str(row.payload["station"]), row.station_operator)
            self.doc.wasAssociatedWith(ident, station, other_attributes=_role("station"))

    def event_attributes(self, row: TimelineRow) -> list[tuple[Any, Any]]:
        values: list[tuple[Any, Any]] = [
            (PROV_TYPE, BT[row.type]),
            (BT["eventId"], row.event_id),
            (BT["recordedAt"], row.recorded_at),
            (BT["imported"], row.imported),
            (BT["corrected"], bool(row.corrected_by)),
        ]
        values.extend((BT["correctedBy"], EVENT[c]) for c in row.corrected_by)
        for key, value in row.payload.items():
            if key in _RELATED or value is None:
                continue
            if isinstance(value, list):
                values.extend((BT[key], v) for v in value)
            else:
                values.append((BT[key], json.dumps(value, sort_keys=True) if isinstance(value, dict) else value))
        return values

    def correction(self, row: TimelineRow) -> None:
        """A correction is informed by the event it voids; the events it names instead by it."""
        ident = EVENT[row.event_id]
        corrects = row.payload.get("corrects")
        if corrects:
            self.doc.wasInformedBy(ident, EVENT[str(corrects)])
        for other in row.payload.get("corrective_event_ids", []):
            if EVENT[str(other)] in self.declared or str(other) in self.times:
                self.doc.wasInformedBy(EVENT[str(other)], ident)

    def company(self, uscc: str) -> QualifiedName:
        ident = COMPANY[uscc]
        if ident in self.declared:
            return ident
        self.declared.add(ident)
        values: list[tuple[Any, Any]] = [(PROV_TYPE, PROV["Organization"]), (BT["uscc"], uscc)]
        known = self.companies.get(uscc)
        if known is not None and known.name:
            values.append((BT["name"], known.name))
        if known is not None:
            values.extend((BT["role"], r) for r in known.roles or [])
        self.doc.agent(ident, values)
        return ident

    def station(self, station_id: str, operator: str | None) -> QualifiedName:
        ident = STATION[station_id]
        if ident in self.declared:
            return ident
        self.declared.add(ident)
        self.doc.agent(ident, {PROV_TYPE: BT["SwapStation"], BT["stationId"]: station_id})
        if operator:
            self.doc.actedOnBehalfOf(ident, self.company(operator))
        return ident


def _role(name: str) -> dict[Any, Any]:
    return {PROV_ROLE: BT[name]}


def _level(code: str) -> str | None:
    try:
        return str(parse_battery_code(code).level)
    except IdentifierError:
        return None


def _when(at: str | None) -> datetime | None:
    return datetime.fromisoformat(at) if at else None
