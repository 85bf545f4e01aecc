"""Claims checked at capture, inside the write transaction (the table: ``app.lifecycle.claims``).

Refusals come first and stop the batch (nothing is written); warnings are worked out after the
write from the replay that rebuilds the projection, so they judge the event against the whole
stored history, including events that arrived before it though they happened after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from neo4j import ManagedTransaction

from app.errors import ClaimRefused, Conflict, FieldProblem
from app.lifecycle import BatteryLifecycle, roles_in
from app.lifecycle.claims import ClaimWarning, history_warnings, registry_warnings
from app.repositories import ingest as repo
from app.repositories.ingest import KnownReferences
from app.services import registry


@dataclass(frozen=True)
class Actor:
    """Who sends a batch: an API key's holder, or the operator at the command line."""

    name: str
    admin: bool
    key_id: str | None = None


#: Loaders and the command line: the operator of the store, who may void any event (with a note).
OPERATOR = Actor("operator (command line)", admin=True)


@dataclass
class ClaimsOutcome:
    """What the checks found that the answer and the audit trail must say."""

    foreign_voids: list[str]  # "event E of company C" voided by an admin


def _named(name: str | None, uscc: str) -> str:
    return f"{name} ({uscc})" if name else uscc


def _company(known: KnownReferences, uscc: str) -> str:
    found = known.companies.get(uscc)
    return _named(found.name if found is not None else None, uscc)


def check_claims(
    tx: ManagedTransaction, events: Sequence[tuple[int, Mapping[str, Any]]], known: KnownReferences, actor: Actor
) -> ClaimsOutcome:
    """Refuse what a reporter may not claim (403), and a second production of a code (409)."""
    problems: list[FieldProblem] = []
    outcome = ClaimsOutcome([])
    for index, p in events:
        eid = str(p["event_id"])
        if p["type"] == "correction":
            target = known.events.get(p["corrects"])
            if target is None or target.reporter is None or target.reporter == p["reporter"]:
                continue  # in this batch (the same reporter is checked below) or its own
            owner = _named(target.reporter_name, target.reporter)
            if not actor.admin:
                problems.append(
                    FieldProblem(
                        "corrects",
                        f"event {p['corrects']} was reported by {owner}; a company may void only its own events",
                        index,
                        eid,
                    )
                )
            elif not str(p.get("note") or "").strip():
                problems.append(
                    FieldProblem("note", f"an admin voiding event {p['corrects']} of {owner} must say why", index, eid)
                )
            else:
                outcome.foreign_voids.append(f"event {p['corrects']} of {target.reporter}")
        elif p["type"] == "produced":
            problem = _maker_problem(known, p)
            if problem is not None:
                problems.append(FieldProblem("reporter", problem, index, eid))
    problems.extend(_unlinked_measurements(tx, events, known))
    problems.extend(_in_batch_foreign_voids(events, actor))
    if problems:
        raise ClaimRefused(problems)
    _refuse_second_production(tx, events)
    return outcome


def _maker_problem(known: KnownReferences, p: Mapping[str, Any]) -> str | None:
    code = str(p["battery"])
    reporter = known.companies.get(p["reporter"])
    if reporter is not None and (reporter.maker_code == code[:3] or code[:3] in reporter.imports_for):
        return None
    holders = [_company(known, u) for u, c in known.companies.items() if c.maker_code == code[:3]]
    held = f"; it is registered to {', '.join(holders)}" if holders else ""
    return (
        f"only the company registered with maker code {code[:3]} (positions 1-3 of {code}) may report its "
        f"production, or an importer declared for it{held}"
    )


def _links_in_batch(events: Sequence[tuple[int, Mapping[str, Any]]]) -> set[tuple[str, str]]:
    """(battery, company) pairs the batch's own events link: reporter, sender or addressee."""
    found: set[tuple[str, str]] = set()
    for _, p in events:
        if p["type"] in ("correction", "health_measured"):
            continue
        companies = [str(p[k]) for k in ("reporter", "to", "from") if k in p]
        for code, _role in roles_in(p):
            found.update((code, u) for u in companies)
    return found


def _unlinked_measurements(
    tx: ManagedTransaction, events: Sequence[tuple[int, Mapping[str, Any]]], known: KnownReferences
) -> list[FieldProblem]:
    """A health measurement from a company the record does not link to the battery: who never made,
    held, fitted, repaired, swapped or received it has not measured it either."""
    measured = [(i, p) for i, p in events if p["type"] == "health_measured"]
    if not measured:
        return []
    in_batch = _links_in_batch(events)
    open_pairs: list[tuple[str, str]] = []
    for _, p in measured:
        code, reporter = str(p["battery"]), str(p["reporter"])
        company = known.companies.get(reporter)
        maker = company is not None and (company.maker_code == code[:3] or code[:3] in company.imports_for)
        if not maker and (code, reporter) not in in_batch:
            open_pairs.append((code, reporter))
    linked = repo.linked_pairs(tx, sorted(set(open_pairs)))
    return [
        FieldProblem(
            "reporter",
            f"{_company(known, str(p['reporter']))} is not linked to battery {p['battery']} by the record (not its "
            "maker, and no event about it reported by or naming the company); only a company that has had the "
            "battery may report its health",
            i,
            str(p["event_id"]),
        )
        for i, p in measured
        if (str(p["battery"]), str(p["reporter"])) in open_pairs
        and (str(p["battery"]), str(p["reporter"])) not in linked
    ]


def _in_batch_foreign_voids(events: Sequence[tuple[int, Mapping[str, Any]]], actor: Actor) -> list[FieldProblem]:
    """A correction of an event sent in the same batch by another company."""
    if actor.admin:
        return []
    reporters = {p["event_id"]: p["reporter"] for _, p in events}
    return [
        FieldProblem(
            "corrects",
            f"event {p['corrects']} was reported by {reporters[p['corrects']]}; a company may void only its own events",
            index,
            str(p["event_id"]),
        )
        for index, p in events
        if p["type"] == "correction" and reporters.get(p["corrects"], p["reporter"]) != p["reporter"]
    ]


def _refuse_second_production(tx: ManagedTransaction, events: Sequence[tuple[int, Mapping[str, Any]]]) -> None:
    produced = [(i, p) for i, p in events if p["type"] == "produced"]
    if not produced:
        return
    voided = {p["corrects"] for _, p in events if p["type"] == "correction"}
    batch_ids = {p["event_id"] for _, p in events}
    first: dict[str, str] = {}
    for row in repo.stored_productions(tx, sorted({p["battery"] for _, p in produced})):
        # An id of this batch already stored was committed by a racing writer after our duplicate
        # check: not a second production; the constraint refuses our copy and the retry answers duplicate.
        if not row.voided and row.event_id not in voided and row.event_id not in batch_ids:
            first.setdefault(row.code, f"event {row.event_id} reported by {row.reporter} at {row.occurred_at}")
    clashes: list[str] = []
    ids: list[str] = []
    for index, p in produced:
        code, eid = p["battery"], str(p["event_id"])
        if eid in voided:
            continue
        if code in first:
            clashes.append(f"events[{index}] ({eid}): battery {code} was already produced: {first[code]}")
            ids.append(eid)
        else:
            first[code] = f"event {eid} (events[{index}] of this batch)"
    if clashes:
        raise Conflict(
            "a battery is produced once; void the first production (a correction by its reporter) before "
            "reporting another; nothing was stored. " + "; ".join(clashes),
            ids,
        )


def _registry_then(
    tx: ManagedTransaction, events: Iterable[tuple[int, Mapping[str, Any]]], known: KnownReferences
) -> tuple[dict[tuple[str, datetime], tuple[str, ...]], dict[tuple[str, datetime], str | None]]:
    """(reporter, occurred_at) -> roles and (station, occurred_at) -> operator, for changed records."""
    companies: list[tuple[str, datetime]] = []
    stations: list[tuple[str, datetime]] = []
    for _, p in events:
        at = datetime.fromisoformat(str(p["occurred_at"]))
        company = known.companies.get(p["reporter"])
        if company is not None and company.versioned:
            companies.append((str(p["reporter"]), at))
        if p["type"] == "swapped" and p["station"] in known.versioned_stations:
            stations.append((str(p["station"]), at))
    roles = {
        key: tuple(found.roles or ())
        for key, found in (registry.companies_at(tx, companies) if companies else {}).items()
    }
    operators = {
        key: found.operator for key, found in (registry.station_operators_at(tx, stations) if stations else {}).items()
    }
    return roles, operators


def capture_warnings(
    tx: ManagedTransaction,
    fresh: Iterable[tuple[int, Mapping[str, Any]]],
    known: KnownReferences,
    lives: Iterable[BatteryLifecycle],
) -> list[tuple[int, ClaimWarning]]:
    """Every warning about an event of this batch, with the event's index in the batch.

    Roles and station operators are those the registry held when the event occurred; the
    look-up runs only for records that were ever changed (most never are)."""
    batch = {str(p["event_id"]): (i, p) for i, p in fresh}
    found = [w for w in history_warnings(lives) if w.event_id in batch]
    roles_then, operators_then = _registry_then(tx, batch.values(), known)
    for eid, (_, p) in batch.items():
        at = datetime.fromisoformat(str(p["occurred_at"]))
        company = known.companies.get(p["reporter"])
        roles = roles_then.get((p["reporter"], at), company.roles if company is not None else ())
        station = str(p["station"]) if p["type"] == "swapped" else None
        operator = operators_then.get((station, at), known.stations.get(station)) if station else None
        found.extend(registry_warnings(eid, str(p["type"]), str(p["reporter"]), roles, station, operator))
    seen: set[tuple[str, str | None, str]] = set()
    out: list[tuple[int, ClaimWarning]] = []
    for w in found:
        key = (w.event_id, w.battery, w.code)
        if key not in seen:
            seen.add(key)
            out.append((batch[w.event_id][0], w))
    return sorted(out, key=lambda pair: (pair[0], pair[1].code))
