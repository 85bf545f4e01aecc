"""API keys: issuing, listing, revoking, and the hash that is all we keep of a secret.

A key looks like ``bt_<id>_<secret>``: the id is public (it names the key in the audit trail),
the secret is random and stored only as SHA-256 (high-entropy tokens need no slow hash).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from app.db import Database
from app.repositories import security as repo
from app.schemas.admin import ApiKey
from app.security.access import ROLES, Role

KEY_PREFIX = "bt_"


@dataclass(frozen=True)
class IssuedKey:
    """A new key with its secret: shown once, never stored."""

    id: str
    key: str
    role: Role
    company: str | None
    name: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_key(db: Database, role: Role, name: str, company: str | None = None) -> IssuedKey:
    """Create a key; the full key is shown once and never stored."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if role == "reporter" and not company:
        raise ValueError("a reporter key is bound to one company: give its USCC")
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    repo.create_key(
        db,
        key_id=key_id,
        secret_hash=hash_secret(secret),
        role=role,
        company=company if role == "reporter" else None,
        name=name,
        created_at=datetime.now(UTC),
    )
    return IssuedKey(key_id, f"{KEY_PREFIX}{key_id}_{secret}", role, company, name)


def list_keys(db: Database) -> list[ApiKey]:
    """Every key, newest first, without its hash."""
    return repo.list_keys(db)


def revoke_key(db: Database, key_id: str) -> bool:
    """Revoke a key (False when there is none); it stays stored so the audit trail still names it."""
    return repo.revoke_key(db, key_id, datetime.now(UTC))
