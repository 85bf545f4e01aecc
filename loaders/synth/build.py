"""Building the registry: every company of a world, scaled to its number of packs.

Companies are created in a fixed order (makers, automakers, operators, repairers, service
points, dismantlers, the white list, workshops, then stations) from one seeded stream, so the
same seed always yields the same registry.
"""

from __future__ import annotations

import bisect
import math
from datetime import date, timedelta
from random import Random

from loaders.synth.config import CATEGORIES, Province, SynthConfig
from loaders.synth.draws import PROVINCE_BY_CODE, cum, pick_province
from loaders.synth.names import CODE_CHARS, VIN_CHARS, Namer
from loaders.synth.registry import FAR_FUTURE, Company, Licence, Registry
from loaders.synth.stations import build_stations
from loaders.synth.timeline import Clock

__all__ = ["build_registry"]


def _count(config: SynthConfig, rule: tuple[float, int]) -> int:
    per_sqrt, minimum = rule
    return max(minimum, round(per_sqrt * math.sqrt(config.batteries)))


class _Builder:
    """Holds the registry being filled and the namer that keeps its identifiers unique."""

    def __init__(self, config: SynthConfig, rng: Random, clock: Clock) -> None:
        self.config = config
        self.rng = rng
        self.clock = clock
        self.registry = Registry(clock, config.licence_hold_days)
        self.names = Namer(rng)

    def company(self, kind: str, roles: list[str], province: Province | None = None) -> Company:
        prov = province or pick_province(self.rng)
        return Company(
            uscc=self.names.uscc(prov.code),
            name=self.names.name(prov, kind),
            roles=roles,
            province=prov.code,
            plant=self.rng.choice(CODE_CHARS[:24]) + self.rng.choice("123456789"),
        )

    def licence(self, scope: str, start: date, end: date | None, batch: int | None) -> Licence:
        end_day = self.clock.day_of(end) if end else FAR_FUTURE
        return Licence(scope, start, end, batch, self.clock.day_of(start), end_day)

    def pick_weighted(self, members: list[Company], k: int) -> list[Company]:
        """Up to ``k`` distinct members drawn by weight (order is the draw order)."""
        weights = cum([c.weight for c in members])
        chosen: list[Company] = []
        for _ in range(8 * k):
            if len(chosen) == min(k, len(members)):
                break
            candidate = members[bisect.bisect(weights, self.rng.random() * weights[-1])]
            if candidate not in chosen:
                chosen.append(candidate)
        return chosen

    def supply(self, buyer: Company, makers: list[Company], k: int) -> None:
        buyer.suppliers = self.pick_weighted(makers, k)
        # The first supplier gets most of the volume (our estimate): 1, 1/2, 1/3...
        buyer.supplier_cum = cum([1.0 / (i + 1) for i in range(len(buyer.suppliers))])


def build_registry(config: SynthConfig, rng: Random, clock: Clock) -> Registry:
    """Create every company and station of the world, scaled to its number of packs."""
    b = _Builder(config, rng, clock)
    reg = b.registry

    makers: list[Company] = []
    for rank in range(_count(config, config.battery_makers)):
        maker = b.company("battery_maker", ["battery_maker"])
        maker.maker_code = b.names.maker_code()
        maker.weight = 1.0 / (rank + 1) ** config.maker_concentration
        for key in (*CATEGORIES, *(f"swap:{k}" for k in config.swap_packs), "module"):
            maker.specs[key] = b.names.chars(CODE_CHARS, 2)
        makers.append(reg.add(maker))

    n_automakers = _count(config, config.automakers)
    n_swap = max(1, round(config.swap_automaker_share * n_automakers))
    for rank in range(n_automakers):
        imported = rank > 0 and rng.random() < config.importer_share
        roles = ["automaker", "importer"] if imported else ["automaker"]
        automaker = b.company("importer" if imported else "automaker", roles)
        automaker.weight = 1.0 / (rank + 1) ** config.automaker_concentration
        automaker.wmi = b.names.wmi(imported)
        brand = automaker.name.split(" ")[1]
        keys: list[str] = list(CATEGORIES)
        if rank < n_swap:
            keys += [f"swap:{k}" for k in config.swap_packs]
            reg.swap_automakers.append(automaker)
        for key in keys:
            spec = config.swap_packs[key.removeprefix("swap:")] if key.startswith("swap:") else config.categories[key]
            stems = list(spec.model_names)
            rng.shuffle(stems)
            automaker.models[key] = [
                (f"{brand} {stem}", b.names.chars(VIN_CHARS, 5)) for stem in stems[: rng.randint(1, 3)]
            ]
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
    shares = cum([m.weight for m in makers])
    while len(owners) < n_points:
        owners.append(makers[bisect.bisect(shares, rng.random() * shares[-1])])
    for owner in owners:
        # A maker's first service point sits in its home province, the others anywhere.
        prov = PROVINCE_BY_CODE[owner.province] if not owner.service_points else None
        prov = prov or pick_province(rng)
        point = Company(
            uscc=b.names.uscc(prov.code),
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

    build_stations(config, rng, reg, operators)
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
                company.maker_code = b.names.maker_code()
                company.specs["second_life"] = b.names.chars(CODE_CHARS, 2)
            reg.add(company)
