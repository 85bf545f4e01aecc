"""Battery codes and VINs of a synthetic world, minted from world-wide counters.

A serial shared by every maker (battery codes) and one shared by every automaker (VINs) means
two identifiers never clash, however the units are interleaved.
"""

from __future__ import annotations

from datetime import date

from app.identifiers import make_battery_code, make_vin
from loaders.synth.registry import Company
from loaders.synth.timeline import EPOCH

__all__ = ["CHEM_LETTER", "Minter"]

_B36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_VIN_PLANTS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
# VIN position 10: model years from 2010 (ISO 3779 leaves out I, O, Q, U, Z and 0).
_VIN_YEARS = "ABCDEFGHJKLMNPRSTVWXY123456789"
CHEM_LETTER = {"LFP": "B", "ternary": "E"}  # GB/T 34014 position 5 (domain.md 2)


_B36_3 = [a + b + c for a in _B36 for b in _B36 for c in _B36]  # 46,656 three-char blocks


def _b36(value: int, width: int) -> str:
    """Base-36, zero-padded to ``width`` (at most 9) characters: a table look-up per block."""
    text = _B36_3[value // 46_656 // 46_656 % 46_656] + _B36_3[value // 46_656 % 46_656]
    return (text + _B36_3[value % 46_656])[-width:]


class Minter:
    """Hands out fresh battery codes and VINs; holds the counters and a cache of code heads."""

    def __init__(self) -> None:
        self._serial = 0
        self._code_heads: dict[tuple[str, str, str, str, str, date], str] = {}
        self._vin_serial = 0

    def battery_code(self, maker: Company, level: str, letter: str, spec_code: str, produced_on: date) -> str:
        """A fresh GB/T 34014 code; the serial is a world-wide counter, so codes never clash."""
        assert maker.maker_code is not None
        day = (produced_on - EPOCH).days
        # Traceability field: plant, line and a day batch (maker-defined; our layout).
        trace = f"{maker.plant}{1 + day % 4}{_b36(day, 4)}"
        serial = _b36(self._serial, 7)
        self._serial += 1
        # Codes of one maker, level, spec, trace field and day differ only in the serial (the
        # last 7 characters): build the first with make_battery_code, reuse its 17-character
        # head for the rest. Lifecycles come in production order, so most packs and nearly all
        # modules hit this small bounded cache instead of re-validating a whole code.
        key = (maker.maker_code, level, letter, spec_code, trace, produced_on)
        head = self._code_heads.get(key)
        if head is None:
            code = make_battery_code(maker.maker_code, level, letter, spec_code, trace, produced_on, serial)
            if len(self._code_heads) >= 4096:
                self._code_heads.clear()
            self._code_heads[key] = code[:17]
            return code
        return head + serial

    def vin(self, automaker: Company, vds: str, year: int) -> str:
        """A VIN with a world-wide counter in positions 11-17, so VINs never clash."""
        n = self._vin_serial
        self._vin_serial += 1
        plant = _VIN_PLANTS[(n // 1_000_000) % len(_VIN_PLANTS)]
        year_code = _VIN_YEARS[(year - 2010) % len(_VIN_YEARS)]
        return make_vin(f"{automaker.wmi}{vds}0{year_code}{plant}{n % 1_000_000:06d}")
