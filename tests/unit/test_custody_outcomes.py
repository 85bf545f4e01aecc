"""How each custody stay ended, as the replay decides it for the custody network."""

from __future__ import annotations

from app.lifecycle import EventRow, replay_battery
from tests.unit.test_lifecycle import HISTORY, row


def outcomes(events: list[EventRow]) -> list[tuple[str, str | None, str | None, bool]]:
    life = replay_battery("B", events)
    return [(h.target, h.outcome, h.next, h.unconfirmed) for h in life.held]


def test_a_full_history_hands_over_installs_and_recycles() -> None:
    assert outcomes(HISTORY) == [
        ("MAKER", "handover", "AUTO", False),  # shipped, then received by AUTO
        ("AUTO", "installed", None, False),
        ("REPAIR", "installed", None, False),  # removed, repaired, reinstalled
        ("OP", "recycled", None, False),  # swapped out into the pool, recycled from there
    ]


def test_a_shipment_never_received_goes_to_its_addressee_unconfirmed() -> None:
    events = [row("1", "produced", 0, "MAKER"), row("2", "shipped", 1, "MAKER", to_company="AUTO")]
    assert outcomes(events) == [("MAKER", "handover", "AUTO", True)]


def test_a_receipt_by_another_company_is_whom_it_went_to() -> None:
    events = [
        row("1", "produced", 0, "MAKER"),
        row("2", "shipped", 1, "MAKER", to_company="AUTO"),
        row("3", "received", 2, "BROKER"),
    ]
    assert outcomes(events) == [("MAKER", "handover", "BROKER", False), ("BROKER", None, None, False)]


def test_installed_before_any_receipt_leaves_the_shipment_unexplained() -> None:
    events = [
        row("1", "produced", 0, "MAKER"),
        row("2", "shipped", 1, "MAKER", to_company="AUTO"),
        row("3", "installed", 2, "GARAGE", vehicle="V1"),
        row("4", "removed", 50, "DISMANTLER", vehicle="V1"),
    ]
    assert outcomes(events) == [("MAKER", "handover", "AUTO", True), ("DISMANTLER", None, None, False)]


def test_a_shipment_that_comes_back_is_no_flow() -> None:
    events = [
        row("1", "produced", 0, "MAKER"),
        row("2", "shipped", 1, "MAKER", to_company="AUTO"),
        row("3", "received", 9, "MAKER"),
    ]
    assert outcomes(events) == [("MAKER", "same", None, False), ("MAKER", None, None, False)]


def test_outcomes_do_not_depend_on_arrival_order() -> None:
    assert outcomes(list(reversed(HISTORY))) == outcomes(HISTORY)


def test_each_swap_names_the_previous_station_when_it_was_another() -> None:
    def swap(eid: str, days: int, station: str, role: str) -> EventRow:
        return row(eid, "swapped", days, "OP", role=role, vehicle="V1", station=station)

    events = [
        row("1", "produced", 0, "MAKER"),
        swap("2", 10, "S1", "in"),
        swap("3", 20, "S2", "out"),  # carried from S1 to S2 in a vehicle
        swap("4", 21, "S2", "in"),  # same station: no move
        swap("5", 30, "S3", "out"),
        swap("6", 31, "S1", "in"),  # moved out of S3's pool into S1
    ]
    life = replay_battery("B", list(reversed(events)))
    assert [(s.station, s.came_from, s.came_as) for s in life.swaps] == [
        ("S1", None, None),
        ("S2", "S1", "in"),
        ("S2", None, None),
        ("S3", "S2", "in"),
        ("S1", "S3", "out"),
    ]
