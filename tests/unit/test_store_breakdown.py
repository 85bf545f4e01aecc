"""The store breakdown splits exactly the bytes make bench counts, into groups named by what they hold."""

from __future__ import annotations

from pathlib import Path

from bench.store_breakdown import breakdown, results_keys


def _file(root: Path, rel: str, size: int) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\0" * size)


def test_every_byte_under_data_lands_in_one_named_group(tmp_path: Path) -> None:
    files = {
        "data/databases/neo4j/neostore.propertystore.db.strings": 700,
        "data/databases/neo4j/neostore.propertystore.db": 600,
        "data/databases/neo4j/neostore.propertystore.db.id": 5,
        "data/databases/neo4j/neostore.nodestore.db": 40,
        "data/databases/neo4j/neostore.labeltokenstore.db.names": 3,
        "data/databases/neo4j/schema/index/range-1.0/7/index-7": 90,
        "data/databases/neo4j/schema/index/text-2.0/9/index-9": 11,
        "data/databases/neo4j/schema/index/range-1.0/12/index-12": 8,
        "data/transactions/neo4j/neostore.transaction.db.3": 300,
        "data/transactions/neo4j/checkpoint.0": 1,
        "data/databases/system/neostore.nodestore.db": 20,
        "data/transactions/system/neostore.transaction.db.0": 9,
    }
    for rel, size in files.items():
        _file(tmp_path, rel, size)
    groups = breakdown(tmp_path, {"7": "event_type_time", "9": "battery_code_text"})
    assert groups == {
        "strings": 700,
        "properties": 600,
        "tx_logs": 300,
        "index.event_type_time": 90,
        "nodes": 40,
        "system": 29,
        "index.battery_code_text": 11,
        "index.unknown": 8,
        "id_files": 5,
        "tokens": 3,
        "tx_checkpoints": 1,
    }
    assert sum(groups.values()) == sum(files.values())
    assert results_keys(groups)["store.bytes.tx_logs"] == 300
