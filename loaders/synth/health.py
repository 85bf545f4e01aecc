"""Health readings of the synthetic world: a fade model by chemistry, age and cycles, and the
``health_measured`` events companies report at repairs, scrapping, some swaps and before every
repurposing (figures and their sources: ``SynthConfig``, section "state of health").

State of health (SoH, % of the rated capacity) falls by a calendar term, ``a · years ** 0.7``,
and a cycle term, ``per-cycle loss × equivalent full cycles``; each pack ages at its own pace (a
lognormal factor: climate, fast charging), drawn from a stream of its own keyed by the seed and
the pack's code, so readings never shift the draws that build the base world, and a pack gives
the same reading at the same moment however often it is asked.
"""

from __future__ import annotations

import math
from random import Random
from typing import Any

from loaders.synth.config import SynthConfig
from loaders.synth.model import Event, Lifecycle, Pack
from loaders.synth.registry import Company
from loaders.synth.timeline import YEAR

__all__ = ["Fade", "keep_linked"]


class Fade:
    """The world's fade model and the readings it writes."""

    def __init__(self, config: SynthConfig) -> None:
        self.config = config
        self._pace: dict[str, tuple[float, float, float]] = {}  # code -> (pace, initial SoH, R0)

    def _pack(self, pack: Pack) -> tuple[float, float, float]:
        found = self._pace.get(pack.code)
        if found is None:
            rng = Random(f"{self.config.seed}:health:{pack.code}")
            cfg = self.config
            pace = math.exp(rng.gauss(0.0, cfg.fade_spread))
            initial = rng.uniform(*cfg.initial_soh_pct)
            resistance = rng.uniform(*cfg.initial_resistance_mohm[pack.chemistry])
            found = (pace, initial, resistance)
            if len(self._pace) > 10_000:  # a unit's packs are all it needs; memory stays flat
                self._pace.clear()
            self._pace[pack.code] = found
        return found

    def cycles(self, pack: Pack, t: int) -> int:
        """Equivalent full cycles by ``t``: the pack's use times its age."""
        years = max(0.0, (t - pack.produced_t) / YEAR)
        per_year = self.config.cycles_per_year.get(pack.usage, self.config.cycles_per_year["passenger_bev"])
        return int(years * per_year)

    def soh(self, pack: Pack, t: int) -> float:
        """The pack's true state of health at ``t``, in %."""
        cfg = self.config
        pace, initial, _ = self._pack(pack)
        years = max(0.0, (t - pack.produced_t) / YEAR)
        loss: float = cfg.fade_calendar_pct[pack.chemistry] * math.pow(years, 0.7)
        loss += cfg.fade_per_cycle_pct[pack.chemistry] * self.cycles(pack, t)
        return max(cfg.soh_floor_pct, initial - pace * loss)

    def reading(self, pack: Pack, t: int, method: str, noise_key: str) -> dict[str, Any]:
        """The body of a ``health_measured`` event: what the method would read at ``t``."""
        cfg = self.config
        spread = cfg.test_noise_pct if method == "residual_energy_test" else cfg.bms_noise_pct
        rng = Random(f"{cfg.seed}:health:{pack.code}:{noise_key}")
        true = self.soh(pack, t)
        soh = round(min(108.0, max(0.0, true + rng.gauss(0.0, spread / 2))), 1)
        body: dict[str, Any] = {
            "battery": pack.code,
            "soh_pct": soh,
            "capacity_kwh": round(pack.capacity_kwh * soh / 100.0, 2),
            "cycle_count": self.cycles(pack, t),
            "method": method,
        }
        if method == "residual_energy_test":
            _, _, r0 = self._pack(pack)
            body["internal_resistance_mohm"] = round(r0 * (1 + cfg.resistance_rise_per_soh_pct * (100 - true)), 1)
        return body

    def measure(self, life: Lifecycle, pack: Pack, code: str, t: int, company: Company, method: str) -> dict[str, Any]:
        """Append the reading of ``pack`` (under ``code``) reported by ``company``; returns its body."""
        body = {**self.reading(pack, t, method, f"{t}"), "battery": code}
        life.events.append(Event(t, "health_measured", company.uscc, company.province, body))
        return body


def _linked(events: list[Event]) -> dict[str, set[str]]:
    """code -> the companies its events link to it (reporter, sender, addressee)."""
    found: dict[str, set[str]] = {}
    for e in events:
        if e.type in ("health_measured", "correction"):
            continue
        body = e.body
        companies = {e.reporter, *(body[k] for k in ("to", "from") if k in body)}
        for key in ("battery", "battery_in", "battery_out", "new_code"):
            code = body.get(key)
            if code is not None:
                found.setdefault(code, set()).update(companies)
        for code in body.get("components", ()):
            found.setdefault(code, set()).update(companies)
    return found


def keep_linked(life: Lifecycle) -> None:
    """Drop readings whose reporter no other event of the unit links to the battery: a planted
    story may have removed the step that gave the company the pack (the platform would refuse
    such a reading, docs/claims.md)."""
    if not any(e.type == "health_measured" for e in life.events):
        return
    linked = _linked(life.events)
    life.events[:] = [
        e for e in life.events if e.type != "health_measured" or e.reporter in linked.get(e.body["battery"], ())
    ]
