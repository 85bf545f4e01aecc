"""The upper bound for loading a world: ``neo4j-admin database import full`` of the same events.

The world's events go through the ingest path's own checks and row planning
(``plan_offline``: validation, canonical payload, content hash, the same node and relationship
rows), are written as CSV, and the offline importer builds a store from them. What it writes is
the event log as ingestion stores it (Event, Battery, Vehicle, Company and SwapStation nodes;
ABOUT, REPORTED_BY, INVOLVES, AT, TO, FROM, CORRECTS, MADE_BY, OPERATED_BY) but not what only a
live store computes: the lifecycle projection, the per-battery hash chains, licences, indexes.
So it bounds the raw write path from above; it is not a way to run BatteryTrace.

``python bench/admin_import.py WORLD_DIR`` prints the figures; ``bench/run.py`` records them as
``ingest.admin_import_*``. The import's own seconds give the rate; preparing the CSV is timed
apart, since a company sending files would have to do that work too.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.services.ingest import plan_offline  # noqa: E402
from loaders.files import read_batches  # noqa: E402
from neo4j_runtime import launcher  # noqa: E402

IMPORT_HOME = ROOT / "var" / "neo4j-import"

# Event properties as ingestion stores them (see _event_properties), with the importer's types.
EVENT_COLUMNS = (
    ("event_id", "event_id:ID(Event)"),
    ("type", "type"),
    ("occurred_at", "occurred_at:datetime"),
    ("recorded_at", "recorded_at:datetime"),
    ("imported", "imported:boolean"),
    ("reporter", "reporter"),
    ("content_hash", "content_hash"),
    ("payload", "payload"),
    ("province", "province"),
    ("note", "note"),
    ("battery", "battery"),
    ("vehicle", "vehicle"),
    ("station", "station"),
    ("battery_out", "battery_out"),
    ("battery_in", "battery_in"),
    ("reason", "reason"),
    ("chemistry", "chemistry"),
    ("mass_kg", "mass_kg:double"),
    ("capacity_kwh", "capacity_kwh:double"),
    ("components", "components:string[]"),
    ("application", "application"),
    ("new_code", "new_code"),
    ("input_mass_kg", "input_mass_kg:double"),
    ("corrects", "corrects"),
    ("corrective_event_ids", "corrective_event_ids:string[]"),
    ("to_company", "to_company"),
    ("from_company", "from_company"),
    ("recovered_elements", "recovered_elements:string[]"),
    ("recovered_kg", "recovered_kg:double[]"),
    ("recovered_total_kg", "recovered_total_kg:double"),
)
VEHICLE_HEADER = ["vin:ID(Vehicle)", "maker", "model", "category", "swap_capable:boolean", "registered:boolean"]
BATTERY_COLUMNS = (
    ("code", "code:ID(Battery)"),
    ("level", "level"),
    ("maker_code", "maker_code"),
    ("chemistry_letter", "chemistry_letter"),
    ("spec_code", "spec_code"),
    ("production_date", "production_date:date"),
    ("second_life", "second_life_code"),
)
ARRAY_DELIMITER = ";"


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(str(v) for v in value)
    return value


class _Files:
    """One CSV per node or relationship kind, header first, opened on first use."""

    def __init__(self, folder: Path, stack: ExitStack) -> None:
        self.folder, self._stack = folder, stack
        self._writers: dict[str, Any] = {}
        self.rows: dict[str, int] = {}

    def write(self, name: str, header: list[str], row: list[Any]) -> None:
        writer = self._writers.get(name)
        if writer is None:
            fh: IO[str] = self._stack.enter_context((self.folder / f"{name}.csv").open("w", newline=""))
            writer = self._writers[name] = csv.writer(fh)
            writer.writerow(header)
            self.rows[name] = 0
        writer.writerow([_cell(v) for v in row])
        self.rows[name] += 1


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open() as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def write_csv(world: Path, folder: Path, batch_size: int = 5_000) -> dict[str, int]:
    """The world as import CSV files in ``folder``; returns rows per file."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    now = datetime.now(UTC)
    seen_batteries: set[str] = set()
    vins: set[str] = set()
    with ExitStack() as stack:
        out = _Files(folder, stack)
        for c in _jsonl(world / "companies.jsonl"):
            out.write(
                "companies",
                ["uscc:ID(Company)", "name", "roles:string[]", "province", "maker_code", "registered:boolean"],
                [c["uscc"], c["name"], c["roles"], c["province"], c.get("maker_code"), True],
            )
        for s in _jsonl(world / "stations.jsonl"):
            out.write(
                "stations",
                ["id:ID(Station)", "operator", "province", "name"],
                [s["id"], s["operator"], s["province"], s["name"]],
            )
            out.write("operated_by", [":START_ID(Station)", ":END_ID(Company)"], [s["id"], s["operator"]])
        for v in _jsonl(world / "vehicles.jsonl"):
            vins.add(v["vin"])
            out.write(
                "vehicles",
                VEHICLE_HEADER,
                [v["vin"], v["maker"], v["model"], v["category"], v["swap_capable"], True],
            )
            out.write("made_by", [":START_ID(Vehicle)", ":END_ID(Company)"], [v["vin"], v["maker"]])
        event_header = [h for _, h in EVENT_COLUMNS]
        for _, _, raw in read_batches(world / "events.jsonl", batch_size):
            plan = plan_offline(raw, now)
            for e in plan.events:
                out.write("events", event_header, [e.get(k) for k, _ in EVENT_COLUMNS])
                out.write("reported_by", [":START_ID(Event)", ":END_ID(Company)"], [e["event_id"], e["reporter"]])
            for code, b in plan.batteries.items():
                if code not in seen_batteries:
                    seen_batteries.add(code)
                    out.write(
                        "batteries",
                        [h for _, h in BATTERY_COLUMNS] + ["status"],
                        [b[k] for k, _ in BATTERY_COLUMNS] + ["unknown"],
                    )
            for vin in plan.vins - vins:
                vins.add(vin)
                out.write("vehicles", VEHICLE_HEADER, [vin, None, None, None, None, False])
            for link in plan.battery_links:
                out.write(
                    "about",
                    [":START_ID(Event)", ":END_ID(Battery)", "role"],
                    [link["event_id"], link["code"], link["role"]],
                )
            for link in plan.vehicle_links:
                out.write("involves", [":START_ID(Event)", ":END_ID(Vehicle)"], [link["event_id"], link["vin"]])
            for link in plan.station_links:
                out.write("at", [":START_ID(Event)", ":END_ID(Station)"], [link["event_id"], link["station"]])
            for link in plan.recipient_links:
                out.write("to", [":START_ID(Event)", ":END_ID(Company)"], [link["event_id"], link["uscc"]])
            for link in plan.sender_links:
                out.write("from", [":START_ID(Event)", ":END_ID(Company)"], [link["event_id"], link["uscc"]])
            for link in plan.corrections:
                out.write("corrects", [":START_ID(Event)", ":END_ID(Event)"], [link["event_id"], link["corrects"]])
        return dict(out.rows)


NODE_FILES = {
    "companies": "Company",
    "stations": "SwapStation",
    "vehicles": "Vehicle",
    "events": "Event",
    "batteries": "Battery",
}
RELATIONSHIP_FILES = {
    "operated_by": "OPERATED_BY",
    "made_by": "MADE_BY",
    "reported_by": "REPORTED_BY",
    "about": "ABOUT",
    "involves": "INVOLVES",
    "at": "AT",
    "to": "TO",
    "from": "FROM",
    "corrects": "CORRECTS",
}


def run_import(folder: Path, home: Path = IMPORT_HOME, off_heap: str = "6g") -> float:
    """Build a store in ``home`` from the CSV files; returns the importer's seconds."""
    launcher.stop(home)
    shutil.rmtree(home, ignore_errors=True)
    for sub in ("conf", "data", "logs", "run"):
        (home / sub).mkdir(parents=True)
    launcher.write_conf(home, 7741, "1g", "1g")
    args = [
        f"--nodes={label}={folder / name}.csv"
        for name, label in NODE_FILES.items()
        if (folder / f"{name}.csv").exists()
    ]
    args += [
        f"--relationships={rel}={folder / name}.csv"
        for name, rel in RELATIONSHIP_FILES.items()
        if (folder / f"{name}.csv").exists()
    ]
    began = time.perf_counter()
    proc = launcher.admin_tool(
        home,
        "database",
        "import",
        "full",
        "neo4j",
        f"--array-delimiter={ARRAY_DELIMITER}",
        "--multiline-fields=true",
        "--ignore-empty-strings=true",
        f"--max-off-heap-memory={off_heap}",
        f"--report-file={home / 'logs' / 'import.report'}",
        *args,
        heap="2g",
    )
    seconds = time.perf_counter() - began
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        raise RuntimeError(f"neo4j-admin import failed (exit {proc.returncode}):\n{tail}")
    return seconds


def count_imported(home: Path = IMPORT_HOME) -> dict[str, int]:
    """Start the imported store and count its events and relationships: the import really happened."""
    instance = launcher.start(home, 7741, "2g", "2g")
    try:
        from neo4j import GraphDatabase

        with GraphDatabase.driver(instance.uri, auth=(instance.user, instance.password)) as driver:
            records, _, _ = driver.execute_query(
                "MATCH (e:Event) WITH count(e) AS events MATCH ()-[r:ABOUT]->() RETURN events, count(r) AS about"
            )
            return {"events": records[0]["events"], "about": records[0]["about"]}
    finally:
        launcher.stop(home)


def prepare(world: Path, folder: Path) -> tuple[dict[str, int], float]:
    """The CSV files of ``world`` and the seconds they took; files left complete by an earlier
    call (``--prepare-only``) are reused, so preparing can run apart from the timed import."""
    done = folder / "prepared.json"
    if done.exists():
        saved = json.loads(done.read_text())
        if saved.get("events_bytes") == (world / "events.jsonl").stat().st_size:
            return saved["rows"], saved["seconds"]
    began = time.perf_counter()
    rows = write_csv(world, folder)
    seconds = time.perf_counter() - began
    done.write_text(
        json.dumps({"rows": rows, "seconds": seconds, "events_bytes": (world / "events.jsonl").stat().st_size})
    )
    return rows, seconds


def admin_import(world: Path, n_events: int | None = None) -> dict[str, Any]:
    """Prepare, import and check; the ``ingest.admin_import_*`` entries of the bench results."""
    folder = ROOT / "var" / f"import-csv-{world.name}"
    rows, prepare_s = prepare(world, folder)
    import_s = run_import(folder)
    counted = count_imported()
    if n_events is not None and counted["events"] != n_events:
        raise RuntimeError(f"the import holds {counted['events']} events, the load {n_events}")
    if counted["events"] != rows["events"] or counted["about"] != rows["about"]:
        raise RuntimeError(f"the import holds {counted}, the CSV files {rows}")
    store_bytes = sum(f.stat().st_size for f in (IMPORT_HOME / "data").rglob("*") if f.is_file())
    shutil.rmtree(folder, ignore_errors=True)
    return {
        "ingest.admin_import_events_per_s": rows["events"] / import_s,
        "ingest.admin_import_seconds": import_s,
        "ingest.admin_import_prepare_seconds": prepare_s,
        "ingest.admin_import_events": counted["events"],
        "ingest.admin_import_store_bytes": store_bytes,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("world", type=Path, help="a generated world (batterytrace synth --out)")
    parser.add_argument("--prepare-only", action="store_true", help="only write the CSV files (reused later)")
    args = parser.parse_args()
    if args.prepare_only:
        rows, seconds = prepare(args.world, ROOT / "var" / f"import-csv-{args.world.name}")
        print(f"prepared {rows} in {seconds:.1f} s")
        return 0
    for key, value in admin_import(args.world).items():
        print(f"{key:<40} {value:,.2f}" if isinstance(value, float) else f"{key:<40} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
