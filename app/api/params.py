"""Path and query parameters that carry identifiers: malformed ones are 422 naming the field."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from app.errors import FieldProblem, InvalidInput
from app.identifiers import IdentifierError, parse_battery_code, parse_uscc, parse_vin


def _battery_code(code: Annotated[str, Path(max_length=64, description="GB/T 34014 battery code")]) -> str:
    try:
        return parse_battery_code(code).code
    except IdentifierError as err:
        raise InvalidInput(
            [FieldProblem("code", f"not a GB/T 34014 battery code: {err}")], "invalid battery code"
        ) from None


def _vin(vin: Annotated[str, Path(max_length=64, description="17-character VIN")]) -> str:
    try:
        return parse_vin(vin).vin
    except IdentifierError as err:
        raise InvalidInput([FieldProblem("vin", f"not a valid VIN: {err}")], "invalid VIN") from None


def _uscc(uscc: Annotated[str, Path(max_length=64, description="unified social credit code")]) -> str:
    try:
        return parse_uscc(uscc).code
    except IdentifierError as err:
        raise InvalidInput([FieldProblem("uscc", f"not a unified social credit code: {err}")], "invalid USCC") from None


BatteryCodePath = Annotated[str, Depends(_battery_code)]
VinPath = Annotated[str, Depends(_vin)]
UsccPath = Annotated[str, Depends(_uscc)]
