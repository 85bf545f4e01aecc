"""Regulators' view: leakage rules over the whole graph, with evidence."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse
from starlette.background import BackgroundTask

from app.api.auth import ADMITTED, Admitted
from app.api.deps import DbDep, SettingsDep
from app.api.params import AwareQuery, Paging, SkipPaging
from app.schemas.leakage import FindingsPage, RecoveryReport, RuleList, Summary
from app.security import Principal, check_province_param, province_scope
from app.services import findings, leakage

# Who reads what (findings name single batteries, the summary is aggregate figures): the route table.
router = APIRouter(prefix="/v1/leakage", tags=["leakage"], dependencies=ADMITTED)
RULE_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "no such rule; the answer lists the valid rule ids"},
    422: {"description": "a parameter is unknown to the rule or invalid; every problem is listed"},
}
# Query parameters the routes consume themselves; every other one belongs to the rule.
_PAGING = {"skip", "limit", "format"}


def _rule_params(request: Request, who: Principal) -> list[tuple[str, str]]:
    """The rule's parameters; a ``province=`` outside a province-limited key's provinces is 403."""
    for value in request.query_params.getlist("province"):
        check_province_param(who, value)
    return [(k, v) for k, v in request.query_params.multi_items() if k not in _PAGING]


@router.get("/rules")
def list_rules(settings: SettingsDep) -> RuleList:
    """Every rule: id, meaning, whom it names, and its parameters with types and defaults."""
    return leakage.list_rules(leakage.calendar_for(settings))


@router.get("/summary", responses={422: RULE_NOT_FOUND[422]})
def summary(request: Request, db: DbDep, who: Admitted, settings: SettingsDep) -> Summary:
    """Counts and rates per thousand by rule, province and company (every rule with its defaults;
    query parameters as_of, province, company). Without `as_of` it counts the stored findings as of
    their last sweep (`source: stored`, `swept_at`); with it, every rule runs now (`source: computed`)."""
    params = _rule_params(request, who)
    calendar = leakage.calendar_for(settings)
    given = dict(params)
    if "as_of" not in given and set(given) <= {"province", "company"}:
        stored = findings.stored_summary(
            db, calendar, province_scope(who), province=given.get("province"), company=given.get("company")
        )
        if stored is not None:
            return stored
    return leakage.summary(
        db,
        params,
        calendar,
        workers=settings.leakage_workers,
        provinces=province_scope(who),
    )


@router.get("/recovery", response_model=None)
def recovery(
    db: DbDep,
    who: Admitted,
    as_of: Annotated[datetime | None, AwareQuery("as_of", "the end of the period; default now")] = None,
    days: Annotated[int, Query(ge=1, le=3650, description="length of the period ending at as_of")] = 365,
    format: Literal["json", "csv"] = "json",
) -> RecoveryReport | Response:
    """Per recycler: lithium, nickel, cobalt and manganese recovered in the period against the input's
    estimated content and the minimum recovery rates (Li 90 %, Ni/Co/Mn 98 %); `below` flags a shortfall."""
    report = leakage.recovery_report(db, as_of=as_of, days=days, provinces=province_scope(who))
    if format == "json":
        return report
    return Response(
        leakage.recovery_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="recovery.csv"'},
    )


@router.get("/{rule}", responses=RULE_NOT_FOUND)
def list_findings(
    rule: str,
    request: Request,
    db: DbDep,
    who: Admitted,
    settings: SettingsDep,
    page: Annotated[Paging, SkipPaging(10_000_000)],
) -> FindingsPage:
    """A page of findings: battery, since, company answerable, evidence event ids, the missing step.
    Rule parameters (see /v1/leakage/rules) are query parameters; follow `next_skip`."""
    calendar = leakage.calendar_for(settings)
    params = _rule_params(request, who)
    return leakage.find(db, rule, params, calendar, skip=page.skip, limit=page.limit, provinces=province_scope(who))


@router.get("/{rule}/export", responses=RULE_NOT_FOUND, response_class=StreamingResponse)
def export_findings(
    rule: str,
    request: Request,
    db: DbDep,
    who: Admitted,
    settings: SettingsDep,
    format: Literal["csv", "json"] = "csv",
) -> StreamingResponse:
    """Every finding of the rule for inspectors, streamed as CSV or a JSON array."""
    params, calendar = _rule_params(request, who), leakage.calendar_for(settings)
    out = leakage.export(db, rule, params, calendar, format, provinces=province_scope(who))
    return StreamingResponse(
        out.chunks,
        media_type=out.media_type,
        headers={"Content-Disposition": f'attachment; filename="{out.filename}"'},
        background=BackgroundTask(out.close),
    )
