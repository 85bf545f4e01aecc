"""Reading the stored findings: lists, the feed of changes, counts per day, a company's open duties."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from app.db import Database
from app.errors import FieldProblem, InvalidInput
from app.repositories import findings as repo
from app.schemas.findings import STATUSES, Case, CasePage, ChangesPage, DailyCounts, DayCount, Duty, DutyList
from app.services import leakage
from app.services.leakage.params import DarkAfterRemovalParams, LostInTransitParams

#: How far back a company's duties are looked for: longer than any default limit in working days.
DUTY_WINDOW = timedelta(days=120)
#: The longest span of days one daily answer covers.
MAX_DAYS = 366


def _scope(provinces: Collection[str] | None, asked: list[str] | None) -> list[str] | None:
    """The provinces a list covers: those asked for, within a limited key's own."""
    if provinces is None:
        return asked or None
    return sorted(set(asked) & set(provinces)) if asked else sorted(provinces)


def _known(values: list[str] | None, valid: Collection[str], field: str) -> list[str] | None:
    if not values:
        return None
    problems = [
        FieldProblem(field, f"{v!r} is not one of {', '.join(valid)}", i)
        for i, v in enumerate(values)
        if v not in valid
    ]
    if problems:
        raise InvalidInput(problems)
    return values


@dataclass(frozen=True)
class CaseFilters:
    """What a list of stored findings selects; every filter is optional."""

    statuses: list[str] | None = None
    rules: list[str] | None = None
    province: list[str] | None = None
    company: str | None = None
    battery: str | None = None
    seen_since: datetime | None = None
    since_from: datetime | None = None
    since_until: datetime | None = None


def list_cases(
    db: Database, filters: CaseFilters, *, provinces: Collection[str] | None, skip: int = 0, limit: int = 50
) -> CasePage:
    """A page of stored findings, oldest problem first; a limited key's own provinces at most."""
    if filters.since_from and filters.since_until and filters.since_until < filters.since_from:
        raise InvalidInput([FieldProblem("since_until", f"is before since_from ({filters.since_from.isoformat()})")])
    scope = _scope(provinces, filters.province)
    rows: list[Case] = []
    if scope != []:
        rows = repo.list_cases(
            db,
            skip=skip,
            limit=limit + 1,
            statuses=_known(filters.statuses, STATUSES, "status"),
            rules=_known(filters.rules, list(leakage.RULES), "rule"),
            provinces=scope,
            company=filters.company,
            battery=filters.battery,
            seen_since=filters.seen_since,
            since_from=filters.since_from,
            since_until=filters.since_until,
        )
    state = repo.feed_state(db)
    return CasePage(
        items=rows[:limit],
        swept_at=state.swept_at,
        skip=skip,
        limit=limit,
        next_skip=skip + limit if len(rows) > limit else None,
    )


def iter_cases(
    db: Database, filters: CaseFilters, *, provinces: Collection[str] | None, page: int = 1000
) -> Iterator[Case]:
    """Every stored finding the filters select, a page at a time (exports). The first page is read
    here, so bad filters are refused (422) before a streamed answer has begun."""
    first = list_cases(db, filters, provinces=provinces, skip=0, limit=page)
    return _pages(db, filters, provinces, page, first)


def _pages(
    db: Database, filters: CaseFilters, provinces: Collection[str] | None, page: int, got: CasePage
) -> Iterator[Case]:
    while True:
        yield from got.items
        if got.next_skip is None:
            return
        got = list_cases(db, filters, provinces=provinces, skip=got.next_skip, limit=page)


def changes(
    db: Database, after: int, limit: int, *, provinces: Collection[str] | None, company: str | None
) -> ChangesPage:
    """The feed after a position; ``next_after`` is the last position answered (or ``after``)."""
    scope = sorted(provinces) if provinces is not None else None
    items = repo.changes(db, after, scope, company, limit)
    return ChangesPage(items=items, next_after=items[-1].seq if items else after)


def daily(db: Database, start: date, end: date, provinces: Collection[str] | None) -> DailyCounts:
    """New, resolved and open findings per day by rule and province, from the feed."""
    if end < start:
        raise InvalidInput([FieldProblem("to", f"{end} is before from={start}")])
    if (end - start).days >= MAX_DAYS:
        raise InvalidInput([FieldProblem("to", f"at most {MAX_DAYS} days in one answer")])
    scope = sorted(provinces) if provinces is not None else None
    open_before: dict[tuple[str, str | None], int] = defaultdict(int)
    per_day: dict[tuple[date, str, str | None], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in repo.daily(db, start, end, scope):
        sign = -1 if r.kind == "resolved" else 1
        if r.day is None:
            open_before[(r.rule, r.province)] += sign * r.count
        else:
            per_day[(r.day, r.rule, r.province)][r.kind] += r.count
    keys = sorted(
        {(rule, p) for (_, rule, p) in per_day} | {k for k, n in open_before.items() if n},
        key=lambda k: (k[0], k[1] or ""),
    )
    days: list[DayCount] = []
    for rule, province in keys:
        running = open_before[(rule, province)]
        d = start
        while d <= end:
            got = per_day.get((d, rule, province))
            if got is not None:
                new = got["opened"] + got["reopened"]
                running += new - got["resolved"]
                days.append(
                    DayCount(day=d, rule=rule, province=province, new=new, resolved=got["resolved"], open=running)
                )
            d += timedelta(days=1)
    days.sort(key=lambda c: (c.day, c.rule, c.province or ""))
    return DailyCounts(start=start, end=end, days=days)


def duties(db: Database, company: str, calendar: leakage.WorkdayCalendar, as_of: datetime | None = None) -> DutyList:
    """The steps the company still owes and the deadlines they are due by (the rules' default limits),
    those not passed yet: a deadline passed with nothing reported is a finding instead."""
    moment = as_of or datetime.now(UTC)
    today = leakage.cst_date(moment)
    removal = DarkAfterRemovalParams()
    transit = LostInTransitParams()
    items = []
    for r in repo.open_duties(db, company, moment - DUTY_WINDOW):
        if r.since > moment:
            continue
        start = leakage.cst_date(r.since)
        if r.side == "removed":
            limit = removal.scrapping_limit_wd if r.reason == "scrapping" else removal.limit_wd
            due = (
                f"battery {r.battery} removed on {start} ({r.reason}): its next custodian (installation, "
                "shipment, receipt by another company, recycling or repurposing)"
            )
        elif r.side == "sent":
            limit = transit.limit_wd
            due = f"battery {r.battery} shipped on {start} to {r.counterparty}: its receipt, reported by the addressee"
        else:
            limit = transit.limit_wd
            due = f"battery {r.battery} shipped to you on {start} by {r.counterparty}: your receipt"
        deadline = calendar.add_workdays(start, limit)
        if deadline < today:
            continue
        left = calendar.workdays_between(today, deadline)
        items.append(
            Duty(
                rule=r.rule,
                battery=r.battery,
                since=r.since,
                event=r.event,
                deadline=deadline,
                workdays_left=left,
                due=due,
            )
        )
    items.sort(key=lambda d: (d.deadline, d.since, d.event))
    return DutyList(company=company, as_of=moment, items=items)
