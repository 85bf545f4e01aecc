"""The verifiable log's queries (``cypher/log/``), typed: the lock, tiles, sizes and logged records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from neo4j import ManagedTransaction

from app.db import Database, read_in, run
from app.ledger.tiles import TileKey, pack, unpack


@dataclass(frozen=True, slots=True)
class LogState:
    size: int
    root: str
    revision: int


@dataclass(frozen=True, slots=True)
class LoggedRecord:
    """An event as the log's leaf recomputes it (``log.entries``, ``log.entries_page``)."""

    event_id: str
    index: int | None  # None: stored before the log, not yet placed in it
    payload: str | None
    content_hash: str | None
    recorded_at: datetime | None
    imported: bool
    reporter: str | None


def _tile_id(key: TileKey) -> str:
    return f"{key[0]}/{key[1]}"


def _state(row: Mapping[str, object]) -> LogState | None:
    if row.get("size") is None:
        return None
    return LogState(int(row["size"]), str(row["root"]), int(row.get("revision") or 1))  # type: ignore[call-overload]


def _record(r: Mapping[str, object]) -> LoggedRecord:
    index = r["index"]
    return LoggedRecord(
        str(r["event_id"]),
        int(index) if index is not None else None,  # type: ignore[call-overload]
        r["payload"],  # type: ignore[arg-type]
        r["content_hash"],  # type: ignore[arg-type]
        r["recorded_at"],  # type: ignore[arg-type]
        bool(r["imported"]),
        r["reporter"],  # type: ignore[arg-type]
    )


def start_fresh_log(db: Database, revision: int, empty_root: str) -> None:
    """Give a store without events an empty log (a store with events keeps what it has)."""
    db.write("log.start_fresh_log", revision=revision, empty_root=empty_root)


def lock_log(tx: ManagedTransaction, nonce: str) -> LogState | None:
    rows = run(tx, "log.lock_log", nonce=nonce)
    return _state(rows[0]) if rows else None


def log_state(where: Database | ManagedTransaction) -> LogState | None:
    return _state(read_in(where, "log.log_state")[0])


def read_tiles(where: Database | ManagedTransaction, keys: Iterable[TileKey]) -> dict[TileKey, list[str]]:
    wanted = {_tile_id(k): k for k in keys}
    if not wanted:
        return {}
    rows = read_in(where, "log.read_tiles", ids=sorted(wanted))
    return {wanted[str(r["id"])]: unpack(r["hashes"]) for r in rows}


def append(
    tx: ManagedTransaction, tiles: Mapping[TileKey, list[str]], placed: Iterable[tuple[str, int]], size: int, root: str
) -> None:
    run(
        tx,
        "log.append",
        tiles=[{"id": _tile_id(k), "level": k[0], "index": k[1], "hashes": pack(h)} for k, h in sorted(tiles.items())],
        entries=[{"event_id": eid, "index": i} for eid, i in placed],
        size=size,
        root=root,
    )


def entries(where: Database | ManagedTransaction, event_ids: Iterable[str]) -> list[LoggedRecord]:
    return [_record(r) for r in read_in(where, "log.entries", ids=list(event_ids))]


def entries_page(db: Database, start: int, limit: int) -> list[LoggedRecord]:
    return [_record(r) for r in db.read("log.entries_page", start=start, limit=limit)]


@dataclass(frozen=True, slots=True)
class ChainRecord:
    """A chained event with what forms its record hash (``log.chain_records``)."""

    code: str
    seq: int
    event_id: str
    payload: str
    recorded_at: datetime
    imported: bool


def create_log(db: Database, revision: int, empty_root: str) -> None:
    db.write("log.create_log", revision=revision, empty_root=empty_root)


def chain_records(db: Database, codes: list[str]) -> list[ChainRecord]:
    return [
        ChainRecord(r["code"], int(r["seq"]), r["event_id"], r["payload"], r["recorded_at"], bool(r["imported"]))
        for r in db.read("log.chain_records", codes=codes)
    ]


def unlogged_events(db: Database) -> Iterator[tuple[str, str, datetime, bool]]:
    """(event_id, payload, recorded_at, imported) of every event outside the log, in recording order."""
    for r in db.stream("log.unlogged_events"):
        yield r["event_id"], r["payload"], r["recorded_at"], bool(r["imported"])
