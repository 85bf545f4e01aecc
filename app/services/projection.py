"""Lifecycle projection: from one battery's effective events to its custody and installation.

The event log is the truth; the projection is recomputed from a battery's whole (uncorrected)
history whenever any of its events arrives or is voided. Recomputing instead of patching is what
makes late and out-of-order events, and corrections, give the same answer as a perfect feed.
Pure functions, no database: easy to test by hand.

Times travel as a pair: ``t`` (epoch milliseconds, for ordering across UTC offsets) and
``occurred_at`` (the RFC 3339 text with the reporter's offset, written back as-is and turned
into a DateTime by Cypher). Building Python datetimes for every row cost more than the
database work itself in bulk loads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Bumped whenever the replay derives something new that queries rely on; a store built by an
#: older revision is rebuilt with ``python -m loaders reproject`` (rules that need the new state
#: refuse to run on it until then). 2: leakage candidates (suspect receipts and closings);
#: 3: the longest transit (shipment to receipt) in days, and codes produced more than once.
PROJECTION_REVISION = 3

#: ``longest_transit_days`` of a battery with a shipment that no receipt answers.
NO_RECEIPT_DAYS = 1_000_000

# Within one instant, apply events in lifecycle order (a pack is produced before it is shipped).
_LIFECYCLE_RANK = {
    "produced": 0,
    "shipped": 1,
    "received": 2,
    "installed": 3,
    "swapped": 3,
    "removed": 4,
    "repaired": 5,
    "repurposed": 6,
    "recycled": 7,
}


@dataclass
class Interval:
    code: str
    target: str  # VIN or USCC
    since: str
    since_event: str
    until: str | None = None
    until_event: str | None = None
    since_t: int = 0
    until_t: int | None = None

    def covers(self, t: int) -> bool:
        """Could the interval include instant ``t``? Millisecond times err on the side of yes."""
        return self.since_t <= t and (self.until_t is None or self.until_t >= t)

    def row(self, key: str) -> dict[str, Any]:
        return {
            "code": self.code,
            key: self.target,
            "since": self.since,
            "since_event": self.since_event,
            "until": self.until,
            "until_event": self.until_event,
        }


@dataclass
class Projection:
    code: str
    status: str = "unknown"
    status_since: str | None = None
    produced: bool = False
    attrs: dict[str, Any] = field(default_factory=dict)
    installed: list[Interval] = field(default_factory=list)
    held: list[Interval] = field(default_factory=list)
    swaps: list[dict[str, Any]] = field(default_factory=list)
    recycled: dict[str, Any] | None = None
    part_of: dict[str, Any] | None = None
    derived_from: dict[str, Any] | None = None
    last_event_at: str | None = None
    last_t: int = -(2**62)
    event_count: int = 0
    # Candidates for two leakage rules, found here because the replay already has the battery's
    # whole history in hand; the rules re-check each candidate in Cypher, so these lists only
    # have to hold every true case (a few extra are harmless), and the rules read a few
    # thousand candidates instead of every receipt and every installation event in the store.
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

    def battery_row(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "status": self.status,
            "status_since": self.status_since,
            "produced": self.produced,
            "current_vin": self.current_vin,
            "current_holder": self.current_holder,
            "last_event_at": self.last_event_at,
            "event_count": self.event_count,
            "chemistry": self.attrs.get("chemistry"),
            "mass_kg": self.attrs.get("mass_kg"),
            "capacity_kwh": self.attrs.get("capacity_kwh"),
            "produced_at": self.attrs.get("produced_at"),
            "producer": self.attrs.get("producer"),
            "suspect_receipts": self.suspect_receipts or None,
            "suspect_closings": self.suspect_closings or None,
            "longest_transit_days": self.longest_transit_days,
            "produced_repeatedly": self.produced_repeatedly or None,
        }


# Events that place the pack somewhere: closing an installation with one that names another
# vehicle puts the pack in two vehicles at once (the double_presence rule).
_PLACING = frozenset({"installed", "swapped", "removed"})


def _sort_key(ev: dict[str, Any]) -> tuple[int, int, str]:
    return (ev["t"], _LIFECYCLE_RANK.get(ev["type"], 9), ev["event_id"])


def project_battery(code: str, events: list[dict[str, Any]]) -> Projection:
    """Replay ``events`` (rows of ``projection.battery_events``, any order) for one battery."""
    proj = Projection(code)
    open_vehicle: Interval | None = None
    open_holder: Interval | None = None

    def close_vehicle(ev: dict[str, Any]) -> None:
        nonlocal open_vehicle
        if open_vehicle is not None:
            open_vehicle.until, open_vehicle.until_event = ev["occurred_at"], ev["event_id"]
            open_vehicle.until_t = ev["t"]
            if ev["type"] in _PLACING and ev.get("vehicle") is not None and ev["vehicle"] != open_vehicle.target:
                proj.suspect_closings.append(ev["event_id"])
            open_vehicle = None

    def close_holder(at: str, event_id: str) -> None:
        nonlocal open_holder
        if open_holder is not None:
            open_holder.until, open_holder.until_event = at, event_id
            open_holder = None

    def hold(uscc: str, at: str, event_id: str) -> None:
        nonlocal open_holder
        if open_holder is not None and open_holder.target == uscc:
            return
        close_holder(at, event_id)
        open_holder = Interval(code, uscc, at, event_id)
        proj.held.append(open_holder)

    def install(ev: dict[str, Any]) -> None:
        nonlocal open_vehicle
        close_holder(ev["occurred_at"], ev["event_id"])
        close_vehicle(ev)
        open_vehicle = Interval(code, ev["vehicle"], ev["occurred_at"], ev["event_id"], since_t=ev["t"])
        proj.installed.append(open_vehicle)

    def set_status(status: str, at: str) -> None:
        proj.status, proj.status_since = status, at

    for ev in sorted(events, key=_sort_key):
        kind, role, at, eid = ev["type"], ev["role"], ev["occurred_at"], ev["event_id"]
        proj.event_count += 1
        if ev["t"] >= proj.last_t:
            proj.last_t, proj.last_event_at = ev["t"], at
        if role == "component":
            proj.part_of = {"code": code, "parent": ev["battery"], "at": at, "event_id": eid}
            set_status("assembled", at)
        elif role == "new":
            proj.derived_from = {"code": code, "original": ev["battery"], "at": at, "event_id": eid}
            hold(ev["reporter"], at, eid)
            set_status("in_stock", at)
        elif kind == "produced":
            proj.produced = True
            proj.attrs = {
                "chemistry": ev.get("chemistry"),
                "mass_kg": ev.get("mass_kg"),
                "capacity_kwh": ev.get("capacity_kwh"),
                "produced_at": at,
                "producer": ev["reporter"],
            }
            hold(ev["reporter"], at, eid)
            set_status("in_stock", at)
        elif kind == "shipped":
            close_holder(at, eid)
            set_status("in_transit", at)
        elif kind == "received":
            hold(ev["reporter"], at, eid)
            set_status("in_stock", at)
        elif kind == "installed":
            install(ev)
            set_status("installed", at)
        elif kind == "swapped" and role == "in":
            install(ev)
            proj.swaps.append(_swap(code, ev, "in"))
            set_status("installed", at)
        elif kind == "swapped":
            close_vehicle(ev)
            hold(ev["reporter"], at, eid)
            proj.swaps.append(_swap(code, ev, "out"))
            set_status("in_swap_pool", at)
        elif kind == "removed":
            close_vehicle(ev)
            hold(ev["reporter"], at, eid)
            set_status("removed", at)
        elif kind == "repaired":
            if proj.status != "installed":
                hold(ev["reporter"], at, eid)
        elif kind == "repurposed":
            close_vehicle(ev)
            hold(ev["reporter"], at, eid)
            set_status("repurposed", at)
        elif kind == "recycled":
            close_vehicle(ev)
            close_holder(at, eid)
            proj.recycled = {"code": code, "uscc": ev["reporter"], "at": at, "event_id": eid}
            set_status("recycled", at)
    proj.suspect_receipts = _suspect_receipts(events, proj.installed)
    proj.longest_transit_days = _longest_transit_days(events)
    proj.produced_repeatedly = _produced_repeatedly(events)
    return proj


def _produced_repeatedly(events: list[dict[str, Any]]) -> bool:
    """Two production reports of this code, or the code listed as a component of two different
    batteries (the double_presence rule's first two kinds)."""
    produced = [ev for ev in events if ev["type"] == "produced"]
    own = sum(1 for ev in produced if ev["role"] == "subject")
    parents = {ev["battery"] for ev in produced if ev["role"] == "component"}
    return own > 1 or len(parents) > 1


def _cst_day(t: int) -> int:
    """The China Standard Time calendar day of epoch milliseconds ``t``, numbered as the rules number it."""
    return (t // 1000 + 28800) // 86400


def _longest_transit_days(events: list[dict[str, Any]]) -> int | None:
    """Over the battery's shipments: calendar days (CST) from each to the first receipt by its
    addressee naming its sender, the longest of them (``NO_RECEIPT_DAYS`` if one has none).

    Working days never outrun calendar days, so a shipment answered within ``limit_wd - 1``
    calendar days is answered within ``limit_wd`` working days, and lost_in_transit only has to
    look at batteries with ``longest_transit_days >= limit_wd``. A receipt in the shipment's own
    millisecond is not counted as an answer here (the rule decides)."""
    own = [ev for ev in events if ev["role"] == "subject"]
    receipts = [(ev["reporter"], ev.get("from_company"), ev["t"]) for ev in own if ev["type"] == "received"]
    longest: int | None = None
    for ev in own:
        if ev["type"] != "shipped":
            continue
        answers = [
            t for by, sender, t in receipts if by == ev.get("to_company") and sender == ev["reporter"] and t > ev["t"]
        ]
        days = _cst_day(min(answers)) - _cst_day(ev["t"]) if answers else NO_RECEIPT_DAYS
        longest = days if longest is None else max(longest, days)
    return longest


def _suspect_receipts(events: list[dict[str, Any]], installed: list[Interval]) -> list[str]:
    """Receipts that no earlier shipment by the named sender to the receiver explains, or that
    fall inside an installation (the unexplained_source rule, at millisecond resolution: a
    shipment in the receipt's own millisecond does not clear it, so the rule decides)."""
    own = [ev for ev in events if ev["role"] == "subject"]
    shipped = [(ev["reporter"], ev.get("to_company"), ev["t"]) for ev in own if ev["type"] == "shipped"]
    suspects = []
    for ev in own:
        if ev["type"] != "received":
            continue
        sender, receiver, t = ev.get("from_company"), ev["reporter"], ev["t"]
        explained = any(s == sender and to == receiver and st < t for s, to, st in shipped)
        if not explained or any(i.covers(t) for i in installed):
            suspects.append(ev["event_id"])
    return suspects


def _swap(code: str, ev: dict[str, Any], direction: str) -> dict[str, Any]:
    return {
        "code": code,
        "station": ev["station"],
        "at": ev["occurred_at"],
        "event_id": ev["event_id"],
        "direction": direction,
        "vin": ev["vehicle"],
    }


@dataclass
class ProjectionRows:
    """Everything the write queries need for a set of batteries, grouped by relationship type."""

    batteries: list[dict[str, Any]] = field(default_factory=list)
    installed: list[dict[str, Any]] = field(default_factory=list)
    held: list[dict[str, Any]] = field(default_factory=list)
    swaps: list[dict[str, Any]] = field(default_factory=list)
    recycled: list[dict[str, Any]] = field(default_factory=list)
    part_of: list[dict[str, Any]] = field(default_factory=list)
    derived_from: list[dict[str, Any]] = field(default_factory=list)

    def add(self, proj: Projection) -> None:
        self.batteries.append(proj.battery_row())
        self.installed.extend(i.row("vin") for i in proj.installed)
        self.held.extend(i.row("uscc") for i in proj.held)
        self.swaps.extend(proj.swaps)
        if proj.recycled:
            self.recycled.append(proj.recycled)
        if proj.part_of:
            self.part_of.append(proj.part_of)
        if proj.derived_from:
            self.derived_from.append(proj.derived_from)


def project_all(codes: list[str], rows: list[dict[str, Any]]) -> ProjectionRows:
    by_code: dict[str, list[dict[str, Any]]] = {c: [] for c in codes}
    for row in rows:
        by_code.setdefault(row["code"], []).append(row)
    out = ProjectionRows()
    for code in codes:
        out.add(project_battery(code, by_code[code]))
    return out
