"""The public answers (``/public/...``, no key): what a vehicle owner may learn, and nothing more.

Each model lists every field a public answer can hold; ``tests/api/test_public.py`` checks that no
other key, and no company, vehicle or event date of the world, ever appears in one.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.lifecycle.stages import PublicStage

Advice = Literal["hand_to_licensed", "second_life_firm", "nothing_to_do", "check_code"]


class _Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Words(_Answer):
    """One value in both languages."""

    zh: str = Field(description="in Chinese")
    en: str = Field(description="in English")


class PublicProvince(_Answer):
    code: str = Field(description="GB/T 2260 province-level code")
    zh: str = Field(description="its name in Chinese")
    en: str = Field(description="its name in English")


class PublicTerm(_Answer):
    name: str = Field(description="the closed value (a role, a licence scope, a chemistry)")
    zh: str = Field(description="its name in Chinese")
    en: str = Field(description="its name in English")


class PublicLicence(_Answer):
    """A white-list licence in force: what it licenses, the batch that listed it, its validity."""

    scope: PublicTerm = Field(description="what it licenses: dismantling, second_life or recycling")
    batch: int | None = Field(description="the white list's batch that named it (null: not given)")
    valid_from: date = Field(description="first day it holds")
    valid_to: date | None = Field(description="last day it holds; null while it runs")


class PublicFirm(_Answer):
    """A company of the white list, or a recycling service point, as its registry record names it."""

    uscc: str = Field(description="unified social credit code, to check with /public/companies/{uscc}/licence")
    name: str = Field(description="the registered name, as registered (usually Chinese)")
    name_en: str | None = Field(description="its name in English, when the registry holds one")
    roles: list[PublicTerm] = Field(description="its roles on the white list (or service point)")
    licences: list[PublicLicence] = Field(description="licences in force today (none for a service point)")


class RecyclersAnswer(_Answer):
    province: PublicProvince = Field(description="the province asked for")
    as_of: date = Field(description="the day (China Standard Time) the licences were checked for")
    licensed: list[PublicFirm] = Field(
        description="dismantlers, second-life firms and recyclers with a white-list licence in force today"
    )
    service_points: list[PublicFirm] = Field(description="the makers' recycling service points registered there")
    advice: Words = Field(description="what to do, in plain words")


class LicenceAnswer(_Answer):
    uscc: str = Field(description="the unified social credit code asked about")
    registered: bool = Field(description="whether the platform's company registry holds this code")
    name: str | None = Field(description="the registered name (null when not registered)")
    name_en: str | None = Field(description="its name in English, when the registry holds one")
    province: PublicProvince | None = Field(description="where it is registered")
    roles: list[PublicTerm] = Field(description="its registered roles in the chain")
    licensed: bool = Field(description="a white-list licence in force today")
    licences: list[PublicLicence] = Field(description="the licences in force today: what for, until when")
    lapsed_on: date | None = Field(description="not licensed now but was: the last day of its latest licence")
    service_point: bool = Field(description="a registered recycling service point (needs no white-list licence)")
    as_of: date = Field(description="the day (China Standard Time) the licences were checked for")
    advice: Words = Field(description="what to do, in plain words")


class PublicMaker(_Answer):
    code: str = Field(description="GB/T 34014 positions 1-3")
    name: str | None = Field(description="the registered battery maker with this code, if there is one")


class DecodedCode(_Answer):
    """What the code itself says (GB/T 34014), whatever the platform knows."""

    maker: PublicMaker = Field(description="the maker code and the registered maker it names")
    level: str = Field(description="pack, module or cell")
    chemistry: PublicTerm = Field(description="the battery type of position 5")
    chemistry_confirmed: bool = Field(description="whether this type letter's reading is confirmed from the standard")
    production_year: int = Field(description="from position 15 (24-character form) or 8 (second-life form)")
    production_month: int = Field(description="from the character after the year")
    production_date: date | None = Field(description="null when the day character does not decode")
    second_life_code: bool = Field(description="the 19-character form a repurposed battery is re-coded with")


class BatteryAnswer(_Answer):
    code: str = Field(description="the code as read (upper-cased, spaces trimmed)")
    valid: bool = Field(description="whether the code is a well-formed GB/T 34014 code")
    problem: str | None = Field(description="what is wrong with the code, when it is not well-formed")
    decoded: DecodedCode | None = Field(description="what the code says; null when it is not well-formed")
    stage: PublicStage = Field(
        description="in_use, second_life, recycled; unknown for a code the platform does not know, malformed or not"
    )
    last_holder_licensed: bool | None = Field(
        description="whether the last company that held it is on the white list today (null: unknown)"
    )
    advice: Advice = Field(
        description="hand_to_licensed, second_life_firm, nothing_to_do, or check_code (unknown or malformed)"
    )
    advice_words: Words = Field(description="the advice in plain words")
