"""GB/T 34014-2017 power-battery codes: parse, validate and build.

The standard's own examples are not public, so this module validates strictly only what is sure
(length, alphabet, product type, battery-type set, month) and leniently what sources disagree on
(day letters, serial alphabet, chemistry letters other than B and E). The code tables live at
module level so a correction is a one-line change.
"""

from __future__ import annotations

import calendar
import dataclasses
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import Final, Literal

from app.identifiers.errors import IdentifierError, normalise

__all__ = [
    "BATTERY_TYPES",
    "CODE_LENGTH",
    "DAY_CODES",
    "MONTH_CODES",
    "PRODUCT_TYPES",
    "SECOND_LIFE_LENGTH",
    "YEAR_CODES",
    "BatteryCode",
    "Chemistry",
    "Level",
    "is_battery_code",
    "make_battery_code",
    "parse_battery_code",
]

Level = Literal["pack", "module", "cell"]
Chemistry = Literal["NiMH", "LFP", "LMO", "LCO", "ternary", "supercapacitor", "LTO", "other"]

CODE_LENGTH: Final = 24
#: The 24-character code minus the 7-character traceability field, plus 'R' and a product type.
SECOND_LIFE_LENGTH: Final = 19

_ALPHABET: Final = frozenset(string.ascii_uppercase + string.digits)

PRODUCT_TYPES: Final[Mapping[str, Level]] = MappingProxyType({"P": "pack", "M": "module", "C": "cell"})

#: Position 5 -> (chemistry, confirmed). Only B and E are confirmed from the standard; the other
#: letters are the commonly quoted reading and are reported with ``chemistry_confirmed=False``.
BATTERY_TYPES: Final[Mapping[str, tuple[Chemistry, bool]]] = MappingProxyType(
    {
        "A": ("NiMH", False),
        "B": ("LFP", True),
        "C": ("LMO", False),
        "D": ("LCO", False),
        "E": ("ternary", True),
        "F": ("supercapacitor", False),
        "G": ("LTO", False),
        "Z": ("other", False),
    }
)

# Year letters start at A = 2020 (E = 2024, F = 2025, G = 2026 are attested). Which letters are
# skipped later on is NOT confirmed: we assume the VIN-style habit of leaving out letters that
# look like digits or each other. Change this string and YEAR_CODES follows.
_YEAR_LETTERS_SKIPPED: Final = "IOQSVZ"
_YEAR_LETTERS: Final = "".join(c for c in string.ascii_uppercase if c not in _YEAR_LETTERS_SKIPPED)

#: Position 15 -> year: digit d is 2010 + d, then letters from 2020 (see the skip list above).
YEAR_CODES: Final[Mapping[str, int]] = MappingProxyType(
    {str(d): 2010 + d for d in range(10)} | {letter: 2020 + i for i, letter in enumerate(_YEAR_LETTERS)}
)

#: Position 16 -> month.
MONTH_CODES: Final[Mapping[str, int]] = MappingProxyType(
    {str(m): m for m in range(1, 10)} | {"A": 10, "B": 11, "C": 12}
)

# Day letters: sources disagree on the alphabet. We read A = 10, B = 11, ... contiguously over
# the alphabet without I and O (so X = 31). Letters that land past the month's end (Y, Z, or a
# 31 in a 30-day month), and I or O themselves, leave the day unknown instead of rejecting the
# code. Only '0' is refused outright.
_DAY_LETTERS_SKIPPED: Final = "IO"
_DAY_LETTERS: Final = "".join(c for c in string.ascii_uppercase if c not in _DAY_LETTERS_SKIPPED)

#: Position 17 -> day of month (may exceed 31; such values decode to an unknown day).
DAY_CODES: Final[Mapping[str, int]] = MappingProxyType(
    {str(d): d for d in range(1, 10)} | {letter: 10 + i for i, letter in enumerate(_DAY_LETTERS)}
)

_YEAR_CHARS: Final = {year: char for char, year in YEAR_CODES.items()}
_MONTH_CHARS: Final = {month: char for char, month in MONTH_CODES.items()}
_DAY_CHARS: Final = {day: char for char, day in DAY_CODES.items() if day <= 31}
_LEVEL_LETTERS: Final[dict[str, str]] = {level: letter for letter, level in PRODUCT_TYPES.items()}


@dataclass(frozen=True)
class BatteryCode:
    """A decoded battery code; ``second_life`` marks the 19-character re-coded form."""

    code: str
    maker_code: str
    level: Level
    chemistry_letter: str
    chemistry: Chemistry
    chemistry_confirmed: bool
    spec_code: str
    trace_info: str
    production_year: int
    production_month: int
    production_day: int | None
    production_date: date | None
    serial: str
    second_life: bool

    def to_dict(self) -> dict[str, object]:
        """Plain JSON types, so API responses and event payloads need no custom encoder."""
        data: dict[str, object] = dataclasses.asdict(self)
        data["production_date"] = self.production_date.isoformat() if self.production_date is not None else None
        return data


def parse_battery_code(code: str) -> BatteryCode:
    """Decode a GB/T 34014 code, or say which field is wrong via IdentifierError."""
    return _parse_battery_code_cached(code)


# Ingest names the same identifiers several times per event and batch; the answers are frozen, so
# a bounded cache saves re-decoding them (errors are not cached: a bad value is decoded again).
@lru_cache(maxsize=1 << 15)
def _parse_battery_code_cached(code: str) -> BatteryCode:
    text = normalise(
        code,
        _ALPHABET,
        what="battery code",
        hint="GB/T 34014 codes use only letters A-Z and digits 0-9",
    )
    if len(text) == CODE_LENGTH:
        return _decode(
            text,
            date_at=14,
            trace_info=text[7:14],
            serial=text[17:24],
            level=_product_type(text[3], 4),
            second_life=False,
        )
    if len(text) == SECOND_LIFE_LENGTH:
        if text[17] == "R" and text[18] in PRODUCT_TYPES:
            # Not an error: the domain treats this as a possible second-life code.
            return _decode(
                text,
                date_at=7,
                trace_info="",
                serial=text[10:17],
                level=PRODUCT_TYPES[text[18]],
                second_life=True,
            )
        raise IdentifierError(
            "length",
            f"expected {CODE_LENGTH} characters (GB/T 34014), got {SECOND_LIFE_LENGTH}; "
            "a 19-character code is accepted only as the second-life form ending in "
            f"'R' plus P, M or C, and this one ends in {text[17:]!r}",
        )
    raise IdentifierError("length", f"expected {CODE_LENGTH} characters (GB/T 34014), got {len(text)}")


def is_battery_code(code: str) -> bool:
    """True for a valid 24-character code and for the 19-character second-life form."""
    try:
        parse_battery_code(code)
    except IdentifierError:
        return False
    return True


def make_battery_code(
    maker_code: str,
    level: str,
    chemistry_letter: str,
    spec_code: str,
    trace_info: str,
    produced_on: date,
    serial: str,
) -> str:
    """Build a 24-character code, so synthetic data and tests never hand-assemble one.

    ``level`` accepts the letter (P/M/C) or the word (pack/module/cell), in any case.
    """
    maker = _part("maker_code", maker_code, 3)
    level_letter = _level_letter(level)
    chemistry = _part("battery_type", chemistry_letter, 1)
    if chemistry not in BATTERY_TYPES:
        raise IdentifierError(
            "battery_type",
            f"{chemistry_letter!r} is not a battery type: expected one of A-G or Z (other)",
        )
    spec = _part("spec_code", spec_code, 2)
    trace = _part("trace_info", trace_info, 7)
    sequence = _part("serial", serial, 7)
    year_char = _YEAR_CHARS.get(produced_on.year)
    if year_char is None:
        first, last = min(_YEAR_CHARS), max(_YEAR_CHARS)
        raise IdentifierError(
            "year",
            f"year {produced_on.year} cannot be encoded: supported years are {first}-{last}",
        )
    text = (
        f"{maker}{level_letter}{chemistry}{spec}{trace}"
        f"{year_char}{_MONTH_CHARS[produced_on.month]}{_DAY_CHARS[produced_on.day]}{sequence}"
    )
    # Round-trip through the parser so builder and parser can never drift apart silently.
    parse_battery_code(text)
    return text


def _decode(text: str, *, date_at: int, trace_info: str, serial: str, level: Level, second_life: bool) -> BatteryCode:
    """Decode the fields both forms share: 1-7, and the three date characters at ``date_at``."""
    if second_life:
        # Positions 1-7 are the original code's, so position 4 must still be a product type.
        _product_type(text[3], 4)
    chemistry_letter = text[4]
    if chemistry_letter not in BATTERY_TYPES:
        raise IdentifierError(
            "battery_type",
            f"character {chemistry_letter!r} at position 5 is not a battery type: expected one of A-G or Z (other)",
        )
    chemistry, confirmed = BATTERY_TYPES[chemistry_letter]
    year = _year(text[date_at], date_at + 1)
    month = _month(text[date_at + 1], date_at + 2)
    day = _day(text[date_at + 2], date_at + 3, year, month)
    return BatteryCode(
        code=text,
        maker_code=text[0:3],
        level=level,
        chemistry_letter=chemistry_letter,
        chemistry=chemistry,
        chemistry_confirmed=confirmed,
        spec_code=text[5:7],
        trace_info=trace_info,
        production_year=year,
        production_month=month,
        production_day=day,
        production_date=date(year, month, day) if day is not None else None,
        serial=serial,
        second_life=second_life,
    )


def _product_type(char: str, position: int) -> Level:
    level = PRODUCT_TYPES.get(char)
    if level is None:
        raise IdentifierError(
            "product_type",
            f"character {char!r} at position {position} is not a product type: "
            "expected P (pack), M (module) or C (cell)",
        )
    return level


def _year(char: str, position: int) -> int:
    year = YEAR_CODES.get(char)
    if year is None:
        skipped = ", ".join(_YEAR_LETTERS_SKIPPED)
        raise IdentifierError(
            "year",
            f"character {char!r} at position {position} is not a year code: digits 0-9 are "
            f"2010-2019, letters from A are 2020 onwards without {skipped}",
        )
    return year


def _month(char: str, position: int) -> int:
    month = MONTH_CODES.get(char)
    if month is None:
        raise IdentifierError(
            "month",
            f"character {char!r} at position {position} is not a month code: expected 1-9, A (10), B (11) or C (12)",
        )
    return month


def _day(char: str, position: int, year: int, month: int) -> int | None:
    """Lenient on letters (their alphabet is disputed); only '0' is certainly wrong."""
    if char == "0":
        raise IdentifierError(
            "day",
            f"character '0' at position {position} is not a day code: days are 1-9, then letters from A (10)",
        )
    day = DAY_CODES.get(char)
    if day is None or day > calendar.monthrange(year, month)[1]:
        return None
    return day


def _part(field: str, value: str, length: int) -> str:
    text = value.strip()
    # Check before upper-casing: 'ß'.upper() is 'SS', which would pass and change the length.
    if len(text) != length or not all(c.isascii() and c.upper() in _ALPHABET for c in text):
        noun = "letter or digit" if length == 1 else "letters or digits"
        raise IdentifierError(field, f"expected {length} {noun}, got {value!r}")
    return text.upper()


def _level_letter(level: str) -> str:
    key = level.strip()
    if key.upper() in PRODUCT_TYPES:
        return key.upper()
    letter = _LEVEL_LETTERS.get(key.lower())
    if letter is None:
        raise IdentifierError(
            "product_type",
            f"{level!r} is not a product type: expected P/pack, M/module or C/cell",
        )
    return letter
