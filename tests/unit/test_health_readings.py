"""The replay's health readings and their two contradictions, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from app.lifecycle import EventRow, replay_battery

D0 = datetime(2024, 1, 1, tzinfo=UTC)


def row(eid: str, kind: str, day: int, **kw: Any) -> EventRow:
    at = D0 + timedelta(days=day)
    return EventRow("B", "subject", eid, kind, int(at.timestamp() * 1000), at.isoformat(), "M", **kw)


def produced(rated: float | None = 60.0) -> EventRow:
    return row("p", "produced", 0, chemistry="LFP", mass_kg=400.0, capacity_kwh=rated)


def reading(eid: str, day: int, cycles: int, capacity: float = 55.0) -> EventRow:
    return row(eid, "health_measured", day, soh_pct=91.0, capacity_kwh=capacity, cycle_count=cycles, method="estimate")


def test_readings_come_in_event_time_whatever_the_arrival_order() -> None:
    life = replay_battery("B", [reading("h2", 20, 200), produced(), reading("h1", 10, 100)])
    assert [r.event_id for r in life.health] == ["h1", "h2"]
    assert life.contradictions == []
    assert life.status == "in_stock"  # a reading changes no custody or status


def test_capacity_over_the_tolerance_is_a_contradiction_and_needs_a_rating() -> None:
    high = reading("h1", 10, 100, capacity=66.1)
    assert [c.kind for c in replay_battery("B", [produced(), high]).contradictions] == ["capacity_above_rated"]
    assert replay_battery("B", [produced(), reading("h1", 10, 100, capacity=66.0)]).contradictions == []
    assert replay_battery("B", [produced(None), high]).contradictions == []


def test_a_lower_count_after_a_higher_one_is_a_contradiction_once_per_reading() -> None:
    life = replay_battery("B", [produced(), reading("a", 10, 500), reading("b", 20, 400), reading("c", 30, 450)])
    assert [(c.kind, c.event_id) for c in life.contradictions] == [
        ("cycle_count_decreased", "b"),
        ("cycle_count_decreased", "c"),
    ]
    assert "after 500 in event a" in (life.contradictions[1].other or "")


def test_a_hand_over_with_its_condition_is_a_reading() -> None:
    handed = row("r", "repurposed", 40, application="energy_storage", soh_pct=74.0, residual_capacity_kwh=44.0)
    bare = row("r2", "repurposed", 41, application="energy_storage")
    life = replay_battery("B", [produced(), handed, bare])
    assert [(r.type, r.soh_pct, r.capacity_kwh, r.method) for r in life.health] == [("repurposed", 74.0, 44.0, None)]
