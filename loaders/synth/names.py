"""Names and identifiers of synthetic companies: USCCs, trading names, maker codes and WMIs.

Every identifier is unique within a world; the uniqueness checks use sets for membership only,
never iterated, so the draws stay in a seed-fixed order.
"""

from __future__ import annotations

from random import Random

from app.identifiers import make_uscc
from loaders.synth.config import Province

__all__ = ["CODE_CHARS", "SUFFIXES", "SYLLABLES_A", "SYLLABLES_B", "VIN_CHARS", "Namer", "org_code"]

# Letters and digits allowed in each identifier (VIN and USCC alphabets leave some out).
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
CODE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"  # battery-code parts; I and O avoided
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organisation-code check weights

SYLLABLES_A = (
    "Heng", "Rui", "Xin", "Tai", "Feng", "Hua", "Jia", "Kang", "Long", "Ming", "Sheng", "Tian",
    "Wei", "Yuan", "Zhi", "Bo", "Chuang", "De", "Fu", "Guang", "Hong", "Jin", "Kai", "Li",
    "Mei", "Neng", "Pu", "Qi", "Run", "Shun", "Tong", "Xiang", "Yi", "Zhong", "An", "Cheng",
)  # fmt: skip
SYLLABLES_B = (
    "an", "da", "feng", "hui", "li", "neng", "tong", "xing", "yuan", "chuang", "tai", "wei",
    "sheng", "rui", "kang", "hai", "lian", "bang", "ke", "jie", "yao", "sen", "tuo", "ze",
)  # fmt: skip
SUFFIXES: dict[str, tuple[str, ...]] = {
    "battery_maker": (
        "New Energy Technology Co., Ltd.",
        "Power Battery Co., Ltd.",
        "Lithium Energy Co., Ltd.",
    ),
    "automaker": ("Automobile Co., Ltd.", "New Energy Vehicle Co., Ltd.", "Motor Co., Ltd."),
    "importer": ("Auto Import and Export Co., Ltd.",),
    "swap_operator": ("Battery Swap Technology Co., Ltd.", "Energy Services Co., Ltd."),
    "repairer": ("Auto Repair Service Co., Ltd.", "Vehicle Maintenance Co., Ltd."),
    "dismantler": (
        "Scrap Vehicle Recycling and Dismantling Co., Ltd.",
        "Renewable Resources Dismantling Co., Ltd.",
    ),
    "second_life": ("Energy Storage Technology Co., Ltd.", "Cascade Energy Co., Ltd."),
    "recycler": ("Resource Recycling Technology Co., Ltd.", "Circular Materials Co., Ltd."),
    "workshop": (
        "Used Battery Trading Firm",
        "Renewable Resources Trading Co.",
        "Battery Processing Workshop",
    ),
}


def org_code(body: str) -> str:
    """GB 11714 organisation code: 8 digits and their check character (digit or X)."""
    total = sum(int(ch) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


class Namer:
    """Mints the identifiers of the registry's companies, each one fresh within the world."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.names: set[str] = set()  # membership tests only, never iterated
        self.codes: set[str] = set()
        self.wmis: set[str] = set()
        self.serial = 0
        # A seed-dependent bijection over 8-digit numbers: distinct, random-looking codes.
        self.org_offset = rng.randrange(10**8)

    def uscc(self, province: str) -> str:
        """A USCC registered in ``province`` with the next organisation code of the sequence."""
        body = f"{(self.org_offset + self.serial * 48_271) % 10**8:08d}"
        self.serial += 1
        return make_uscc(f"91{province}{org_code(body)}")

    def word(self) -> str:
        """A two-syllable trade word."""
        return self.rng.choice(SYLLABLES_A) + self.rng.choice(SYLLABLES_B)

    def name(self, province: Province, kind: str) -> str:
        """A fresh trading name: a city of ``province``, a trade word, a suffix for ``kind``."""
        suffixes = SUFFIXES[kind]
        for attempt in range(50):
            city = self.rng.choice(province.cities)
            text = f"{city} {self.word()} {self.rng.choice(suffixes)}"
            if attempt > 20:
                text = f"{city} {self.word()} {attempt} {self.rng.choice(suffixes)}"
            if text not in self.names:
                self.names.add(text)
                return text
        raise RuntimeError("could not find a fresh company name")  # pragma: no cover

    def chars(self, alphabet: str, n: int) -> str:
        """``n`` characters drawn from ``alphabet``."""
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def maker_code(self) -> str:
        """A fresh three-character GB/T 34014 manufacturer code."""
        while True:
            code = self.rng.choice(CODE_CHARS[:24]) + self.chars(CODE_CHARS, 2)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def wmi(self, imported: bool) -> str:
        """A fresh world manufacturer identifier; domestic ones start with L."""
        while True:
            first = self.rng.choice("WJK5Y") if imported else "L"
            wmi = first + self.chars(VIN_CHARS, 2)
            if wmi not in self.wmis:
                self.wmis.add(wmi)
                return wmi
