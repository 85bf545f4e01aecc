"""The integrity queries (``cypher/integrity/``): stored chains, chain heads and checkpoints, typed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.db import Database, Row
from app.schemas.integrity import Checkpoint


@dataclass(frozen=True, slots=True)
class ChainLinkRow:
    """One chained event of a battery (``integrity.battery_chain``), with what recomputes its link.

    A battery no event is chained to still answers one row: ``seq`` and the event columns are then
    None, and an event linked outside the chain has an ``event_id`` but no ``seq``.
    """

    seq: int | None
    event_id: str | None
    payload: str | None  # the stored canonical JSON, exactly as written
    content_hash: str | None
    chain: str | None
    head: str | None  # the battery's, repeated on every row
    length: int  # the battery's recorded chain length, repeated on every row
    stored: dict[str, Any] | None = None  # every stored property of the event (the flat ones are checked)


@dataclass(frozen=True, slots=True)
class ChainHeadRow:
    """One battery's chain length and head (``integrity.chain_heads_page``), a checkpoint's leaf."""

    code: str
    length: int
    head: str


def chain_link_row(r: Row) -> ChainLinkRow:
    return ChainLinkRow(
        r["seq"], r["event_id"], r["payload"], r["content_hash"], r["chain"], r["head"], r["length"], r["stored"]
    )


def chain_head_row(r: Row) -> ChainHeadRow:
    return ChainHeadRow(r["code"], r["length"], r["head"])


def battery_chain(db: Database, code: str) -> list[ChainLinkRow]:
    """The battery's chained events in chain order; empty when no battery has that code."""
    return [chain_link_row(r) for r in db.read("integrity.battery_chain", code=code)]


def chain_heads_page(db: Database, after: str, limit: int) -> list[ChainHeadRow]:
    """Up to ``limit`` chain heads in code order after the cursor ``after``."""
    return [chain_head_row(r) for r in db.read("integrity.chain_heads_page", after=after, limit=limit)]


def record_checkpoint(db: Database, checkpoint: Checkpoint) -> None:
    """Keep the checkpoint's root in the graph."""
    db.write(
        "integrity.record_checkpoint",
        id=checkpoint.id,
        root=checkpoint.root,
        batteries=checkpoint.batteries,
        taken_at=checkpoint.taken_at,
    )


def list_checkpoints(db: Database, limit: int) -> list[Checkpoint]:
    """Checkpoints taken so far, newest first."""
    return [Checkpoint(**r) for r in db.read("integrity.list_checkpoints", limit=limit)]
