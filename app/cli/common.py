"""What the command modules share: argparse's subparser collection and a database session."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TypeAlias

from app.config import get_settings
from app.db import Database
from app.services.store import apply_schema

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


@contextmanager
def database(*, schema: bool = False) -> Iterator[Database]:
    """The configured database for one command, closed at the end; ``schema`` applies it first."""
    db = Database(get_settings())
    try:
        if schema:
            apply_schema(db)
        yield db
    finally:
        db.close()


def aware_datetime(text: str) -> datetime:
    """An argparse type: a moment with its UTC offset (a bare local time is ambiguous)."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} needs a UTC offset, e.g. 2025-01-01T00:00:00+08:00")
    return value
