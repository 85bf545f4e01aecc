"""The passport's battery condition, read from the replay's health readings (``app.lifecycle.health``).

Each attribute comes from the latest reading that carries it, named as its source, so a reader
sees how old a figure is and who measured it, and by what method.
"""

from __future__ import annotations

from typing import Any

from app.lifecycle import BatteryLifecycle
from app.lifecycle.health import HealthReading
from app.schemas.passport import BatteryCondition, known
from app.services import passport_absent as na
from app.services.trace import health_points


def _source(r: HealthReading) -> str:
    how = f", {r.method}" if r.method else ", condition at hand-over"
    return f"event {r.event_id} ({r.type}{how}, reported by {r.reporter} at {r.at})"


def _latest(readings: list[HealthReading], key: str) -> HealthReading | None:
    return next((r for r in reversed(readings) if getattr(r, key) is not None), None)


def condition(life: BatteryLifecycle) -> BatteryCondition:
    """State of certified energy and capacity fade from the latest SoH, remaining energy from the
    latest measured capacity, full cycles from the latest count; the rest absent."""
    held: dict[str, Any] = {}
    soh = _latest(life.health, "soh_pct")
    if soh is not None and soh.soh_pct is not None:
        held["state_of_certified_energy"] = known(soh.soh_pct, _source(soh), "%")
        held["capacity_fade"] = known(round(max(0.0, 100.0 - soh.soh_pct), 3), _source(soh), "%")
    energy = _latest(life.health, "capacity_kwh")
    if energy is not None:
        held["remaining_energy"] = known(energy.capacity_kwh, _source(energy), "kWh")
    cycles = _latest(life.health, "cycle_count")
    if cycles is not None:
        held["number_of_full_cycles"] = known(cycles.cycle_count, _source(cycles))
    return na.condition(held, health_points(life))
