"""API keys: issuing, listing, revoking, and the hash that is all we keep of a secret.

A key looks like ``bt_<id>_<secret>``: the id is public (it names the key in the audit trail),
the secret is random and stored only as SHA-256 (high-entropy tokens need no slow hash).
A key may carry an expiry, after which it answers 401 like a revoked one. A regulator key may
carry provinces (GB/T 2260 codes): it then sees only what lies within them (``app.security.policy``).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from app.db import Database
from app.errors import FieldProblem, InvalidInput, NotFound
from app.identifiers import IdentifierError, parse_uscc
from app.identifiers.provinces import check_province
from app.repositories import registry as registry_repo
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
    expires_at: datetime | None = None
    provinces: tuple[str, ...] | None = None


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _refused(field: str, reason: str) -> InvalidInput:
    return InvalidInput([FieldProblem(field, reason)], f"{field}: {reason}")


def registered_company(db: Database, company: str) -> str:
    """The normalised USCC of a registered company: a key must not speak for a company nobody registered."""
    try:
        code = parse_uscc(company).code
    except IdentifierError as err:
        raise _refused("company", f"{company!r} is not a valid unified social credit code; {err.reason}") from None
    if registry_repo.get_company(db, code) is None:
        raise NotFound(f"company: {code} is not registered; register the company before issuing it a key")
    return code


def checked_provinces(role: Role, provinces: list[str] | None) -> tuple[str, ...] | None:
    """The sorted, distinct province codes a key is limited to; 422 naming ``provinces`` for an
    unknown code or a key of another role than regulator."""
    if provinces is None:
        return None
    if role != "regulator":
        raise _refused("provinces", f"only regulator keys are limited to provinces, not {role} keys")
    codes = sorted({p.strip() for p in provinces if p.strip()})
    if not codes:
        raise _refused("provinces", "name at least one GB/T 2260 province code, e.g. 440000")
    for code in codes:
        try:
            check_province(code)
        except ValueError as err:
            raise _refused("provinces", str(err)) from None
    return tuple(codes)


def issue_key(
    db: Database,
    role: Role,
    name: str,
    company: str | None = None,
    expires_at: datetime | None = None,
    provinces: list[str] | None = None,
) -> IssuedKey:
    """Create a key; the full key is shown once and never stored.

    A reporter key must name a registered company with a valid USCC (422 for a malformed code,
    404 for an unregistered one), an expiry must lie in the future, and provinces (regulator keys
    only) must be GB/T 2260 province-level codes."""
    if role not in ROLES:
        raise _refused("role", f"must be one of {', '.join(ROLES)}")
    if role == "reporter" and not company:
        raise _refused("company", "a reporter key is bound to one company: give its USCC")
    if expires_at is not None:
        if expires_at.tzinfo is None:
            raise _refused("expires", "give a time zone (or a date, read as midnight UTC)")
        if expires_at <= datetime.now(UTC):
            raise _refused("expires", f"{expires_at.isoformat()} is not in the future")
    limited = checked_provinces(role, provinces)
    bound = registered_company(db, company) if role == "reporter" and company else None
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    repo.create_key(
        db,
        key_id=key_id,
        secret_hash=hash_secret(secret),
        role=role,
        company=bound,
        name=name,
        created_at=datetime.now(UTC),
        expires_at=expires_at,
        provinces=list(limited) if limited else None,
    )
    return IssuedKey(key_id, f"{KEY_PREFIX}{key_id}_{secret}", role, bound, name, expires_at, limited)


def list_keys(db: Database) -> list[ApiKey]:
    """Every key, newest first, without its hash."""
    return repo.list_keys(db)


def revoke_key(db: Database, key_id: str) -> bool:
    """Revoke a key (False when there is none); it stays stored so the audit trail still names it."""
    return repo.revoke_key(db, key_id, datetime.now(UTC))
