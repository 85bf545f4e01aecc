"""The published vocabularies a sender's values are checked against (``GET /v1/vocabularies``)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Term(BaseModel):
    name: str = Field(description="the value to send")
    zh: str
    en: str


class ChemistryTerm(Term):
    letter: str = Field(description="the GB/T 34014 battery-type letter (position 5 of the code)")
    letter_confirmed: bool = Field(description="whether that letter's reading is confirmed from the standard")
    aliases: list[str] = Field(description="other spellings accepted and stored as `name`")


class ApplicationTerm(Term):
    banned: bool = Field(description="recorded as evidence; the prohibited_use rule flags it")


class ProvinceTerm(BaseModel):
    code: str = Field(description="GB/T 2260 province-level code")
    zh: str
    en: str


class ActTerm(BaseModel):
    type: str
    reported_by: str = Field(description="who is expected to report it")
    fitting_roles: list[str] = Field(description="registered roles that fit; others are stored with a warning")
    refused: str = Field(description="what is refused outright, if anything")


class Vocabularies(BaseModel):
    chemistries: list[ChemistryTerm]
    vehicle_categories: list[Term]
    removal_reasons: list[Term]
    correction_reasons: list[Term]
    health_methods: list[Term] = Field(description="how a health_measured reading was taken")
    second_life_applications: list[ApplicationTerm] = Field(
        description="known applications; others matching [a-z][a-z0-9_]{1,39} are accepted"
    )
    licence_scopes: list[Term]
    company_roles: list[Term]
    provinces: list[ProvinceTerm]
    event_types: list[ActTerm]
    warnings: list[Term] = Field(description="the stable codes of capture warnings")
