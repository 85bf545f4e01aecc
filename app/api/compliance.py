"""A reporting company's compliance view: the leakage findings that name it as answerable."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.api.auth import ADMITTED, Admitted
from app.api.deps import DbDep, SettingsDep
from app.api.params import INVALID_USCC, AwareQuery, Paging, SkipPaging, checked
from app.identifiers.types import check_uscc
from app.schemas.leakage import CompanyFindingsPage
from app.schemas.trace import Submissions
from app.security import findings_company
from app.services import leakage, submissions

router = APIRouter(prefix="/v1/companies", tags=["leakage"], dependencies=ADMITTED)


CompanyQuery = Query(max_length=64, description="USCC (admin keys; a reporter's own by default)")
RuleQuery = Query(max_length=64, description="one rule id (see /v1/leakage/rules); default every rule")


def _company(company: Annotated[str | None, CompanyQuery] = None) -> str | None:
    return None if company is None else checked(company, check_uscc, "company", INVALID_USCC)


@router.get("/me/findings", responses={404: {"description": "no such rule; the answer lists the valid rule ids"}})
def my_findings(
    db: DbDep,
    who: Admitted,
    settings: SettingsDep,
    page: Annotated[Paging, SkipPaging(10_000_000)],
    company: Annotated[str | None, Depends(_company)],
    as_of: Annotated[datetime | None, AwareQuery("as_of", "the moment the rules judge at (RFC 3339 with offset)")],
    rule: Annotated[str | None, RuleQuery] = None,
) -> CompanyFindingsPage:
    """The findings naming the key's own company as answerable, of every rule or one, in time order;
    follow `next_skip`. Admin keys name the company with `company=`."""
    whose = findings_company(who, company)
    calendar = leakage.calendar_for(settings)
    return leakage.company_findings(db, whose, rule, calendar, skip=page.skip, limit=page.limit, as_of=as_of)


@router.get("/me/events")
def my_events(
    db: DbDep,
    who: Admitted,
    company: Annotated[str | None, Depends(_company)],
    limit: Annotated[int, Query(ge=1, le=100, description="at most this many, newest first")] = 20,
) -> Submissions:
    """The key's company's latest events, newest first by recording time: each with its receipt (its
    place in the verifiable log), whether it was corrected, and the warnings it drew. Admin keys name
    the company with `company=`."""
    return submissions.recent_submissions(db, findings_company(who, company), limit)
