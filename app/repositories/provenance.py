"""Reads for a battery's provenance beyond its trace: the companies it names as agents."""

from __future__ import annotations

from collections.abc import Sequence

from app.db import Database
from app.schemas.trace import Reporter


def companies(db: Database, usccs: Sequence[str]) -> list[Reporter]:
    """Name and roles of each registered company among ``usccs`` (unknown ones are left out)."""
    return [Reporter(**r) for r in db.read("provenance.companies", usccs=list(usccs))]
