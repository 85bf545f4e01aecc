"""The one-time upgrade of a store built before the verifiable log.

Such a store chained each battery's events over their payload hashes only. The upgrade re-hashes
every chain over the full records (payload, ``recorded_at``, ``imported``), then appends every
stored event to a new log in recording order. The chains' old values are replaced, so the old
checkpoints no longer verify: it says so, and the first signed head after it is the new anchor.
A run stopped half-way can be started again: chains are rewritten from the stored events, and
only events outside the log are appended.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from itertools import groupby
from typing import Any

from neo4j import ManagedTransaction

from app.db import Database
from app.errors import StoreOutdated
from app.ledger.tiles import WIDTH, TileKey, TreeView, append
from app.ledger.verifier import EMPTY_ROOT, leaf_hash, record_hash
from app.repositories import ingest as ingest_repo
from app.repositories import ledger as repo
from app.repositories.store import battery_codes_after
from app.services.chain import extend_chains
from app.services.ledger import LEDGER_REVISION, UPGRADE_HINT, append_records, held_leaves, record_of

CHAIN_BATCH = 500
LOG_BATCH = 5_000


@dataclass(frozen=True)
class UpgradeReport:
    rehashed_batteries: int
    logged_events: int
    log_size: int
    log_root: str

    def said(self) -> str:
        if not self.rehashed_batteries and not self.logged_events:
            return f"ledger already current: log of {self.log_size} events, root {self.log_root}"
        return (
            f"ledger upgraded: {self.rehashed_batteries} batteries' chains re-hashed over full records, "
            f"{self.logged_events} stored events appended to the log (now {self.log_size} events, root "
            f"{self.log_root}); checkpoints taken before this no longer verify: take a new one and keep "
            "the log's signed head (GET /v1/log/head)"
        )


def upgrade(db: Database, progress: Callable[[str], None] | None = None) -> UpgradeReport:
    """Re-hash the chains of a store without a log, then log every event not yet in it."""
    say = progress or (lambda _: None)
    rehashed = 0
    if repo.log_state(db) is None:
        rehashed = _rehash_chains(db, say)
        repo.create_log(db, LEDGER_REVISION, EMPTY_ROOT)
    logged = _log_unlogged(db, say)
    state = repo.log_state(db)
    assert state is not None  # created above, or there before
    return UpgradeReport(rehashed, logged, state.size, state.root)


def _rehash_chains(db: Database, say: Callable[[str], None]) -> int:
    done, after = 0, ""
    while codes := battery_codes_after(db, after, CHAIN_BATCH):
        records = repo.chain_records(db, codes)
        heads: dict[str, tuple[str | None, int]] = {code: (None, 0) for code in codes}
        appended = [
            (r.code, r.event_id, record_hash(json.loads(r.payload), r.recorded_at, r.imported)) for r in records
        ]
        for code, rows in groupby(records, key=lambda r: r.code):
            seqs = [r.seq for r in rows]
            if seqs != list(range(1, len(seqs) + 1)):
                raise ValueError(f"battery {code}: its chain positions are not 1..n; verify it before upgrading")
        update = extend_chains(heads, appended)

        db.write_unit("ingest.extend_chains", partial(_write_links, links=update.links, heads=update.heads))
        done += len(codes)
        after = codes[-1]
        say(f"chains re-hashed: {done} batteries")
    return done


def _write_links(tx: ManagedTransaction, links: list[dict[str, Any]], heads: list[dict[str, Any]]) -> None:
    ingest_repo.extend_chains(tx, links, heads)


def _log_unlogged(db: Database, say: Callable[[str], None]) -> int:
    batch: list[tuple[str, str]] = []
    logged = 0

    def flush() -> None:
        nonlocal logged
        if batch:
            records = list(batch)
            db.write_unit("log.append", lambda tx: append_records(tx, records))
            logged += len(records)
            batch.clear()
            say(f"events logged: {logged}")

    for event_id, payload, recorded_at, imported in repo.unlogged_events(db):
        batch.append((event_id, record_hash(json.loads(payload), recorded_at, imported)))
        if len(batch) >= LOG_BATCH:
            flush()
    flush()
    return logged


@dataclass(frozen=True)
class AuditReport:
    size: int
    root: str
    problems: list[str]

    @property
    def valid(self) -> bool:
        return not self.problems


def audit_log(db: Database, page: int = LOG_BATCH, kept: tuple[int, str] | None = None) -> AuditReport:
    """Rebuild the whole log from the stored events, in log order, and compare it with the stored
    leaves and root, and with a head kept elsewhere (its size and root) when given: every event,
    including those of vehicles only, is covered. Memory stays flat: only edge tiles are kept."""
    state = repo.log_state(db)
    if state is None:
        return AuditReport(0, EMPTY_ROOT, [f"the store has no log: {UPGRADE_HINT}"])
    problems: list[str] = []
    tree = _Rebuilt()
    while rows := repo.entries_page(db, tree.size, page):
        held = held_leaves(db, (r.index for r in rows if r.index is not None))
        leaves: list[str] = []
        gap = False
        for r in rows:
            at = tree.size + len(leaves)
            if r.index != at:
                problems.append(f"log index {at}: no event holds it (the next is event {r.event_id})")
                gap = True
                break
            try:
                leaf = leaf_hash(record_of(r))
            except (StoreOutdated, ValueError) as exc:
                problems.append(f"log index {at}: event {r.event_id}'s record cannot be formed: {exc}")
                leaf = "00" * 32
            if held.get(at) != leaf:
                problems.append(f"log index {at}: event {r.event_id}'s record is not the log's leaf")
            leaves.append(leaf)
        if kept is not None and tree.size < kept[0] <= tree.size + len(leaves):
            cut = kept[0] - tree.size
            tree.add(leaves[:cut])
            leaves = leaves[cut:]
            if tree.root() != kept[1]:
                problems.append(f"the stored events give another root at size {kept[0]} than the head kept")
        tree.add(leaves)
        if gap:
            break
    root = tree.root()
    if kept is not None and kept[0] > tree.size:
        problems.append(f"the head kept is of size {kept[0]}; the log holds only {tree.size} events")
    if tree.size != state.size:
        problems.append(f"the log records {state.size} events; {tree.size} are placed in it")
    if root != state.root:
        problems.append(f"the stored events give root {root}; the log records {state.root}")
    return AuditReport(tree.size, root, problems[:1000])


@dataclass
class _Rebuilt:
    """The tree rebuilt leaf by leaf, keeping only its partly filled tiles."""

    size: int = 0
    edge: dict[TileKey, list[str]] = field(default_factory=dict)

    def add(self, leaves: list[str]) -> None:
        if leaves:
            changed = append(self.size, leaves, self.edge)
            self.edge = {k: v for k, v in {**self.edge, **changed}.items() if len(v) < WIDTH}
            self.size += len(leaves)

    def root(self) -> str:
        return TreeView(self.size, lambda key: self.edge.get(key, [])).root()
