"""Vehicle identification numbers (ISO 3779 / GB 16735) with the position-9 check digit.

GB 16735 makes the check digit mandatory for vehicles sold in China, so a wrong one is an error
here rather than a warning; it catches most single-character typos and transpositions.
"""

from __future__ import annotations

import dataclasses
import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Final

from app.identifiers.errors import IdentifierError, normalise

__all__ = ["VIN_LENGTH", "Vin", "is_vin", "make_vin", "parse_vin", "vin_check_digit"]

VIN_LENGTH: Final = 17
_CHECK_INDEX: Final = 8  # position 9

# I, O and Q are excluded because they read as 1 and 0.
_ALPHABET: Final = frozenset(string.digits + string.ascii_uppercase) - set("IOQ")
_HINT: Final = "VINs use letters and digits but never I, O or Q"

_TRANSLITERATION: Final[Mapping[str, int]] = MappingProxyType(
    {str(d): d for d in range(10)}
    | dict(zip("ABCDEFGH", range(1, 9), strict=True))
    | dict(zip("JKLMN", range(1, 6), strict=True))
    | {"P": 7, "R": 9}
    | dict(zip("STUVWXYZ", range(2, 10), strict=True))
)
_WEIGHTS: Final = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


@dataclass(frozen=True)
class Vin:
    """A decoded VIN; ``vds`` is positions 4-8, leaving the check digit in its own field."""

    vin: str
    wmi: str
    vds: str
    check_digit: str
    model_year_code: str
    plant_code: str
    serial: str

    def to_dict(self) -> dict[str, object]:
        """Plain JSON types for API responses."""
        return dataclasses.asdict(self)


def parse_vin(vin: str) -> Vin:
    """Decode a VIN, refusing it when the check digit disagrees with the other 16 characters."""
    return _parse_vin_cached(vin)


# Ingest names the same identifiers several times per event and batch; the answers are frozen, so
# a bounded cache saves re-decoding them (errors are not cached: a bad value is decoded again).
@lru_cache(maxsize=1 << 15)
def _parse_vin_cached(vin: str) -> Vin:
    text = normalise(vin, _ALPHABET, what="VIN", hint=_HINT)
    _check_length(text)
    expected = _compute(text)
    found = text[_CHECK_INDEX]
    if found != expected:
        raise IdentifierError(
            "check_digit",
            f"position 9 should be {expected!r} for the other 16 characters, found {found!r}",
        )
    return Vin(
        vin=text,
        wmi=text[0:3],
        vds=text[3:8],
        check_digit=found,
        model_year_code=text[9],
        plant_code=text[10],
        serial=text[11:17],
    )


def vin_check_digit(vin: str) -> str:
    """The ISO 3779 check digit for a 17-character VIN whose position 9 may be a placeholder."""
    text = vin.strip()
    _check_length(text)
    # Position 9 is ignored, so any placeholder ('0', '*', '_') is fine there.
    masked = normalise(text[:_CHECK_INDEX] + "0" + text[_CHECK_INDEX + 1 :], _ALPHABET, what="VIN", hint=_HINT)
    return _compute(masked)


def make_vin(first_17: str) -> str:
    """Return the VIN with position 9 set to its correct check digit."""
    text = first_17.strip()
    check = vin_check_digit(text)
    return f"{text[:_CHECK_INDEX]}{check}{text[_CHECK_INDEX + 1 :]}".upper()


def is_vin(vin: str) -> bool:
    """True when ``vin`` parses, check digit included."""
    try:
        parse_vin(vin)
    except IdentifierError:
        return False
    return True


def _check_length(text: str) -> None:
    if len(text) != VIN_LENGTH:
        raise IdentifierError("length", f"expected {VIN_LENGTH} characters, got {len(text)}")


def _compute(text: str) -> str:
    remainder = sum(_TRANSLITERATION[c] * w for c, w in zip(text, _WEIGHTS, strict=True)) % 11
    return "X" if remainder == 10 else str(remainder)
