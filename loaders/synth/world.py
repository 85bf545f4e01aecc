"""Battery lifecycles: each unit of the world is generated whole, as one list of events.

Two kinds of unit exist. A *vehicle lifecycle* is an ordinary vehicle with its pack (and the
replacement pack, if any) from production to recycling. A *station cluster* is a handful of
swap stations of one operator with their pools of spare packs and the swap-capable vehicles
that use them: swapping moves packs between vehicles and pools, so their histories can only be
kept consistent when simulated together. Either way the unit is returned as a ``Lifecycle``
and handed to ``World.planter`` (the single hook where later work can plant anomalies and label
them) before it is written; nothing is kept once it is written, so memory stays flat.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from random import Random
from typing import Any

from app.identifiers import make_battery_code, make_vin
from loaders.synth.config import CATEGORIES, CategorySpec, SynthConfig
from loaders.synth.leakage import LeakagePlanter
from loaders.synth.model import Event, Lifecycle, Pack, Planter, VehicleRecord
from loaders.synth.plant import NetworkPlanter
from loaders.synth.registry import Company, Registry, Station, build_registry, pick_province
from loaders.synth.timeline import DAY, EPOCH, YEAR, Clock

__all__ = ["World"]

_B36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_VIN_PLANTS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
# VIN position 10: model years from 2010 (ISO 3779 leaves out I, O, Q, U, Z and 0).
_VIN_YEARS = "ABCDEFGHJKLMNPRSTVWXY123456789"
_CHEM_LETTER = {"LFP": "B", "ternary": "E"}  # GB/T 34014 position 5 (domain.md 2)


_B36_3 = [a + b + c for a in _B36 for b in _B36 for c in _B36]  # 46,656 three-char blocks


def _b36(value: int, width: int) -> str:
    """Base-36, zero-padded to ``width`` (at most 9) characters: a table look-up per block."""
    text = _B36_3[value // 46_656 // 46_656 % 46_656] + _B36_3[value // 46_656 % 46_656]
    return (text + _B36_3[value % 46_656])[-width:]


def _cum(weights: list[float]) -> list[float]:
    total = 0.0
    out = []
    for weight in weights:
        total += weight
        out.append(total)
    return out


@dataclass(slots=True, eq=False)
class _SwapVehicle:
    vin: str
    home: int  # index of the home station within the cluster
    pack: Pack
    end_t: int
    ended: bool = False


class World:
    """Generates the units of one world, in a fixed order, from seeded random streams."""

    def __init__(self, config: SynthConfig, planter: Planter | None = None) -> None:
        self.config = config
        self.planter = planter
        self.clock = Clock(config.as_of)
        self.registry: Registry = build_registry(config, Random(f"{config.seed}:registry"), self.clock)
        self.rng = Random(f"{config.seed}:world")
        self.plant_rng = Random(f"{config.seed}:plant")
        # The built-in ground truth (a broker and a ring, see plant.py): its companies join the
        # registry now, before it is written, and before the leakage planter reads the registry.
        self.network: NetworkPlanter | None = NetworkPlanter.for_world(self)
        self.leakage: LeakagePlanter | None = LeakagePlanter.for_world(self, self.network)
        self.packs_left = config.batteries
        self.packs_made = 0
        self.modules_made = 0
        self._serial = 0
        self._vehicle_budget = 0  # packs left when the first ordinary vehicle was made
        self._code_heads: dict[tuple[str, str, str, str, str, date], str] = {}
        self._vin_serial = 0
        self._category_cum = _cum([config.categories[c].share for c in CATEGORIES])
        self._lfp = dict(config.lfp_share_by_year)
        self._sales = dict(config.sales_by_year)
        self._app_cum = _cum([w for _, w in config.applications])
        self._years, self._year_cum = self._year_table(config.first_year, 0)
        self._swap_years, self._swap_year_cum = self._year_table(config.first_swap_year, 60)

    # --- the units ------------------------------------------------------------------------

    def lifecycles(self) -> Iterator[Lifecycle]:
        """Station clusters first, then vehicles until exactly ``batteries`` packs exist, then
        event-less units with the planted ground truth's summary labels (when planting)."""
        for cluster in self.registry.clusters:
            yield self._planted(self.station_cluster(cluster))
        while self.packs_left > 0:
            yield self._planted(self.vehicle_lifecycle())
        if self.network is not None:
            yield self.network.closing()  # no events: the planted broker and ring, summarised
        if self.leakage is not None:
            yield self.leakage.closing()  # no events: company-level leakage labels and counts

    def _planted(self, life: Lifecycle) -> Lifecycle:
        if self.network is not None:
            self.network(life, self)
        if self.leakage is not None:
            self.leakage(life, self)
        if self.planter is not None:
            self.planter(life, self)
        return life

    def vehicle_lifecycle(self) -> Lifecycle:
        """One ordinary vehicle: production, sale, repairs or a replacement, scrapping."""
        rng, cfg, clock, reg = self.rng, self.config, self.clock, self.registry
        category = CATEGORIES[bisect.bisect(self._category_cum, rng.random())]
        spec = cfg.categories[category]
        automaker = reg.pick(rng, "automaker")
        model, vds = rng.choice(automaker.models[category])
        maker = automaker.pick_supplier(rng)
        prod_t = clock.office_time(rng, self._production_day())
        life = Lifecycle("vehicle", "")
        pack = self._produce(life, maker, category, spec, prod_t)
        received = self._move(life, pack.code, maker, automaker, clock.later(rng, prod_t, 1, 10))
        installed = clock.later(rng, received, 0, 30)
        vin = self._new_vin(automaker, vds, clock.date_of(installed).year)
        life.key = vin
        life.vehicles.append(VehicleRecord(vin, automaker.uscc, model, category, False))
        self._ev(life, installed, "installed", automaker, None, battery=pack.code, vehicle=vin)
        home = pick_province(rng).code
        sold = clock.later(rng, installed, 3, 90)
        self._ev(life, sold, "vehicle_sold", automaker, home, vehicle=vin)
        if sold >= clock.end:
            return life

        years = self._life_years(category, spec)
        end_t = sold + int(years * YEAR)
        horizon = min(years, cfg.warranty_years)
        incidents: list[tuple[int, str]] = []
        if horizon > 0.5 and rng.random() < cfg.repair_share:
            incidents.append((sold + int(rng.uniform(0.3, horizon) * YEAR), "repair"))
        if horizon > 1.2 and rng.random() < cfg.replacement_share:
            incidents.append((sold + int(rng.uniform(1.0, horizon) * YEAR), "replacement"))
        incidents.sort()
        cursor, current = sold, pack
        for when, kind in incidents:
            t = clock.office_time(rng, when // DAY)
            if t <= cursor + DAY or t >= end_t or t >= clock.end:
                continue
            if kind == "repair":
                cursor = self._repair(life, current, vin, home, t)
            elif self.packs_left > 0:
                current, cursor = self._replace(life, current, vin, home, t, automaker, category)
        if end_t < clock.end:
            scrap_t = max(end_t, clock.later(rng, cursor, 1, 30))
            self._scrap(life, current, vin, home, scrap_t)
        return life

    def station_cluster(self, stations: list[Station]) -> Lifecycle:
        """Stations of one operator, their pools and the swap vehicles using them."""
        rng, cfg, clock = self.rng, self.config, self.clock
        life = Lifecycle("station_cluster", stations[0].id)
        operator = stations[0].operator
        category = stations[0].category
        key = f"swap:{category}"
        spec = cfg.swap_packs[category]
        open_day = self._draw_day(self._swap_years, self._swap_year_cum)

        # Spare packs delivered to each station before it opens.
        pools: list[list[Pack]] = []
        for station in stations:
            pool: list[Pack] = []
            for _ in range(min(cfg.station_pool_size, self.packs_left)):
                maker = operator.pick_supplier(rng)
                prod_t = clock.office_time(rng, open_day - rng.randint(45, 75))
                pack = self._produce(life, maker, key, spec, prod_t)
                ship_t = clock.later(rng, prod_t, 1, 5)
                self._move(life, pack.code, maker, operator, ship_t, None, station.province)
                pool.append(pack)
            pools.append(pool)

        sim = _ClusterSim(self, life, stations, pools)
        per_station = self._swap_vehicles_per_station()
        n_vehicles = 0
        for _ in stations:
            x = per_station * (0.5 + rng.random())
            n_vehicles += int(x) + (1 if rng.random() < x - int(x) else 0)
        for _ in range(min(n_vehicles, self.packs_left)):
            sim.add_vehicle(open_day, key, spec)
        sim.run()
        return life

    # --- flows shared by both kinds of unit -------------------------------------------------

    def lookalike(self, life: Lifecycle, what: str, **subject: str) -> None:
        """Label a legitimate history that resembles leakage (written when leakage is planted)."""
        if self.config.plant_leakage:
            life.labels.append({"kind": "legitimate", "as": what, **subject})

    def _ev(
        self,
        life: Lifecycle,
        t: int,
        type_: str,
        reporter: Company,
        province: str | None,
        **body: Any,
    ) -> None:
        life.events.append(Event(t, type_, reporter.uscc, province or reporter.province, body))

    def _produce(self, life: Lifecycle, maker: Company, key: str, spec: CategorySpec, t: int) -> Pack:
        """A new pack (and, for some, its modules) with its produced events."""
        rng, cfg = self.rng, self.config
        produced_on = self.clock.date_of(t)
        chemistry = spec.chemistry or ("LFP" if rng.random() < self._lfp_share(produced_on.year) else "ternary")
        letter = _CHEM_LETTER[chemistry]
        capacity = rng.uniform(*spec.capacity_kwh)
        mass = capacity * 1000.0 / rng.uniform(*spec.density_wh_per_kg)
        mass = min(max(mass, spec.mass_kg[0]), spec.mass_kg[1])
        components: list[str] = []
        if rng.random() < cfg.component_share:
            n = rng.randint(*cfg.modules_per_pack)
            module_day = t // DAY - rng.randint(1, 10)
            module_t = self.clock.office_time(rng, module_day)
            module_on = self.clock.date_of(module_t)
            module_mass = round(mass * 0.8 / n, 1)  # cells and module housings; our estimate
            for i in range(n):
                code = self._code(maker, "module", letter, maker.specs["module"], module_on)
                components.append(code)
                self._ev(
                    life,
                    module_t + 37 * i,
                    "produced",
                    maker,
                    None,
                    battery=code,
                    chemistry=chemistry,
                    mass_kg=module_mass,
                    components=[],
                )
            self.modules_made += n
        code = self._code(maker, "pack", letter, maker.specs[key], produced_on)
        pack = Pack(code, maker, chemistry, round(mass, 1), round(capacity, 1), t)
        self._ev(
            life,
            t,
            "produced",
            maker,
            None,
            battery=code,
            chemistry=chemistry,
            mass_kg=pack.mass_kg,
            capacity_kwh=pack.capacity_kwh,
            components=components,
        )
        life.packs.append(pack)
        self.packs_left -= 1
        self.packs_made += 1
        return pack

    def _code(self, maker: Company, level: str, letter: str, spec_code: str, produced_on: date) -> str:
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

    def _move(
        self,
        life: Lifecycle,
        code: str,
        sender: Company,
        receiver: Company,
        t: int,
        sender_province: str | None = None,
        receiver_province: str | None = None,
    ) -> int:
        """Shipped by the sender, received by the receiver; returns the receipt time."""
        rng, cfg = self.rng, self.config
        self._ev(life, t, "shipped", sender, sender_province, battery=code, to=receiver.uscc)
        late = rng.random() < cfg.late_receipt_share
        lo, hi = cfg.late_receipt_days if late else cfg.transit_days
        received = self.clock.later(rng, t, lo, hi)
        if late and received < self.clock.end:
            self.lookalike(life, "receipt_late_inside_limit", battery=code)
        life.events.append(
            Event(
                received,
                "received",
                receiver.uscc,
                receiver_province or receiver.province,
                {"battery": code, "from": sender.uscc},
            )
        )
        return received

    def _repair(self, life: Lifecycle, pack: Pack, vin: str, home: str, t: int) -> int:
        """Removed for repair, repaired and reinstalled by one repairer; returns the end."""
        rng, clock = self.rng, self.clock
        repairer = self.registry.pick_local(rng, "repairer", home, self.config.local_handler_share)
        self._ev(life, t, "removed", repairer, None, battery=pack.code, vehicle=vin, reason="repair")
        repaired = clock.later(rng, t, 1, 10)
        self._ev(life, repaired, "repaired", repairer, None, battery=pack.code)
        back = clock.later(rng, repaired, 0, 3)
        self._ev(life, back, "installed", repairer, None, battery=pack.code, vehicle=vin)
        if back < clock.end:
            self.lookalike(life, "removed_for_repair_reinstalled", battery=pack.code)
        return back

    def _replace(
        self,
        life: Lifecycle,
        old: Pack,
        vin: str,
        home: str,
        t: int,
        automaker: Company,
        category: str,
    ) -> tuple[Pack, int]:
        """A new pack, bought in ahead, replaces the old one, which goes to a recipient."""
        rng, cfg, clock = self.rng, self.config, self.clock
        repairer = self.registry.pick_local(rng, "repairer", home, cfg.local_handler_share)
        maker = old.maker if rng.random() < 0.7 else automaker.pick_supplier(rng)
        prod_t = clock.office_time(rng, t // DAY - rng.randint(40, 120))
        new = self._produce(life, maker, category, cfg.categories[category], prod_t)
        self._move(life, new.code, maker, repairer, clock.later(rng, prod_t, 1, 10))
        self._ev(life, t, "removed", repairer, None, battery=old.code, vehicle=vin, reason="replacement")
        installed = clock.later(rng, t, 0, 2)
        self._ev(life, installed, "installed", repairer, None, battery=new.code, vehicle=vin)
        self._retire(life, old, old.code, repairer, clock.later(rng, t, 1, 15), cfg.leak_share)
        return new, installed

    def _scrap(self, life: Lifecycle, pack: Pack, vin: str, home: str, t: int) -> None:
        """A dismantler takes the vehicle, removes the pack and sends it on."""
        rng, cfg, clock, reg = self.rng, self.config, self.clock, self.registry
        dismantler = (
            reg.pick_licensed(rng, "dismantling", t // DAY, home, cfg.local_handler_share) or reg.dismantlers[0]
        )
        self._ev(life, t, "vehicle_scrapped", dismantler, None, vehicle=vin)
        removed = clock.later(rng, t, 0, 10)
        self._ev(
            life,
            removed,
            "removed",
            dismantler,
            None,
            battery=pack.code,
            vehicle=vin,
            reason="scrapping",
        )
        self._retire(life, pack, pack.code, dismantler, clock.later(rng, removed, 1, 15), cfg.leak_share)

    def _retire(
        self,
        life: Lifecycle,
        pack: Pack,
        code: str,
        holder: Company,
        t: int,
        leak_share: float,
        holder_province: str | None = None,
    ) -> None:
        """Hand a retired pack on: to a workshop (leak), a listed company or a service point."""
        rng, cfg, clock, reg = self.rng, self.config, self.clock, self.registry
        province = holder_province or holder.province
        local = cfg.local_handler_share
        if rng.random() < leak_share:
            workshop = reg.pick_workshop(rng, province, cfg.local_workshop_share)
            self._move(life, code, holder, workshop, t, province)
            return
        day = t // DAY
        if rng.random() >= cfg.service_point_share:
            if rng.random() < cfg.repurpose_share:
                company = reg.pick_licensed(rng, "second_life", day, province, local)
                if company is not None:
                    received = self._move(life, code, holder, company, t, province)
                    self._second_life(life, pack, code, company, received)
                    return
            company = reg.pick_licensed(rng, "recycling", day, province, local)
            if company is not None:
                received = self._move(life, code, holder, company, t, province)
                self._recycle(life, pack, code, company, clock.later(rng, received, 10, 120))
                return
        # A maker's service point collects it and passes it to a listed recycler, waiting
        # for the first listing when the pack retired before the white list existed.
        point = reg.service_point(rng, pack.maker, province)
        received = self._move(life, code, holder, point, t, province)
        onward = clock.later(rng, received, 5, 60)
        first = reg.first_listed_day["recycling"]
        if onward // DAY < first:
            onward = clock.office_time(rng, first + rng.randint(0, 60))
        recycler = reg.pick_licensed(rng, "recycling", onward // DAY, point.province, local)
        if recycler is None or onward >= clock.end:
            return
        received = self._move(life, code, point, recycler, onward)
        self._recycle(life, pack, code, recycler, clock.later(rng, received, 10, 120))

    def _second_life(self, life: Lifecycle, pack: Pack, code: str, company: Company, received: int) -> None:
        """Repurposed under a new code, used for some years, then recycled."""
        rng, cfg, clock, reg = self.rng, self.config, self.clock, self.registry
        t = clock.later(rng, received, 7, 90)
        if t >= clock.end:
            return
        draw = rng.random() * self._app_cum[-1]
        application = cfg.applications[bisect.bisect(self._app_cum, draw)][0]
        if rng.random() < cfg.second_life_short_code_share:
            # The 19-character form: the code without its traceability field, plus R, P.
            new_code = code[:7] + code[14:24] + "RP"
        else:
            new_code = self._code(company, "pack", code[4], company.specs["second_life"], clock.date_of(t))
        self._ev(
            life,
            t,
            "repurposed",
            company,
            None,
            battery=code,
            application=application,
            new_code=new_code,
        )
        end = t + int(rng.uniform(*cfg.second_life_years) * YEAR)
        if end >= clock.end:
            return
        end = clock.office_time(rng, end // DAY)
        if company.licensed("recycling", end // DAY):
            self._recycle(life, pack, new_code, company, end)
            return
        recycler = reg.pick_licensed(rng, "recycling", end // DAY, company.province, cfg.local_handler_share)
        if recycler is not None:
            received = self._move(life, new_code, company, recycler, end)
            self._recycle(life, pack, new_code, recycler, clock.later(rng, received, 10, 120))

    def _recycle(self, life: Lifecycle, pack: Pack, code: str, recycler: Company, t: int) -> None:
        """Recovered metal is the pack's element content times a compliant recovery rate."""
        rng, cfg = self.rng, self.config
        content = cfg.element_content[pack.chemistry]
        recovered: dict[str, float] = {}
        for element in ("li", "co", "ni", "mn"):
            rate = rng.uniform(*(cfg.recovery_li if element == "li" else cfg.recovery_other))
            # Rounded down so that recovered metal never exceeds what the input contains.
            recovered[element] = int(pack.mass_kg * content.get(element, 0.0) * rate * 1000) / 1000
        self._ev(
            life,
            t,
            "recycled",
            recycler,
            None,
            battery=code,
            input_mass_kg=pack.mass_kg,
            recovered=recovered,
        )

    # --- draws ------------------------------------------------------------------------------

    def _year_table(self, first_year: int, margin_days: int) -> tuple[list[tuple[int, int]], list[float]]:
        """Days of each year from ``first_year``, weighted by sales and truncated at as_of."""
        clock = self.clock
        last_day = clock.end_day - margin_days
        spans: list[tuple[int, int]] = []
        weights: list[float] = []
        known = sorted(self._sales)
        for year in range(first_year, self.config.as_of.year + 1):
            lo = clock.day_of(date(year, 1, 1))
            hi = min(clock.day_of(date(year + 1, 1, 1)), last_day)
            if hi <= lo:
                continue
            nearest = year if year in self._sales else (known[0] if year < known[0] else known[-1])
            sales = self._sales[nearest]
            spans.append((lo, hi))
            weights.append(sales * (hi - lo) / 365.0)
        return spans, _cum(weights)  # empty only for swap years before the first station

    def _draw_day(self, spans: list[tuple[int, int]], cum: list[float]) -> int:
        lo, hi = spans[bisect.bisect(cum, self.rng.random() * cum[-1])]
        return lo + int(self.rng.random() * (hi - lo))

    def _production_day(self) -> int:
        """Stratified over the production-date distribution, in rising order.

        Vehicle lifecycles are generated in the order their packs were made: the k-th pack of
        the vehicle budget takes the day at quantile (k + u) / budget (replacement packs
        advance k too, so the last vehicle still reaches as_of). The mix of years is
        exact rather than sampled, the events file reads roughly forward in time, and codes
        made on one day share their head (see ``_code``).
        """
        if self._vehicle_budget <= 0:
            self._vehicle_budget = self.packs_left
        done = self._vehicle_budget - self.packs_left  # replacement packs count too
        q = (done + self.rng.random()) / self._vehicle_budget
        cum = self._year_cum
        target = min(q, 0.999_999_999) * cum[-1]
        i = bisect.bisect(cum, target)
        lo, hi = self._years[i]
        before = cum[i - 1] if i else 0.0
        return lo + min(hi - lo - 1, int((target - before) / (cum[i] - before) * (hi - lo)))

    def _lfp_share(self, year: int) -> float:
        share = self._lfp.get(year)
        if share is None:
            known = sorted(self._lfp)
            share = self._lfp[known[0] if year < known[0] else known[-1]]
        return share

    def _life_years(self, category: str, spec: CategorySpec) -> float:
        cfg = self.config
        mean, sd = spec.life_years
        if category == "passenger_bev" and self.rng.random() < cfg.fleet_use_share:
            mean, sd = cfg.fleet_use_life_years
        lo, hi = cfg.life_clip_years
        return min(max(self.rng.gauss(mean, sd), lo), hi)

    def _new_vin(self, automaker: Company, vds: str, year: int) -> str:
        """A VIN with a world-wide counter in positions 11-17, so VINs never clash."""
        n = self._vin_serial
        self._vin_serial += 1
        plant = _VIN_PLANTS[(n // 1_000_000) % len(_VIN_PLANTS)]
        year_code = _VIN_YEARS[(year - 2010) % len(_VIN_YEARS)]
        return make_vin(f"{automaker.wmi}{vds}0{year_code}{plant}{n % 1_000_000:06d}")

    def _swap_vehicles_per_station(self) -> float:
        """Swap vehicles per station so that they are ``swap_vehicle_share`` of all vehicles."""
        cfg = self.config
        stations = len(self.registry.stations)
        if stations == 0:
            return 0.0
        spare = stations * cfg.station_pool_size
        vehicles = max(0.0, (cfg.batteries - spare) / (1.0 + cfg.replacement_share / 2))
        return cfg.swap_vehicle_share * vehicles / stations


class _ClusterSim:
    """Event-driven simulation of one station cluster: swaps, vehicle ends, pack arrivals.

    A pack is in exactly one vehicle or one pool (or in transit to a pool) at any time, which
    keeps the swap history free of clones by construction.
    """

    def __init__(self, world: World, life: Lifecycle, stations: list[Station], pools: list[list[Pack]]) -> None:
        self.w = world
        self.life = life
        self.stations = stations
        self.pools = pools
        self.operator = stations[0].operator
        self.key = f"swap:{stations[0].category}"
        self.spec = world.config.swap_packs[stations[0].category]
        self.rate = world.config.swaps_per_vehicle_year / YEAR
        self.heap: list[tuple[int, int, str, int]] = []
        self.seq = 0
        self.vehicles: list[_SwapVehicle] = []
        self.arrivals: dict[int, Pack] = {}
        for pool in pools:
            for pack in pool:
                self._set_retirement(pack)

    def _push(self, t: int, what: str, ref: int) -> int:
        seq = self.seq
        heapq.heappush(self.heap, (t, seq, what, ref))
        self.seq += 1
        return seq

    def _set_retirement(self, pack: Pack) -> None:
        years = self.w.rng.uniform(*self.w.config.swap_pack_life_years)
        pack.retire_t = pack.produced_t + int(years * YEAR)

    def add_vehicle(self, open_day: int, key: str, spec: CategorySpec) -> None:
        """A swap-capable vehicle, built and sold like any other, then swapping."""
        w, rng, clock = self.w, self.w.rng, self.w.clock
        makers = w.registry.swap_automakers
        automaker = makers[int(rng.random() * len(makers))]
        model, vds = rng.choice(automaker.models[key])
        maker = automaker.pick_supplier(rng)
        sale_day = open_day + int(rng.random() * max(1, clock.end_day - open_day))
        prod_t = clock.office_time(rng, sale_day - rng.randint(30, 90))
        pack = w._produce(self.life, maker, key, spec, prod_t)
        self._set_retirement(pack)
        received = w._move(self.life, pack.code, maker, automaker, clock.later(rng, prod_t, 1, 10))
        installed = clock.later(rng, received, 0, 10)
        vin = w._new_vin(automaker, vds, clock.date_of(installed).year)
        category = self.stations[0].category
        self.life.vehicles.append(VehicleRecord(vin, automaker.uscc, model, category, True))
        w._ev(self.life, installed, "installed", automaker, None, battery=pack.code, vehicle=vin)
        home = int(rng.random() * len(self.stations))
        sold = clock.later(rng, installed, 1, 30)
        province = self.stations[home].province
        w._ev(self.life, sold, "vehicle_sold", automaker, province, vehicle=vin)
        end_t = sold + int(w._life_years(category, spec) * YEAR)
        self.vehicles.append(_SwapVehicle(vin, home, pack, end_t))
        ref = len(self.vehicles) - 1
        # Sold a little before the stations opened (the pack was ordered early), its first swap
        # waits for the opening: pools are stocked just before open_day.
        first = max(sold, open_day * DAY)
        self._push(first + int(rng.expovariate(self.rate)), "swap", ref)
        self._push(end_t, "end", ref)

    def run(self) -> None:
        """Process swaps, vehicle ends and arrivals in time order up to as_of."""
        end = self.w.clock.end
        while self.heap:
            t, seq, what, ref = heapq.heappop(self.heap)
            if t >= end:
                break
            if what == "arrive":
                self.pools[ref].append(self.arrivals.pop(seq))
                continue
            vehicle = self.vehicles[ref]
            if vehicle.ended:
                continue
            if what == "end":
                self._end(vehicle, t)
            else:
                self._swap(vehicle, ref, t)

    def _swap(self, vehicle: _SwapVehicle, ref: int, t: int) -> None:
        w, rng = self.w, self.w.rng
        s = vehicle.home
        if rng.random() >= w.config.home_station_share:
            s = int(rng.random() * len(self.stations))
        pool = self.pools[s]
        if pool:
            pick = int(rng.random() * len(pool))
            pack_in = pool[pick]
            pool[pick] = pool[-1]
            pool.pop()
            pack_out = vehicle.pack
            vehicle.pack = pack_in
            station = self.stations[s]
            w._ev(
                self.life,
                t,
                "swapped",
                self.operator,
                station.province,
                vehicle=vehicle.vin,
                station=station.id,
                battery_out=pack_out.code,
                battery_in=pack_in.code,
            )
            self._back_to_pool(pack_out, s, t)
        # At least ten minutes between two swaps of one vehicle.
        self._push(t + 600 + int(rng.expovariate(self.rate)), "swap", ref)

    def _end(self, vehicle: _SwapVehicle, t: int) -> None:
        """The operator takes its pack back; the car is scrapped without it (Art. 21)."""
        w, rng, reg, cfg = self.w, self.w.rng, self.w.registry, self.w.config
        vehicle.ended = True
        station = self.stations[vehicle.home]
        w._ev(
            self.life,
            t,
            "removed",
            self.operator,
            station.province,
            battery=vehicle.pack.code,
            vehicle=vehicle.vin,
            reason="other",
        )
        self._back_to_pool(vehicle.pack, vehicle.home, t)
        scrap_t = w.clock.later(rng, t, 1, 20)
        dismantler = (
            reg.pick_licensed(rng, "dismantling", scrap_t // DAY, station.province, cfg.local_handler_share)
            or reg.dismantlers[0]
        )
        w._ev(self.life, scrap_t, "vehicle_scrapped", dismantler, None, vehicle=vehicle.vin)
        if scrap_t < w.clock.end:
            w.lookalike(self.life, "swap_vehicle_scrapped_without_pack", vehicle=vehicle.vin)

    def _back_to_pool(self, pack: Pack, s: int, t: int) -> None:
        """Into the station's pool, or out of service when old, with a new pack ordered."""
        w, rng, clock, cfg = self.w, self.w.rng, self.w.clock, self.w.config
        if t < pack.retire_t:
            self.pools[s].append(pack)
            return
        station = self.stations[s]
        ship_t = clock.later(rng, t, 1, 10)
        w._retire(
            self.life,
            pack,
            pack.code,
            self.operator,
            ship_t,
            cfg.operator_leak_share,
            station.province,
        )
        prod_t = clock.later(rng, t, 0, 20)
        if w.packs_left <= 0 or prod_t >= clock.end:
            return
        maker = self.operator.pick_supplier(rng)
        new = w._produce(self.life, maker, self.key, self.spec, prod_t)
        self._set_retirement(new)
        received = w._move(
            self.life,
            new.code,
            maker,
            self.operator,
            clock.later(rng, prod_t, 1, 5),
            None,
            station.province,
        )
        self.arrivals[self._push(received, "arrive", s)] = new
