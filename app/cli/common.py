"""What the command modules share: argparse's subparser collection and a database session."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
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
