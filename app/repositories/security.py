"""The API-key and access queries (``cypher/security/``), answering in typed rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.db import Database
from app.schemas.admin import ApiKey


@dataclass(frozen=True)
class KeyRecord:
    """What authentication needs of a stored key (``security.get_key``): the hash, never the secret."""

    id: str
    hash: str
    role: str
    company: str | None
    name: str
    revoked_at: datetime | None
    expires_at: datetime | None = None


def create_key(
    db: Database,
    *,
    key_id: str,
    secret_hash: str,
    role: str,
    company: str | None,
    name: str,
    created_at: datetime,
    expires_at: datetime | None = None,
) -> str:
    """Store a new key; an id already taken is refused by the ``api_key_id_unique`` constraint."""
    rows = db.write(
        "security.create_key",
        id=key_id,
        hash=secret_hash,
        role=role,
        company=company,
        name=name,
        created_at=created_at,
        expires_at=expires_at,
    )
    return str(rows[0]["id"])


def get_key(db: Database, key_id: str) -> KeyRecord | None:
    rows = db.read("security.get_key", id=key_id)
    return KeyRecord(**rows[0]) if rows else None


def list_keys(db: Database) -> list[ApiKey]:
    return [ApiKey(**row) for row in db.read("security.list_keys")]


def revoke_key(db: Database, key_id: str, at: datetime) -> bool:
    """Whether the key exists; an earlier revocation time is kept."""
    return bool(db.write("security.revoke_key", id=key_id, at=at))


def company_knows_battery(db: Database, code: str, company: str | None) -> bool | None:
    """Whether the company held or reported on the battery; None when the battery is unknown."""
    rows = db.read("security.company_knows_battery", code=code, company=company)
    return bool(rows[0]["allowed"]) if rows else None
