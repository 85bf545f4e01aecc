"""Administration: integrity checkpoints, the audit trail, API keys (admins only)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from app.api.auth import ADMITTED
from app.api.deps import DbDep, SignerDep
from app.schemas.admin import ApiKey, AuditEntry, AuditVerification
from app.schemas.integrity import Checkpoint
from app.security import list_audit, list_keys
from app.services import audit, integrity

router = APIRouter(prefix="/v1/admin", tags=["admin"], dependencies=ADMITTED)


@router.post("/checkpoints")
def take_checkpoint(db: DbDep) -> Checkpoint:
    """A Merkle root over every battery's event chain; export it with the CLI to check it later."""
    return integrity.take_checkpoint(db)


@router.get("/checkpoints")
def list_checkpoints(db: DbDep) -> list[Checkpoint]:
    """Checkpoints taken so far, newest first."""
    return integrity.list_checkpoints(db)


@router.get("/audit")
def audit_trail(
    db: DbDep,
    since: datetime | None = None,
    until: datetime | None = None,
    key_id: Annotated[
        str | None,
        Query(pattern=r"^(?:[0-9a-f]{1,32}|public:[0-9A-Za-z.:%-]{1,64})$", description="a key, or public:<address>"),
    ] = None,
    battery: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditEntry]:
    """Who wrote what and who looked at which battery, newest first (append-only, hash-chained)."""
    since = since or datetime(2000, 1, 1, tzinfo=UTC)
    until = until or datetime.now(UTC)
    return list_audit(db, since, until, key_id, battery, limit)


@router.get("/audit/verify")
def verify_audit_trail(db: DbDep, signer: SignerDep) -> AuditVerification:
    """Every writer's audit chain re-derived from the stored entries and checked against its signed
    head: names each entry missing, altered or out of order."""
    return audit.verify_audit(db, signer.private.public_key(), signer.key_id)


@router.get("/keys")
def keys(db: DbDep) -> list[ApiKey]:
    """API keys (ids, roles, companies, revocation), never their secrets."""
    return list_keys(db)
