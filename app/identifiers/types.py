"""The identifiers as constrained string types: one validator each, one wording per error.

The API's path and query parameters (``app.api.params``), the event contract and the analytics
selections all check identifiers with these validators, so a caller reads the same sentence
wherever a code is refused. Each validator answers the canonical form (stripped, upper case).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from app.identifiers.battery_code import parse_battery_code
from app.identifiers.errors import IdentifierError
from app.identifiers.uscc import parse_uscc
from app.identifiers.vin import parse_vin

__all__ = [
    "BATTERY_CODE_TEXT",
    "USCC_TEXT",
    "VIN_TEXT",
    "BatteryCodeStr",
    "UsccStr",
    "VinStr",
    "check_battery_code",
    "check_uscc",
    "check_vin",
]

# What each identifier is and what is checked, for the API's documentation (fields and parameters).
BATTERY_CODE_TEXT = (
    "GB/T 34014 battery code: 24 letters A-Z and digits 0-9, read as maker code (positions 1-3), product "
    "type (4: P pack, M module, C cell), battery type (5: A-G or Z, e.g. B LFP, E ternary), specification "
    "(6-7), traceability field (8-14), production year, month and day (15-17) and serial (18-24); or the "
    "19-character second-life form (the code without its traceability field, then R and P, M or C). "
    "Checked: length, alphabet, product type, battery type and month; case and outer spaces are ignored "
    "and the code is stored upper case."
)
VIN_TEXT = (
    "Vehicle identification number (ISO 3779, GB 16735): 17 letters and digits, never I, O or Q; "
    "position 9 is the check digit and must match the other 16 characters. Case is ignored; stored upper case."
)
USCC_TEXT = (
    "Unified social credit code of a company (GB 32100): 18 characters of 0-9 and A-Z without I, O, S, V "
    "and Z; positions 3-8 are a 6-digit division code; position 18 is the check character and must match "
    "the first 17. Case is ignored; stored upper case."
)


def check_battery_code(value: str) -> str:
    """The canonical GB/T 34014 code; ValueError saying which part is wrong otherwise."""
    try:
        return parse_battery_code(value).code
    except IdentifierError as err:
        raise ValueError(f"not a GB/T 34014 battery code: {err}") from None


def check_vin(value: str) -> str:
    """The canonical VIN; ValueError saying which part is wrong otherwise."""
    try:
        return parse_vin(value).vin
    except IdentifierError as err:
        raise ValueError(f"not a valid VIN: {err}") from None


def check_uscc(value: str) -> str:
    """The canonical unified social credit code; ValueError saying which part is wrong otherwise."""
    try:
        return parse_uscc(value).code
    except IdentifierError as err:
        raise ValueError(f"not a unified social credit code: {err}") from None


BatteryCodeStr = Annotated[
    str, StringConstraints(max_length=32), AfterValidator(check_battery_code), Field(description=BATTERY_CODE_TEXT)
]
VinStr = Annotated[str, StringConstraints(max_length=32), AfterValidator(check_vin), Field(description=VIN_TEXT)]
UsccStr = Annotated[str, StringConstraints(max_length=32), AfterValidator(check_uscc), Field(description=USCC_TEXT)]
