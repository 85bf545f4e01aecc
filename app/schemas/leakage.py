"""Answers of the leakage endpoints: the rule catalogue, findings and their summary."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

ParamType = Literal["datetime", "int", "float", "str", "str_list", "json"]


class ParamInfo(BaseModel):
    name: str
    type: ParamType
    default: Any = Field(description="null for as_of means 'now'")
    description: str
    nullable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: list[str] | None = None


class RuleInfo(BaseModel):
    id: str
    title: str
    meaning: str
    basis: str = Field(description="reg (regulation or standard), practice (documented industry behaviour), ours")
    level: Literal["battery", "company"] = Field(
        description="battery: one finding per battery code; company: battery is null and the company is the key"
    )
    since: str = Field(description="what the finding's `since` is")
    company: str = Field(description="who the finding names as answerable")
    working_days: bool = Field(description="limits counted in Chinese working days (official calendar)")
    parameters: list[ParamInfo]


class RuleList(BaseModel):
    rules: list[RuleInfo]
    calendar: str = Field(description="where working days come from")


class Finding(BaseModel):
    """One case for an inspector: what is missing, since when, who answers, and the events that show it."""

    rule: str
    battery: str | None = Field(description="GB/T 34014 code; null for company-level rules")
    since: datetime
    company: str | None = Field(description="USCC of the company answerable")
    company_name: str | None = None
    province: str | None = Field(description="GB/T 2260 code: the evidence event's, else the company's")
    evidence: list[str] = Field(description="event_ids; never a corrected event")
    missing: str = Field(description="the missing step, in words")
    details: dict[str, Any] = {}


class FindingsPage(BaseModel):
    rule: str
    as_of: datetime
    parameters: dict[str, Any] = Field(description="the effective parameter values, defaults filled in")
    items: list[Finding]
    skip: int
    limit: int
    next_skip: int | None = None


class CompanyFindingsPage(BaseModel):
    """The findings naming one company as answerable (a reporter's own compliance view)."""

    company: str
    rule: str | None = Field(description="the rule asked for; null for every rule")
    as_of: datetime
    items: list[Finding]
    skip: int
    limit: int
    next_skip: int | None = None


class RuleCount(BaseModel):
    rule: str
    count: int
    per_thousand: float | None = Field(description="findings per 1,000 packs in the graph")
    seconds: float = Field(description="time the rule took")


class ProvinceCount(BaseModel):
    province: str | None
    rule: str
    count: int
    handled: int = Field(description="battery custodies by companies registered in the province")
    per_thousand: float | None = Field(description="findings per 1,000 custodies in the province")
    packs: int = Field(0, description="packs with a standing event in the province (a pack may count in several)")
    per_thousand_packs: float | None = Field(None, description="findings per 1,000 of those packs")


class ProvinceDenominator(BaseModel):
    """One province's denominators, whether or not any finding is there (the map colours every province)."""

    province: str = Field(description="GB/T 2260 province code")
    packs: int = Field(description="packs with a standing event in the province")
    handled: int = Field(description="battery custodies by companies registered in the province")


class CompanyCount(BaseModel):
    company: str | None
    name: str | None
    province: str | None
    rule: str
    count: int
    handled: int = Field(description="battery custodies of the company")
    per_thousand: float | None = Field(description="findings per 1,000 custodies of the company")


class Summary(BaseModel):
    as_of: datetime
    packs: int
    batteries: int
    by_rule: list[RuleCount]
    by_province: list[ProvinceCount]
    by_company: list[CompanyCount]
    provinces: list[ProvinceDenominator] = Field(
        [], description="every province's denominators (packs and custodies), with findings or not"
    )
    calendar: str
    source: Literal["computed", "stored"] = Field(
        "computed", description="computed now by every rule, or read from the stored findings (see swept_at)"
    )
    swept_at: datetime | None = Field(None, description="stored: when the stored findings were last brought up to date")
    events_since_sweep: int | None = Field(None, description="stored: events recorded since then, not yet judged")
    recovery_below: list[str] = Field(
        [],
        description="USCCs of recyclers under a minimum recovery rate in the year to as_of (see /v1/leakage/recovery)",
    )


class ElementRecovery(BaseModel):
    element: Literal["li", "ni", "co", "mn"]
    content_kg: float = Field(description="estimated content of the input (mass x the class's share, see `content`)")
    recovered_kg: float
    rate: float | None = Field(description="recovered / content; null when the input holds none")
    minimum: float = Field(description="the minimum recovery rate of the industry standard conditions")
    below: bool = Field(description="rate under the minimum")
    above_content: bool = Field(
        description="more recovered than the input is estimated to hold (see implausible_recovery)"
    )


class RecyclerRecovery(BaseModel):
    company: str
    name: str | None
    province: str | None
    packs: int = Field(description="recycling events in the period, not corrected")
    input_kg: float = Field(description="input of a known chemistry class (declared, capped at the known mass)")
    unknown_packs: int = Field(description="inputs of unknown chemistry: not in the rates")
    elements: list[ElementRecovery]
    below: bool = Field(description="any element under its minimum rate")


class RecoveryReport(BaseModel):
    since: datetime
    until: datetime
    content: dict[str, dict[str, float]] = Field(
        description="kg of each element per kg of pack, by chemistry class (estimate)"
    )
    minimum: dict[str, float]
    recyclers: list[RecyclerRecovery]
