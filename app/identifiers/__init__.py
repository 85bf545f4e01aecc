"""Identifiers of the battery chain: GB/T 34014 battery codes, VINs and USCCs.

Pure functions with no I/O, so the API, loaders and leakage rules all validate identically.
"""

from app.identifiers.battery_code import (
    BatteryCode,
    Chemistry,
    Level,
    is_battery_code,
    make_battery_code,
    parse_battery_code,
)
from app.identifiers.errors import IdentifierError
from app.identifiers.uscc import Uscc, is_uscc, make_uscc, parse_uscc, uscc_check_char
from app.identifiers.vin import Vin, is_vin, make_vin, parse_vin, vin_check_digit

__all__ = [
    "BatteryCode",
    "Chemistry",
    "IdentifierError",
    "Level",
    "Uscc",
    "Vin",
    "is_battery_code",
    "is_uscc",
    "is_vin",
    "make_battery_code",
    "make_uscc",
    "make_vin",
    "parse_battery_code",
    "parse_uscc",
    "parse_vin",
    "uscc_check_char",
    "vin_check_digit",
]
