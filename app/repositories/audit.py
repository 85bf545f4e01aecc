"""The audit trail's queries (``cypher/audit/``): ship sealed entries with their signed heads, read them back."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from neo4j import ManagedTransaction

from app.db import Database, run
from app.schemas.admin import AuditEntry, AuditHead


def append_signed(db: Database, entries: Sequence[dict[str, Any]], heads: Sequence[dict[str, Any]]) -> None:
    """Store the entries not stored yet, as sealed (their hash covers exactly these fields), and
    advance their writers' signed heads: one transaction, so no head ever names an entry not stored."""

    def work(tx: ManagedTransaction) -> None:
        run(tx, "audit.append", rows=list(entries))
        run(tx, "audit.record_heads", heads=list(heads))

    db.write_unit("audit.append", work)


def list_entries(
    db: Database, *, since: datetime, until: datetime, key_id: str | None, battery: str | None, limit: int
) -> list[AuditEntry]:
    rows = db.read("audit.list_entries", since=since, until=until, key_id=key_id, battery=battery, limit=limit)
    return [AuditEntry(**row) for row in rows]


def chain_entries(db: Database) -> Iterator[AuditEntry]:
    """Every entry, writer by writer in chain order, streamed (the trail can be long)."""
    return (AuditEntry(**row) for row in db.stream("audit.chain_entries"))


def heads(db: Database) -> list[AuditHead]:
    return [AuditHead(**row) for row in db.read("audit.heads")]
