"""The shared pieces of the rule parameter models: one annotated type per kind of parameter.

Each type carries a before-validator with the domain's own checks and words (a '+' that arrived
as a space in an offset, a USCC's check character, application names, the ceilings' shape), so
that query strings and typed Python values are coerced alike and every problem has one wording.
Bounds are not here: the models declare them on their fields (``ge``/``le``), where the catalogue
reads them too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import BeforeValidator

from app.identifiers import IdentifierError, parse_uscc

_PROVINCE = re.compile(r"^\d{6}$")
_APPLICATION = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_ELEMENT = re.compile(r"^[a-z]{1,2}$")
_PLUS_AS_SPACE = re.compile(r"^(.*T[\d:.]+) (\d\d:?\d\d)$")

# --- coercion: one function per parameter type, raising ValueError with the reason --------


def _checked(coerce: Callable[[Any], Any], *, nullable: bool = False) -> BeforeValidator:
    """Absence first (None, or '' where the parameter may be null), then the type's own coercion."""

    def validate(value: Any) -> Any:
        if value is None or (nullable and isinstance(value, str) and value == ""):
            if nullable:
                return None
            raise ValueError("a value is required")
        return coerce(value)

    return BeforeValidator(validate)


def _datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        # An unescaped '+' in a query string arrives as a space: "...T09:00:00 08:00".
        text = _PLUS_AS_SPACE.sub(r"\1+\2", str(value).strip()).replace("Z", "+00:00")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError("not an RFC 3339 datetime, e.g. 2026-01-01T00:00:00+08:00") from None
    if moment.tzinfo is None:
        raise ValueError("needs a UTC offset (RFC 3339), e.g. 2026-01-01T00:00:00+08:00")
    return moment


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("not an integer")
    if isinstance(value, int):
        return value
    try:
        return int(str(value))
    except ValueError:
        raise ValueError("not an integer") from None


def _float(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError("not a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError("not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError("not a finite number")
    return number


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def choose(value: Any) -> str:
        text = str(value).strip()
        if text not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return text

    return choose


def _province(value: Any) -> str:
    text = str(value).strip()
    if not _PROVINCE.match(text):
        raise ValueError("a GB/T 2260 province code has 6 digits, e.g. 310000")
    return text


def _uscc(value: Any) -> str:
    try:
        return parse_uscc(str(value).strip()).code
    except IdentifierError as err:
        raise ValueError(f"not a unified social credit code: {err}") from None


def _applications(value: Any) -> list[str]:
    parts = [value] if isinstance(value, str) else list(value)
    items = [item.strip() for part in parts for item in str(part).split(",") if item.strip()]
    if not items:
        raise ValueError("at least one value is needed")
    bad = [item for item in items if not _APPLICATION.match(item)]
    if bad:
        raise ValueError(f"not application names (lower-case, digits, underscores): {', '.join(bad)}")
    return sorted(set(items))


def _ceilings(value: Any) -> dict[str, dict[str, float]]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise ValueError("not JSON: give {class: {element: share}}") from None
    if not isinstance(value, dict) or not value:
        raise ValueError("a JSON object {class: {element: share}} is needed")
    out: dict[str, dict[str, float]] = {}
    for chem, shares in value.items():
        if not isinstance(shares, dict):
            raise ValueError(f"{chem}: an object {{element: share}} is needed")
        out[str(chem).lower()] = {}
        for element, share in shares.items():
            if not _ELEMENT.match(str(element)):
                raise ValueError(f"{chem}.{element}: elements are 1-2 lower-case letters (li, co, ni, mn)")
            if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
                raise ValueError(f"{chem}.{element}: a share between 0 and 1 is needed")
            out[str(chem).lower()][str(element)] = float(share)
    return out


# --- the types ------------------------------------------------------------------------------

Moment = Annotated[datetime, _checked(_datetime)]
OptionalMoment = Annotated[datetime | None, _checked(_datetime, nullable=True)]
Province = Annotated[str | None, _checked(_province, nullable=True)]
Uscc = Annotated[str | None, _checked(_uscc, nullable=True)]
Int = Annotated[int, _checked(_int)]
Number = Annotated[float, _checked(_float)]
Applications = Annotated[list[str], _checked(_applications)]
Ceilings = Annotated[dict[str, dict[str, float]], _checked(_ceilings)]
Grouping = Literal["event", "company_month"]
GroupingChoice = Annotated[Grouping, _checked(_one_of(get_args(Grouping)))]
