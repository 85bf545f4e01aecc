"""Companies, licences and swap stations of a synthetic world, and the look-ups lifecycles make.

The registry is small (hundreds of companies, a few thousand stations at a million packs), so
it lives in memory; lifecycles only look companies up. Every collection is a list in creation
order or sorted, never a set, so the same seed always yields the same world. ``build.py``
fills it before any battery is made.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from random import Random
from typing import Any

from loaders.synth.draws import cum
from loaders.synth.timeline import Clock

__all__ = ["FAR_FUTURE", "ROLES", "Company", "Licence", "Registry", "Station"]

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
FAR_FUTURE = 10**9  # the end day of a licence without an end date


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
        weights = self.supplier_cum
        return self.suppliers[bisect.bisect(weights, rng.random() * weights[-1])]

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
            self.role_cum[role] = cum([c.weight for c in members])
        for scope, members in self.listed.items():
            days = [lic.first_day for c in members for lic in c.licences if lic.scope == scope]
            self.first_listed_day[scope] = min(days) if days else FAR_FUTURE

    def pick(self, rng: Random, role: str) -> Company:
        """A company of ``role`` in proportion to its market weight."""
        weights = self.role_cum[role]
        return self.by_role[role][bisect.bisect(weights, rng.random() * weights[-1])]

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
