"""The rule catalogue: what each rule means, whom it names, which parameters it takes.

Each rule is one Cypher file ``cypher/leakage/<id>.cypher``; its entry here gives the words an
inspector reads (meaning, basis, what ``since`` and ``company`` stand for), the pydantic model of
its parameters (``params.py``), whether it counts working days, and for ``late_report`` the
grouping Python applies after the query (persistent lateness by company and month).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from app.errors import UnknownRule
from app.schemas.leakage import Finding, RuleInfo, RuleList
from app.services.leakage.params import (
    DarkAfterRemovalParams,
    ImplausibleRecoveryParams,
    LateReportParams,
    LostInTransitParams,
    Param,
    PreScrapSeparationParams,
    ProhibitedUseParams,
    RecyclerMassBalanceParams,
    RuleParams,
    SilentBatteryParams,
    UnfitSecondLifeParams,
    params_of,
    parse_params,
)
from app.services.leakage.workdays import CST, WorkdayCalendar, cst_date

#: Python's grouping of a rule's findings (all of them: such rules cannot page inside Cypher).
Grouping = Callable[[RuleParams, list[Finding]], list[Finding]]


@dataclass(frozen=True)
class Rule:
    """One rule: its words, the model of its parameters, and how it is run."""

    id: str
    title: str
    meaning: str
    basis: str
    since: str
    company: str
    model: type[RuleParams] = RuleParams
    level: Literal["battery", "company"] = "battery"
    working_days: bool = False
    grouped: Grouping | None = field(default=None, compare=False)

    @property
    def query(self) -> str:
        return f"leakage.{self.id}"

    @property
    def all_params(self) -> tuple[Param, ...]:
        """Every parameter, the common ones (as_of, province, company) first."""
        return params_of(self.model)

    def parse(self, raw: Iterable[tuple[str, Any]] | Mapping[str, Any] = ()) -> RuleParams:
        """The rule's parameters checked (422 listing every problem) and defaulted."""
        return parse_params(self.model, self.id, raw)


def _late_by_company_month(params: RuleParams, findings: list[Finding]) -> list[Finding]:
    """Persistent lateness: a company late in ``persistent_months`` consecutive months or more."""
    if not isinstance(params, LateReportParams) or params.by != "company_month":
        return findings
    months: dict[tuple[str | None, tuple[int, int]], list[Finding]] = defaultdict(list)
    for f in findings:
        day = cst_date(f.since)
        months[(f.company, (day.year, day.month))].append(f)
    by_company: dict[str | None, list[tuple[int, int]]] = defaultdict(list)
    for company, month in months:
        by_company[company].append(month)
    out: list[Finding] = []
    needed = params.persistent_months
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
            PreScrapSeparationParams,
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
            DarkAfterRemovalParams,
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
            LostInTransitParams,
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
            ImplausibleRecoveryParams,
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
            RecyclerMassBalanceParams,
            level="company",
        ),
        Rule(
            "prohibited_use",
            "Prohibited use",
            "A waste or retired battery repurposed for a banned application (electric bicycles and the like).",
            "reg",
            "the repurposing",
            "the company that repurposed it",
            ProhibitedUseParams,
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
            "unfit_second_life",
            "Unfit second life",
            "A pack repurposed below the state of health its application needs (min_soh_pct, or "
            "backup_min_soh_pct for backup power), or with no residual energy test (GB/T 34015) in the "
            "window_days before the repurposing. The state of health is the one the repurposing reports, else "
            "that of the last test in the window, else of the last reading; banned applications are "
            "prohibited_use's.",
            "reg",
            "the repurposing",
            "the company that repurposed it",
            UnfitSecondLifeParams,
        ),
        Rule(
            "silent_battery",
            "Silent battery",
            "No event for longer than the service life of its class (first or second life), and not recycled. "
            "A pack still installed in a vehicle exported (vehicle_exported) at or after its last event left "
            "the country with it and is excused; an event about the pack after the export is judged as usual.",
            "ours",
            "the last event",
            "the current custodian, else the maker of the vehicle it is in, else its producer",
            SilentBatteryParams,
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
            LateReportParams,
            working_days=True,
            grouped=_late_by_company_month,
        ),
    )
}


def get_rule(rule_id: str) -> Rule:
    """The rule with this id, or a 404 listing the valid ones."""
    try:
        return RULES[rule_id]
    except KeyError:
        raise UnknownRule(rule_id, list(RULES)) from None


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


def resolve_params(rule: Rule, raw: Iterable[tuple[str, Any]] | Mapping[str, Any] = ()) -> dict[str, Any]:
    """The rule's checked parameters by name, for callers that read them as a mapping."""
    return dict(rule.parse(raw))
