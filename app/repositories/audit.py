"""The audit trail's queries (``cypher/audit/``): append sealed entries, list them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from app.db import Database
from app.schemas.admin import AuditEntry


def append(db: Database, entries: Sequence[dict[str, Any]]) -> None:
    """Store sealed entries as they are: their hash covers exactly these fields."""
    db.write("audit.append", rows=list(entries))


def list_entries(
    db: Database, *, since: datetime, until: datetime, key_id: str | None, battery: str | None, limit: int
) -> list[AuditEntry]:
    rows = db.read("audit.list_entries", since=since, until=until, key_id=key_id, battery=battery, limit=limit)
    return [AuditEntry(**row) for row in rows]
