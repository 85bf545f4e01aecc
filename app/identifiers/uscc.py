"""Unified social credit codes (GB 32100-2015) identifying the companies in the chain.

Only what the standard fixes is checked: the 31-character alphabet, a numeric division code
and the check character. The registration-authority and organisation-type tables change over
time, so they are reported as-is rather than validated.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Final

from app.identifiers.errors import IdentifierError, normalise

__all__ = ["USCC_ALPHABET", "USCC_LENGTH", "Uscc", "is_uscc", "make_uscc", "parse_uscc"]

USCC_LENGTH: Final = 18
#: Character values are their index here; I, O, S, V and Z are left out to avoid look-alikes.
USCC_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_HINT: Final = "GB 32100 uses digits and letters but never I, O, S, V or Z"

_VALUES: Final[Mapping[str, int]] = MappingProxyType({char: value for value, char in enumerate(USCC_ALPHABET)})
# 3**i mod 31 for i = 0..16, as tabulated in GB 32100.
_WEIGHTS: Final = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@dataclass(frozen=True)
class Uscc:
    """A decoded unified social credit code."""

    code: str
    registration_authority: str
    organisation_type: str
    division_code: str
    organisation_code: str
    check_char: str

    def to_dict(self) -> dict[str, object]:
        """Plain JSON types for API responses."""
        return dataclasses.asdict(self)


def parse_uscc(code: str) -> Uscc:
    """Decode a USCC, refusing it when the check character does not match."""
    return _parse_uscc_cached(code)


# Ingest names the same identifiers several times per event and batch; the answers are frozen, so
# a bounded cache saves re-decoding them (errors are not cached: a bad value is decoded again).
@lru_cache(maxsize=1 << 15)
def _parse_uscc_cached(code: str) -> Uscc:
    text = normalise(code, _VALUES, what="unified social credit code", hint=_HINT)
    if len(text) != USCC_LENGTH:
        raise IdentifierError("length", f"expected {USCC_LENGTH} characters (GB 32100), got {len(text)}")
    division = text[2:8]
    if not division.isdigit():
        raise IdentifierError(
            "division_code",
            f"positions 3-8 must be a 6-digit administrative division code (GB/T 2260), got {division!r}",
        )
    expected = _compute(text[:17])
    found = text[17]
    if found != expected:
        raise IdentifierError(
            "check_char",
            f"position 18 should be {expected!r} for the first 17 characters, found {found!r}",
        )
    return Uscc(
        code=text,
        registration_authority=text[0],
        organisation_type=text[1],
        division_code=division,
        organisation_code=text[8:17],
        check_char=found,
    )


def uscc_check_char(first_17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a code."""
    text = normalise(first_17, _VALUES, what="unified social credit code", hint=_HINT)
    if len(text) != USCC_LENGTH - 1:
        raise IdentifierError(
            "length",
            f"expected {USCC_LENGTH - 1} characters (the code without its check character), got {len(text)}",
        )
    return _compute(text)


def make_uscc(first_17: str) -> str:
    """Append the check character, refusing prefixes that could never form a valid code."""
    text = normalise(first_17, _VALUES, what="unified social credit code", hint=_HINT)
    code = text + uscc_check_char(text)
    parse_uscc(code)  # rejects a non-numeric division code before anyone stores it
    return code


def is_uscc(code: str) -> bool:
    """True when ``code`` parses, check character included."""
    try:
        parse_uscc(code)
    except IdentifierError:
        return False
    return True


def _compute(first_17: str) -> str:
    total = sum(_VALUES[c] * w for c, w in zip(first_17, _WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]
