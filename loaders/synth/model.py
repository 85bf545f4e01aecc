"""The shapes a world is made of, shared by the generator, its planters and the writer.

``world.py`` (with ``steps.py`` and ``swapping.py``) builds units out of these and calls the
planters (``plant.py``, ``leakage.py``) on each; the planters see the world only through
``WorldView``, so they import this module and never the generator itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from random import Random
from typing import Any, Protocol

from loaders.synth.config import SynthConfig
from loaders.synth.registry import Company, Registry
from loaders.synth.timeline import Clock

__all__ = ["Event", "LateFix", "Lifecycle", "Pack", "Planter", "VehicleRecord", "WorldView", "leak_label"]


def leak_label(rule: str, battery: str, how: str) -> dict[str, Any]:
    """A ground-truth label: the leakage rule ``rule`` must report ``battery`` (see evaluation.leakage)."""
    return {"kind": "leakage", "rule": rule, "battery": battery, "how": how}


class Event:
    """One event of the v1 contract before serialisation; ``t`` is seconds (see timeline).

    ``delay`` is how long after ``t`` the platform recorded it, in seconds; -1 leaves the draw
    to the writer (an ordinary upload delay), a planter sets it to file an event late.
    """

    __slots__ = ("body", "delay", "event_id", "province", "reporter", "t", "type")

    def __init__(self, t: int, type_: str, reporter: str, province: str, body: dict[str, Any]):
        self.t = t
        self.type = type_
        self.reporter = reporter
        self.province = province
        self.body = body
        self.event_id = ""
        self.delay = -1

    def copy(self) -> Event:
        """A shallow copy with its own body, for noise that rewrites one field."""
        twin = Event(self.t, self.type, self.reporter, self.province, dict(self.body))
        twin.event_id = self.event_id
        twin.delay = self.delay
        return twin


@dataclass(slots=True, eq=False)
class Pack:
    """A traction pack while its unit is generated."""

    code: str
    maker: Company
    chemistry: str
    mass_kg: float
    capacity_kwh: float
    produced_t: int
    retire_t: int = 0  # swap packs: from when the operator takes it out of service
    usage: str = ""  # its category (swap packs: swap:<category>), which sets its cycles a year


@dataclass(slots=True)
class VehicleRecord:
    """A vehicles.jsonl entry, written only when one of the unit's events names it."""

    vin: str
    maker: str
    model: str
    category: str
    swap_capable: bool

    def record(self) -> dict[str, Any]:
        """The vehicle as vehicles.jsonl writes it."""
        return {
            "vin": self.vin,
            "maker": self.maker,
            "model": self.model,
            "category": self.category,
            "swap_capable": self.swap_capable,
        }


@dataclass(slots=True)
class LateFix:
    """A planted anomaly's missing step, reported after as_of (``late-fixes/``): it must resolve the
    stored finding of ``rule`` for ``battery``. ``events`` are the step's events; with ``corrects``
    they are the corrective events of an ``incorrect_data`` correction of that (written) event."""

    rule: str
    battery: str
    how: str
    events: list[Event]
    corrects: Event | None = None


@dataclass(slots=True)
class Lifecycle:
    """A unit of the world: its events (any order), vehicles, packs and ground-truth labels."""

    kind: str  # "vehicle" or "station_cluster"
    key: str  # VIN or first station id
    events: list[Event] = field(default_factory=list)
    vehicles: list[VehicleRecord] = field(default_factory=list)
    packs: list[Pack] = field(default_factory=list)
    labels: list[dict[str, Any]] = field(default_factory=list)
    late: list[LateFix] = field(default_factory=list)  # steps written apart, reported late


class WorldView(Protocol):
    """What a planter may read of the world it plants into (``World`` satisfies it)."""

    @property
    def config(self) -> SynthConfig: ...

    @property
    def registry(self) -> Registry: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def plant_rng(self) -> Random: ...


#: The planting hook: may edit a unit's events (drop, add, alter) and append labels, which go
#: to ground_truth.jsonl. It gets the world for its registry, clock and ``plant_rng``: a random
#: stream of its own, so planting never shifts the draws that build the base world.
Planter = Callable[[Lifecycle, WorldView], None]
