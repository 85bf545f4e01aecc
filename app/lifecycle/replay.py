"""The one replay: from one battery's effective events to its status, custody, installations,
whereabouts and the contradictions in its history.

The event log is the truth; this is recomputed from a battery's whole (uncorrected) history
whenever one of its events arrives or is voided. Recomputing instead of patching is what makes
late and out-of-order events, and corrections, give the same answer as a perfect feed. Every
reader takes its answer from here: ingestion writes it to the store (status, relationships,
leakage candidates), the trace shows its segments, and the UI draws them. Pure, no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from app.lifecycle import candidates, custody, health
from app.lifecycle.health import HealthReading
from app.lifecycle.rows import EventRow

# Within one instant, apply events in lifecycle order (a pack is produced before it is shipped).
LIFECYCLE_RANK = {
    "produced": 0,
    "shipped": 1,
    "received": 2,
    "installed": 3,
    "swapped": 3,
    "removed": 4,
    "repaired": 5,
    "health_measured": 5,
    "repurposed": 6,
    "recycled": 7,
}

# Events that place the pack somewhere: closing an installation with one that names another
# vehicle puts the pack in two vehicles at once (the double_presence rule).
_PLACING = frozenset({"installed", "swapped", "removed"})

SegmentKind = Literal["holder", "vehicle", "transit", "pack"]


@dataclass(slots=True)
class Interval:
    """A stay with one company (custody) or in one vehicle (installation)."""

    code: str
    target: str  # VIN or USCC
    since: str
    since_event: str
    until: str | None = None
    until_event: str | None = None
    since_t: int = 0
    until_t: int | None = None
    # Custody only, decided once the history is walked (``app.lifecycle.custody``): how the stay
    # ended, the company it went to, and whether that company never confirmed the receipt.
    outcome: str | None = None
    next: str | None = None
    unconfirmed: bool = False


@dataclass(slots=True)
class Segment:
    """Where the battery was between two events: with a company, in a vehicle, on its way to a
    company (``ref`` the addressee), or inside a pack (``ref`` the pack's code). Consecutive
    segments partition the battery's life from its first placing event on."""

    kind: SegmentKind
    ref: str | None
    since: str
    opened_by: str
    until: str | None = None
    closed_by: str | None = None


ContradictionKind = Literal[
    "before_production",
    "after_recycling",
    "produced_repeatedly",
    "two_vehicles",
    "unexplained_receipt",
    "not_holder",
    "capacity_above_rated",
    "cycle_count_decreased",
]
# Acts that only the battery's holder can perform (a shipment, an installation, a hand-over to
# second life, recycling): anyone else reporting them did not hold it, by the record.
_HOLDER_ACTS = frozenset({"shipped", "installed", "repurposed", "recycled"})


@dataclass(slots=True)
class Contradiction:
    """Something in the history that no true history contains (``unexplained_receipt`` at
    millisecond resolution: see ``app.lifecycle.candidates``); ``other`` is the fact it clashes
    with: the vehicle still holding the pack, the holder, the production or recycling time."""

    kind: ContradictionKind
    event_id: str
    other: str | None = None


@dataclass(slots=True)
class Swap:
    code: str
    station: str | None
    at: str
    event_id: str
    direction: str
    vin: str | None
    # The battery's previous swap, when it was at another station: a move between stations
    # (``came_as`` 'in' and this one 'out': carried there in a vehicle; 'out' then 'in': moved
    # between the operator's pools). Decided with the replay, read by the swap network.
    came_from: str | None = None
    came_as: str | None = None


@dataclass(slots=True)
class Mark:
    """A one-off relation: recycled by, part of a pack, derived from an original."""

    code: str
    other: str  # recycler USCC, parent pack code or original code
    at: str
    event_id: str


@dataclass
class BatteryLifecycle:
    code: str
    status: str = "unknown"
    status_since: str | None = None
    produced: bool = False
    attrs: dict[str, Any] = field(default_factory=dict)
    installed: list[Interval] = field(default_factory=list)
    held: list[Interval] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    swaps: list[Swap] = field(default_factory=list)
    recycled: Mark | None = None
    part_of: Mark | None = None
    derived_from: Mark | None = None
    last_event_at: str | None = None
    last_t: int = -(2**62)
    event_count: int = 0
    contradictions: list[Contradiction] = field(default_factory=list)
    # Measurements of its health, oldest first (``app.lifecycle.health``).
    health: list[HealthReading] = field(default_factory=list)
    # The leakage rules' candidates (see app.lifecycle.candidates).
    suspect_receipts: list[str] = field(default_factory=list)
    suspect_closings: list[str] = field(default_factory=list)
    longest_transit_days: int | None = None
    produced_repeatedly: bool = False

    @property
    def current_vin(self) -> str | None:
        return self.installed[-1].target if self.installed and self.installed[-1].until is None else None

    @property
    def current_holder(self) -> str | None:
        return self.held[-1].target if self.held and self.held[-1].until is None else None


class _Replay:
    """The walk over one history; its state is what is open (a stay, an installation, a segment)."""

    def __init__(self, code: str, segments: bool) -> None:
        self.out = BatteryLifecycle(code)
        self.segments = segments
        self.vehicle: Interval | None = None
        self.holder: Interval | None = None
        self.where: Segment | None = None
        self.transit_to: str | None = None

    def place(self, kind: SegmentKind, ref: str | None, ev: EventRow) -> None:
        if not self.segments:
            return
        where = self.where
        if where is not None:
            if where.kind == kind and where.ref == ref:
                return
            where.until, where.closed_by = ev.occurred_at, ev.event_id
        self.where = Segment(kind, ref, ev.occurred_at, ev.event_id)
        self.out.segments.append(self.where)

    def leave(self, ev: EventRow) -> None:
        if self.where is not None:
            self.where.until, self.where.closed_by = ev.occurred_at, ev.event_id
            self.where = None

    def close_vehicle(self, ev: EventRow) -> None:
        if self.vehicle is not None:
            self.vehicle.until, self.vehicle.until_event, self.vehicle.until_t = ev.occurred_at, ev.event_id, ev.t
            if ev.type in _PLACING and ev.vehicle is not None and ev.vehicle != self.vehicle.target:
                self.out.suspect_closings.append(ev.event_id)
                self.out.contradictions.append(Contradiction("two_vehicles", ev.event_id, self.vehicle.target))
            self.vehicle = None

    def close_holder(self, ev: EventRow) -> None:
        if self.holder is not None:
            self.holder.until, self.holder.until_event, self.holder.until_t = ev.occurred_at, ev.event_id, ev.t
            if ev.type == "shipped":
                self.holder.next = ev.to_company  # the addressee, until a receipt says otherwise
            self.holder = None

    def hold(self, ev: EventRow) -> None:
        self.transit_to = None
        self.place("holder", ev.reporter, ev)
        if self.holder is not None and self.holder.target == ev.reporter:
            return
        self.close_holder(ev)
        self.holder = Interval(self.out.code, ev.reporter, ev.occurred_at, ev.event_id, since_t=ev.t)
        self.out.held.append(self.holder)

    def install(self, ev: EventRow) -> None:
        assert ev.vehicle is not None, "installed and swapped-in events name a vehicle"
        self.transit_to = None
        self.place("vehicle", ev.vehicle, ev)
        self.close_holder(ev)
        self.close_vehicle(ev)
        self.vehicle = Interval(self.out.code, ev.vehicle, ev.occurred_at, ev.event_id, since_t=ev.t)
        self.out.installed.append(self.vehicle)

    def status(self, status: str, ev: EventRow) -> None:
        self.out.status, self.out.status_since = status, ev.occurred_at

    def swap(self, ev: EventRow, direction: str) -> None:
        self.out.swaps.append(Swap(self.out.code, ev.station, ev.occurred_at, ev.event_id, direction, ev.vehicle))

    def check_holder(self, ev: EventRow) -> None:
        holder = self.holder.target if self.holder is not None else self.transit_to
        if holder is not None and holder != ev.reporter:
            self.out.contradictions.append(Contradiction("not_holder", ev.event_id, holder))

    def apply(self, ev: EventRow) -> None:
        out, kind, role = self.out, ev.type, ev.role
        if role == "subject" and kind in _HOLDER_ACTS:
            self.check_holder(ev)
        if role == "component":
            out.part_of = Mark(out.code, ev.battery or "", ev.occurred_at, ev.event_id)
            self.place("pack", ev.battery, ev)
            self.status("assembled", ev)
        elif role == "new":
            out.derived_from = Mark(out.code, ev.battery or "", ev.occurred_at, ev.event_id)
            self.hold(ev)
            self.status("in_stock", ev)
        elif kind == "produced":
            out.produced = True
            out.attrs = {
                "chemistry": ev.chemistry,
                "mass_kg": ev.mass_kg,
                "capacity_kwh": ev.capacity_kwh,
                "produced_at": ev.occurred_at,
                "producer": ev.reporter,
            }
            self.hold(ev)
            self.status("in_stock", ev)
        elif kind == "shipped":
            self.place("transit", ev.to_company, ev)
            self.close_holder(ev)
            self.transit_to = ev.to_company
            self.status("in_transit", ev)
        elif kind == "received":
            self.hold(ev)
            self.status("in_stock", ev)
        elif kind == "installed" or (kind == "swapped" and role == "in"):
            self.install(ev)
            if kind == "swapped":
                self.swap(ev, "in")
            self.status("installed", ev)
        elif kind == "swapped":
            self.close_vehicle(ev)
            self.hold(ev)
            self.swap(ev, "out")
            self.status("in_swap_pool", ev)
        elif kind == "removed":
            self.close_vehicle(ev)
            self.hold(ev)
            self.status("removed", ev)
        elif kind == "repaired":
            if out.status != "installed":
                self.hold(ev)
        elif kind == "repurposed":
            self.close_vehicle(ev)
            self.hold(ev)
            self.status("repurposed", ev)
        elif kind == "recycled":
            self.close_vehicle(ev)
            self.close_holder(ev)
            self.leave(ev)
            out.recycled = Mark(out.code, ev.reporter, ev.occurred_at, ev.event_id)
            self.status("recycled", ev)


def replay_battery(code: str, events: Sequence[EventRow], *, segments: bool = True) -> BatteryLifecycle:
    """Replay ``events`` (the battery's effective events, any order) for battery ``code``.

    ``segments=False`` skips recording the whereabouts segments (the same walk decides them;
    the store keeps the custody and installation intervals instead): a third of the replay's
    time in a bulk load."""
    walk = _Replay(code, segments)
    out = walk.out
    rank = LIFECYCLE_RANK.get
    # The one order of a history: event time, lifecycle rank within one instant, event id (then
    # the input position); a decorated sort, so no key function runs per row.
    ordered = [d[4] for d in sorted([(ev.t, rank(ev.type, 9), ev.event_id, i, ev) for i, ev in enumerate(events)])]
    for ev in ordered:
        out.event_count += 1
        if ev.t >= out.last_t:
            out.last_t, out.last_event_at = ev.t, ev.occurred_at
        walk.apply(ev)
    installed = [(i.since_t, i.until_t) for i in out.installed]
    out.suspect_receipts = candidates.suspect_receipts(events, installed)
    out.longest_transit_days = candidates.longest_transit_days(events)
    out.produced_repeatedly = candidates.produced_repeatedly(events)
    out.health = health.readings(ordered)
    out.contradictions.extend(_contradictions(ordered, out))
    custody.decide_outcomes(out.held, out.installed, out.recycled.event_id if out.recycled else None)
    custody.link_swaps(out.swaps)
    return out


def _contradictions(ordered: Sequence[EventRow], out: BatteryLifecycle) -> Iterable[Contradiction]:
    """What the walk's order shows: steps before the pack existed or after it was destroyed, a
    second production, and receipts no shipment explains."""
    own_production = [ev for ev in ordered if ev.type == "produced" and ev.role == "subject"]
    first = own_production[0] if own_production else None
    recycling: EventRow | None = None
    for ev in ordered:
        if first is not None and ev.t < first.t:
            yield Contradiction("before_production", ev.event_id, first.occurred_at)
        if recycling is not None and ev.t > recycling.t:
            yield Contradiction("after_recycling", ev.event_id, recycling.occurred_at)
        if ev.type == "recycled" and recycling is None:
            recycling = ev
    for ev in own_production[1:]:
        yield Contradiction("produced_repeatedly", ev.event_id, own_production[0].event_id)
    for event_id in out.suspect_receipts:
        yield Contradiction("unexplained_receipt", event_id)
    for kind, event_id, other in health.contradictions(out.health, out.attrs.get("capacity_kwh")):
        yield Contradiction(kind, event_id, other)


def replay_all(codes: Sequence[str], rows: Iterable[EventRow], *, segments: bool = True) -> list[BatteryLifecycle]:
    """Replay many batteries at once from rows of any of them, in the order of ``codes``."""
    by_code: dict[str, list[EventRow]] = {c: [] for c in codes}
    for row in rows:
        by_code.setdefault(row.code, []).append(row)
    return [replay_battery(code, by_code[code], segments=segments) for code in codes]
