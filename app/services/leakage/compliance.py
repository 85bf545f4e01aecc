"""A company's compliance view: the findings of every rule (or one) that name it as answerable.

Each rule is asked for the company's findings (the rules filter by ``company`` in Cypher), up to
the end of the requested page, and the answers are merged in time order (since, then rule, then
the rules' own order), so a page is the same however many rules found something.
"""

from __future__ import annotations

import heapq
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from app.db import Database
from app.schemas.leakage import CompanyFindingsPage, Finding
from app.services.leakage.catalogue import RULES, get_rule
from app.services.leakage.running import find
from app.services.leakage.workdays import WorkdayCalendar


def _order(f: Finding) -> tuple[Any, ...]:
    return (f.since, f.rule, f.battery is None, f.battery or "", f.company is None, f.company or "")


def company_findings(
    db: Database,
    company: str,
    rule_id: str | None,
    calendar: WorkdayCalendar,
    *,
    skip: int = 0,
    limit: int = 50,
    as_of: datetime | None = None,
) -> CompanyFindingsPage:
    """A page of the findings naming ``company`` as answerable, of one rule or of every rule."""
    rules = [get_rule(rule_id)] if rule_id else list(RULES.values())
    moment = as_of or datetime.now(UTC)
    params = {"company": company, "as_of": moment}
    upto = skip + limit + 1
    pages = [find(db, rule.id, params, calendar, skip=0, limit=upto).items for rule in rules]
    found = list(islice(heapq.merge(*pages, key=_order), skip, upto))
    return CompanyFindingsPage(
        company=company,
        rule=rule_id,
        as_of=moment,
        items=found[:limit],
        skip=skip,
        limit=limit,
        next_skip=skip + limit if len(found) > limit else None,
    )
