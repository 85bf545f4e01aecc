"""Swap stations of a synthetic world, grouped into clusters that share their drivers.

A cluster is one operator's stations in one province; the lifecycle generator simulates each
cluster as one unit (see ``swapping.py``).
"""

from __future__ import annotations

import bisect
from datetime import date, timedelta
from random import Random

from loaders.synth.config import SynthConfig
from loaders.synth.draws import PROVINCE_BY_CODE, cum, pick_province
from loaders.synth.registry import Company, Registry, Station

__all__ = ["build_stations"]


def build_stations(config: SynthConfig, rng: Random, reg: Registry, operators: list[Company]) -> None:
    """Stations grouped into clusters (one operator, one province) that share drivers."""
    if config.batteries < config.min_batteries_for_swap:
        return
    if config.as_of < date(config.first_swap_year, 1, 1) + timedelta(days=90):
        return  # no swap network yet at this as_of
    n_stations = max(1, round(config.batteries / config.batteries_per_station))
    weights = cum([op.weight for op in operators])
    draft: list[tuple[int, str]] = []
    for _ in range(n_stations):
        op_index = bisect.bisect(weights, rng.random() * weights[-1])
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
        prov = PROVINCE_BY_CODE[province]
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
    weights = cum([config.swap_packs[k].share for k in keys])
    return keys[bisect.bisect(weights, rng.random() * weights[-1])]
