"""Stored findings as cases: the regulator's queue, the case and its history, the feed of changes,
counts per day, a company's answers and its open duties. Routes only translate; ``app.services.findings``
decides."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from fastapi.responses import StreamingResponse

from app.api.auth import ADMITTED, Admitted
from app.api.deps import DbDep, SettingsDep
from app.api.params import INVALID_BATTERY_CODE, INVALID_USCC, AwareQuery, Paging, SkipPaging, checked
from app.errors import Forbidden
from app.identifiers.types import check_battery_code, check_uscc
from app.schemas.examples import ANSWER_EXAMPLES, CASE_UPDATE_EXAMPLES
from app.schemas.findings import (
    Case,
    CaseDetail,
    CasePage,
    CaseUpdate,
    ChangesPage,
    CompanyAnswer,
    DailyCounts,
    DutyList,
    SweepReport,
)
from app.security import Principal, check_province_param, findings_company, province_scope
from app.services import findings, leakage

router = APIRouter(prefix="/v1", tags=["findings"], dependencies=ADMITTED)
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "no such finding, or not one this key may see"}}
CSV_COLUMNS = (
    "id", "rule", "status", "battery", "company", "company_name", "province", "since", "first_seen",
    "last_seen", "resolved_at", "resolved_by", "assignee", "evidence", "missing",
)  # fmt: skip


def _company_filter(who: Principal, company: str | None) -> str | None:
    """A reporter sees its own company's findings only (403 for another); others filter as they ask."""
    if company is not None:
        company = checked(company, check_uscc, "company", INVALID_USCC)
    if who.role != "reporter":
        return company
    if company is not None and company != who.company:
        raise Forbidden(f"a reporter key for {who.company} sees only its own company's findings, not {company}")
    return who.company


def _filters(
    who: Admitted,
    status: Annotated[
        list[str] | None, Query(description="open, under_review, company_answered, confirmed, dismissed, resolved")
    ] = None,
    rule: Annotated[list[str] | None, Query(description="rule ids (see /v1/leakage/rules)")] = None,
    province: Annotated[list[str] | None, Query(description="GB/T 2260 province codes")] = None,
    company: Annotated[str | None, Query(max_length=64, description="USCC of the company answerable")] = None,
    battery: Annotated[str | None, Query(max_length=64, description="GB/T 34014 battery code")] = None,
    since: Annotated[datetime | None, AwareQuery("since", "only findings first seen at or after this moment")] = None,
    since_from: Annotated[
        datetime | None, AwareQuery("since_from", "only findings whose `since` is at or after this moment")
    ] = None,
    since_until: Annotated[
        datetime | None, AwareQuery("since_until", "only findings whose `since` is at or before this moment")
    ] = None,
) -> findings.CaseFilters:
    for p in province or []:
        check_province_param(who, p)
    return findings.CaseFilters(
        statuses=status,
        rules=rule,
        province=province,
        company=_company_filter(who, company),
        battery=None if battery is None else checked(battery, check_battery_code, "battery", INVALID_BATTERY_CODE),
        seen_since=since,
        since_from=since_from,
        since_until=since_until,
    )


Filters = Annotated[findings.CaseFilters, Depends(_filters)]


def _scope(who: Principal) -> list[str] | None:
    return None if who.role == "reporter" else province_scope(who)


@router.get("/findings")
def list_findings(
    db: DbDep, who: Admitted, filters: Filters, page: Annotated[Paging, SkipPaging(10_000_000)]
) -> CasePage:
    """Stored findings, oldest problem first, filtered by status, rule, province, company, battery and
    first seen; a reporter's key sees those naming its company. Follow `next_skip`."""
    return findings.list_cases(db, filters, provinces=_scope(who), skip=page.skip, limit=page.limit)


def _csv(cases: Iterator[Case]) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for c in cases:
        row = c.model_dump(mode="json")
        row["evidence"] = ";".join(c.evidence)
        writer.writerow([row.get(k) if row.get(k) is not None else "" for k in CSV_COLUMNS])
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


@router.get("/findings/export", response_class=StreamingResponse)
def export_findings(db: DbDep, who: Admitted, filters: Filters, format: Literal["csv"] = "csv") -> StreamingResponse:
    """Every stored finding the filters select, as CSV (UTF-8, one row per finding, evidence joined by ';')."""
    rows = findings.iter_cases(db, filters, provinces=_scope(who))
    return StreamingResponse(
        _csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="findings.csv"'},
    )


@router.get("/findings/changes")
def finding_changes(
    db: DbDep,
    who: Admitted,
    settings: SettingsDep,
    after: Annotated[
        int, Query(ge=0, le=2**62, description="the `next_after` of the previous answer; 0 for the start")
    ] = 0,
    limit: Annotated[int | None, Query(ge=1)] = None,
) -> ChangesPage:
    """Changes of findings in the order they were committed, after a position: poll with the last
    `next_after` and no change is missed. A reporter's key sees its own company's."""
    size = min(limit or settings.default_page_size, settings.max_page_size)
    company = who.company if who.role == "reporter" else None
    return findings.changes(db, after, size, provinces=_scope(who), company=company)


@router.get("/findings/daily")
def findings_daily(
    db: DbDep,
    who: Admitted,
    start: Annotated[
        date | None, Query(alias="from", description="first day (CST); default 30 days before `to`")
    ] = None,
    end: Annotated[date | None, Query(alias="to", description="last day; default today")] = None,
) -> DailyCounts:
    """New, resolved and open stored findings per day by rule and province."""
    last = end or leakage.cst_date(datetime.now().astimezone())
    return findings.daily(db, start or last - timedelta(days=30), last, province_scope(who))


@router.post("/findings/sweep")
def sweep_findings(
    db: DbDep,
    settings: SettingsDep,
    as_of: Annotated[datetime | None, AwareQuery("as_of", "the moment the rules judge at; default now")] = None,
) -> SweepReport:
    """Run every rule now and bring the stored findings up to date (the API also does so by itself)."""
    return findings.sweep(db, leakage.calendar_for(settings), as_of=as_of, workers=settings.leakage_workers)


@router.get("/findings/{finding_id}", responses=NOT_FOUND)
def get_finding(finding_id: Annotated[str, Path(max_length=64)], db: DbDep, who: Admitted) -> CaseDetail:
    """One case with its history (a reporter sees the notes shared with it)."""
    return findings.detail(db, finding_id, who, _scope(who))


@router.patch("/findings/{finding_id}", responses={**NOT_FOUND, 409: {"description": "the case is resolved"}})
def update_finding(
    finding_id: Annotated[str, Path(max_length=64)],
    change: Annotated[CaseUpdate, Body(openapi_examples=CASE_UPDATE_EXAMPLES)],
    request: Request,
    db: DbDep,
    who: Admitted,
) -> Case:
    """A regulator's change: status (a dismissal needs a note), assignee, a note (shared with the company or not)."""
    case, said = findings.update(db, finding_id, change, who, province_scope(who))
    request.state.audit_note = said
    return case


@router.post("/findings/{finding_id}/answer", responses=NOT_FOUND)
def answer_finding(
    finding_id: Annotated[str, Path(max_length=64)],
    reply: Annotated[CompanyAnswer, Body(openapi_examples=ANSWER_EXAMPLES)],
    request: Request,
    db: DbDep,
    who: Admitted,
) -> Case:
    """The company named answerable answers: a note, the event ids of the missing steps it has since
    reported, or both; the case moves to `company_answered`."""
    case, said = findings.answer(db, finding_id, reply, who)
    request.state.audit_note = said
    return case


@router.get("/companies/me/duties")
def my_duties(
    db: DbDep,
    who: Admitted,
    settings: SettingsDep,
    company: Annotated[
        str | None, Query(max_length=64, description="USCC (admin keys; a reporter's own by default)")
    ] = None,
    as_of: Annotated[datetime | None, AwareQuery("as_of", "the moment to count from; default now")] = None,
) -> DutyList:
    """The steps the key's company still owes, with their deadlines in Chinese working days, before they pass."""
    if company is not None:
        company = checked(company, check_uscc, "company", INVALID_USCC)
    whose = findings_company(who, company)
    return findings.duties(db, whose, leakage.calendar_for(settings), as_of)
