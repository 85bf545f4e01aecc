"""The audit trail re-derived: every writer's chain from the stored entries, held against its signed head.

An entry whose content no longer gives its hash was altered; a gap in a writer's positions, or a
signed head naming more entries than are stored, is a deletion; an entry that does not name its
predecessor's hash was put out of place; an entry past the signed head was not shipped by the
platform (or the head was rolled back to an older one).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import groupby

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.db import Database
from app.repositories import audit as repo
from app.schemas.admin import AuditEntry, AuditHead, AuditProblem, AuditVerification
from app.security.audit_chain import GENESIS, entry_hash, head_message, timestamp

#: Problems listed in one answer; ``problems_total`` counts them all.
MAX_PROBLEMS = 1000


def verify_audit(db: Database, public_key: Ed25519PublicKey, key_id: str) -> AuditVerification:
    """Every writer's chain recomputed from Neo4j and checked against its signed head."""
    heads = {h.writer: h for h in repo.heads(db)}
    return check_chains(repo.chain_entries(db), heads, public_key, key_id)


@dataclass
class _Findings:
    problems: list[AuditProblem] = field(default_factory=list)
    total: int = 0

    def add(self, writer: str, seq: int | None, entry_id: str | None, problem: str, detail: str) -> None:
        self.total += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(
                AuditProblem(writer=writer, seq=seq, entry_id=entry_id, problem=problem, detail=detail)
            )


def check_chains(
    entries: Iterable[AuditEntry], heads: Mapping[str, AuditHead], public_key: Ed25519PublicKey, key_id: str
) -> AuditVerification:
    """Pure: ``entries`` sorted by writer, then position (as ``audit.chain_entries`` returns them)."""
    found = _Findings()
    writers, count = 0, 0
    seen: set[str] = set()
    for writer, chain in groupby(entries, key=lambda e: e.writer):
        writers += 1
        seen.add(writer)
        count += _check_chain(writer, chain, heads.get(writer), public_key, key_id, found)
    for writer in sorted(set(heads) - seen):
        head = heads[writer]
        writers += 1
        _check_signature(head, public_key, key_id, found)
        found.add(writer, None, None, "missing", f"entries 1..{head.seq} are not stored; its signed head names them")
    return AuditVerification(
        ok=found.total == 0,
        writers=writers,
        entries=count,
        key_id=key_id,
        problems=found.problems,
        problems_total=found.total,
    )


def _check_chain(
    writer: str,
    chain: Iterator[AuditEntry],
    head: AuditHead | None,
    public_key: Ed25519PublicKey,
    key_id: str,
    found: _Findings,
) -> int:
    expected, prev, last, head_hash, count = 1, GENESIS, 0, None, 0
    for entry in chain:
        count += 1
        if entry.seq < expected:
            found.add(writer, entry.seq, entry.id, "duplicate", "a second entry claims this position in the chain")
            continue
        gap = entry.seq > expected
        if gap:
            found.add(writer, expected, None, "missing", f"entries {expected}..{entry.seq - 1} are not stored")
        fields = entry.model_dump()
        fields["at"] = timestamp(entry.at)
        if entry_hash(fields) != entry.hash:
            found.add(writer, entry.seq, entry.id, "altered", "its content no longer gives its hash")
        elif not gap and entry.prev != prev:
            found.add(
                writer,
                entry.seq,
                entry.id,
                "out_of_order",
                "it does not name the hash of the entry before it (one of them was altered, or they were reordered)",
            )
        if head is not None and entry.seq == head.seq:
            head_hash = entry.hash
        prev, expected, last = entry.hash, entry.seq + 1, entry.seq
    if head is None:
        found.add(writer, None, None, "unsigned", "no signed head: the chain's end cannot be checked")
        return count
    _check_signature(head, public_key, key_id, found)
    if last < head.seq:
        found.add(
            writer,
            last + 1,
            None,
            "missing",
            f"entries {last + 1}..{head.seq} are not stored; the signed head names them",
        )
    elif head_hash != head.hash:
        found.add(
            writer, head.seq, None, "head_mismatch", "the entry at the signed head's position is not the one signed"
        )
    if last > head.seq:
        found.add(
            writer, head.seq + 1, None, "beyond_head", f"entries {head.seq + 1}..{last} come after the signed head"
        )
    return count


def _check_signature(head: AuditHead, public_key: Ed25519PublicKey, key_id: str, found: _Findings) -> None:
    if head.key_id != key_id:
        found.add(
            head.writer, head.seq, None, "bad_signature", f"the head is signed by key {head.key_id}, not {key_id}"
        )
        return
    try:
        message = head_message(head.writer, head.seq, head.hash, timestamp(head.at))
        public_key.verify(base64.b64decode(head.signature, validate=True), message)
    except (InvalidSignature, ValueError):
        found.add(head.writer, head.seq, None, "bad_signature", "the head's signature does not verify")
