"""The key store: authenticates presented keys against Neo4j, through a short cache.

Keys are cached in the process for ``cache_s`` seconds, so a read costs no extra round trip and a
revocation takes effect within that time on every API process.
"""

from __future__ import annotations

import hmac
import threading
import time
from datetime import UTC, datetime
from typing import cast

from app.db import Database
from app.errors import Unauthorized
from app.repositories import security as repo
from app.repositories.security import KeyRecord
from app.security.access import Principal, Role
from app.security.keys import KEY_PREFIX, hash_secret


class KeyStore:
    """Looks keys up in Neo4j, with a short cache so a read costs no extra round trip."""

    def __init__(self, db: Database, cache_s: float) -> None:
        self.db = db
        self.cache_s = cache_s
        self._cache: dict[str, tuple[float, KeyRecord | None]] = {}
        self._lock = threading.Lock()

    def _cached(self, key_id: str, now: float) -> tuple[bool, KeyRecord | None]:
        """(True, record) while the cache holds the key's lookup, fresh; (False, None) otherwise."""
        with self._lock:
            hit = self._cache.get(key_id)
        if hit and now - hit[0] < self.cache_s:
            return True, hit[1]
        return False, None

    def _record(self, key_id: str) -> KeyRecord | None:
        now = time.monotonic()
        fresh, record = self._cached(key_id, now)
        if fresh:
            return record
        record = repo.get_key(self.db, key_id)
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[key_id] = (now, record)
        return record

    def authenticate(self, presented: str | None) -> Principal:
        """The principal a presented key speaks for; 401 saying what is wrong with it otherwise."""
        key_id, secret = split_key(presented)
        return principal_of(self._record(key_id), key_id, secret)

    def authenticate_cached(self, presented: str | None) -> Principal | None:
        """``authenticate`` without I/O: None when the key's lookup is not cached (or is stale), so
        the caller looks it up where blocking is fine; the same answer, the same 401s otherwise."""
        key_id, secret = split_key(presented)
        fresh, record = self._cached(key_id, time.monotonic())
        return principal_of(record, key_id, secret) if fresh else None


def split_key(presented: str | None) -> tuple[str, str]:
    """The id and secret of a presented key; 401 when there is none or it is not shaped like one."""
    if not presented:
        raise Unauthorized("missing API key: send it in the X-API-Key header")
    parts = presented.split("_")
    if len(parts) < 3 or not presented.startswith(KEY_PREFIX):
        raise Unauthorized("malformed API key: expected bt_<id>_<secret>")
    return parts[1], "_".join(parts[2:])


def principal_of(record: KeyRecord | None, key_id: str, secret: str) -> Principal:
    """Whom a stored key speaks for, once its secret matches and it is neither revoked nor expired."""
    if record is None or not hmac.compare_digest(record.hash, hash_secret(secret)):
        raise Unauthorized("unknown API key")
    if record.revoked_at is not None:
        raise Unauthorized(f"API key {key_id} was revoked")
    if record.expires_at is not None and record.expires_at <= datetime.now(UTC):
        raise Unauthorized(f"API key {key_id} expired on {record.expires_at.isoformat()}")
    provinces = frozenset(record.provinces) if record.provinces else None
    return Principal(key_id, cast(Role, record.role), record.company, record.name, provinces)


def authenticate(db: Database, presented: str | None) -> Principal:
    """The same check as the API's, without the cache (for tools that ask once)."""
    key_id, secret = split_key(presented)
    return principal_of(repo.get_key(db, key_id), key_id, secret)
