"""The audit trail's hashes and the bytes a signed chain head covers (pure; shared by writer and verifier).

An entry's hash covers every field but the hash itself, in canonical JSON; ``prev`` is the hash of
the writer's previous entry (``GENESIS`` for its first), so the writer's entries form one chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
HEAD_CONTEXT = "batterytrace-audit-head/v1"


def entry_hash(entry: Mapping[str, Any]) -> str:
    """The hash of an entry's canonical form (sorted keys, no spaces), its own ``hash`` left out."""
    fields = {k: v for k, v in entry.items() if k != "hash"}
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def timestamp(at: datetime) -> str:
    """A UTC instant as the trail writes it: always with microseconds, so it survives the store."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def head_message(writer: str, seq: int, hash_: str, at: str) -> bytes:
    """The bytes a writer's signed head covers: its last entry's position and hash, and when."""
    return f"{HEAD_CONTEXT}\n{writer}\n{seq}\n{hash_}\n{at}\n".encode()
