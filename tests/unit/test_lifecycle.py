"""The one replay: a battery's events in event time, whatever order they arrive in."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from app.lifecycle import NO_RECEIPT_DAYS, EventRow, Mark, replay_battery
from app.repositories.projection import battery_row

T = datetime(2024, 1, 1, tzinfo=UTC)


def row(eid: str, kind: str, days: int, reporter: str = "R", role: str = "subject", **kw: Any) -> EventRow:
    at = T + timedelta(days=days)
    return EventRow(
        code=kw.pop("code", "B"),
        event_id=eid,
        type=kind,
        role=role,
        t=int(at.timestamp() * 1000),
        occurred_at=at.isoformat(),
        reporter=reporter,
        **kw,
    )


HISTORY = [
    row("1", "produced", 0, "MAKER", chemistry="LFP", mass_kg=300.0, capacity_kwh=50.0),
    row("2", "shipped", 1, "MAKER"),
    row("3", "received", 2, "AUTO"),
    row("4", "installed", 3, "AUTO", vehicle="V1"),
    row("5", "removed", 100, "REPAIR", vehicle="V1"),
    row("6", "repaired", 101, "REPAIR"),
    row("7", "installed", 102, "REPAIR", vehicle="V1"),
    row("8", "swapped", 200, "OP", role="out", vehicle="V1", station="S1"),
    row("9", "recycled", 300, "RECYCLER"),
]


def test_full_history() -> None:
    p = replay_battery("B", HISTORY)
    assert p.status == "recycled"
    assert p.produced and p.attrs["producer"] == "MAKER"
    assert [(i.target, i.since_event, i.until_event) for i in p.installed] == [("V1", "4", "5"), ("V1", "7", "8")]
    assert [(h.target, h.since_event, h.until_event) for h in p.held] == [
        ("MAKER", "1", "2"),
        ("AUTO", "3", "4"),
        ("REPAIR", "5", "7"),
        ("OP", "8", "9"),
    ]
    assert p.recycled == Mark("B", "RECYCLER", (T + timedelta(days=300)).isoformat(), "9")
    assert p.current_vin is None and p.current_holder is None
    assert p.event_count == 9


def test_every_arrival_order_gives_the_same_projection() -> None:
    expected = replay_battery("B", HISTORY)
    for perm in itertools.islice(itertools.permutations(HISTORY), 0, 5000, 7):
        assert replay_battery("B", list(perm)) == expected


def test_same_instant_follows_lifecycle_order() -> None:
    events = [row("b", "shipped", 0, "MAKER"), row("a", "produced", 0, "MAKER")]
    p = replay_battery("B", events)
    assert p.status == "in_transit" and [h.until_event for h in p.held] == ["b"]


def test_component_and_second_life_roles() -> None:
    part = replay_battery("M", [row("p", "produced", 1, "MAKER", role="component", battery="P")])
    assert part.part_of is not None and part.part_of.other == "P" and part.status == "assembled"
    new = replay_battery("N", [row("r", "repurposed", 5, "SL", role="new", battery="OLD")])
    assert new.derived_from is not None and new.derived_from.other == "OLD"
    assert new.current_holder == "SL" and not new.produced


def test_swap_in_installs_and_closes_custody() -> None:
    events = [
        row("1", "produced", 0, "MAKER"),
        row("2", "shipped", 1, "MAKER"),
        row("3", "received", 2, "OP"),
        row("4", "swapped", 3, "OP", role="in", vehicle="V9", station="S1"),
    ]
    p = replay_battery("B", events)
    assert p.current_vin == "V9" and p.current_holder is None and p.status == "installed"
    assert p.swaps[0].direction == "in"


def test_a_receipt_explained_by_an_earlier_shipment_is_not_suspect() -> None:
    history = [
        row("s", "shipped", 1, "MAKER", to_company="AUTO"),
        row("r", "received", 2, "AUTO", from_company="MAKER"),
    ]
    assert replay_battery("B", history).suspect_receipts == []


def test_receipts_without_their_shipment_are_suspect() -> None:
    history = [
        row("s", "shipped", 1, "MAKER", to_company="AUTO"),
        row("r1", "received", 2, "OTHER", from_company="MAKER"),  # shipped to AUTO, not OTHER
        row("r2", "received", 3, "AUTO", from_company="BROKER"),  # BROKER shipped nothing
        row("r3", "received", 0, "AUTO", from_company="MAKER"),  # before the shipment
    ]
    assert replay_battery("B", history).suspect_receipts == ["r1", "r2", "r3"]


def test_a_shipment_in_the_receipts_own_millisecond_leaves_the_decision_to_the_rule() -> None:
    history = [
        row("s", "shipped", 1, "MAKER", to_company="AUTO"),
        row("r", "received", 1, "AUTO", from_company="MAKER"),
    ]
    assert replay_battery("B", history).suspect_receipts == ["r"]


def test_a_receipt_while_installed_is_suspect_even_when_shipped() -> None:
    history = [
        row("i", "installed", 1, "AUTO", vehicle="V1"),
        row("s", "shipped", 5, "THIEF", to_company="DEALER"),
        row("r", "received", 6, "DEALER", from_company="THIEF"),
    ]
    assert replay_battery("B", history).suspect_receipts == ["r"]


def test_closings_that_name_another_vehicle_are_suspect() -> None:
    history = [
        row("i1", "installed", 1, "AUTO", vehicle="V1"),
        row("i2", "installed", 2, "AUTO", vehicle="V2"),  # still in V1
        row("o", "swapped", 3, "OP", role="out", vehicle="V2", station="S"),  # the same vehicle: fine
        row("i3", "installed", 4, "AUTO", vehicle="V3"),
        row("x", "removed", 5, "REPAIR", vehicle="V9"),  # removed from a vehicle it was not in
        row("i4", "installed", 6, "AUTO", vehicle="V4"),
        row("y", "recycled", 7, "RECYCLER"),  # recycling closes without naming a vehicle
    ]
    p = replay_battery("B", history)
    assert p.suspect_closings == ["i2", "x"]
    assert battery_row(p)["suspect_closings"] == ["i2", "x"]
    assert battery_row(replay_battery("B", HISTORY))["suspect_closings"] is None


def test_longest_transit_counts_cst_days_to_the_first_answering_receipt() -> None:
    late = [
        row("s1", "shipped", 1, "MAKER", to_company="AUTO"),
        row("r1", "received", 3, "AUTO", from_company="MAKER"),  # 2 days
        row("s2", "shipped", 10, "AUTO", to_company="DEALER"),
        row("x", "received", 11, "DEALER", from_company="SOMEONE"),  # not an answer to s2
        row("r2", "received", 50, "DEALER", from_company="AUTO"),  # 40 days
        row("r3", "received", 60, "DEALER", from_company="AUTO"),  # later than the first answer
    ]
    assert replay_battery("B", late).longest_transit_days == 40
    unanswered = [*late, row("s3", "shipped", 70, "DEALER", to_company="RECYCLER")]
    assert battery_row(replay_battery("B", unanswered))["longest_transit_days"] == NO_RECEIPT_DAYS
    assert replay_battery("B", [row("p", "produced", 0, "MAKER")]).longest_transit_days is None


def test_a_receipt_in_the_shipments_own_millisecond_is_not_an_answer_here() -> None:
    same = [row("s", "shipped", 1, "MAKER", to_company="AUTO"), row("r", "received", 1, "AUTO", from_company="MAKER")]
    assert replay_battery("B", same).longest_transit_days == NO_RECEIPT_DAYS


def test_codes_produced_twice_or_under_two_parents_are_noted() -> None:
    once = [row("p", "produced", 0, "MAKER")]
    assert battery_row(replay_battery("B", once))["produced_repeatedly"] is None
    assert replay_battery("B", [*once, row("q", "produced", 5, "CLONER")]).produced_repeatedly
    in_one_pack = [row("a", "produced", 0, "MAKER", role="component", battery="PACK1")]
    assert not replay_battery("M", in_one_pack).produced_repeatedly
    in_two = [*in_one_pack, row("b", "produced", 1, "MAKER", role="component", battery="PACK2")]
    assert replay_battery("M", in_two).produced_repeatedly
