"""Battery chemistries as a sender may name them, and their agreement with a code's letter.

A chemistry is accepted as its GB/T 34014 type letter (position 5 of the code) or as a name or
common alias from this vocabulary, and is stored under its one canonical name, so that filters,
analytics and rules never meet two spellings of one chemistry.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from app.identifiers.battery_code import BATTERY_TYPES, Chemistry


@dataclass(frozen=True)
class ChemistryTerm:
    name: Chemistry
    letter: str
    confirmed: bool  # whether the letter's reading is confirmed from the standard (B and E only)
    zh: str
    en: str
    aliases: tuple[str, ...]


_NAMES: Final[dict[Chemistry, tuple[str, str, tuple[str, ...]]]] = {
    "NiMH": ("镍氢", "nickel-metal hydride", ("Ni-MH", "nickel metal hydride")),
    "LFP": ("磷酸铁锂", "lithium iron phosphate", ("LiFePO4", "lithium iron phosphate")),
    "LMO": ("锰酸锂", "lithium manganese oxide", ("LiMn2O4", "lithium manganese oxide")),
    "LCO": ("钴酸锂", "lithium cobalt oxide", ("LiCoO2", "lithium cobalt oxide")),
    "ternary": ("三元", "ternary (NCM/NCA)", ("NCM", "NMC", "NCA", "三元锂", "ternary lithium")),
    "supercapacitor": ("超级电容", "supercapacitor", ("ultracapacitor",)),
    "LTO": ("钛酸锂", "lithium titanate", ("Li4Ti5O12", "lithium titanate")),
    "other": ("其他", "other", ()),
}

CHEMISTRIES: Final = MappingProxyType(
    {chem: ChemistryTerm(chem, letter, confirmed, *_NAMES[chem]) for letter, (chem, confirmed) in BATTERY_TYPES.items()}
)
_LOOKUP: Final = MappingProxyType(
    {
        spelling.casefold(): term.name
        for term in CHEMISTRIES.values()
        for spelling in (term.name, term.letter, term.zh, *term.aliases)
    }
)


def normalise_chemistry(value: str) -> Chemistry:
    """The canonical name for a letter, name or alias; ValueError listing what is accepted."""
    found = _LOOKUP.get(value.strip().casefold())
    if found is None:
        names = ", ".join(f"{t.name} ({t.letter})" for t in CHEMISTRIES.values())
        raise ValueError(f"{value!r} is not a known chemistry; use a GB/T 34014 letter or a name: {names}")
    return found


def chemistry_conflict(code_letter: str, chemistry: Chemistry) -> str | None:
    """Why ``chemistry`` cannot be the chemistry of a code with ``code_letter``, or None.

    Only a confirmed reading decides: when both the code's letter and the claimed chemistry's
    letter are unconfirmed readings, a mismatch may be our table's error, not the sender's."""
    claimed = CHEMISTRIES[chemistry]
    coded = BATTERY_TYPES.get(code_letter)
    if coded is None or coded[0] == chemistry:
        return None
    if not (coded[1] or claimed.confirmed):
        return None
    return (
        f"{chemistry} contradicts the code's chemistry letter {code_letter} ({coded[0]}); "
        f"a {chemistry} battery's code carries {claimed.letter}"
    )
