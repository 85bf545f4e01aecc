"""GB/T 2260 province-level divisions: the only province codes a record may carry.

The table is data (``provinces.json``, with Chinese and English names) so the API's vocabulary,
the UI and the checks read one list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Final


@dataclass(frozen=True)
class Province:
    code: str
    zh: str
    en: str


def _load() -> MappingProxyType[str, Province]:
    data = json.loads((Path(__file__).with_name("provinces.json")).read_text(encoding="utf-8"))
    return MappingProxyType({row["code"]: Province(row["code"], row["zh"], row["en"]) for row in data["provinces"]})


PROVINCES: Final = _load()


def check_province(code: str) -> str:
    """The code itself; ValueError naming what is accepted when it is no province-level division."""
    if code not in PROVINCES:
        hint = "a prefecture or county code" if code[:2] + "0000" in PROVINCES else "unknown"
        raise ValueError(
            f"{code} is not a GB/T 2260 province-level code ({hint}); use one of the 34 codes such as "
            "110000 (Beijing) or 440000 (Guangdong), listed at GET /v1/vocabularies"
        )
    return code
