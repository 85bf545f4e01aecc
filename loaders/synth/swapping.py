"""Swapping: the event-driven simulation of one station cluster.

Spare packs move between the stations' pools and the swap-capable vehicles that use them, so
the cluster's histories are simulated together, in time order, as one unit.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from random import Random

from loaders.synth.config import CategorySpec
from loaders.synth.model import Lifecycle, Pack, VehicleRecord
from loaders.synth.registry import Station
from loaders.synth.steps import Steps
from loaders.synth.timeline import DAY, YEAR

__all__ = ["ClusterSim"]


@dataclass(slots=True, eq=False)
class _SwapVehicle:
    vin: str
    home: int  # index of the home station within the cluster
    pack: Pack
    end_t: int
    ended: bool = False


class ClusterSim:
    """Event-driven simulation of one station cluster: swaps, vehicle ends, pack arrivals.

    A pack is in exactly one vehicle or one pool (or in transit to a pool) at any time, which
    keeps the swap history free of clones by construction.
    """

    def __init__(self, steps: Steps, life: Lifecycle, stations: list[Station], pools: list[list[Pack]]) -> None:
        self.steps = steps
        self.life = life
        self.stations = stations
        self.pools = pools
        self.operator = stations[0].operator
        self.key = f"swap:{stations[0].category}"
        self.spec = steps.config.swap_packs[stations[0].category]
        self.rate = steps.config.swaps_per_vehicle_year / YEAR
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
        years = self.steps.rng.uniform(*self.steps.config.swap_pack_life_years)
        pack.retire_t = pack.produced_t + int(years * YEAR)

    def add_vehicle(self, open_day: int, key: str, spec: CategorySpec) -> None:
        """A swap-capable vehicle, built and sold like any other, then swapping."""
        w, rng, clock = self.steps, self.steps.rng, self.steps.clock
        makers = w.registry.swap_automakers
        automaker = makers[int(rng.random() * len(makers))]
        model, vds = rng.choice(automaker.models[key])
        maker = automaker.pick_supplier(rng)
        sale_day = open_day + int(rng.random() * max(1, clock.end_day - open_day))
        prod_t = clock.office_time(rng, sale_day - rng.randint(30, 90))
        pack = w.produce(self.life, maker, key, spec, prod_t)
        self._set_retirement(pack)
        received = w.move(self.life, pack.code, maker, automaker, clock.later(rng, prod_t, 1, 10))
        installed = clock.later(rng, received, 0, 10)
        vin = w.minter.vin(automaker, vds, clock.date_of(installed).year)
        category = self.stations[0].category
        self.life.vehicles.append(VehicleRecord(vin, automaker.uscc, model, category, True))
        w.ev(self.life, installed, "installed", automaker, None, battery=pack.code, vehicle=vin)
        home = int(rng.random() * len(self.stations))
        sold = clock.later(rng, installed, 1, 30)
        province = self.stations[home].province
        w.ev(self.life, sold, "vehicle_sold", automaker, province, vehicle=vin)
        end_t = sold + int(w.life_years(category, spec) * YEAR)
        self.vehicles.append(_SwapVehicle(vin, home, pack, end_t))
        ref = len(self.vehicles) - 1
        # Sold a little before the stations opened (the pack was ordered early), its first swap
        # waits for the opening: pools are stocked just before open_day.
        first = max(sold, open_day * DAY)
        self._push(first + int(rng.expovariate(self.rate)), "swap", ref)
        self._push(end_t, "end", ref)

    def run(self) -> None:
        """Process swaps, vehicle ends and arrivals in time order up to as_of."""
        end = self.steps.clock.end
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
        w, rng = self.steps, self.steps.rng
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
            w.ev(
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
            cfg = w.config
            if Random(f"{cfg.seed}:swap-readout:{pack_out.code}:{t}").random() < cfg.swap_readout_share:
                w.fade.measure(self.life, pack_out, pack_out.code, t + 300, self.operator, "bms_readout")
            self._back_to_pool(pack_out, s, t)
        # At least ten minutes between two swaps of one vehicle.
        self._push(t + 600 + int(rng.expovariate(self.rate)), "swap", ref)

    def _end(self, vehicle: _SwapVehicle, t: int) -> None:
        """The operator takes its pack back; the car is scrapped without it (Art. 21)."""
        w, rng, reg, cfg = self.steps, self.steps.rng, self.steps.registry, self.steps.config
        vehicle.ended = True
        station = self.stations[vehicle.home]
        w.ev(
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
        w.ev(self.life, scrap_t, "vehicle_scrapped", dismantler, None, vehicle=vehicle.vin)
        if scrap_t < w.clock.end:
            w.lookalike(self.life, "swap_vehicle_scrapped_without_pack", vehicle=vehicle.vin)

    def _back_to_pool(self, pack: Pack, s: int, t: int) -> None:
        """Into the station's pool, or out of service when old, with a new pack ordered."""
        w, rng, clock, cfg = self.steps, self.steps.rng, self.steps.clock, self.steps.config
        if t < pack.retire_t:
            self.pools[s].append(pack)
            return
        station = self.stations[s]
        ship_t = clock.later(rng, t, 1, 10)
        w.retire(
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
        new = w.produce(self.life, maker, self.key, self.spec, prod_t)
        self._set_retirement(new)
        received = w.move(
            self.life,
            new.code,
            maker,
            self.operator,
            clock.later(rng, prod_t, 1, 5),
            None,
            station.province,
        )
        self.arrivals[self._push(received, "arrive", s)] = new
