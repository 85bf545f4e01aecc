"""The verifiable log of every accepted event: appends inside the ingest transaction, signed heads,
RFC 9162 proofs and receipts.

An ingest appends its new events' record hashes at the end of its transaction, under the log's
lock, so the log's order is the commit order and two processes never interleave an append. What
is signed is signed after the commit: a head or a receipt never names an event that might still
roll back. Proofs for any earlier size come from the same tiles (they only grow).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from neo4j import ManagedTransaction

from app.db import Database
from app.errors import FieldProblem, InvalidInput, LogDamaged, NotFound, StoreOutdated
from app.ledger.signing import Signer
from app.ledger.tiles import WIDTH, TileKey, TornLog, TreeView, append, edge_tiles, plan_reads
from app.ledger.verifier import (
    EMPTY_ROOT,
    head_message,
    leaf_hash,
    receipt_message,
    record_hash,
    recorded_text,
)
from app.repositories import integrity as integrity_repo
from app.repositories import ledger as repo
from app.repositories.ledger import LoggedRecord, LogState
from app.schemas.ledger import (
    BundleEntry,
    ConsistencyProof,
    InclusionProof,
    ProofBundle,
    Receipt,
    ReceiptEntry,
    TreeHead,
)

#: The ledger's format: record hashes (payload, recorded_at, imported) chained and logged.
LEDGER_REVISION = 1
UPGRADE_HINT = "run `batterytrace ledger upgrade` once (it re-hashes the chains and logs every stored event)"


@dataclass(frozen=True)
class Appended:
    """Where a batch went in the log: its entries from index ``first``, and the size and root of a
    tree that holds them (the one its transaction committed). ``tiles`` are the tiles as that
    transaction left them, so the receipt's proofs need no read of their own."""

    first: int
    size: int
    root: str
    tiles: Mapping[TileKey, list[str]] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Signing:
    """What a capture signs its receipts with, and up to how many events they carry inclusion paths."""

    signer: Signer
    proofs_max: int = 100


def start_fresh(db: Database) -> None:
    repo.start_fresh_log(db, LEDGER_REVISION, EMPTY_ROOT)


def append_records(tx: ManagedTransaction, records: Sequence[tuple[str, str]]) -> Appended:
    """Append (event_id, record hash) pairs in order; the lock is held until the caller commits."""
    state = repo.lock_log(tx, uuid.uuid4().hex)
    if state is None:
        raise StoreOutdated(f"this store's events predate the verifiable log: {UPGRADE_HINT}")
    if not records:
        return Appended(state.size, state.size, state.root)
    leaves = [leaf_hash(record) for _, record in records]
    tiles = repo.read_tiles(tx, edge_tiles(state.size))
    changed = append(state.size, leaves, tiles)
    size = state.size + len(leaves)
    view = TreeView(size, lambda key: changed.get(key) or tiles.get(key) or _read_one(tx, key))
    root = view.root()
    repo.append(tx, changed, ((eid, state.size + i) for i, (eid, _) in enumerate(records)), size, root)
    return Appended(state.size, size, root, {**tiles, **changed})


def _read_one(tx: ManagedTransaction | Database, key: tuple[int, int]) -> list[str]:
    return repo.read_tiles(tx, [key]).get(key, [])


def require_log(db: Database) -> None:
    """409 on a store whose chains predate record hashes: every link would read as broken."""
    _current(db)


def _current(db: Database) -> LogState:
    state = repo.log_state(db)
    if state is None:
        raise StoreOutdated(f"this store has no verifiable log yet: {UPGRADE_HINT}")
    return state


def _view(db: Database, size: int, ask: Any, held: Mapping[TileKey, list[str]] | None = None) -> TreeView:
    """A tree of ``size`` whose tiles for ``ask`` are fetched in one read, but for those ``held``
    already (tiles only grow, so any held since the tree had ``size`` leaves will do)."""
    held = held or {}
    wanted = [key for key in plan_reads(size, ask) if key not in held]
    tiles = {**held, **(repo.read_tiles(db, wanted) if wanted else {})}
    return TreeView(size, lambda key: tiles.get(key) or _read_one(db, key))


def sign_head(signer: Signer, size: int, root: str, at: datetime | None = None) -> TreeHead:
    stamp = (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return TreeHead(
        tree_size=size,
        root_hash=root,
        timestamp=stamp,
        key_id=signer.key_id,
        signature=signer.sign(head_message(size, root, stamp)),
    )


def head(db: Database, signer: Signer) -> TreeHead:
    """The signed head of the log as last committed; the root is rebuilt from the tiles first, so a
    root edited in the store alone is refused rather than signed."""
    state = _current(db)
    try:
        rebuilt = _view(db, state.size, lambda v: v.root()).root()
    except TornLog as exc:
        raise LogDamaged(f"the log's tiles cannot give its root: {exc}; run `batterytrace ledger audit`") from None
    if rebuilt != state.root:
        raise LogDamaged(
            f"the log's tiles give root {rebuilt} for size {state.size}, its record says {state.root}: "
            "nothing is signed over a damaged log; run `batterytrace ledger audit`"
        )
    return sign_head(signer, state.size, state.root)


def _size_or_current(db: Database, size: int | None, field: str) -> int:
    current = _current(db).size
    if size is None:
        return current
    if not 0 <= size <= current:
        raise InvalidInput([FieldProblem(field, f"must lie in 0..{current}, the log's size")], f"{field}: out of range")
    return size


def inclusion(db: Database, signer: Signer, event_id: str, size: int | None = None) -> InclusionProof:
    """The RFC 9162 inclusion proof of one event in the tree of ``size`` (default: the current one)."""
    found = repo.entries(db, [event_id])
    if not found:
        raise NotFound(f"event {event_id} is not stored")
    record = found[0]
    if record.index is None:
        raise StoreOutdated(f"event {event_id} predates the log: {UPGRADE_HINT}")
    tree_size = _size_or_current(db, size, "tree_size")
    if record.index >= tree_size:
        raise InvalidInput(
            [FieldProblem("tree_size", f"event {event_id} is entry {record.index}; a tree of {tree_size} lacks it")],
            "tree_size: too small for this event",
        )
    index = record.index
    view = _view(db, tree_size, lambda v: (v.inclusion(index), v.root(), v.leaf(index)))
    rec = record_of(record)
    if view.leaf(index) != leaf_hash(rec):
        raise StoreOutdated(f"event {event_id}: its stored record no longer gives the leaf the log holds")
    return InclusionProof(
        event_id=event_id,
        index=index,
        record_hash=rec,
        leaf_hash=leaf_hash(rec),
        path=view.inclusion(index),
        tree_head=sign_head(signer, tree_size, view.root()),
    )


def consistency(db: Database, signer: Signer, first: int, second: int | None = None) -> ConsistencyProof:
    """The RFC 9162 consistency proof that the tree of ``second`` leaves extends the one of ``first``."""
    to = _size_or_current(db, second, "to")
    if not 0 <= first <= to:
        raise InvalidInput([FieldProblem("from", f"must lie in 0..{to}")], "from: out of range")
    view = _view(db, to, lambda v: (v.consistency(first), v.root(), v.hash(0, first)))
    return ConsistencyProof(
        first=sign_head(signer, first, view.hash(0, first)),
        second=sign_head(signer, to, view.root()),
        path=view.consistency(first),
    )


def record_of(row: LoggedRecord) -> str:
    """The record hash of a stored event, from what is stored (the payload, recorded_at, imported)."""
    if row.payload is None or row.recorded_at is None:
        raise StoreOutdated(f"event {row.event_id} has no stored payload or recorded_at")
    return record_hash(json.loads(row.payload), row.recorded_at, row.imported)


def receipt(
    db: Database,
    signer: Signer,
    logged: Sequence[tuple[dict[str, Any], str, str, datetime, bool]],
    appended: Appended,
    with_proofs: bool,
) -> Receipt:
    """Signed proof that these events (payload, content hash, record hash, recorded_at, imported)
    entered the log, against a head that includes them; with inclusion paths when asked."""
    view = (
        _view(
            db, appended.size, lambda v: [v.inclusion(appended.first + i) for i in range(len(logged))], appended.tiles
        )
        if with_proofs
        else None
    )
    entries = [
        ReceiptEntry(
            event_id=str(payload["event_id"]),
            payload=payload,
            index=appended.first + i,
            content_hash=content,
            record_hash=rec,
            leaf_hash=leaf_hash(rec),
            recorded_at=recorded_text(recorded),
            imported=imported,
            inclusion=view.inclusion(appended.first + i) if view else None,
        )
        for i, (payload, content, rec, recorded, imported) in enumerate(logged)
    ]
    tree_head = sign_head(signer, appended.size, appended.root)
    body = {"entries": [e.model_dump(mode="json") for e in entries], "tree_head": tree_head.model_dump(mode="json")}
    return Receipt(
        entries=entries, tree_head=tree_head, key_id=signer.key_id, signature=signer.sign(receipt_message(body))
    )


def held_leaves(db: Database, indexes: Iterable[int]) -> dict[int, str]:
    """The leaf the log's stored tiles hold at each index; an index whose tile lacks it is absent."""
    wanted = set(indexes)
    tiles = repo.read_tiles(db, {(0, i // WIDTH) for i in wanted})
    held: dict[int, str] = {}
    for i in wanted:
        tile = tiles.get((0, i // WIDTH), [])
        if 0 <= i % WIDTH < len(tile):
            held[i] = tile[i % WIDTH]
    return held


def leaf_problems(db: Database, placed: Sequence[tuple[str, int | None, str]]) -> dict[str, str]:
    """For (event_id, log index, record hash) triples: which events the log does not hold as stored."""
    state = repo.log_state(db)
    if state is None:
        return {eid: f"the store has no verifiable log: {UPGRADE_HINT}" for eid, _, _ in placed}
    problems: dict[str, str] = {}
    indexed = [(eid, i, rec) for eid, i, rec in placed if i is not None and 0 <= i < state.size]
    for eid, i, _ in placed:
        if i is None:
            problems[eid] = "event is not in the verifiable log"
        elif not 0 <= i < state.size:
            problems[eid] = f"log index {i} lies outside the log of size {state.size}"
    held = held_leaves(db, (i for _, i, _ in indexed))
    for eid, i, rec in indexed:
        if i not in held:
            problems[eid] = f"the log cannot be read at leaf {i}: its tile does not hold it"
        elif held[i] != leaf_hash(rec):
            problems[eid] = f"the log's leaf {i} is not this event's record (the event or the log was altered)"
    return problems


def battery_bundle(db: Database, signer: Signer, code: str) -> ProofBundle:
    """The battery's chained events with their records, chain links and inclusion in one signed head."""
    rows = [r for r in integrity_repo.battery_chain(db, code) if r.seq is not None]
    if not rows:
        raise NotFound(f"battery {code} is not known: no event has named it")
    state = _current(db)
    placed = {r.event_id: (r.stored or {}).get("log_index") for r in rows}
    missing = [eid for eid, i in placed.items() if not isinstance(i, int)]
    if missing:
        raise StoreOutdated(f"events {', '.join(map(str, missing[:5]))} are not in the log: {UPGRADE_HINT}")
    index = {eid: int(i) for eid, i in placed.items() if isinstance(i, int)}
    view = _view(db, state.size, lambda v: ([v.inclusion(i) for i in index.values()], v.root()))
    events = []
    for r in rows:
        stored = r.stored or {}
        payload = json.loads(r.payload or "{}")
        rec = record_hash(payload, stored["recorded_at"], bool(stored.get("imported", False)))
        i = index[r.event_id]
        events.append(
            BundleEntry(
                event_id=str(r.event_id),
                index=i,
                content_hash=str(r.content_hash),
                record_hash=rec,
                leaf_hash=leaf_hash(rec),
                recorded_at=recorded_text(stored["recorded_at"]),
                imported=bool(stored.get("imported", False)),
                inclusion=view.inclusion(i),
                payload=payload,
                seq=int(r.seq or 0),
                chain=str(r.chain),
            )
        )
    return ProofBundle(
        battery=code, chain_head=rows[0].head, events=events, tree_head=sign_head(signer, state.size, view.root())
    )
