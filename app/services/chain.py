"""Tamper evidence: a hash chain over each battery's events, and Merkle checkpoints over all chains.

Each ABOUT link from an event to a battery carries the event's position in that battery's chain
(``seq``, in recording order) and ``chain = sha256(previous chain + event record hash)``, where the
record covers the payload, ``recorded_at`` and ``imported``; the battery keeps the head. Editing
any of them (or the links) in the database breaks the recomputation. A checkpoint is a Merkle root over every battery's
(code, length, head); exported and kept elsewhere, it lets a later check prove that no chain
was rewritten consistently from end to end.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.ledger import verifier
from app.repositories.integrity import ChainLinkRow
from app.services.flat import flat_mismatches

GENESIS = "0" * 64


content_hash = verifier.content_hash  # the event as sent: what a resend is compared with
link_hash = verifier.chain_link  # one step of a chain, over record hashes


@dataclass
class ChainUpdate:
    links: list[dict[str, Any]] = field(default_factory=list)
    heads: list[dict[str, Any]] = field(default_factory=list)


def extend_chains(heads: dict[str, tuple[str | None, int]], appended: Iterable[tuple[str, str, str]]) -> ChainUpdate:
    """Append (code, event_id, content hash) in the given order to the chains whose heads are known."""
    state = dict(heads)
    update = ChainUpdate()
    for code, event_id, event_hash in appended:
        head, length = state[code]
        head, length = link_hash(head, event_hash), length + 1
        state[code] = (head, length)
        update.links.append({"code": code, "event_id": event_id, "seq": length, "chain": head})
    update.heads = [{"code": c, "head": h, "length": n} for c, (h, n) in sorted(state.items()) if n > 0]
    return update


@dataclass(frozen=True)
class ChainProblem:
    seq: int | None
    event_id: str | None
    reason: str


def _record(payload: dict[str, Any], stored: dict[str, Any] | None) -> tuple[str, str | None]:
    """The record hash from what is stored, or why it cannot be formed."""
    recorded = (stored or {}).get("recorded_at")
    if not isinstance(recorded, datetime) or recorded.tzinfo is None:
        return "", "recorded_at is missing or not a zoned datetime"
    imported = (stored or {}).get("imported", False)
    if not isinstance(imported, bool):
        return "", f"imported is {imported!r}, not true or false"
    return verifier.record_hash(payload, recorded, imported), None


def stored_record(row: ChainLinkRow) -> str | None:
    """The record hash of a chained event from what is stored, or None when it cannot be formed
    (``verify_rows`` names why)."""
    try:
        payload = json.loads(row.payload or "")
    except ValueError:
        return None
    if not isinstance(payload, dict):
        return None
    record, why = _record(payload, row.stored)
    return None if why else record


def verify_rows(rows: Sequence[ChainLinkRow], head: str | None, length: int) -> list[ChainProblem]:
    """Recompute a chain from its stored events (rows ordered by seq) and name every break.

    Each link covers the event's record: its payload as sent, ``recorded_at`` and ``imported``; so an
    edit of any of them breaks the link, and every flat property is compared with the payload."""
    problems: list[ChainProblem] = []
    previous: str | None = None
    for expected_seq, row in enumerate(rows, start=1):
        seq, eid = row.seq, row.event_id
        if seq != expected_seq:
            problems.append(ChainProblem(seq, eid, f"position {seq} where {expected_seq} was expected"))
        try:
            # A missing payload (None) raises TypeError and is reported like one that does not parse.
            payload = json.loads(row.payload)  # type: ignore[arg-type]
            if not isinstance(payload, dict):
                raise ValueError("not an object")
        except (TypeError, ValueError):
            problems.append(ChainProblem(seq, eid, "stored payload is not JSON"))
            payload = None
        record = ""
        if payload is not None:
            if content_hash(payload) != row.content_hash:
                problems.append(ChainProblem(seq, eid, "payload does not match its content hash (event altered)"))
            record, why = _record(payload, row.stored)
            if why:
                problems.append(ChainProblem(seq, eid, f"stored property differs from the hashed record: {why}"))
            if row.event_id != payload.get("event_id", row.event_id):
                problems.append(ChainProblem(seq, eid, "event_id differs from the one in its payload"))
            elif row.stored is not None:
                problems.extend(
                    ChainProblem(seq, eid, f"stored property differs from the hashed payload: {why}")
                    for why in flat_mismatches(payload, row.stored)
                )
        intact = payload is not None and content_hash(payload) == row.content_hash
        previous = link_hash(previous, record)
        if previous != row.chain:
            why = "chain hash does not follow from the previous link and this event's record"
            if intact:
                why += ": the payload is intact, so recorded_at, imported or the link itself was changed"
            problems.append(ChainProblem(seq, eid, why))
            previous = row.chain
    if len(rows) != length:
        problems.append(ChainProblem(None, None, f"battery records {length} chained events, {len(rows)} found"))
    if rows and head != rows[-1].chain:
        problems.append(ChainProblem(None, None, "battery's chain head differs from its last link"))
    return problems


def leaf(code: str, length: int, head: str) -> str:
    return hashlib.sha256(f"{code}:{length}:{head}".encode()).hexdigest()


def merkle_root(leaves: list[str]) -> str:
    """Pairwise SHA-256 up to one root; an odd node is carried up unchanged."""
    if not leaves:
        return GENESIS
    level = leaves
    while len(level) > 1:
        nxt = [hashlib.sha256((level[i] + level[i + 1]).encode()).hexdigest() for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]
