"""Leakage rules for regulators: which batteries left the licensed chain, where, through whom.

Each rule is one Cypher file ``cypher/leakage/<id>.cypher`` returning the same columns (battery,
since, company, company_name, province, evidence, missing, details), so that findings of every
rule look alike to an inspector and an evaluator can compare them with planted ground truth by
(rule id, battery code), or (rule id, company) for company-level rules. This module holds the
catalogue (meaning, parameters with their types and defaults from the domain document), checks
parameters, passes each query exactly the parameters its header declares, and adds what only
Python knows: deadlines in the official Chinese calendar and the calendar that decided them.

Working days: Cypher cannot call ``chinese_calendar``, so the rules that count working days get
the calendar as data (``workdays.ordinal_table``: one number per day) and test deadlines inside
the query, where filtering, ordering and paging stay; Python then states the deadline and the
calendar (official, or the weekday fallback beyond the years the library knows) on each finding.

``as_of`` is the moment the rules judge at: deadlines must have passed by then, and events after
it are ignored as seeds. The lifecycle projection the rules also read reflects the whole event
log, so ``as_of`` is meant to be at or after the latest event (now, or the as_of of a synthetic
world), not a replay of an earlier state.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal

from app.config import Settings
from app.db import Database
from app.errors import FieldProblem, InvalidInput, NotFound
from app.identifiers import IdentifierError, parse_uscc
from app.queries import get_query
from app.schemas.events import BANNED_APPLICATIONS
from app.schemas.leakage import (
    CompanyCount,
    Finding,
    FindingsPage,
    ParamInfo,
    ParamType,
    ProvinceCount,
    RuleCount,
    RuleInfo,
    RuleList,
    Summary,
)
from app.services.store import require_current
from app.services.workdays import CST, WorkdayCalendar, cst_date, make_calendar, table_end

# LIMIT for "every finding" (exports, summaries): Neo4j takes a long; the stream is lazy.
ALL = 1 << 62
_PROVINCE = re.compile(r"^\d{6}$")
_APPLICATION = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_ELEMENT = re.compile(r"^[a-z]{1,2}$")
_PLUS_AS_SPACE = re.compile(r"^(.*T[\d:.]+) (\d\d:?\d\d)$")

# Upper bounds of each element's mass share in a whole pack (kg per kg), by chemistry class: the
# cathode is at most ~40% of a pack's mass; LiFePO4 holds 4.4% Li and no Co or Ni; NCM/NCA
# cathodes hold up to ~7.5% Li, ~50% Ni, ~12% Co (523), ~17% Mn (523); 'unknown' also allows
# LCO (60% Co) and LMO (61% Mn). Our derivation [ours]; configurable per request.
DEFAULT_CEILINGS: dict[str, dict[str, float]] = {
    "lfp": {"li": 0.02, "co": 0.001, "ni": 0.001, "mn": 0.001},
    "ternary": {"li": 0.03, "ni": 0.2, "co": 0.1, "mn": 0.1},
    "unknown": {"li": 0.03, "ni": 0.2, "co": 0.25, "mn": 0.25},
}


@dataclass(frozen=True)
class Param:
    """One rule parameter: how it is typed, checked and defaulted; ``cypher`` says if the query takes it."""

    name: str
    type: ParamType
    default: Any
    description: str
    nullable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    cypher: bool = True

    def info(self) -> ParamInfo:
        return ParamInfo(
            name=self.name,
            type=self.type,
            default=self.default,
            description=self.description,
            nullable=self.nullable,
            minimum=self.minimum,
            maximum=self.maximum,
            choices=list(self.choices) or None,
        )


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    meaning: str
    basis: str
    since: str
    company: str
    params: tuple[Param, ...] = ()
    level: Literal["battery", "company"] = "battery"
    working_days: bool = False
    # Rules whose findings Python finishes (grouping) cannot page inside Cypher.
    grouped: Callable[[dict[str, Any], list[Finding]], list[Finding]] | None = field(default=None, compare=False)

    @property
    def query(self) -> str:
        return f"leakage.{self.id}"

    @property
    def all_params(self) -> tuple[Param, ...]:
        return (*COMMON, *self.params)


COMMON = (
    Param("as_of", "datetime", None, "the moment the rules judge at (RFC 3339 with offset); default now"),
    Param("province", "str", None, "only findings in this province (GB/T 2260 code)", nullable=True),
    Param("company", "str", None, "only findings naming this company as answerable (USCC)", nullable=True),
)


def _wd(name: str, default: int, what: str) -> Param:
    return Param(name, "int", default, f"limit in Chinese working days for {what}", minimum=1, maximum=400)


def _late_by_company_month(values: dict[str, Any], findings: list[Finding]) -> list[Finding]:
    """Persistent lateness: a company late in ``persistent_months`` consecutive months or more."""
    if values["by"] != "company_month":
        return findings
    months: dict[tuple[str | None, tuple[int, int]], list[Finding]] = defaultdict(list)
    for f in findings:
        day = cst_date(f.since)
        months[(f.company, (day.year, day.month))].append(f)
    by_company: dict[str | None, list[tuple[int, int]]] = defaultdict(list)
    for company, month in months:
        by_company[company].append(month)
    out: list[Finding] = []
    needed = values["persistent_months"]
    for company, its_months in by_company.items():
        streak: list[tuple[int, int]] = []
        for month in sorted(its_months):
            if streak and _month_index(month) != _month_index(streak[-1]) + 1:
                streak = []
            streak.append(month)
            if len(streak) < needed:
                continue
            rows = months[(company, month)]
            first = streak[0]
            out.append(
                Finding(
                    rule="late_report",
                    battery=None,
                    since=datetime(first[0], first[1], 1, tzinfo=CST),
                    company=company,
                    company_name=rows[0].company_name,
                    province=rows[0].province,
                    evidence=[e for f in rows for e in f.evidence],
                    missing=(
                        f"late reports in {len(streak)} consecutive months up to {month[0]}-{month[1]:02d} "
                        f"({len(rows)} this month)"
                    ),
                    details={
                        "month": f"{month[0]}-{month[1]:02d}",
                        "late_in_month": len(rows),
                        "streak_months": len(streak),
                        "first_month": f"{first[0]}-{first[1]:02d}",
                    },
                )
            )
    return sorted(out, key=lambda f: (f.since, f.company or "", f.details["month"]))


def _month_index(month: tuple[int, int]) -> int:
    return month[0] * 12 + month[1]


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "battery_missing_at_scrap",
            "Battery missing at scrap (Art. 21)",
            "A vehicle that is not a swap model was scrapped with no pack installed: it counts as missing. "
            "A pack taken out by the scrapping dismantler itself for the scrapping arrived with the car.",
            "reg",
            "the scrapping",
            "whoever took the pack out, else the vehicle's maker (no pack was ever bound), else the dismantler",
        ),
        Rule(
            "pre_scrap_separation",
            "Pre-scrap separation",
            "A pack removed shortly before its (non-swap) vehicle was scrapped, then neither put back in a vehicle "
            "nor received by a formal recipient (listed second-life or recycling company, or service point).",
            "practice",
            "the removal",
            "the company that removed the pack",
            (Param("days", "int", 90, "how long before the scrapping a removal counts", minimum=1, maximum=3650),),
        ),
        Rule(
            "dark_after_removal",
            "Dark after removal",
            "A pack removed from a vehicle with no next custodian within the limit: not reinstalled, shipped, "
            "received by another company, recycled or repurposed. A swap operator's removal for repair or 'other' "
            "returns the pack to its own swap pool and starts no clock.",
            "reg",
            "the removal (details.deadline: when it became overdue)",
            "the company that removed the pack",
            (
                _wd("limit_wd", 30, "removals for repair, replacement or other (repairs and replacements: 30 WD)"),
                _wd("scrapping_limit_wd", 15, "removals for scrapping (dismantlers send batteries on: 15 WD)"),
            ),
            working_days=True,
        ),
        Rule(
            "unlisted_handover",
            "Handover to an unlisted company",
            "A removed or waste pack shipped to, or received by, a company that is not a formal recipient on that "
            "date: not a listed second-life or recycling company within its listing window, not a service point.",
            "reg",
            "the first event of the handover",
            "the sender",
        ),
        Rule(
            "lost_in_transit",
            "Lost in transit",
            "A shipment with no matching receipt (the addressee receiving the battery from the sender) within the "
            "limit.",
            "ours",
            "the shipment (details.deadline: when it became overdue)",
            "the sender",
            (_wd("limit_wd", 30, "the receipt (battery into a service point, waste received: 30 WD)"),),
            working_days=True,
        ),
        Rule(
            "unexplained_source",
            "Unexplained source",
            "A receipt that no shipment by the named sender to the receiver explains, or a receipt while the "
            "battery is still installed in a vehicle.",
            "ours",
            "the receipt",
            "the receiver",
        ),
        Rule(
            "double_presence",
            "Clone / double presence",
            "One code in two places at once: produced twice, a component of two different parents, or named in a "
            "vehicle while still installed in another.",
            "reg+ours",
            "the second placement",
            "the reporter of the second placement",
        ),
        Rule(
            "post_recycling_event",
            "Events after recycling",
            "Any event naming a battery with an occurrence time after its recycling (destruction).",
            "reg",
            "the first later event",
            "the reporter of the first later event",
        ),
        Rule(
            "implausible_recovery",
            "Implausible recovery",
            "Recovered metal above what the input's mass and chemistry can contain.",
            "reg+ours",
            "the recycling",
            "the recycler",
            (
                Param(
                    "ceilings",
                    "json",
                    DEFAULT_CEILINGS,
                    "upper bound of each element's mass share of a pack, by chemistry class (lfp, ternary, unknown)",
                ),
                Param(
                    "mass_tolerance",
                    "float",
                    0.05,
                    "a declared input above the battery's known mass by more than this share is capped",
                    minimum=0.0,
                    maximum=10.0,
                ),
            ),
        ),
        Rule(
            "recycler_mass_balance",
            "Recycler mass balance",
            "Over a period, a recycler's declared recycling input does not match the mass of the batteries it had "
            "received (held) when it recycled them: recycling batteries it never received, or inflated or "
            "deflated input masses.",
            "reg+ours",
            "the first off-balance recycling in the period",
            "the recycler",
            (
                Param("days", "int", 365, "length of the period ending at as_of", minimum=1, maximum=36500),
                Param("tolerance_share", "float", 0.02, "share of declared input tolerated", minimum=0.0, maximum=1.0),
                Param("tolerance_kg", "float", 10.0, "absolute imbalance tolerated", minimum=0.0, maximum=1e9),
            ),
            level="company",
        ),
        Rule(
            "prohibited_use",
            "Prohibited use",
            "A waste or retired battery repurposed for a banned application (electric bicycles and the like).",
            "reg",
            "the repurposing",
            "the company that repurposed it",
            (
                Param(
                    "banned",
                    "str_list",
                    sorted(BANNED_APPLICATIONS),
                    "banned applications (comma-separated over HTTP)",
                ),
            ),
        ),
        Rule(
            "second_life_lineage",
            "Second-life lineage",
            "A second-life code not linked to the battery it was made from, or an original still (or again) in a "
            "vehicle while repurposed.",
            "reg",
            "the first event of the unlinked code, the repurposing, or the later installation",
            "the reporter of that event",
        ),
        Rule(
            "silent_battery",
            "Silent battery",
            "No event for longer than the service life of its class (first or second life), and not recycled. "
            "The v1 contract has no export event, so nothing is excused as exported.",
            "ours",
            "the last event",
            "the current custodian, else the maker of the vehicle it is in, else its producer",
            (
                Param(
                    "service_life_years",
                    "float",
                    8.0,
                    "first-life batteries (warranty 8 years; typical service life 5-8 years)",
                    minimum=0.1,
                    maximum=50.0,
                ),
                Param("second_life_years", "float", 5.0, "second-life products", minimum=0.1, maximum=50.0),
            ),
        ),
        Rule(
            "unregistered_battery",
            "Unregistered battery or maker",
            "Lifecycle events for a code never produced, or a code whose maker prefix no registered battery maker "
            "holds. Second-life products are judged by second_life_lineage instead.",
            "reg",
            "the first event naming the code",
            "the maker of the prefix when registered (never produced), else the first reporter",
        ),
        Rule(
            "late_report",
            "Late report",
            "An event recorded later than the working-day limit for what it reports (2018 provisions). Imported "
            "history is judged by the recorded_at it carried. by=company_month lists persistent lateness instead: "
            "companies late in persistent_months consecutive months or more.",
            "reg",
            "the event's occurrence (details.deadline: its limit); by=company_month: the first month of the streak",
            "the reporter",
            (
                Param(
                    "since",
                    "datetime",
                    None,
                    "only events that occurred at or after this moment",
                    nullable=True,
                ),
                _wd("binding_wd", 15, "installations by automakers (certificate issued, codes bound to the VIN)"),
                _wd("repair_wd", 30, "repairs and replacements"),
                _wd("dismantler_wd", 15, "scrapped vehicles received and batteries removed and sent on"),
                _wd("second_life_wd", 15, "second-life products and waste from second-life use in and out"),
                _wd("recycler_wd", 30, "waste batteries received by recyclers and recycling completed"),
                _wd("service_point_wd", 30, "batteries into and out of service points"),
                Param(
                    "by",
                    "str",
                    "event",
                    "event: one finding per late event; company_month: persistent lateness per company",
                    choices=("event", "company_month"),
                    cypher=False,
                ),
                Param(
                    "persistent_months",
                    "int",
                    3,
                    "consecutive months with late reports that make lateness persistent (by=company_month)",
                    minimum=1,
                    maximum=120,
                    cypher=False,
                ),
            ),
            working_days=True,
            grouped=_late_by_company_month,
        ),
    )
}


# The summary takes only the common parameters (as_of, province, company).
_SUMMARY = Rule("summary", "Summary", "every rule with its defaults", "", "", "")


class UnknownRule(NotFound):
    """A 404 that lists the valid rule ids, so a client can correct itself."""

    def __init__(self, rule: str) -> None:
        super().__init__(f"no leakage rule {rule!r}; valid rules: {', '.join(RULES)}")

    def body(self) -> dict[str, Any]:
        return {"detail": self.message, "rules": list(RULES)}


def get_rule(rule_id: str) -> Rule:
    try:
        return RULES[rule_id]
    except KeyError:
        raise UnknownRule(rule_id) from None


def calendar_for(settings: Settings) -> WorkdayCalendar:
    """The working-day calendar with the configured fallback holidays and adjusted workdays."""
    return make_calendar(settings.leakage_holidays, settings.leakage_workdays)


def list_rules(calendar: WorkdayCalendar) -> RuleList:
    """The catalogue: ids, meaning, parameters and defaults."""
    rules = [
        RuleInfo(
            id=r.id,
            title=r.title,
            meaning=r.meaning,
            basis=r.basis,
            level=r.level,
            since=r.since,
            company=r.company,
            working_days=r.working_days,
            parameters=[p.info() for p in r.all_params],
        )
        for r in RULES.values()
    ]
    note = (
        f"working days: {calendar.describe('official')} for the years it knows; "
        f"elsewhere {calendar.describe('fallback')}"
    )
    return RuleList(rules=rules, calendar=note)


# --- parameters ---------------------------------------------------------------------------


def resolve_params(rule: Rule, raw: Iterable[tuple[str, Any]] | Mapping[str, Any] = ()) -> dict[str, Any]:
    """Typed values for every parameter of ``rule``: the given ones checked, the others defaulted.

    ``raw`` holds strings (HTTP query parameters) or typed values (Python callers); every problem
    is reported at once, by parameter name."""
    items = list(raw.items()) if isinstance(raw, Mapping) else list(raw)
    known = {p.name: p for p in rule.all_params}
    given: dict[str, list[Any]] = defaultdict(list)
    problems: list[FieldProblem] = []
    for name, value in items:
        if name not in known:
            problems.append(
                FieldProblem(name, f"not a parameter of rule {rule.id}; its parameters: {', '.join(known)}")
            )
        else:
            given[name].append(value)
    values: dict[str, Any] = {}
    for name, param in known.items():
        if name not in given:
            values[name] = param.default
            continue
        raws = given[name]
        if len(raws) > 1 and param.type != "str_list":
            problems.append(FieldProblem(name, "given more than once"))
            continue
        try:
            values[name] = _coerce(param, raws if param.type == "str_list" else raws[0])
        except ValueError as err:
            problems.append(FieldProblem(name, str(err)))
    if problems:
        raise InvalidInput(problems, f"invalid parameters for rule {rule.id}")
    if values["as_of"] is None:
        values["as_of"] = datetime.now(UTC)
    return values


def _coerce(param: Param, value: Any) -> Any:
    if value is None or (isinstance(value, str) and value == "" and param.nullable):
        if param.nullable:
            return None
        raise ValueError("a value is required")
    kind = param.type
    if kind == "datetime":
        return _datetime(value)
    if kind == "int":
        number: float = _int(value)
    elif kind == "float":
        number = _float(value)
    elif kind == "str":
        return _str(param, value)
    elif kind == "str_list":
        return _str_list(value)
    else:
        return _ceilings(value)
    if param.minimum is not None and number < param.minimum:
        raise ValueError(f"must be at least {param.minimum:g}")
    if param.maximum is not None and number > param.maximum:
        raise ValueError(f"must be at most {param.maximum:g}")
    return number


def _datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        # An unescaped '+' in a query string arrives as a space: "...T09:00:00 08:00".
        text = _PLUS_AS_SPACE.sub(r"\1+\2", str(value).strip()).replace("Z", "+00:00")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError("not an RFC 3339 datetime, e.g. 2026-01-01T00:00:00+08:00") from None
    if moment.tzinfo is None:
        raise ValueError("needs a UTC offset (RFC 3339), e.g. 2026-01-01T00:00:00+08:00")
    return moment


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("not an integer")
    if isinstance(value, int):
        return value
    try:
        return int(str(value))
    except ValueError:
        raise ValueError("not an integer") from None


def _float(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError("not a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError("not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError("not a finite number")
    return number


def _str(param: Param, value: Any) -> str:
    text = str(value).strip()
    if param.choices and text not in param.choices:
        raise ValueError(f"must be one of {', '.join(param.choices)}")
    if param.name == "province" and not _PROVINCE.match(text):
        raise ValueError("a GB/T 2260 province code has 6 digits, e.g. 310000")
    if param.name == "company":
        try:
            return parse_uscc(text).code
        except IdentifierError as err:
            raise ValueError(f"not a unified social credit code: {err}") from None
    return text


def _str_list(value: Any) -> list[str]:
    parts = [value] if isinstance(value, str) else list(value)
    items = [item.strip() for part in parts for item in str(part).split(",") if item.strip()]
    if not items:
        raise ValueError("at least one value is needed")
    bad = [item for item in items if not _APPLICATION.match(item)]
    if bad:
        raise ValueError(f"not application names (lower-case, digits, underscores): {', '.join(bad)}")
    return sorted(set(items))


def _ceilings(value: Any) -> dict[str, dict[str, float]]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise ValueError("not JSON: give {class: {element: share}}") from None
    if not isinstance(value, dict) or not value:
        raise ValueError("a JSON object {class: {element: share}} is needed")
    out: dict[str, dict[str, float]] = {}
    for chem, shares in value.items():
        if not isinstance(shares, dict):
            raise ValueError(f"{chem}: an object {{element: share}} is needed")
        out[str(chem).lower()] = {}
        for element, share in shares.items():
            if not _ELEMENT.match(str(element)):
                raise ValueError(f"{chem}.{element}: elements are 1-2 lower-case letters (li, co, ni, mn)")
            if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
                raise ValueError(f"{chem}.{element}: a share between 0 and 1 is needed")
            out[str(chem).lower()][str(element)] = float(share)
    return out


# --- running ------------------------------------------------------------------------------


def _query_params(
    rule: Rule, values: dict[str, Any], calendar: WorkdayCalendar, skip: int, limit: int
) -> dict[str, Any]:
    """Exactly the parameters the rule's Cypher header declares."""
    params = {p.name: values[p.name] for p in rule.all_params if p.cypher}
    params.update(skip=skip, limit=limit)
    if rule.working_days:
        start, table = calendar.ordinal_table(table_end(values["as_of"]))
        params.update(wd_start=start, wd=table)
    declared = get_query(rule.query).params
    missing = set(declared) - set(params)
    if missing:
        raise RuntimeError(f"{rule.query} declares parameters the service does not supply: {sorted(missing)}")
    return {name: params[name] for name in declared}


def _finding(rule: Rule, row: dict[str, Any], calendar: WorkdayCalendar) -> Finding:
    details = dict(row["details"] or {})
    missing = str(row["missing"])
    since: datetime = row["since"]
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
        battery=row["battery"],
        since=since,
        company=row["company"],
        company_name=row["company_name"],
        province=row["province"],
        evidence=list(row["evidence"] or []),
        missing=missing,
        details=details,
    )


def _public(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime | date) else v) for k, v in values.items()}


#: Rules that start from the leakage candidates the projection keeps on each battery.
_READ_PROJECTED_CANDIDATES = frozenset({"unexplained_source", "double_presence", "lost_in_transit"})


def _check_store(db: Database, rule: Rule) -> None:
    if rule.id in _READ_PROJECTED_CANDIDATES:
        require_current(db, f"the {rule.id} rule")


def find(
    db: Database,
    rule_id: str,
    raw_params: Iterable[tuple[str, Any]] | Mapping[str, Any],
    calendar: WorkdayCalendar,
    *,
    skip: int = 0,
    limit: int = 50,
) -> FindingsPage:
    """One page of a rule's findings, ordered by since, battery, company."""
    rule = get_rule(rule_id)
    values = resolve_params(rule, raw_params)
    _check_store(db, rule)
    if rule.grouped is not None and values.get("by", "event") != "event":
        everything = list(FindingStream(db, rule, values, calendar))
        items = everything[skip : skip + limit]
        more = len(everything) > skip + limit
    else:
        rows = db.read(rule.query, **_query_params(rule, values, calendar, skip, limit + 1))
        items = [_finding(rule, row, calendar) for row in rows[:limit]]
        more = len(rows) > limit
    return FindingsPage(
        rule=rule.id,
        as_of=values["as_of"],
        parameters=_public(values),
        items=items,
        skip=skip,
        limit=limit,
        next_skip=skip + limit if more else None,
    )


class FindingStream:
    """A rule's findings as they come from the database; ``close`` releases the session early."""

    def __init__(self, db: Database, rule: Rule, values: dict[str, Any], calendar: WorkdayCalendar) -> None:
        self.rule = rule
        self.values = values
        self._calendar = calendar
        self._rows = db.stream(rule.query, **_query_params(rule, values, calendar, 0, ALL))
        self._grouped: list[Finding] | None = None
        if rule.grouped is not None and values.get("by", "event") != "event":
            self._grouped = rule.grouped(values, [_finding(rule, row, calendar) for row in self._rows])

    def __iter__(self) -> Iterator[Finding]:
        if self._grouped is not None:
            yield from self._grouped
            return
        for row in self._rows:
            yield _finding(self.rule, row, self._calendar)

    def close(self) -> None:
        self._rows.close()


def iter_findings(
    db: Database,
    rule_id: str,
    raw_params: Iterable[tuple[str, Any]] | Mapping[str, Any],
    calendar: WorkdayCalendar,
) -> FindingStream:
    """Every finding of a rule, streamed (grouped rules are collected first): for exports and evaluators."""
    rule = get_rule(rule_id)
    values = resolve_params(rule, raw_params)
    _check_store(db, rule)
    return FindingStream(db, rule, values, calendar)


#: The rules that take longest (they pair every shipment or receipt with another event): started
#: first, so that a sweep on several threads does not end waiting on one of them.
_LONGEST_FIRST = ("unexplained_source", "double_presence", "lost_in_transit", "unlisted_handover", "late_report")


def run_all(
    db: Database,
    calendar: WorkdayCalendar,
    common: Mapping[str, Any] | None = None,
    *,
    workers: int = 1,
    seconds: dict[str, float] | None = None,
) -> dict[str, list[Finding]]:
    """Every rule with its defaults (and the given as_of/province/company), in catalogue order.

    With ``workers`` > 1 the rules run on that many threads, each query in its own session, so
    the server works on several rules at once (Community Edition runs one query on one core).
    ``seconds``, when given, receives each rule's own elapsed time.
    """
    values = dict(common or {})

    def one(rule_id: str) -> list[Finding]:
        began = time.perf_counter()
        found = list(iter_findings(db, rule_id, values, calendar))
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


# --- exports ------------------------------------------------------------------------------

CSV_COLUMNS = ("rule", "battery", "since", "company", "company_name", "province", "missing", "evidence", "details")


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__}")


def _csv_lines(findings: Iterator[Finding]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in findings:
        writer.writerow(
            [
                f.rule,
                f.battery or "",
                f.since.isoformat(),
                f.company or "",
                f.company_name or "",
                f.province or "",
                f.missing,
                " ".join(f.evidence),
                json.dumps(f.details, sort_keys=True, ensure_ascii=False, default=_json_default),
            ]
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()


def _json_lines(findings: Iterator[Finding]) -> Iterator[str]:
    yield "["
    first = True
    for f in findings:
        yield ("\n" if first else ",\n") + f.model_dump_json()
        first = False
    yield "\n]\n"


@dataclass
class Export:
    media_type: str
    filename: str
    chunks: Iterator[str]
    close: Callable[[], None]


def export(
    db: Database,
    rule_id: str,
    raw_params: Iterable[tuple[str, Any]] | Mapping[str, Any],
    calendar: WorkdayCalendar,
    fmt: Literal["csv", "json"],
) -> Export:
    """All findings of a rule as CSV or a JSON array, streamed; parameters are checked before the first byte."""
    findings = iter_findings(db, rule_id, raw_params, calendar)
    stamp = cst_date(findings.values["as_of"]).strftime("%Y%m%d")
    if fmt == "csv":
        return Export(
            "text/csv; charset=utf-8", f"leakage-{rule_id}-{stamp}.csv", _csv_lines(iter(findings)), findings.close
        )
    return Export("application/json", f"leakage-{rule_id}-{stamp}.json", _json_lines(iter(findings)), findings.close)


# --- summary ------------------------------------------------------------------------------


def _rate(count: int, denominator: int) -> float | None:
    return round(count * 1000.0 / denominator, 3) if denominator else None


def summary(
    db: Database,
    raw_params: Iterable[tuple[str, Any]] | Mapping[str, Any],
    calendar: WorkdayCalendar,
    *,
    workers: int = 1,
) -> Summary:
    """Every rule with its defaults: counts and rates per thousand by rule, province and company."""
    values = resolve_params(_SUMMARY, raw_params)
    by_rule: list[RuleCount] = []
    by_province: dict[tuple[str | None, str], int] = defaultdict(int)
    by_company: dict[tuple[str | None, str], int] = defaultdict(int)
    names: dict[str, tuple[str | None, str | None]] = {}
    totals = db.read("leakage.stats.battery_count")[0]
    seconds: dict[str, float] = {}
    every = run_all(db, calendar, values, workers=workers, seconds=seconds)
    for rule_id, findings in every.items():
        count = 0
        for f in findings:
            count += 1
            by_province[(f.province, rule_id)] += 1
            by_company[(f.company, rule_id)] += 1
            if f.company:
                names.setdefault(f.company, (f.company_name, f.province))
        by_rule.append(
            RuleCount(
                rule=rule_id,
                count=count,
                per_thousand=_rate(count, totals["packs"]),
                seconds=round(seconds[rule_id], 3),
            )
        )
    province_handled = {r["province"]: r["handled"] for r in db.read("leakage.stats.province_handled")}
    companies = {
        r["uscc"]: r for r in db.read("leakage.stats.company_handled", usccs=sorted(c for c, _ in by_company if c))
    }
    provinces = [
        ProvinceCount(
            province=p,
            rule=r,
            count=n,
            handled=province_handled.get(p, 0),
            per_thousand=_rate(n, province_handled.get(p, 0)),
        )
        for (p, r), n in sorted(by_province.items(), key=lambda kv: (kv[0][0] or "", kv[0][1]))
    ]
    company_rows = []
    for (c, r), n in sorted(by_company.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])):
        known = companies.get(c or "")
        handled = int(known["handled"]) if known else 0
        name, province = names.get(c or "", (None, None))
        company_rows.append(
            CompanyCount(
                company=c,
                name=known["name"] if known else name,
                province=known["province"] if known else province,
                rule=r,
                count=n,
                handled=handled,
                per_thousand=_rate(n, handled),
            )
        )
    return Summary(
        as_of=values["as_of"],
        packs=totals["packs"],
        batteries=totals["batteries"],
        by_rule=by_rule,
        by_province=provinces,
        by_company=company_rows,
        calendar=list_rules(calendar).calendar,
    )


def deadline(calendar: WorkdayCalendar, occurred: datetime, limit_wd: int) -> date:
    """The last day (China time) an event's step or report is on time: for callers outside the rules."""
    return calendar.add_workdays(cst_date(occurred), limit_wd)


__all__ = [
    "ALL",
    "DEFAULT_CEILINGS",
    "RULES",
    "Export",
    "FindingStream",
    "Param",
    "Rule",
    "UnknownRule",
    "calendar_for",
    "deadline",
    "export",
    "find",
    "get_rule",
    "iter_findings",
    "list_rules",
    "resolve_params",
    "run_all",
    "summary",
]
