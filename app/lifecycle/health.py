"""A battery's health over its life, read from the replay's rows: readings and their contradictions.

Two claims about health can be made by a company that may make them and still contradict the
record: a measured capacity well above what the pack was produced with (a reading of another pack,
or a unit error), and a cycle counter lower than an earlier reading of the same pack (a reset or a
swapped BMS). Both are stored as said and warned about (``docs/claims.md``). Pure, no database.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from app.lifecycle.rows import EventRow

#: A measured capacity may exceed the rated (produced) one by this share before it is implausible:
#: new packs carry a margin over the nameplate, and test rigs differ by a few percent.
CAPACITY_TOLERANCE = 0.10

HealthContradiction = Literal["capacity_above_rated", "cycle_count_decreased"]


@dataclass(frozen=True, slots=True)
class HealthReading:
    """One measurement of the battery (``health_measured``), or its condition at a hand-over to
    second life (``repurposed`` with ``soh_pct`` or ``residual_capacity_kwh``; method None)."""

    event_id: str
    type: str
    at: str
    t: int
    reporter: str
    soh_pct: float | None
    capacity_kwh: float | None
    cycle_count: int | None
    method: str | None


def _reading(ev: EventRow, capacity_kwh: float | None, cycles: int | None, method: str | None) -> HealthReading:
    return HealthReading(
        ev.event_id, ev.type, ev.occurred_at, ev.t, ev.reporter, ev.soh_pct, capacity_kwh, cycles, method
    )


def readings(ordered: Sequence[EventRow]) -> list[HealthReading]:
    """The health readings of a history already in the replay's order."""
    found: list[HealthReading] = []
    for ev in ordered:
        if ev.role != "subject":
            continue
        if ev.type == "health_measured":
            found.append(_reading(ev, ev.capacity_kwh, ev.cycle_count, ev.method))
        elif ev.type == "repurposed" and (ev.soh_pct is not None or ev.residual_capacity_kwh is not None):
            found.append(_reading(ev, ev.residual_capacity_kwh, None, None))
    return found


def contradictions(
    found: Sequence[HealthReading], rated_kwh: float | None
) -> Iterator[tuple[HealthContradiction, str, str]]:
    """(kind, event id, the fact it clashes with) for each implausible reading."""
    highest: HealthReading | None = None
    for r in found:
        if rated_kwh and r.capacity_kwh is not None and r.capacity_kwh > rated_kwh * (1 + CAPACITY_TOLERANCE):
            yield "capacity_above_rated", r.event_id, f"{r.capacity_kwh:g} kWh against {rated_kwh:g} kWh rated"
        if r.cycle_count is None:
            continue
        if highest is not None and highest.cycle_count is not None and r.cycle_count < highest.cycle_count:
            yield (
                "cycle_count_decreased",
                r.event_id,
                f"{r.cycle_count} cycles after {highest.cycle_count} in event {highest.event_id} ({highest.at})",
            )
        if highest is None or (highest.cycle_count or 0) < r.cycle_count:
            highest = r
