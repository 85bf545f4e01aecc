"""Bulk files go through the same ingest path, resumably and idempotently."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from app.config import Settings
from app.db import Database
from app.repositories.store import battery_codes_after
from app.security import issue_key
from app.services.ingest import ingest_raw
from app.services.integrity import verify_battery
from app.services.ledger_upgrade import audit_log
from app.services.reproject import reproject_all
from app.services.trace import get_battery
from bench.server import api_process
from loaders.files import LoadError, load_directory, load_events, load_registry, read_batches
from loaders.synth import generate_world
from loaders.targets import HttpError, HttpTarget, LocalTarget
from tests.factories import AUTOMAKER, MAKER, RECYCLER, Events, day, first_life, pack, uscc, vin


def _write(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


def _world(tmp_path: Path, batteries: int) -> list[dict[str, Any]]:
    companies = [
        {"uscc": MAKER, "name": "Maker", "roles": ["battery_maker"], "province": "320000", "maker_code": "CAT"},
        {"uscc": AUTOMAKER, "name": "Auto", "roles": ["automaker"], "province": "310000"},
    ]
    vehicles = [{"vin": vin(i), "maker": AUTOMAKER, "category": "passenger_bev"} for i in range(batteries)]
    ev = Events("load")
    events = [e for i in range(batteries) for e in first_life(ev, pack(i), vin(i))]
    _write(tmp_path / "companies.jsonl", companies)
    _write(tmp_path / "vehicles.jsonl", vehicles)
    _write(tmp_path / "events.jsonl", events)
    return events


def _count(db: Database, label: str) -> int:
    with db.driver.session(database=db.name) as s:
        rec = s.run("MATCH (n) WHERE $label IN labels(n) RETURN count(n) AS n", label=label).single()
    assert rec is not None
    return int(rec["n"])


def test_directory_load_and_rerun(db: Database, tmp_path: Path) -> None:
    events = _world(tmp_path, 30)
    report = load_directory(db, tmp_path, batch_size=40, progress=False)
    assert (report.companies, report.vehicles, report.accepted, report.duplicates) == (2, 30, len(events), 0)
    assert report.batches == -(-len(events) // 40)
    again = load_directory(db, tmp_path, batch_size=40, progress=False)
    assert (again.accepted, again.duplicates) == (0, len(events))
    assert _count(db, "Event") == len(events)


def test_resume_after_a_stop_half_way(db: Database, tmp_path: Path) -> None:
    events = _world(tmp_path, 20)
    # A run killed after 3 committed and checkpointed batches of 10 ...
    load_registry(db, tmp_path)
    path = tmp_path / "events.jsonl"
    batches = list(read_batches(path, 10))
    for _, _, rows in batches[:3]:
        ingest_raw(db, rows)
    # ... and whose 4th batch committed just before the kill, its checkpoint never written.
    ingest_raw(db, batches[3][2])
    (tmp_path / "events.jsonl.progress").write_text(
        json.dumps({"offset": batches[2][1], "size": path.stat().st_size, "lines": 30})
    )
    report = load_events(db, path, 10, progress=False)
    assert report.resumed_from_line == 30
    assert report.accepted == len(events) - 40 and report.duplicates == 10
    assert _count(db, "Event") == len(events)
    assert not (tmp_path / "events.jsonl.progress").exists()


@pytest.mark.parametrize("workers", [1, 2])
def test_bad_line_is_reported_with_its_number_and_nothing_of_the_batch_is_stored(
    db: Database, tmp_path: Path, workers: int
) -> None:
    events = _world(tmp_path, 2)
    events[8]["vehicle"] = "NOT-A-VIN"
    _write(tmp_path / "events.jsonl", events)
    with pytest.raises(LoadError, match=r"line 9: vehicle: .*VIN"):
        load_directory(db, tmp_path, batch_size=100, progress=False, workers=workers)
    assert _count(db, "Event") == 0


def test_registry_problem_names_file_and_line(db: Database, tmp_path: Path) -> None:
    _write(tmp_path / "companies.jsonl", [{"uscc": uscc(1), "name": "x", "roles": ["wizard"], "province": "1"}])
    with pytest.raises(LoadError, match=r"companies.jsonl: .*line 1: roles.0"):
        load_directory(db, tmp_path, progress=False)


def test_csv_events_and_registries(db: Database, tmp_path: Path) -> None:
    ev = Events("csv")
    b = pack(1)
    (tmp_path / "companies.csv").write_text(
        "uscc,name,roles,province,maker_code,licences\n"
        f"{MAKER},Maker,battery_maker,320000,CAT,\n"
        f"{AUTOMAKER},Auto,automaker;importer,310000,,"
        '"[{""scope"": ""recycling"", ""valid_from"": ""2020-01-01""}]"\n'
    )
    (tmp_path / "vehicles.csv").write_text(
        f"vin,maker,category,swap_capable\n{vin(1)},{AUTOMAKER},passenger_bev,false\n"
    )
    rows = first_life(ev, b, vin(1))
    columns = [
        "event_id",
        "type",
        "occurred_at",
        "reporter",
        "battery",
        "chemistry",
        "mass_kg",
        "to",
        "from",
        "vehicle",
    ]
    lines = [",".join(columns)]
    for r in rows:
        lines.append(",".join(str(r.get(c, "")) for c in columns))
    (tmp_path / "events.csv").write_text("\n".join(lines) + "\n")
    report = load_directory(db, tmp_path, batch_size=2, progress=False)
    assert (report.companies, report.vehicles, report.accepted) == (2, 1, len(rows))
    with db.driver.session(database=db.name) as s:
        rec = s.run(
            "MATCH (c:Company {uscc: $u})-[:HOLDS]->(l) RETURN c.roles AS roles, l.scope AS scope", u=AUTOMAKER
        ).single()
    assert rec is not None and rec["roles"] == ["automaker", "importer"] and rec["scope"] == "recycling"
    # Resume mid-file re-reads the CSV header.
    (tmp_path / "events.csv.progress").write_text(
        json.dumps({"offset": len(lines[0]) + 1 + len(lines[1]) + 1, "size": (tmp_path / "events.csv").stat().st_size})
    )
    again = load_events(db, tmp_path / "events.csv", 2, progress=False)
    assert (again.accepted, again.duplicates) == (0, len(rows) - 1)


def test_loading_through_the_http_api_with_a_key(db: Database, settings: Settings, tmp_path: Path) -> None:
    """The loader as an ordinary API client: same batches, the API's keys and roles."""
    events = _world(tmp_path, 5)
    admin = issue_key(db, "admin", "loader").key
    investigator = issue_key(db, "investigator", "not a writer").key
    env = {"NEO4J_URI": settings.neo4j_uri, "NEO4J_USER": settings.neo4j_user, "NEO4J_PASSWORD": settings.password()}
    with api_process(env) as api:
        with pytest.raises(HttpError, match="403"):
            load_directory(HttpTarget(api.base_url, investigator), tmp_path, progress=False)
        receipts = tmp_path / "receipts.jsonl"
        target = HttpTarget(api.base_url, admin, receipts=receipts)
        report = load_directory(target, tmp_path, batch_size=7, progress=False)
        assert (report.companies, report.vehicles, report.accepted, report.duplicates) == (2, 5, len(events), 0)
    assert _count(db, "Event") == len(events)
    # The sender keeps what proves each batch was accepted: every event once, in log order.
    kept = [json.loads(line) for line in receipts.read_text().splitlines()]
    assert len(kept) == -(-len(events) // 7)
    assert [e["index"] for r in kept for e in r["entries"]] == list(range(len(events)))


def test_batches_in_flight_at_once_store_what_one_at_a_time_stores(db: Database, tmp_path: Path) -> None:
    """Three worker processes with small batches, so neighbouring batches share batteries and wait
    on each other's locks: every event stored and logged once, every chain valid, and each
    battery's projection what a fresh replay of its events gives."""
    generate_world(tmp_path, 150, 11)
    report = load_directory(db, tmp_path, batch_size=25, progress=False, workers=3)
    lines = (tmp_path / "events.jsonl").read_text().splitlines()
    assert (report.accepted, report.duplicates) == (len(lines), 0)
    assert report.batches == -(-len(lines) // 25)
    assert _count(db, "Event") == len(lines)
    audit = audit_log(db)
    assert audit.valid and audit.size == len(lines), audit.problems
    codes = battery_codes_after(db, "", 10_000)
    assert len(codes) >= 150
    for code in codes:
        assert verify_battery(db, code).valid, code
    loaded = {code: get_battery(db, code).model_dump() for code in codes}
    assert reproject_all(db, batch_size=40) == len(codes)
    assert {code: get_battery(db, code).model_dump() for code in codes} == loaded
    again = load_directory(db, tmp_path, batch_size=25, progress=False, workers=3)
    assert (again.accepted, again.duplicates) == (0, len(lines))


class _HeldBack:
    """The services, except that the batch holding ``first_id`` waits until the batch holding
    ``correction_id`` has been tried once: the order two worker processes can take by chance."""

    def __init__(self, db: Database, first_id: str, correction_id: str) -> None:
        self.inner = LocalTarget(db)
        self.first_id, self.correction_id = first_id, correction_id
        self.tried = threading.Event()
        self.attempts: list[str] = []

    def merge(self, kind: str, records: Any) -> Any:
        return self.inner.merge(kind, records)

    def ingest(self, rows: list[Any], allow_recorded_at: bool) -> Any:
        ids = {r["event_id"] for r in rows}
        if self.first_id in ids:
            assert self.tried.wait(60), "the correcting batch was never tried"
        try:
            return self.inner.ingest(rows, allow_recorded_at)
        finally:
            if self.correction_id in ids:
                self.attempts.append("correction batch")
                self.tried.set()


def test_a_correction_of_an_event_still_in_flight_is_sent_again_once_it_is_stored(db: Database, tmp_path: Path) -> None:
    events = _world(tmp_path, 4)  # 5 events a pack, batches of 10: packs 0-1, then 2-3
    shipped = events[1]
    ev = Events("fix")
    fix = ev.correction(shipped["event_id"], day(30), shipped["reporter"])
    events.insert(12, fix)  # in the second batch, voiding an event of the first
    _write(tmp_path / "events.jsonl", events)
    load_registry(db, tmp_path)
    target = _HeldBack(db, shipped["event_id"], fix["event_id"])
    report = load_events(target, tmp_path / "events.jsonl", 10, progress=False, workers=2)
    assert target.attempts == ["correction batch", "correction batch"], "refused once, then sent again"
    assert (report.accepted, report.duplicates, report.batches) == (len(events), 0, 3)
    assert _count(db, "Event") == len(events)
    voided = db.read("ingest.existing_events", ids=[shipped["event_id"], fix["event_id"]])
    assert len(voided) == 2


def test_a_correction_of_an_event_nowhere_is_still_refused_with_its_line(db: Database, tmp_path: Path) -> None:
    events = _world(tmp_path, 4)
    events.insert(12, Events("fix").correction("no-such-event", day(30), MAKER))
    _write(tmp_path / "events.jsonl", events)
    with pytest.raises(LoadError, match=r"line 13: corrects: no event no-such-event"):
        load_directory(db, tmp_path, batch_size=10, progress=False, workers=2)


def test_a_health_reading_linked_by_a_batch_still_in_flight_is_sent_again(db: Database, tmp_path: Path) -> None:
    events = _world(tmp_path, 4)  # batches of 10: packs 0-1, then 2-3
    installed = events[3]  # the automaker fitted pack 0: what links it to the pack
    reading = Events("hm").health(pack(0), day(200), AUTOMAKER)
    events.insert(12, reading)  # in the second batch
    _write(tmp_path / "events.jsonl", events)
    load_registry(db, tmp_path)
    target = _HeldBack(db, installed["event_id"], reading["event_id"])
    report = load_events(target, tmp_path / "events.jsonl", 10, progress=False, workers=2)
    assert target.attempts == ["correction batch", "correction batch"], "refused once, then sent again"
    assert (report.accepted, report.duplicates) == (len(events), 0)


def test_a_health_reading_from_an_unlinked_company_is_refused_with_its_line(db: Database, tmp_path: Path) -> None:
    events = _world(tmp_path, 4)
    events.insert(12, Events("hm").health(pack(0), day(200), RECYCLER))
    _write(tmp_path / "events.jsonl", events)
    companies = (tmp_path / "companies.jsonl").read_text()
    recycler = {"uscc": RECYCLER, "name": "Recycler", "roles": ["recycler"], "province": "430000"}
    (tmp_path / "companies.jsonl").write_text(companies + json.dumps(recycler) + "\n")
    with pytest.raises(LoadError, match=r"line 13: reporter: .* is not linked to battery"):
        load_directory(db, tmp_path, batch_size=10, progress=False, workers=2)
