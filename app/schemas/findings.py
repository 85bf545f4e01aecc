"""Answers and requests of the stored findings: cases, their history, the feed, the daily counts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.leakage import Finding

Status = Literal["open", "under_review", "company_answered", "confirmed", "dismissed", "resolved"]
STATUSES: tuple[str, ...] = ("open", "under_review", "company_answered", "confirmed", "dismissed", "resolved")
#: What a regulator may set; ``company_answered`` is the company's answer, ``resolved`` the record's.
RegulatorStatus = Literal["open", "under_review", "confirmed", "dismissed"]
ChangeKind = Literal["opened", "reopened", "resolved", "status", "assigned", "note", "answered"]


class Case(Finding):
    """A finding as kept: what the rule found, when it was first and last seen, and the case around it."""

    id: str = Field(description="stable: the rule, the subject and the evidence that opened it")
    status: Status
    assignee: str | None = None
    first_seen: datetime = Field(description="the sweep that first found it")
    last_seen: datetime | None = Field(description="the last sweep that found it (for an unresolved one: the latest)")
    resolved_at: datetime | None = Field(None, description="the sweep that no longer found it")
    resolved_by: str | None = Field(None, description="event_id of the late step or correction that cleared it")
    answered_at: datetime | None = None
    updated_at: datetime


class CasePage(BaseModel):
    items: list[Case]
    swept_at: datetime | None = Field(description="when the stored findings were last brought up to date")
    skip: int
    limit: int
    next_skip: int | None = None


class Change(BaseModel):
    """One entry of a case's history and of the feed: who changed what, when."""

    seq: int = Field(description="position in the feed; the cursor of /v1/findings/changes")
    finding: str
    kind: ChangeKind
    at: datetime
    by: str = Field(description="key id of who made it, or 'sweep' for the record itself")
    role: str | None = None
    status: Status = Field(description="the case's status after the change")
    previous: Status | None = None
    note: str | None = None
    shared: bool | None = Field(None, description="a regulator's note the company sees")
    events: list[str] | None = Field(None, description="event ids a company's answer names")
    resolved_by: str | None = None
    rule: str
    battery: str | None = None
    company: str | None = None
    province: str | None = None


class CaseDetail(BaseModel):
    case: Case
    history: list[Change]


class ChangesPage(BaseModel):
    items: list[Change]
    next_after: int = Field(description="pass as `after` to get what follows; the same value when nothing new")


class CaseUpdate(BaseModel):
    """A regulator's change to a case: any of status, assignee and a note; a dismissal needs a note."""

    model_config = ConfigDict(extra="forbid")

    status: RegulatorStatus | None = None
    assignee: str | None = Field(None, max_length=200, description="who works the case; '' clears it")
    note: str | None = Field(None, min_length=1, max_length=4000)
    shared: bool = Field(False, description="the company answerable sees the note")


class CompanyAnswer(BaseModel):
    """A company's answer to a finding that names it: a note, the events it sent since, or both."""

    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(None, min_length=1, max_length=4000)
    events: list[str] = Field([], max_length=1000, description="event ids of the missing steps it reported")


class SweepReport(BaseModel):
    """What one sweep did: the rules run as of a moment, and the findings it opened or resolved."""

    swept_at: datetime
    as_of: datetime
    events_seen: int
    found: int
    opened: int
    reopened: int
    resolved: int
    updated: int
    open: int = Field(description="findings unresolved after the sweep")
    seconds: float
    rule_seconds: dict[str, float]


class DayCount(BaseModel):
    day: date
    rule: str
    province: str | None
    new: int = Field(description="findings first seen that day (or found again after being resolved)")
    resolved: int
    open: int = Field(description="findings unresolved at the end of the day")


class DailyCounts(BaseModel):
    start: date
    end: date
    days: list[DayCount]


class Duty(BaseModel):
    """A step the company owes before a deadline, while it is still on time."""

    rule: str = Field(description="the rule that fires if the deadline passes with nothing reported")
    battery: str
    since: datetime = Field(description="the event that started the clock")
    event: str = Field(description="its event_id")
    deadline: date = Field(description="the last working day, China Standard Time")
    workdays_left: int
    due: str = Field(description="the step owed, in words")


class DutyList(BaseModel):
    company: str
    as_of: datetime
    items: list[Duty]
