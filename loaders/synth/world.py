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
from collections.abc import Iterator
from datetime import date
from random import Random

from loaders.synth.build import build_registry
from loaders.synth.config import CATEGORIES, SynthConfig
from loaders.synth.draws import cum, pick_province
from loaders.synth.health import keep_linked
from loaders.synth.leakage import LeakagePlanter
from loaders.synth.model import Lifecycle, Pack, Planter, VehicleRecord
from loaders.synth.plant import NetworkPlanter
from loaders.synth.registry import Registry, Station
from loaders.synth.steps import Steps
from loaders.synth.swapping import ClusterSim
from loaders.synth.timeline import DAY, YEAR, Clock

__all__ = ["World"]


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
        # The per-battery steps (steps.py) share the world's stream and keep its pack counters.
        self.steps = Steps(config, self.rng, self.clock, self.registry)
        self._vehicle_budget = 0  # packs left when the first ordinary vehicle was made
        self._category_cum = cum([config.categories[c].share for c in CATEGORIES])
        self._sales = dict(config.sales_by_year)
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
        keep_linked(life)
        return life

    def vehicle_lifecycle(self) -> Lifecycle:
        """One ordinary vehicle: production, then an export, or a sale, repairs or a replacement, scrapping."""
        rng, cfg, clock, reg, steps = self.rng, self.config, self.clock, self.registry, self.steps
        category = CATEGORIES[bisect.bisect(self._category_cum, rng.random())]
        spec = cfg.categories[category]
        automaker = reg.pick(rng, "automaker")
        model, vds = rng.choice(automaker.models[category])
        maker = automaker.pick_supplier(rng)
        prod_t = clock.office_time(rng, self._production_day())
        life = Lifecycle("vehicle", "")
        pack = steps.produce(life, maker, category, spec, prod_t)
        received = steps.move(life, pack.code, maker, automaker, clock.later(rng, prod_t, 1, 10))
        installed = clock.later(rng, received, 0, 30)
        vin = steps.minter.vin(automaker, vds, clock.date_of(installed).year)
        life.key = vin
        life.vehicles.append(VehicleRecord(vin, automaker.uscc, model, category, False))
        steps.ev(life, installed, "installed", automaker, None, battery=pack.code, vehicle=vin)
        home = pick_province(rng).code
        if rng.random() < cfg.export_share:
            steps.export(life, automaker, vin, clock.later(rng, installed, *cfg.export_days))
            return life  # exported new: the pack left the country in it, nothing more is reported
        sold = clock.later(rng, installed, 3, 90)
        steps.ev(life, sold, "vehicle_sold", automaker, home, vehicle=vin)
        if sold >= clock.end:
            return life

        years = steps.life_years(category, spec)
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
                cursor = steps.repair(life, current, vin, home, t)
            elif self.packs_left > 0:
                current, cursor = steps.replace(life, current, vin, home, t, automaker, category)
        if end_t < clock.end:
            scrap_t = max(end_t, clock.later(rng, cursor, 1, 30))
            steps.scrap(life, current, vin, home, scrap_t)
        return life

    def station_cluster(self, stations: list[Station]) -> Lifecycle:
        """Stations of one operator, their pools and the swap vehicles using them."""
        rng, cfg, clock, steps = self.rng, self.config, self.clock, self.steps
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
                pack = steps.produce(life, maker, key, spec, prod_t)
                ship_t = clock.later(rng, prod_t, 1, 5)
                steps.move(life, pack.code, maker, operator, ship_t, None, station.province)
                pool.append(pack)
            pools.append(pool)

        sim = ClusterSim(steps, life, stations, pools)
        per_station = self._swap_vehicles_per_station()
        n_vehicles = 0
        for _ in stations:
            x = per_station * (0.5 + rng.random())
            n_vehicles += int(x) + (1 if rng.random() < x - int(x) else 0)
        for _ in range(min(n_vehicles, self.packs_left)):
            sim.add_vehicle(open_day, key, spec)
        sim.run()
        return life

    # --- what the writer and the planters read ----------------------------------------------

    @property
    def packs_left(self) -> int:
        """Packs still to be made before the world holds exactly ``batteries``."""
        return self.steps.packs_left

    @property
    def packs_made(self) -> int:
        return self.steps.packs_made

    @property
    def modules_made(self) -> int:
        return self.steps.modules_made

    def lookalike(self, life: Lifecycle, what: str, **subject: str) -> None:
        """Label a legitimate history that resembles leakage (written when leakage is planted)."""
        self.steps.lookalike(life, what, **subject)

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
        return spans, cum(weights)  # empty only for swap years before the first station

    def _draw_day(self, spans: list[tuple[int, int]], weights: list[float]) -> int:
        lo, hi = spans[bisect.bisect(weights, self.rng.random() * weights[-1])]
        return lo + int(self.rng.random() * (hi - lo))

    def _production_day(self) -> int:
        """Stratified over the production-date distribution, in rising order.

        Vehicle lifecycles are generated in the order their packs were made: the k-th pack of
        the vehicle budget takes the day at quantile (k + u) / budget (replacement packs
        advance k too, so the last vehicle still reaches as_of). The mix of years is
        exact rather than sampled, the events file reads roughly forward in time, and codes
        made on one day share their head (see ``Minter.battery_code``).
        """
        if self._vehicle_budget <= 0:
            self._vehicle_budget = self.packs_left
        done = self._vehicle_budget - self.packs_left  # replacement packs count too
        q = (done + self.rng.random()) / self._vehicle_budget
        weights = self._year_cum
        target = min(q, 0.999_999_999) * weights[-1]
        i = bisect.bisect(weights, target)
        lo, hi = self._years[i]
        before = weights[i - 1] if i else 0.0
        return lo + min(hi - lo - 1, int((target - before) / (weights[i] - before) * (hi - lo)))

    def _swap_vehicles_per_station(self) -> float:
        """Swap vehicles per station so that they are ``swap_vehicle_share`` of all vehicles."""
        cfg = self.config
        stations = len(self.registry.stations)
        if stations == 0:
            return 0.0
        spare = stations * cfg.station_pool_size
        vehicles = max(0.0, (cfg.batteries - spare) / (1.0 + cfg.replacement_share / 2))
        return cfg.swap_vehicle_share * vehicles / stations
