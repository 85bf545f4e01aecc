"""Answers of the integrity endpoints that are also stored rows."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class Checkpoint(BaseModel):
    """A Merkle root over every battery's chain, as kept in the graph (``integrity.list_checkpoints``)."""

    id: str
    root: str
    batteries: int
    taken_at: datetime
