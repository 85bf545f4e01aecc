"""The identifiers as constrained string types: one validator each, one wording per error.

The API's path and query parameters (``app.api.params``), the event contract and the analytics
selections all check identifiers with these validators, so a caller reads the same sentence
wherever a code is refused. Each validator answers the canonical form (stripped, upper case).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, StringConstraints

from app.identifiers.battery_code import parse_battery_code
from app.identifiers.errors import IdentifierError
from app.identifiers.uscc import parse_uscc
from app.identifiers.vin import parse_vin

__all__ = ["BatteryCodeStr", "UsccStr", "VinStr", "check_battery_code", "check_uscc", "check_vin"]


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


BatteryCodeStr = Annotated[str, StringConstraints(max_length=32), AfterValidator(check_battery_code)]
VinStr = Annotated[str, StringConstraints(max_length=32), AfterValidator(check_vin)]
UsccStr = Annotated[str, StringConstraints(max_length=32), AfterValidator(check_uscc)]
