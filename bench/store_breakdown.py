"""Where a store's bytes are: every file under a Neo4j home's data/ directory, grouped.

``make bench`` counts ``store.bytes_per_event`` as every file under data/ over the events; this
splits the same sum into record stores (nodes, relationships, properties, strings, arrays), each
index by name, the transaction logs and the rest, so a saving can be measured where it is made.
``bench/run.py`` adds the groups to its results as ``store.bytes.<group>``.

Standalone, it loads a world through the live path (``batterytrace load``, as ``make bench`` does)
into a fresh store and prints the groups, in bytes and bytes per event:

    .venv/bin/python bench/store_breakdown.py --batteries 20000 --port 7690
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.db import Database  # noqa: E402

#: Record-store files of the neo4j database by what they hold (the rest of the prefix: "other").
_STORE_FILES = {
    "neostore.nodestore.db": "nodes",
    "neostore.nodestore.db.labels": "nodes",
    "neostore.relationshipstore.db": "relationships",
    "neostore.relationshipgroupstore.db": "relationship_groups",
    "neostore.relationshipgroupstore.degrees.db": "relationship_groups",
    "neostore.propertystore.db": "properties",
    "neostore.propertystore.db.strings": "strings",
    "neostore.propertystore.db.arrays": "arrays",
    "neostore.counts.db": "counts",
    "neostore.indexstats.db": "counts",
}


def index_directories(db: Database) -> dict[str, str]:
    """Index id (its directory's name under schema/index/<provider>/) -> index name."""
    with db.driver.session(database=db.name) as s:
        return {str(r["id"]): str(r["name"]) for r in s.run("SHOW INDEXES YIELD id, name RETURN id, name")}


def _group(rel: Path, indexes: dict[str, str]) -> str:
    parts = rel.parts
    if parts[:2] == ("transactions", "neo4j"):
        return "tx_checkpoints" if parts[-1].startswith("checkpoint") else "tx_logs"
    if parts[:2] != ("databases", "neo4j"):
        return "system"  # the system database, its logs and dbms/
    name = parts[-1]
    if len(parts) > 4 and parts[2:4] == ("schema", "index"):
        return "index." + indexes.get(parts[5] if len(parts) > 5 else "", "unknown")
    if name.endswith(".id"):
        return "id_files"
    if name in _STORE_FILES:
        return _STORE_FILES[name]
    if "token" in name or name.startswith("neostore.propertystore.db.index"):
        return "tokens"
    return "other"


def breakdown(home: Path, indexes: dict[str, str]) -> dict[str, int]:
    """Bytes per group of every file under ``home``/data (the same files ``make bench`` sums)."""
    data = home / "data"
    groups: dict[str, int] = defaultdict(int)
    for f in data.rglob("*"):
        if f.is_file():
            groups[_group(f.relative_to(data), indexes)] += f.stat().st_size
    return dict(sorted(groups.items(), key=lambda kv: -kv[1]))


def results_keys(groups: dict[str, int]) -> dict[str, int]:
    """The groups as results-file keys (``store.bytes.<group>``)."""
    return {f"store.bytes.{name}": size for name, size in groups.items()}


def print_table(groups: dict[str, int], events: int) -> None:
    total = sum(groups.values())
    print(f"{'group':<40} {'bytes':>15} {'B/event':>9}")
    for name, size in groups.items():
        print(f"{name:<40} {size:>15,} {size / events:>9.1f}")
    print(f"{'total':<40} {total:>15,} {total / events:>9.1f}  ({events:,} events)")


def main() -> int:
    from pydantic import SecretStr

    from app.config import Settings
    from app.services.store import apply_schema
    from bench.run import _api_env, bulk_load, generate
    from neo4j_runtime import launcher

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batteries", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--home", type=Path, default=ROOT / "var" / "neo4j-breakdown")
    parser.add_argument("--port", type=int, default=7698)
    parser.add_argument("--heap", default="2g")
    parser.add_argument("--pagecache", default="1g")
    parser.add_argument("--json", type=Path, help="also write the groups and counts here")
    args = parser.parse_args()

    world = ROOT / "var" / f"bench-world-{args.batteries}-{args.seed}"
    generate(world, args.batteries, args.seed)
    launcher.stop(args.home)
    shutil.rmtree(args.home, ignore_errors=True)
    instance = launcher.start(args.home, args.port, args.heap, args.pagecache)
    db = Database(Settings(neo4j_uri=instance.uri, neo4j_password=SecretStr(instance.password)))
    try:
        apply_schema(db)
        loaded = bulk_load(world, _api_env(instance))
        indexes = index_directories(db)
        with db.driver.session(database=db.name) as s:
            nodes = {r["l"]: r["n"] for r in s.run("MATCH (n) RETURN labels(n)[0] AS l, count(*) AS n")}
            rels = {r["t"]: r["n"] for r in s.run("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n")}
    finally:
        db.close()
        launcher.stop(args.home)
    events = int(loaded["events"])
    groups = breakdown(args.home, indexes)
    print_table(groups, events)
    print("nodes", json.dumps(nodes), "\nrelationships", json.dumps(rels))
    if args.json:
        out: dict[str, Any] = {
            "batteries": args.batteries,
            "events": events,
            "groups": groups,
            "nodes": nodes,
            "relationships": rels,
        }
        args.json.write_text(json.dumps(out, indent=2) + "\n")
    subprocess.run(["du", "-sh", str(args.home / "data")], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
