"""The summary: every rule with its defaults, counted by rule, province and company.

Rates are per thousand of a denominator the graph holds (packs nationally, custodies of the
province's or the company's registered companies, and for provinces also the packs with an event
there), so that a large recycler and a small
workshop can be compared. For a province-limited key only the findings in its provinces are
counted, and the packs within them (``app.security.access``) are the national denominator.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from typing import Any

from app.db import Database
from app.repositories import leakage as repo
from app.schemas.leakage import CompanyCount, ProvinceCount, ProvinceDenominator, RuleCount, Summary
from app.services.leakage.catalogue import RULES, list_rules
from app.services.leakage.params import RuleParams, parse_params
from app.services.leakage.recovery import recovery_report
from app.services.leakage.running import run_all
from app.services.leakage.workdays import WorkdayCalendar


def _rate(count: int, denominator: int) -> float | None:
    return round(count * 1000.0 / denominator, 3) if denominator else None


#: One count: rule, province, company, company name, how many.
Tally = tuple[str, str | None, str | None, str | None, int]


def summary(
    db: Database,
    raw_params: Iterable[tuple[str, Any]] | Mapping[str, Any],
    calendar: WorkdayCalendar,
    *,
    workers: int = 1,
    provinces: Collection[str] | None = None,
) -> Summary:
    """Every rule with its defaults: counts and rates per thousand by rule, province and company
    (only over ``provinces``, when given)."""
    params = parse_params(RuleParams, "summary", raw_params)
    seconds: dict[str, float] = {}
    every = run_all(db, calendar, dict(params), workers=workers, seconds=seconds)
    tallies = [
        (rule_id, f.province, f.company, f.company_name, 1)
        for rule_id, findings in every.items()
        for f in findings
        if provinces is None or f.province in provinces
    ]
    below = [r.company for r in recovery_report(db, as_of=params.as_of, provinces=provinces).recyclers if r.below]
    return assemble(db, params.as_of, tallies, seconds, calendar, provinces=provinces, recovery_below=below)


def assemble(
    db: Database,
    as_of: datetime,
    tallies: Iterable[Tally],
    seconds: Mapping[str, float],
    calendar: WorkdayCalendar,
    *,
    provinces: Collection[str] | None = None,
    packs_known: tuple[int, int] | None = None,
    province_packs_known: dict[str, int] | None = None,
    **extra: Any,
) -> Summary:
    """The summary of counted findings (computed now, or stored): rates against the graph's
    denominators (``packs_known``: the national packs and batteries, ``province_packs_known``: the
    packs per province, when already counted)."""
    by_rule: dict[str, int] = dict.fromkeys(RULES, 0)
    by_province: dict[tuple[str | None, str], int] = defaultdict(int)
    by_company: dict[tuple[str | None, str], int] = defaultdict(int)
    names: dict[str, tuple[str | None, str | None]] = {}
    if provinces is None:
        packs, batteries = packs_known or repo.battery_count(db)
    else:
        packs, batteries = repo.battery_count_in_provinces(db, sorted(provinces))
    for rule_id, province, company, company_name, n in tallies:
        by_rule[rule_id] += n
        by_province[(province, rule_id)] += n
        by_company[(company, rule_id)] += n
        if company:
            names.setdefault(company, (company_name, province))
    rule_rows = [
        RuleCount(rule=r, count=n, per_thousand=_rate(n, packs), seconds=round(seconds.get(r, 0.0), 3))
        for r, n in by_rule.items()
    ]
    province_handled = repo.province_handled(db)
    province_packs = province_packs_known if province_packs_known is not None else repo.province_packs(db)
    companies = repo.company_handled(db, sorted(c for c, _ in by_company if c))
    province_rows = [
        ProvinceCount(
            province=p,
            rule=r,
            count=n,
            handled=province_handled.get(p, 0),
            per_thousand=_rate(n, province_handled.get(p, 0)),
            packs=province_packs.get(p or "", 0),
            per_thousand_packs=_rate(n, province_packs.get(p or "", 0)),
        )
        for (p, r), n in sorted(by_province.items(), key=lambda kv: (kv[0][0] or "", kv[0][1]))
    ]
    company_rows = []
    for (c, r), n in sorted(by_company.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])):
        known = companies.get(c or "")
        handled = known.handled if known else 0
        name, province = names.get(c or "", (None, None))
        company_rows.append(
            CompanyCount(
                company=c,
                name=known.name if known else name,
                province=known.province if known else province,
                rule=r,
                count=n,
                handled=handled,
                per_thousand=_rate(n, handled),
            )
        )
    return Summary(
        as_of=as_of,
        packs=packs,
        batteries=batteries,
        by_rule=rule_rows,
        by_province=province_rows,
        by_company=company_rows,
        provinces=[
            ProvinceDenominator(province=p, packs=province_packs.get(p, 0), handled=province_handled.get(p, 0))
            for p in sorted({*province_packs, *(k for k in province_handled if k)})
            if provinces is None or p in provinces
        ],
        calendar=list_rules(calendar).calendar,
        **extra,
    )
