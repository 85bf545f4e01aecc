"""Tamper evidence: a hash chain over each battery's events, and Merkle checkpoints over all chains.

Each ABOUT link from an event to a battery carries the event's position in that battery's chain
(``seq``, in recording order) and ``chain = sha256(previous chain + event content hash)``; the
battery keeps the head. Editing an event's stored payload (or its hash, or the links) in the
database breaks the recomputation. A checkpoint is a Merkle root over every battery's
(code, length, head); exported and kept elsewhere, it lets a later check prove that no chain
was rewritten consistently from end to end.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.repositories.integrity import ChainLinkRow
from app.services.flat import flat_mismatches

GENESIS = "0" * 64


def content_hash(payload: dict[str, Any]) -> str:
    """The hash of an event's canonical form: sorted keys, no spaces, UTF-8."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def link_hash(previous: str | None, event_hash: str) -> str:
    return hashlib.sha256(((previous or GENESIS) + event_hash).encode()).hexdigest()


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


def verify_rows(rows: Sequence[ChainLinkRow], head: str | None, length: int) -> list[ChainProblem]:
    """Recompute a chain from its stored events (rows ordered by seq) and name every break."""
    problems: list[ChainProblem] = []
    previous: str | None = None
    for expected_seq, row in enumerate(rows, start=1):
        seq, eid = row.seq, row.event_id
        if seq != expected_seq:
            problems.append(ChainProblem(seq, eid, f"position {seq} where {expected_seq} was expected"))
        try:
            # A missing payload (None) raises TypeError and is reported like one that does not parse.
            recomputed = content_hash(json.loads(row.payload))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            problems.append(ChainProblem(seq, eid, "stored payload is not JSON"))
            recomputed = ""
        if recomputed != row.content_hash:
            problems.append(ChainProblem(seq, eid, "payload does not match its content hash (event altered)"))
        if row.event_id != json.loads(row.payload or "{}").get("event_id", row.event_id):
            problems.append(ChainProblem(seq, eid, "event_id differs from the one in its payload"))
        elif recomputed and row.stored is not None:
            problems.extend(
                ChainProblem(seq, eid, f"stored property differs from the hashed payload: {why}")
                for why in flat_mismatches(json.loads(row.payload or "{}"), row.stored)
            )
        previous = link_hash(previous, recomputed)
        if previous != row.chain:
            problems.append(ChainProblem(seq, eid, "chain hash does not follow from the previous link"))
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
