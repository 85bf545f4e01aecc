"""Loader worker processes: each its own driver, ingesting the batches the reading process sends.

A bulk load is mostly Python (validation, hashing, the replay, the driver's encoding), so threads
in one process queue on one core; processes use every core. Each worker is a writer like any API
process (ingest is safe with many writers: locks in one order, exactly once). Refusals come back
as plain data, since an exception with arguments of its own does not always survive pickling.
"""

from __future__ import annotations

import atexit
from dataclasses import dataclass
from typing import Any

from app.config import Settings
from app.db import Database
from app.errors import ClaimRefused, FieldProblem, InvalidInput
from app.schemas.events import IngestResult
from loaders.targets import LocalTarget, Target

_db: Database | None = None


@dataclass(frozen=True)
class Refused:
    """An InvalidInput (422) or a ClaimRefused (403) raised in a worker, as data."""

    message: str
    problems: list[FieldProblem]


def start(settings: Settings) -> None:
    """Process initialiser: one driver for this worker's life."""
    global _db
    _db = Database(settings)
    atexit.register(_db.close)


def through(target: Target, rows: list[Any], allow_recorded_at: bool) -> IngestResult | Refused:
    """One batch through ``target``, a refusal returned as data (threads and processes alike)."""
    try:
        return target.ingest(rows, allow_recorded_at)
    except (InvalidInput, ClaimRefused) as err:
        return Refused(err.message, list(err.problems))


def ingest(rows: list[Any], allow_recorded_at: bool) -> IngestResult | Refused:
    """One batch in one transaction on this worker's driver, as ``LocalTarget.ingest`` does it."""
    assert _db is not None, "worker not started"
    return through(LocalTarget(_db), rows, allow_recorded_at)
