"""The dossier's pictures group the trace's segments and decide nothing: hand-overs between
consecutive custodians with what lay between, an open shipment as an unconfirmed one, month ticks."""

from __future__ import annotations

from datetime import UTC, datetime

from app.dossier.pictures import _ticks, handovers
from app.schemas.trace import TraceSegment


def seg(kind: str, ref: str, day: int, until: int | None, opened: str) -> TraceSegment:
    start = datetime(2024, 1, day, tzinfo=UTC)
    end = datetime(2024, 1, until, tzinfo=UTC) if until else None
    return TraceSegment.model_validate(
        {"kind": kind, "ref": ref, "name": None, "from": start, "to": end, "opened_by": opened, "closed_by": None}
    )


def test_handovers_follow_the_custodians_and_say_what_lay_between() -> None:
    segments = [
        seg("holder", "A", 1, 2, "e1"),
        seg("transit", "B", 2, 3, "e2"),
        seg("holder", "B", 3, 4, "e3"),
        seg("vehicle", "VIN1", 4, 5, "e4"),
        seg("holder", "C", 5, 6, "e5"),
        seg("holder", "C", 6, 7, "e6"),  # the same custodian again: no arrow
        seg("transit", "D", 7, None, "e7"),
    ]
    nodes, edges = handovers(segments)
    assert nodes == ["A", "B", "C", "D"]
    assert [(e.source, e.target, e.event, e.via, e.unconfirmed) for e in edges] == [
        ("A", "B", "e3", ["shipment"], False),
        ("B", "C", "e5", ["vehicle VIN1"], False),
        ("C", "D", "e7", [], True),
    ]
    assert [e.number for e in edges] == [1, 2, 3]


def test_a_battery_that_stayed_with_its_maker_has_no_handover() -> None:
    nodes, edges = handovers([seg("holder", "A", 1, None, "e1")])
    assert nodes == ["A"] and edges == []
    assert handovers([]) == ([], [])


def test_ticks_are_month_starts_within_the_span_at_most_about_eight() -> None:
    start, end = datetime(2024, 1, 15, tzinfo=UTC), datetime(2024, 6, 2, tzinfo=UTC)
    assert [t.month for t in _ticks(start, end)] == [2, 3, 4, 5, 6]
    long = _ticks(datetime(2020, 3, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
    assert 3 <= len(long) <= 8 and all(t.month == 1 for t in long)
