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


class AuditHead(BaseModel):
    """A writer's chain head as last shipped, signed with the platform's log key."""

    writer: str
    seq: int
    hash: str
    at: datetime
    signature: str
    key_id: str


class AuditProblem(BaseModel):
    """One thing wrong with a writer's chain: which entry (by position, and id when it is stored) and what."""

    writer: str
    seq: int | None
    entry_id: str | None
    problem: str  # missing, altered, out_of_order, duplicate, unsigned, bad_signature, beyond_head, head_mismatch
    detail: str


class AuditVerification(BaseModel):
    """The audit trail re-derived from the stored entries and held against every signed head."""

    ok: bool
    writers: int
    entries: int
    key_id: str
    problems: list[AuditProblem]  # the first 1,000
    problems_total: int
