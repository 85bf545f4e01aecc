"""The store-wide queries (``cypher/admin/``, ``cypher/schema/``): schema, revision stamp, resets."""

from __future__ import annotations

from app.db import Database
from app.queries import registry


def schema_statements() -> list[str]:
    """The names of every constraint and index statement, in a stable order."""
    return sorted(name for name, query in registry().items() if query.mode == "schema")


def apply_statement(db: Database, name: str) -> None:
    db.autocommit(name)


def one_findings_feed(db: Database) -> int:
    """Drop feeds created twice by a race (stores from before the feed's constraint)."""
    return int(db.write("admin.one_findings_feed")[0]["removed"])


def await_indexes(db: Database) -> None:
    db.autocommit("admin.await_indexes")


def store_revision(db: Database) -> tuple[int | None, bool]:
    """The recorded projection revision (None: unrecorded) and whether any battery is stored."""
    row = db.read("admin.store_revision")[0]
    return (int(row["revision"]) if row["revision"] is not None else None), bool(row["has_batteries"])


def stamp_fresh_store(db: Database, revision: int) -> None:
    """Stamp the revision only if the store holds no battery yet."""
    db.write("admin.stamp_fresh_store", revision=revision)


def stamp_revision(db: Database, revision: int) -> None:
    db.write("admin.stamp_store_revision", revision=revision)


def clear_graph(db: Database) -> None:
    db.autocommit("admin.clear_graph")


def battery_codes_after(db: Database, after: str, limit: int) -> list[str]:
    return [r["code"] for r in db.read("admin.battery_codes_after", after=after, limit=limit)]


def forget_kept_flows(db: Database) -> None:
    """Drop the kept custody flows and their cursor (``app.services.kept_flows``): rebuilt on the next refresh."""
    db.write("analytics.kept_flows_reset")
