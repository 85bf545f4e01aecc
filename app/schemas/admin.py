"""What the administration routes answer: API keys (never their secrets) and audit entries."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class ApiKey(BaseModel):
    """One API key as administrators see it: who holds it and whether it still works."""

    id: str
    role: str
    company: str | None
    provinces: list[str] | None = None
    name: str
    created_at: datetime | None
    revoked_at: datetime | None
    expires_at: datetime | None = None


class AuditEntry(BaseModel):
    """One sealed audit entry: who did what, the answer, and its place in its writer's hash chain."""

    id: str
    at: datetime
    key_id: str
    role: str
    company: str | None
    method: str
    path: str
    status: int
    battery: str | None
    events: int | None
    note: str | None = None  # what the write did beyond its path, e.g. others' events an admin voided
    writer: str
    seq: int
    prev: str
    hash: str
