"""Checks that stored history was not rewritten: per-battery verification and checkpoints."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.db import Database
from app.errors import NotFound
from app.repositories import integrity as queries
from app.repositories.integrity import ChainHeadRow, ChainLinkRow
from app.schemas.integrity import Checkpoint, Verification
from app.services import ledger
from app.services.chain import ChainProblem, leaf, merkle_root, stored_record, verify_rows

PAGE = 10_000


def verify_battery(db: Database, code: str) -> Verification:
    """Recompute the battery's chain from the stored payloads; every break is named."""
    rows = queries.battery_chain(db, code)
    if not rows:
        raise NotFound(f"battery {code} is not known: no event has named it")
    ledger.require_log(db)
    head, length = rows[0].head, rows[0].length
    chained = [r for r in rows if r.seq is not None]
    unchained = [r for r in rows if r.seq is None and r.event_id is not None]
    problems = verify_rows(chained, head, length)
    problems += [ChainProblem(None, r.event_id, "event is linked to the battery outside its chain") for r in unchained]
    problems += _log_problems(db, chained)
    return Verification(
        code=code,
        valid=not problems,
        length=length,
        head=head,
        problems=[p.__dict__ for p in problems],
    )


def _log_problems(db: Database, rows: list[ChainLinkRow]) -> list[ChainProblem]:
    """Each chained event against the log's leaf at its index: a rewrite must also fool the signed log."""
    placed: list[tuple[str, int | None, str]] = []
    for r in rows:
        record = stored_record(r)
        if record is None:
            continue  # the chain check already names an event whose record cannot be formed
        index = (r.stored or {}).get("log_index")
        placed.append((str(r.event_id), int(index) if isinstance(index, int) else None, record))
    seq = {r.event_id: r.seq for r in rows}
    return [ChainProblem(seq[eid], eid, why) for eid, why in ledger.leaf_problems(db, placed).items()]


def _heads(db: Database) -> Iterator[ChainHeadRow]:
    after = ""
    while True:
        page = queries.chain_heads_page(db, after, PAGE)
        yield from page
        if len(page) < PAGE:
            return
        after = page[-1].code


def take_checkpoint(db: Database, export_to: Path | None = None) -> Checkpoint:
    """Merkle root over every chain; optionally writes the leaves so it can be checked later."""
    taken_at = datetime.now(UTC)
    leaves: list[str] = []
    out = export_to.open("w") if export_to else None
    try:
        for row in _heads(db):
            leaves.append(leaf(row.code, row.length, row.head))
            if out:
                out.write(json.dumps({"code": row.code, "length": row.length, "head": row.head}) + "\n")
        root = merkle_root(leaves)
        checkpoint = Checkpoint(
            id=taken_at.strftime("%Y%m%dT%H%M%S%fZ"), root=root, batteries=len(leaves), taken_at=taken_at
        )
        if out:
            out.write(json.dumps({"checkpoint": checkpoint.model_dump(mode="json")}) + "\n")
    finally:
        if out:
            out.close()
    queries.record_checkpoint(db, checkpoint)
    return checkpoint


def list_checkpoints(db: Database, limit: int = 100) -> list[Checkpoint]:
    return queries.list_checkpoints(db, limit)


def verify_checkpoint(db: Database, exported: Path) -> dict[str, Any]:
    """Re-derive each chain prefix a checkpoint file recorded from today's stored events."""
    leaves: list[str] = []
    mismatches: list[dict[str, Any]] = []
    recorded: dict[str, Any] = {}
    with exported.open() as fh:
        for line in fh:
            entry = json.loads(line)
            if "checkpoint" in entry:
                recorded = entry["checkpoint"]
                continue
            code, length, head = entry["code"], entry["length"], entry["head"]
            leaves.append(leaf(code, length, head))
            rows = [r for r in queries.battery_chain(db, code) if r.seq is not None]
            prefix = rows[:length]
            problems = verify_rows(prefix, head, length)
            if problems:
                mismatches.append({"code": code, "problems": [p.__dict__ for p in problems]})
    root = merkle_root(leaves)
    return {
        "checkpoint": recorded.get("id"),
        "root_matches_file": root == recorded.get("root"),
        "batteries": len(leaves),
        "chains_intact": not mismatches,
        "mismatches": mismatches[:100],
    }
