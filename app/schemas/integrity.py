"""Answers of the tamper-evidence endpoints: a battery's chain verified, and checkpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class Verification(BaseModel):
    code: str
    valid: bool
    length: int
    head: str | None
    problems: list[dict[str, Any]]


class Checkpoint(BaseModel):
    """A Merkle root over every battery's chain, as kept in the graph (``integrity.list_checkpoints``)."""

    id: str
    root: str
    batteries: int
    taken_at: datetime
