"""The neo4j-admin upper bound writes the same rows as ingestion would, as consistent CSV files."""

from __future__ import annotations

import csv
from pathlib import Path

from bench.admin_import import EVENT_COLUMNS, write_csv
from loaders.synth import generate_world


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="") as fh:
        return list(csv.reader(fh))


def test_every_event_battery_and_link_is_written_once(tmp_path: Path) -> None:
    world = tmp_path / "world"
    generate_world(world, 300, 3, plant_broker=False, plant_ring=False)
    events_in_file = sum(1 for line in (world / "events.jsonl").read_text().splitlines() if line.strip())

    counts = write_csv(world, tmp_path / "csv")

    events = _rows(tmp_path / "csv" / "events.csv")
    assert counts["events"] == events_in_file == len(events) - 1
    assert all(len(row) == len(EVENT_COLUMNS) for row in events)
    event_ids = {row[0] for row in events[1:]}
    assert len(event_ids) == events_in_file

    batteries = [row[0] for row in _rows(tmp_path / "csv" / "batteries.csv")[1:]]
    about = _rows(tmp_path / "csv" / "about.csv")[1:]
    assert len(batteries) == len(set(batteries)) == len({code for _, code, _ in about})
    assert {eid for eid, _, _ in about} <= event_ids
    vins = [row[0] for row in _rows(tmp_path / "csv" / "vehicles.csv")[1:]]
    assert len(vins) == len(set(vins))
    assert {vin for _, vin in _rows(tmp_path / "csv" / "involves.csv")[1:]} <= set(vins)
