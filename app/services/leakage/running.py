"""Running the rules: a page, a stream, or every rule at once on threads.

Each query gets exactly the parameters its header declares. A row becomes a ``Finding`` the
moment it leaves the database (``to_finding``), with what only Python knows added: deadlines in
the official Chinese calendar and the calendar that decided them. Queries run only through
``Database.read`` and ``Database.stream``.

A province-limited key (``provinces``) without a ``province=`` of its own gets each of its
provinces' findings, asked one province at a time (each rule filters by province in Cypher) and
merged in the rules' order (since, battery, company): a finding has one province, so nothing
comes twice.

A ``Scope`` runs the rules for some batteries only (the findings keeper's maintenance after an
ingest): each query starts from those batteries and returns exactly the findings whose subject is
one of them (for vehicle-level findings, one of the scope's vehicles; for recycler_mass_balance, a
recycler that recycled or received one of them), which is what the whole-store run returns
filtered to them.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Collection, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any, Protocol

from app.db import Database
from app.queries import get_query
from app.repositories import leakage as repo
from app.repositories.leakage import RuleRow
from app.schemas.leakage import Finding, FindingsPage
from app.services.leakage.catalogue import RULES, Rule, get_rule
from app.services.leakage.params import RuleParams
from app.services.leakage.workdays import WorkdayCalendar, cst_date, table_end
from app.services.store import require_current

# LIMIT for "every finding" (exports, summaries): Neo4j takes a long; the stream is lazy.
ALL = 1 << 62

#: Rules that start from the leakage candidates the projection keeps on each battery.
_READ_PROJECTED_CANDIDATES = frozenset({"unexplained_source", "double_presence", "lost_in_transit"})

#: Rules with findings about a vehicle alone (battery null), which a scope selects by its vehicles.
VEHICLE_LEVEL = frozenset({"battery_missing_at_scrap", "late_report"})

#: The rules that take longest (they pair every shipment or receipt with another event): started
#: first, so that a sweep on several threads does not end waiting on one of them.
_LONGEST_FIRST = ("unexplained_source", "double_presence", "lost_in_transit", "unlisted_handover", "late_report")


@dataclass(frozen=True)
class Scope:
    """Batteries (and vehicles, for findings about a vehicle that never had a pack) to run the rules for."""

    batteries: frozenset[str]
    vehicles: frozenset[str] = frozenset()


def query_params(
    rule: Rule, params: RuleParams, calendar: WorkdayCalendar, skip: int, limit: int, scope: Scope | None = None
) -> dict[str, Any]:
    """Exactly the parameters the rule's Cypher header declares (no scope: the whole store)."""
    values = params.for_query()
    values.update(skip=skip, limit=limit, batteries=None, vehicles=None)
    if scope is not None:
        values.update(batteries=sorted(scope.batteries), vehicles=sorted(scope.vehicles))
    if rule.working_days:
        start, table = calendar.ordinal_table(table_end(params.as_of))
        limits = [value for name, value in values.items() if name.endswith("_wd") and isinstance(value, int)]
        values.update(wd_start=start, wd=table, smallest_wd=min(limits, default=0))
    declared = get_query(rule.query).params
    missing = set(declared) - set(values)
    if missing:
        raise RuntimeError(f"{rule.query} declares parameters the service does not supply: {sorted(missing)}")
    return {name: values[name] for name in declared}


def to_finding(rule: Rule, row: RuleRow, calendar: WorkdayCalendar) -> Finding:
    """The one way a rule's row becomes a finding; working-day rules get their deadline stated."""
    details = dict(row.details or {})
    missing = str(row.missing)
    since: datetime = row.since
    if rule.working_days and details.get("limit_wd") is not None:
        start = cst_date(since)
        deadline = calendar.add_workdays(start, int(details["limit_wd"]))
        source = calendar.source(start, deadline)
        details["deadline"] = deadline.isoformat()
        details["calendar"] = calendar.describe(source)
        recorded = details.get("recorded_at")
        if isinstance(recorded, datetime):
            recorded_on = cst_date(recorded)
            details["workdays_taken"] = calendar.workdays_between(start, recorded_on)
            missing += f" (occurred {start}, deadline {deadline}, recorded {recorded_on})"
        else:
            missing += f" (deadline {deadline})"
    return Finding(
        rule=rule.id,
        battery=row.battery,
        since=since,
        company=row.company,
        company_name=row.company_name,
        province=row.province,
        evidence=list(row.evidence or []),
        missing=missing,
        details=details,
    )


def _check_store(db: Database, rule: Rule) -> None:
    if rule.id in _READ_PROJECTED_CANDIDATES:
        require_current(db, f"the {rule.id} rule")


def _order(f: Finding) -> tuple[Any, ...]:
    """The rules' ORDER BY (since, battery, company; Cypher puts nulls last) as a merge key."""
    return (f.since, f.battery is None, f.battery or "", f.company is None, f.company or "")


def _split(params: RuleParams, provinces: Collection[str] | None) -> list[RuleParams] | None:
    """One parameter set per province of a limited key that named no province; None otherwise."""
    if provinces is None or params.province is not None:
        return None
    return [params.model_copy(update={"province": p}) for p in sorted(provinces)]


def find(
    db: Database,
    rule_id: str,
    raw_params: Iterable[tuple[str, Any]] | Mapping[str, Any],
    calendar: WorkdayCalendar,
    *,
    skip: int = 0,
    limit: int = 50,
    provinces: Collection[str] | None = None,
) -> FindingsPage:
    """One page of a rule's findings, ordered by since, battery, company (within ``provinces``, when given)."""
    rule = get_rule(rule_id)
    params = rule.parse(raw_params)
    _check_store(db, rule)
    split = _split(params, provinces)
    if params.windowed:
        # A period selects findings before the page is cut: every finding is read and sieved.
        stream: Findings
        if split is not None:
            stream = MergedStream(db, rule, params, split, calendar)
        else:
            stream = FindingStream(db, rule, params, calendar)
        try:
            found = list(islice(stream, skip, skip + limit + 1))
        finally:
            stream.close()
        items = found[:limit]
        more = len(found) > limit
    elif split is not None:
        merged = MergedStream(db, rule, params, split, calendar, upto=skip + limit + 1)
        try:
            found = list(islice(merged, skip, skip + limit + 1))
        finally:
            merged.close()
        items = found[:limit]
        more = len(found) > limit
    elif rule.grouped is not None and params.grouped:
        everything = list(FindingStream(db, rule, params, calendar))
        items = everything[skip : skip + limit]
        more = len(everything) > skip + limit
    else:
        # One row past the page says whether another page follows.
        rows = repo.rule_rows(db, rule.query, query_params(rule, params, calendar, skip, limit + 1))
        found = [to_finding(rule, row, calendar) for row in rows]
        items = found[:limit]
        more = len(found) > limit
    return FindingsPage(
        rule=rule.id,
        as_of=params.as_of,
        parameters=params.public(),
        items=items,
        skip=skip,
        limit=limit,
        next_skip=skip + limit if more else None,
    )


class Findings(Protocol):
    """What exports and sweeps read: the effective parameters, the findings, and an early stop."""

    params: RuleParams

    def __iter__(self) -> Iterator[Finding]: ...

    def close(self) -> None: ...


class FindingStream:
    """A rule's findings as they come from the database; ``close`` releases the session early."""

    def __init__(
        self,
        db: Database,
        rule: Rule,
        params: RuleParams,
        calendar: WorkdayCalendar,
        upto: int = ALL,
        scope: Scope | None = None,
    ) -> None:
        self.rule = rule
        self.params = params
        grouping = rule.grouped is not None and params.grouped
        # Python groups (or sieves by period) what the query returns: it must return everything.
        limit = ALL if grouping or params.windowed else upto
        self._rows = repo.RuleRowStream(db, rule.query, query_params(rule, params, calendar, 0, limit, scope))
        self._findings: Iterator[Finding] = (to_finding(rule, row, calendar) for row in self._rows)
        self._grouped: list[Finding] | None = None
        if grouping and rule.grouped is not None:
            self._grouped = rule.grouped(params, list(self._findings))

    def __iter__(self) -> Iterator[Finding]:
        if self._grouped is not None:
            yield from (f for f in self._grouped if self.params.within(f.since))
            return
        for f in self._findings:
            if self.params.within(f.since):
                yield f
            elif self.params.since_until is not None and f.since > self.params.since_until:
                return  # the query orders by since: nothing later can be in the period

    def close(self) -> None:
        self._rows.close()


class MergedStream:
    """One stream per province, merged in the rules' order; ``close`` releases every session."""

    def __init__(
        self,
        db: Database,
        rule: Rule,
        params: RuleParams,
        split: list[RuleParams],
        calendar: WorkdayCalendar,
        upto: int = ALL,
    ) -> None:
        self.params = params
        self._streams = [FindingStream(db, rule, p, calendar, upto) for p in split]

    def __iter__(self) -> Iterator[Finding]:
        yield from heapq.merge(*self._streams, key=_order)

    def close(self) -> None:
        for stream in self._streams:
            stream.close()


def iter_findings(
    db: Database,
    rule_id: str,
    raw_params: Iterable[tuple[str, Any]] | Mapping[str, Any],
    calendar: WorkdayCalendar,
    provinces: Collection[str] | None = None,
    scope: Scope | None = None,
) -> Findings:
    """Every finding of a rule (within ``provinces``, when given; of ``scope``, when given), streamed
    (grouped rules are collected first): for exports, evaluators and the findings keeper."""
    rule = get_rule(rule_id)
    params = rule.parse(raw_params)
    _check_store(db, rule)
    split = _split(params, provinces)
    if split is not None:
        if scope is not None:
            raise ValueError("a scoped run takes no province split")
        return MergedStream(db, rule, params, split, calendar)
    return FindingStream(db, rule, params, calendar, scope=scope)


def plan_all(db: Database, calendar: WorkdayCalendar) -> float:
    """Have the server plan every rule's query, for a whole-store run and for a scoped one, without
    running any: planning the sixteen queries (large, with their guarded branches) takes longer than
    running them on a warm store of 100,000 packs, so the findings keeper does it when the API starts
    instead of inside its first sweep. Returns the seconds it took."""
    began = time.perf_counter()
    scope = Scope(frozenset({"-"}), frozenset({"-"}))  # parameter types are what the plan cache keys on
    for rule in RULES.values():
        params = rule.parse({})
        for scoped in (None, scope):
            repo.plan_rule(db, rule.query, query_params(rule, params, calendar, 0, ALL, scoped))
    return time.perf_counter() - began


def run_all(
    db: Database,
    calendar: WorkdayCalendar,
    common: Mapping[str, Any] | None = None,
    *,
    workers: int = 1,
    seconds: dict[str, float] | None = None,
    scope: Scope | None = None,
) -> dict[str, list[Finding]]:
    """Every rule with its defaults (and the given as_of/province/company), in catalogue order.

    With ``workers`` > 1 the rules run on that many threads, each query in its own session, so
    the server works on several rules at once (Community Edition runs one query on one core).
    ``seconds``, when given, receives each rule's own elapsed time; ``scope``, when given, limits
    every rule to those batteries' findings.
    """
    values = dict(common or {})

    def one(rule_id: str) -> list[Finding]:
        began = time.perf_counter()
        found = list(iter_findings(db, rule_id, values, calendar, scope=scope))
        if seconds is not None:
            seconds[rule_id] = time.perf_counter() - began
        return found

    order = [*_LONGEST_FIRST, *(r for r in RULES if r not in _LONGEST_FIRST)]
    if workers <= 1:
        results = {rule_id: one(rule_id) for rule_id in order}
    else:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="leakage") as pool:
            futures = {rule_id: pool.submit(one, rule_id) for rule_id in order}
            results = {rule_id: future.result() for rule_id, future in futures.items()}
    return {rule_id: results[rule_id] for rule_id in RULES}
