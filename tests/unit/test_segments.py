"""Where a battery was, segment by segment, as the replay decides it for the trace and the UI.

These cases were the UI's own custody tests; the decisions now live in the replay, so the UI
draws what the server says (``ui/src/lanes.ts``) and they are checked here."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from app.lifecycle import EVENT_ROW_COLUMNS, EventRow, VehicleEventRow, replay_battery, replay_vehicle
from app.lifecycle.rows import VEHICLE_EVENT_ROW_COLUMNS, event_row, roles_in
from app.queries import get_query

D0 = datetime(2024, 1, 1, tzinfo=UTC)


def at(day: int) -> str:
    return (D0 + timedelta(days=day)).isoformat()


def ev(eid: str, kind: str, day: int, reporter: str, role: str = "subject", **kw: Any) -> EventRow:
    t = int((D0 + timedelta(days=day)).timestamp() * 1000)
    return EventRow(code="B", role=role, event_id=eid, type=kind, t=t, occurred_at=at(day), reporter=reporter, **kw)


def spans(history: list[EventRow]) -> list[tuple[str, str | None, str, str | None]]:
    return [(s.kind, s.ref, s.since, s.until) for s in replay_battery("B", history).segments]


def test_custody_from_maker_through_transit_to_a_vehicle() -> None:
    history = [
        ev("1", "produced", 1, "M"),
        ev("2", "shipped", 2, "M", to_company="O"),
        ev("3", "received", 4, "O", from_company="M"),
        ev("4", "installed", 5, "O", vehicle="VIN1"),
    ]
    assert spans(history) == [
        ("holder", "M", at(1), at(2)),
        ("transit", "O", at(2), at(4)),
        ("holder", "O", at(4), at(5)),
        ("vehicle", "VIN1", at(5), None),
    ]
    segments = replay_battery("B", history).segments
    assert [(s.opened_by, s.closed_by) for s in segments] == [("1", "2"), ("2", "3"), ("3", "4"), ("4", None)]


def test_swapped_in_is_in_the_vehicle_and_swapped_out_with_the_operator() -> None:
    history = [
        ev("1", "received", 1, "S"),
        ev("2", "swapped", 2, "S", role="in", vehicle="VIN1", station="ST1"),
        ev("3", "swapped", 3, "S", role="out", vehicle="VIN1", station="ST1"),
        ev("4", "swapped", 4, "S", role="in", vehicle="VIN2", station="ST1"),
    ]
    assert [(k, r) for k, r, _, _ in spans(history)] == [
        ("holder", "S"),
        ("vehicle", "VIN1"),
        ("holder", "S"),
        ("vehicle", "VIN2"),
    ]


def test_a_repair_by_the_holder_moves_nothing() -> None:
    history = [
        ev("1", "removed", 1, "O", vehicle="VIN1"),
        ev("2", "repaired", 2, "O"),
        ev("3", "installed", 3, "O", vehicle="VIN1"),
    ]
    assert [(k, r) for k, r, _, _ in spans(history)] == [("holder", "O"), ("vehicle", "VIN1")]


def test_a_repair_while_installed_moves_nothing_and_by_another_workshop_moves_custody() -> None:
    installed = [ev("1", "installed", 1, "O", vehicle="VIN1"), ev("2", "repaired", 2, "W")]
    assert [(k, r) for k, r, _, _ in spans(installed)] == [("vehicle", "VIN1")]
    removed = [ev("1", "removed", 1, "O", vehicle="VIN1"), ev("2", "repaired", 2, "W")]
    assert [(k, r) for k, r, _, _ in spans(removed)] == [("holder", "O"), ("holder", "W")]


def test_recycling_closes_the_last_stay_and_a_later_event_is_a_contradiction() -> None:
    history = [ev("1", "received", 1, "R"), ev("2", "recycled", 3, "R"), ev("3", "installed", 5, "O", vehicle="V")]
    life = replay_battery("B", history)
    assert spans(history)[0] == ("holder", "R", at(1), at(3))
    assert life.segments[0].closed_by == "2"
    # The replay keeps following the record (the post_recycling_event rule reports it), and says so.
    assert ("after_recycling", "3") in [(c.kind, c.event_id) for c in life.contradictions]


def test_segments_follow_occurrence_not_arrival() -> None:
    history = [ev("late", "installed", 5, "O", vehicle="VIN1"), ev("early", "received", 2, "O")]
    assert [(k, r, s) for k, r, s, _ in spans(history)] == [("holder", "O", at(2)), ("vehicle", "VIN1", at(5))]
    for perm in itertools.permutations(history):
        assert replay_battery("B", list(perm)).segments == replay_battery("B", history).segments


def test_a_component_is_inside_its_pack() -> None:
    history = [ev("p", "produced", 1, "M", role="component", battery="PACK")]
    assert spans(history) == [("pack", "PACK", at(1), None)]


def test_contradictions_in_the_history() -> None:
    history = [
        ev("i0", "installed", 0, "O", vehicle="V1"),  # before the pack was produced
        ev("p1", "produced", 1, "M"),
        ev("p2", "produced", 2, "CLONER"),
        ev("i1", "installed", 3, "O", vehicle="V2"),  # still in V1
        ev("r", "received", 4, "X", from_company="NOBODY"),
    ]
    found = {(c.kind, c.event_id) for c in replay_battery("B", history).contradictions}
    assert found == {
        ("before_production", "i0"),
        ("produced_repeatedly", "p2"),
        ("two_vehicles", "i1"),
        ("not_holder", "i1"),  # CLONER's production made it the holder
        ("unexplained_receipt", "r"),
    }
    clean = [ev("p", "produced", 1, "M"), ev("s", "shipped", 2, "M", to_company="O")]
    assert replay_battery("B", clean).contradictions == []


def test_only_the_holder_ships_installs_or_recycles() -> None:
    shipped = [ev("p", "produced", 1, "M"), ev("s", "shipped", 2, "M", to_company="O")]
    # In transit to O: O may install it without a receipt; X may not.
    assert replay_battery("B", [*shipped, ev("i", "installed", 3, "O", vehicle="V")]).contradictions == []
    found = replay_battery("B", [*shipped, ev("i", "installed", 3, "X", vehicle="V")]).contradictions
    assert [(c.kind, c.event_id, c.other) for c in found] == [("not_holder", "i", "O")]
    # Once installed nobody holds it: a removal is no holder's act, and the remover then holds it.
    later = [
        *shipped,
        ev("i", "installed", 3, "O", vehicle="V"),
        ev("rm", "removed", 4, "R", vehicle="V"),
        ev("s2", "shipped", 5, "Y", to_company="Z"),
    ]
    found = replay_battery("B", later).contradictions
    assert [(c.kind, c.event_id, c.other) for c in found] == [("not_holder", "s2", "R")]


def test_vehicle_state_is_the_first_sale_and_the_first_scrapping() -> None:
    def vev(eid: str, kind: str, day: int, reporter: str) -> VehicleEventRow:
        return VehicleEventRow("V", eid, kind, int((D0 + timedelta(days=day)).timestamp() * 1000), at(day), reporter)

    state = replay_vehicle(
        "V",
        [
            vev("x2", "vehicle_scrapped", 9, "Y"),
            vev("s", "vehicle_sold", 1, "D"),
            vev("x1", "vehicle_scrapped", 8, "X"),
        ],
    )
    assert (state.sold_at, state.scrapped_at, state.scrapped_by) == (at(1), at(8), "X")
    assert replay_vehicle("V", []).sold_at is None


def test_vehicle_export_is_the_first_export_with_its_destination() -> None:
    def vev(eid: str, day: int, destination: str) -> VehicleEventRow:
        t = int((D0 + timedelta(days=day)).timestamp() * 1000)
        return VehicleEventRow("V", eid, "vehicle_exported", t, at(day), "A", destination)

    state = replay_vehicle("V", [vev("late", 9, "BE"), vev("first", 3, "TH")])
    assert (state.exported_at, state.export_destination) == (at(3), "TH")
    assert replay_vehicle("V", []).exported_at is None


def _returns(name: str) -> list[str]:
    """The column names of a query's ``returns`` header, without their parenthesised notes."""
    text = re.sub(r"\([^)]*\)", "", get_query(name).returns)
    return [column.strip() for column in text.split(",")]


def test_the_replay_rows_are_what_their_queries_return() -> None:
    assert _returns("projection.battery_events") == list(EVENT_ROW_COLUMNS)
    assert _returns("projection.vehicle_events") == list(VEHICLE_EVENT_ROW_COLUMNS)


def test_a_payload_gives_the_row_the_store_gives() -> None:
    payload = {
        "event_id": "e1",
        "type": "swapped",
        "occurred_at": at(1),
        "reporter": "S",
        "vehicle": "V",
        "station": "ST",
        "battery_out": "OUT",
        "battery_in": "IN",
    }
    assert list(roles_in(payload)) == [("OUT", "out"), ("IN", "in")]
    row = event_row("IN", "in", 5, payload)
    assert (row.code, row.role, row.vehicle, row.station, row.battery) == ("IN", "in", "V", "ST", None)


def test_the_store_path_skips_only_the_segments() -> None:
    history = [
        ev("1", "produced", 1, "M"),
        ev("2", "shipped", 2, "M", to_company="O"),
        ev("3", "received", 4, "O", from_company="M"),
        ev("4", "installed", 5, "O", vehicle="VIN1"),
    ]
    full, lean = replay_battery("B", history), replay_battery("B", history, segments=False)
    assert lean.segments == [] and full.segments
    lean.segments = full.segments
    assert lean == full
