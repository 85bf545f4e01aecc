"""Moments at the boundary: a datetime without a UTC offset is refused, in one wording."""

from __future__ import annotations

from datetime import datetime

NEEDS_OFFSET = "needs a UTC offset (RFC 3339), e.g. 2025-01-01T00:00:00+08:00"


def check_aware(value: datetime) -> datetime:
    """The moment itself; ValueError when it has no offset (its instant would be a guess)."""
    if value.tzinfo is None:
        raise ValueError(NEEDS_OFFSET)
    return value
