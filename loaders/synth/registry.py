"""Companies, licences and swap stations of a synthetic world, built once before any battery.

The registry is small (hundreds of companies, a few thousand stations at a million packs), so
it lives in memory; lifecycles only look companies up. Every collection is a list in creation
order or sorted, never a set, so the same seed always yields the same world.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random
from typing import Any

from app.identifiers import make_uscc
from loaders.synth.config import CATEGORIES, PROVINCES, Province, SynthConfig
from loaders.synth.timeline import Clock

__all__ = ["Company", "Licence", "Registry", "Station", "build_registry"]

ROLES: tuple[str, ...] = (
    "battery_maker",
    "automaker",
    "importer",
    "swap_operator",
    "repairer",
    "service_point",
    "dismantler",
    "second_life",
    "recycler",
)
_PROVINCE_BY_CODE = {p.code: p for p in PROVINCES}

# Letters and digits allowed in each identifier (VIN and USCC alphabets leave some out).
_VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
_CODE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"  # battery-code parts; I and O avoided
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organisation-code check weights
_FAR_FUTURE = 10**9

_SYLLABLES_A = (
    "Heng", "Rui", "Xin", "Tai", "Feng", "Hua", "Jia", "Kang", "Long", "Ming", "Sheng", "Tian",
    "Wei", "Yuan", "Zhi", "Bo", "Chuang", "De", "Fu", "Guang", "Hong", "Jin", "Kai", "Li",
    "Mei", "Neng", "Pu", "Qi", "Run", "Shun", "Tong", "Xiang", "Yi", "Zhong", "An", "Cheng",
)  # fmt: skip
_SYLLABLES_B = (
    "an", "da", "feng", "hui", "li", "neng", "tong", "xing", "yuan", "chuang", "tai", "wei",
    "sheng", "rui", "kang", "hai", "lian", "bang", "ke", "jie", "yao", "sen", "tuo", "ze",
)  # fmt: skip
_SUFFIXES: dict[str, tuple[str, ...]] = {
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


def _cum(weights: Sequence[float]) -> list[float]:
    total = 0.0
    out = []
    for weight in weights:
        total += weight
        out.append(total)
    return out


_PROVINCE_CUM = _cum([p.weight for p in PROVINCES])


def pick_province(rng: Random) -> Province:
    """A province in proportion to NEV activity."""
    return PROVINCES[bisect.bisect(_PROVINCE_CUM, rng.random() * _PROVINCE_CUM[-1])]


@dataclass(slots=True)
class Licence:
    """One white-list or dismantling licence; days are precomputed for fast date checks."""

    scope: str
    valid_from: date
    valid_to: date | None
    batch: int | None
    first_day: int
    end_day: int  # exclusive: the licence is not valid on valid_to

    def record(self) -> dict[str, Any]:
        """The licence as companies.jsonl writes it."""
        return {
            "scope": self.scope,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "batch": self.batch,
        }


@dataclass(slots=True, eq=False)
class Company:
    """A company with its public record and the private knobs generation needs."""

    uscc: str
    name: str
    roles: list[str]
    province: str
    maker_code: str | None = None
    licences: list[Licence] = field(default_factory=list)
    weight: float = 1.0
    suppliers: list[Company] = field(default_factory=list)
    supplier_cum: list[float] = field(default_factory=list)
    service_points: list[Company] = field(default_factory=list)
    wmi: str = ""
    models: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    specs: dict[str, str] = field(default_factory=dict)
    plant: str = ""

    def licensed(self, scope: str, day: int) -> bool:
        """Whether a licence for ``scope`` is valid on ``day``."""
        return any(lic.scope == scope and lic.first_day <= day < lic.end_day for lic in self.licences)

    def pick_supplier(self, rng: Random) -> Company:
        """A battery maker supplying this automaker or operator, by share of its purchases."""
        cum = self.supplier_cum
        return self.suppliers[bisect.bisect(cum, rng.random() * cum[-1])]

    def record(self) -> dict[str, Any]:
        """The company as companies.jsonl writes it."""
        return {
            "uscc": self.uscc,
            "name": self.name,
            "roles": self.roles,
            "province": self.province,
            "maker_code": self.maker_code,
            "licences": [lic.record() for lic in self.licences],
        }


@dataclass(slots=True, eq=False)
class Station:
    """A swap station; ``category`` says whether it serves cars or heavy trucks."""

    id: str
    operator: Company
    province: str
    name: str
    lat: float
    lon: float
    category: str

    def record(self) -> dict[str, Any]:
        """The station as stations.jsonl writes it."""
        return {
            "id": self.id,
            "operator": self.operator.uscc,
            "province": self.province,
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
        }


class Registry:
    """All companies and stations, with indexes for the look-ups lifecycles make."""

    def __init__(self, clock: Clock, hold_days: int) -> None:
        self.clock = clock
        self.hold_days = hold_days
        self.companies: list[Company] = []
        self.by_role: dict[str, list[Company]] = {role: [] for role in ROLES}
        self.role_cum: dict[str, list[float]] = {}
        self.by_role_province: dict[tuple[str, str], list[Company]] = {}
        self.workshops: list[Company] = []
        self.workshops_by_province: dict[str, list[Company]] = {}
        self.listed: dict[str, list[Company]] = {"second_life": [], "recycling": []}
        self.dismantlers: list[Company] = []
        self.stations: list[Station] = []
        self.clusters: list[list[Station]] = []
        self.swap_automakers: list[Company] = []
        self._valid_cache: dict[tuple[str, int], list[Company]] = {}
        self.first_listed_day: dict[str, int] = {}

    def add(self, company: Company, *, workshop: bool = False) -> Company:
        """Register a company under each of its roles (workshops kept apart: never formal)."""
        self.companies.append(company)
        if workshop:
            self.workshops.append(company)
            self.workshops_by_province.setdefault(company.province, []).append(company)
            return company
        for role in company.roles:
            self.by_role[role].append(company)
            self.by_role_province.setdefault((role, company.province), []).append(company)
        return company

    def finish(self) -> None:
        """Freeze weights and the first listing day of each scope once all are added."""
        for role, members in self.by_role.items():
            self.role_cum[role] = _cum([c.weight for c in members])
        for scope, members in self.listed.items():
            days = [lic.first_day for c in members for lic in c.licences if lic.scope == scope]
            self.first_listed_day[scope] = min(days) if days else _FAR_FUTURE

    def pick(self, rng: Random, role: str) -> Company:
        """A company of ``role`` in proportion to its market weight."""
        cum = self.role_cum[role]
        return self.by_role[role][bisect.bisect(cum, rng.random() * cum[-1])]

    def pick_local(self, rng: Random, role: str, province: str, local_share: float) -> Company:
        """Usually a company of ``role`` in ``province``; anywhere when none is there."""
        local = self.by_role_province.get((role, province))
        if local and rng.random() < local_share:
            return local[int(rng.random() * len(local))]
        members = self.by_role[role]
        return members[int(rng.random() * len(members))]

    def pick_workshop(self, rng: Random, province: str, local_share: float) -> Company:
        """An unlicensed workshop, usually near the sender: leakage is local."""
        local = self.workshops_by_province.get(province)
        if local and rng.random() < local_share:
            return local[int(rng.random() * len(local))]
        return self.workshops[int(rng.random() * len(self.workshops))]

    def valid(self, scope: str, day: int) -> list[Company]:
        """Companies licensed for ``scope`` on ``day`` and ``hold_days`` later (cached)."""
        key = (scope, day)
        found = self._valid_cache.get(key)
        if found is None:
            pool = self.dismantlers if scope == "dismantling" else self.listed[scope]
            # Valid on the day and still some months later, so that a pack handed over now is
            # processed while its recipient is still listed (delisting is not a leak).
            later = day + self.hold_days
            found = [c for c in pool if c.licensed(scope, day) and c.licensed(scope, later)]
            self._valid_cache[key] = found
        return found

    def pick_licensed(self, rng: Random, scope: str, day: int, province: str, local_share: float) -> Company | None:
        """A company licensed for ``scope`` on ``day``, preferring ``province``."""
        valid = self.valid(scope, day)
        if not valid:
            return None
        if rng.random() < local_share:
            local = [c for c in valid if c.province == province]
            if local:
                return local[int(rng.random() * len(local))]
        return valid[int(rng.random() * len(valid))]

    def service_point(self, rng: Random, maker: Company, province: str) -> Company:
        """The maker's service point in ``province``, else any of its service points."""
        points = maker.service_points
        for point in points:
            if point.province == province:
                return point
        return points[int(rng.random() * len(points))]


# --- building --------------------------------------------------------------------------------


def _count(config: SynthConfig, rule: tuple[float, int]) -> int:
    per_sqrt, minimum = rule
    return max(minimum, round(per_sqrt * math.sqrt(config.batteries)))


def _org_code(body: str) -> str:
    """GB 11714 organisation code: 8 digits and their check character (digit or X)."""
    total = sum(int(ch) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


class _Builder:
    """Holds the counters and uniqueness checks used while companies are created."""

    def __init__(self, config: SynthConfig, rng: Random, clock: Clock) -> None:
        self.config = config
        self.rng = rng
        self.clock = clock
        self.registry = Registry(clock, config.licence_hold_days)
        self.names: set[str] = set()  # membership tests only, never iterated
        self.codes: set[str] = set()
        self.wmis: set[str] = set()
        self.serial = 0
        # A seed-dependent bijection over 8-digit numbers: distinct, random-looking codes.
        self.org_offset = rng.randrange(10**8)

    def uscc(self, province: str) -> str:
        body = f"{(self.org_offset + self.serial * 48_271) % 10**8:08d}"
        self.serial += 1
        return make_uscc(f"91{province}{_org_code(body)}")

    def word(self) -> str:
        return self.rng.choice(_SYLLABLES_A) + self.rng.choice(_SYLLABLES_B)

    def name(self, province: Province, kind: str) -> str:
        suffixes = _SUFFIXES[kind]
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
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def maker_code(self) -> str:
        while True:
            code = self.rng.choice(_CODE_CHARS[:24]) + self.chars(_CODE_CHARS, 2)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def wmi(self, imported: bool) -> str:
        while True:
            first = self.rng.choice("WJK5Y") if imported else "L"
            wmi = first + self.chars(_VIN_CHARS, 2)
            if wmi not in self.wmis:
                self.wmis.add(wmi)
                return wmi

    def company(self, kind: str, roles: list[str], province: Province | None = None) -> Company:
        prov = province or pick_province(self.rng)
        return Company(
            uscc=self.uscc(prov.code),
            name=self.name(prov, kind),
            roles=roles,
            province=prov.code,
            plant=self.rng.choice(_CODE_CHARS[:24]) + self.rng.choice("123456789"),
        )

    def licence(self, scope: str, start: date, end: date | None, batch: int | None) -> Licence:
        end_day = self.clock.day_of(end) if end else _FAR_FUTURE
        return Licence(scope, start, end, batch, self.clock.day_of(start), end_day)

    def pick_weighted(self, members: list[Company], k: int) -> list[Company]:
        """Up to ``k`` distinct members drawn by weight (order is the draw order)."""
        cum = _cum([c.weight for c in members])
        chosen: list[Company] = []
        for _ in range(8 * k):
            if len(chosen) == min(k, len(members)):
                break
            candidate = members[bisect.bisect(cum, self.rng.random() * cum[-1])]
            if candidate not in chosen:
                chosen.append(candidate)
        return chosen

    def supply(self, buyer: Company, makers: list[Company], k: int) -> None:
        buyer.suppliers = self.pick_weighted(makers, k)
        # The first supplier gets most of the volume (our estimate): 1, 1/2, 1/3...
        buyer.supplier_cum = _cum([1.0 / (i + 1) for i in range(len(buyer.suppliers))])


def build_registry(config: SynthConfig, rng: Random, clock: Clock) -> Registry:
    """Create every company and station of the world, scaled to its number of packs."""
    b = _Builder(config, rng, clock)
    reg = b.registry

    makers: list[Company] = []
    for rank in range(_count(config, config.battery_makers)):
        maker = b.company("battery_maker", ["battery_maker"])
        maker.maker_code = b.maker_code()
        maker.weight = 1.0 / (rank + 1) ** config.maker_concentration
        for key in (*CATEGORIES, *(f"swap:{k}" for k in config.swap_packs), "module"):
            maker.specs[key] = b.chars(_CODE_CHARS, 2)
        makers.append(reg.add(maker))

    n_automakers = _count(config, config.automakers)
    n_swap = max(1, round(config.swap_automaker_share * n_automakers))
    for rank in range(n_automakers):
        imported = rank > 0 and rng.random() < config.importer_share
        roles = ["automaker", "importer"] if imported else ["automaker"]
        automaker = b.company("importer" if imported else "automaker", roles)
        automaker.weight = 1.0 / (rank + 1) ** config.automaker_concentration
        automaker.wmi = b.wmi(imported)
        brand = automaker.name.split(" ")[1]
        keys: list[str] = list(CATEGORIES)
        if rank < n_swap:
            keys += [f"swap:{k}" for k in config.swap_packs]
            reg.swap_automakers.append(automaker)
        for key in keys:
            spec = config.swap_packs[key.removeprefix("swap:")] if key.startswith("swap:") else config.categories[key]
            stems = list(spec.model_names)
            rng.shuffle(stems)
            automaker.models[key] = [(f"{brand} {stem}", b.chars(_VIN_CHARS, 5)) for stem in stems[: rng.randint(1, 3)]]
        lo, hi = config.suppliers_per_automaker
        b.supply(automaker, makers, rng.randint(lo, hi))
        reg.add(automaker)

    operators: list[Company] = []
    n_operators = _count(config, config.swap_operators)
    for rank in range(n_operators):
        operator = b.company("swap_operator", ["swap_operator"])
        rest = (1.0 - config.operator_weight_top) / max(1, n_operators - 1)
        operator.weight = config.operator_weight_top if rank == 0 else rest
        b.supply(operator, makers, rng.randint(1, 2))
        operators.append(reg.add(operator))

    for _ in range(_count(config, config.repairers)):
        reg.add(b.company("repairer", ["repairer"]))

    # Service points: one per maker first (every maker must have one), the rest by share.
    n_points = max(len(makers), _count(config, config.service_points))
    owners = list(makers)
    cum = _cum([m.weight for m in makers])
    while len(owners) < n_points:
        owners.append(makers[bisect.bisect(cum, rng.random() * cum[-1])])
    for owner in owners:
        # A maker's first service point sits in its home province, the others anywhere.
        prov = _PROVINCE_BY_CODE[owner.province] if not owner.service_points else None
        prov = prov or pick_province(rng)
        point = Company(
            uscc=b.uscc(prov.code),
            name=f"{owner.name.split(' ')[1]} Battery Recycling Service Point ({prov.name} "
            f"{len(owner.service_points) + 1})",
            roles=["service_point"],
            province=prov.code,
        )
        owner.service_points.append(reg.add(point))

    lo_year, hi_year = config.dismantler_licence_years
    for _ in range(_count(config, config.dismantlers)):
        dismantler = b.company("dismantler", ["dismantler"])
        start = date(rng.randint(lo_year, hi_year), rng.randint(1, 12), rng.randint(1, 28))
        dismantler.licences.append(b.licence("dismantling", start, None, None))
        reg.dismantlers.append(reg.add(dismantler))
    # The earliest licence is pulled back so that every scrapping date has a dismantler.
    earliest = min(reg.dismantlers, key=lambda c: c.licences[0].first_day)
    earliest.licences[0] = b.licence("dismantling", date(lo_year, 1, 1), None, None)

    _build_white_list(config, b, reg)

    for _ in range(_count(config, config.workshops)):
        role = "recycler" if rng.random() < 0.6 else "second_life"
        reg.add(b.company("workshop", [role]), workshop=True)

    _build_stations(config, b, reg, operators)
    reg.companies.sort(key=lambda c: c.uscc)
    reg.finish()
    return reg


def _build_white_list(config: SynthConfig, b: _Builder, reg: Registry) -> None:
    """Listed second-life and recycling companies, batch by batch, a few later removed."""
    rng = b.rng
    scale = min(1.0, math.sqrt(config.batteries / config.whitelist_reference_batteries))
    for batch, listed_on, real_count in config.whitelist_batches:
        if listed_on >= config.as_of:
            continue
        mix = config.scope_mix_batch5 if batch == 5 else config.scope_mix_other
        for _ in range(max(1, round(real_count * scale))):
            draw = rng.random() * sum(mix)
            scopes = (
                ["second_life"]
                if draw < mix[0]
                else ["recycling"]
                if draw < mix[0] + mix[1]
                else ["second_life", "recycling"]
            )
            roles = ["second_life" if s == "second_life" else "recycler" for s in scopes]
            company = b.company("second_life" if scopes[0] == "second_life" else "recycler", roles)
            removed_on: date | None = None
            span = (config.as_of - listed_on).days
            if span > 400 and rng.random() < config.delisted_share:
                removed_on = listed_on + timedelta(days=rng.randint(365, span - 1))
            for scope in scopes:
                company.licences.append(b.licence(scope, listed_on, removed_on, batch))
                reg.listed[scope].append(company)
            if "second_life" in scopes:
                # Second-life products are re-coded under GB/T 34014 (domain.md 2), so a
                # listed second-life company holds a manufacturer code of its own.
                company.maker_code = b.maker_code()
                company.specs["second_life"] = b.chars(_CODE_CHARS, 2)
            reg.add(company)


def _build_stations(config: SynthConfig, b: _Builder, reg: Registry, operators: list[Company]) -> None:
    """Stations grouped into clusters (one operator, one province) that share drivers."""
    if config.batteries < config.min_batteries_for_swap:
        return
    if config.as_of < date(config.first_swap_year, 1, 1) + timedelta(days=90):
        return  # no swap network yet at this as_of
    rng = b.rng
    n_stations = max(1, round(config.batteries / config.batteries_per_station))
    cum = _cum([op.weight for op in operators])
    draft: list[tuple[int, str]] = []
    for _ in range(n_stations):
        op_index = bisect.bisect(cum, rng.random() * cum[-1])
        draft.append((op_index, pick_province(rng).code))
    draft.sort()
    size = config.station_cluster_size
    current: list[Station] = []
    for number, (op_index, province) in enumerate(draft, start=1):
        if current and (
            len(current) >= size or current[0].operator is not operators[op_index] or current[0].province != province
        ):
            reg.clusters.append(current)
            current = []
        prov = _PROVINCE_BY_CODE[province]
        operator = operators[op_index]
        category = current[0].category if current else _swap_category(config, rng)
        station = Station(
            id=f"ST{number:06d}",
            operator=operator,
            province=province,
            name=f"{operator.name.split(' ')[1]} {rng.choice(prov.cities)} "
            f"{'Truck ' if category == 'truck' else ''}Swap Station {number}",
            lat=round(prov.lat + rng.uniform(-0.3, 0.3), 5),
            lon=round(prov.lon + rng.uniform(-0.3, 0.3), 5),
            category=category,
        )
        reg.stations.append(station)
        current.append(station)
    if current:
        reg.clusters.append(current)


def _swap_category(config: SynthConfig, rng: Random) -> str:
    """The vehicle category a new station cluster serves, by share of clusters."""
    keys = list(config.swap_packs)
    cum = _cum([config.swap_packs[k].share for k in keys])
    return keys[bisect.bisect(cum, rng.random() * cum[-1])]
