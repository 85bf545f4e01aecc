"""Keeping the stored findings current as events arrive: the rules run for what the new events touched.

The cursor is the event log: every event the ingest path stores gets the next log position in its
own transaction, under the log's lock, so positions follow commit order and the feed's ``log_seen``
(the log size the last sweep or maintenance covered) says exactly which events are new. A
maintenance reads the events at positions ``[log_seen, log size)``, closes the set of batteries they
can change (``findings/touched.cypher``), runs every rule for that ``Scope`` only, and opens,
reopens, updates and resolves the stored findings of that scope alone, through the same
``apply_found`` as a sweep and under the same feed lock, so the feed's order is the sweeps'.

What one event can change, rule by rule (the closure ``touched.cypher`` takes):

- battery_missing_at_scrap: the findings of the last pack in a scrapped vehicle, or of the vehicle
  when none was ever in it; an event naming a vehicle (scrapping, installation, removal) changes
  them, so every pack ever in a named vehicle, or in a vehicle a touched battery was in, is in
  scope once that vehicle is scrapped (before, no such finding exists), and the named vehicles are
  (for the vehicle-level findings).
- silent_battery: a pack still in a vehicle exported after its last event is excused: the packs
  of an exported vehicle are in scope too.
- pre_scrap_separation, unlisted_handover: a pack's removal and the vehicle's scrapping, and the
  pack's handovers: the pack's own events and its vehicles' (the same closure over vehicles).
- dark_after_removal, lost_in_transit, unexplained_source, post_recycling_event,
  implausible_recovery, prohibited_use, unfit_second_life, unregistered_battery: events about the
  battery itself (a receipt matches a shipment of the same battery; a code produced twice, or
  listed under two parents, is one Battery node, and a parent's production is ABOUT its components).
- double_presence: the battery's own events, and a vehicle's other installations (closure over vehicles).
- implausible_recovery, silent_battery, second_life_lineage: a second-life product borrows its
  original's mass and chemistry, and an original its product's existence: DERIVED_FROM neighbours.
- late_report: the event itself (its battery, else its vehicle).
- recycler_mass_balance (company level): the recyclers that recycled or received a battery in scope.
- A correction changes what the event it corrects changed: the corrected events' batteries and
  vehicles are closed over too.

Changes that are no event (registry roles, licences, maker codes) and the passing of time (a
deadline that passed with nothing reported) are the full sweep's, on ``findings_time_sweep_s``,
as is any event stored without a log position (the store's event count then differs from what
the sweeps and maintenances counted).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from neo4j import ManagedTransaction

from app.db import Database
from app.repositories import findings as repo
from app.schemas.leakage import Finding
from app.services import leakage
from app.services.findings.sweep import apply_found, finding_id, last_seen

#: Log positions one maintenance covers at most; the rest waits for the next one.
BATCH = 20_000


@dataclass(frozen=True)
class MaintenanceReport:
    """What one maintenance covered and changed."""

    events: int
    touched: frozenset[str]  # the batteries in scope
    found: int
    opened: int
    reopened: int
    resolved: int
    updated: int
    seconds: float
    applied: bool


@dataclass(frozen=True)
class Subjects:
    """A scope with the recyclers recycler_mass_balance is run for."""

    scope: leakage.Scope
    recyclers: frozenset[str]

    def holds(self, rule: str, battery: str | None, company: str | None, vehicle: object) -> bool:
        """Whether a finding with this subject is one the scoped run decides."""
        if rule == "recycler_mass_balance":
            return company in self.recyclers
        if battery is None:
            return rule in leakage.VEHICLE_LEVEL and vehicle in self.scope.vehicles
        return battery in self.scope.batteries


def _vehicle(details: str | None) -> object:
    return json.loads(details).get("vehicle") if details else None


def maintain(
    db: Database, calendar: leakage.WorkdayCalendar, *, as_of: datetime | None = None, workers: int = 1
) -> MaintenanceReport | None:
    """Bring up to date the findings the events logged since the last sweep or maintenance can change.

    None when nothing new is logged or no sweep has run yet (the first is a full sweep).
    """
    began = time.perf_counter()
    state = repo.feed_state(db)
    if state.log_seen is None or state.log_size <= state.log_seen:
        return None
    start, end = state.log_seen, min(state.log_size, state.log_seen + BATCH)
    touched = repo.touched(db, start, end)
    subjects = Subjects(
        leakage.Scope(frozenset(touched.batteries), frozenset(touched.vehicles)), frozenset(touched.recyclers)
    )
    moment = as_of or datetime.now(UTC)
    found: dict[str, Finding] = {}
    if touched.batteries or touched.vehicles:
        every = leakage.run_all(db, calendar, {"as_of": moment}, workers=workers, scope=subjects.scope)
        found = {finding_id(f): f for findings in every.values() for f in findings}
    at = datetime.now(UTC)

    def work(tx: ManagedTransaction) -> dict[str, int] | None:
        feed = repo.lock_feed(tx, at)
        if feed["log_seen"] != start:
            return None  # another process (or a sweep) covered these events meanwhile
        kept = {
            k.id: k
            for k in repo.known_in_scope(tx, sorted(subjects.scope.batteries), list(found))
            if k.resolved or subjects.holds(k.rule, k.battery, k.company, _vehicle(k.details))
        }
        counts = apply_found(tx, found, kept, at, last_seen(feed), tallied=feed["tallied_at"] is not None)
        repo.record_maintenance(tx, at, end, touched.events)
        return counts

    counts = db.write_unit("findings.maintain", work)
    return MaintenanceReport(
        events=touched.events,
        touched=subjects.scope.batteries,
        found=len(found),
        opened=(counts or {}).get("opened", 0),
        reopened=(counts or {}).get("reopened", 0),
        resolved=(counts or {}).get("resolved", 0),
        updated=(counts or {}).get("updated", 0),
        seconds=round(time.perf_counter() - began, 3),
        applied=counts is not None,
    )
