"""One Neo4j driver per process and the helpers every repository uses.

Reads go through ``execute_read`` and writes through ``execute_write``: managed transactions
retry transient failures and route correctly on a cluster, so the work inside them must be
free of outside effects.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from neo4j import Driver, GraphDatabase, ManagedTransaction, Query, unit_of_work
from neo4j.exceptions import ClientError
from neo4j.time import Date, DateTime

from app.config import Settings
from app.queries import get_query, registry
from app.services.projection import PROJECTION_REVISION

log = logging.getLogger(__name__)
T = TypeVar("T")


def to_python(value: Any) -> Any:
    """Neo4j temporal types stop here: callers get datetime/date objects."""
    if isinstance(value, DateTime | Date):
        return value.to_native()
    if isinstance(value, list):
        return [to_python(v) for v in value]
    if isinstance(value, dict):
        return {k: to_python(v) for k, v in value.items()}
    return value


def run(tx: ManagedTransaction, name: str, /, **params: Any) -> list[dict[str, Any]]:
    """Run the named query from cypher/ and return its rows as plain dicts."""
    query = get_query(name)
    result = tx.run(query.text, params)
    return [{k: to_python(record[k]) for k in record.keys()} for record in result]  # noqa: SIM118


class Database:
    """The process's driver and database name."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.name = settings.neo4j_database
        self.driver: Driver = GraphDatabase.driver(
            settings.neo4j_uri,
            auth=(settings.neo4j_user, settings.password()),
            max_connection_pool_size=settings.neo4j_max_pool,
            connection_timeout=settings.neo4j_connect_timeout_s,
            connection_acquisition_timeout=settings.neo4j_connect_timeout_s * 2,
            max_transaction_retry_time=settings.neo4j_retry_time_s,
            notifications_min_severity="OFF",
        )
        self.schema_applied = False
        # Ingest transactions lock batteries, then the companies their custody touches, in data
        # order; run side by side they deadlock and back off for seconds. One process gains
        # nothing from writing in parallel on a 2-core server, so it queues them instead.
        self.write_slots = threading.BoundedSemaphore(settings.ingest_concurrency)

    def close(self) -> None:
        self.driver.close()

    def read(self, work: Callable[[ManagedTransaction], T]) -> T:
        with self.driver.session(database=self.name) as session:
            return session.execute_read(work)

    def write(self, work: Callable[[ManagedTransaction], T]) -> T:
        with self.driver.session(database=self.name) as session:
            return session.execute_write(work)

    def query(self, name: str, /, **params: Any) -> list[dict[str, Any]]:
        """A single named query in its own managed transaction, by the mode in its header."""
        mode = get_query(name).mode

        @unit_of_work(metadata={"query": name})
        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            return run(tx, name, **params)

        return self.write(work) if mode == "write" else self.read(work)

    def autocommit(self, name: str, /, **params: Any) -> None:
        """For statements that manage their own transactions (``CALL ... IN TRANSACTIONS``)."""
        query = get_query(name)
        with self.driver.session(database=self.name) as session:
            session.run(Query(query.text, metadata={"query": name}), params).consume()

    def ping(self) -> None:
        self.driver.verify_connectivity()
        self.read(lambda tx: run(tx, "health.ping"))

    def apply_schema(self) -> list[str]:
        """Constraints and indexes, each ``IF NOT EXISTS``: safe to run at every start."""
        applied = []
        for name, query in sorted(registry().items()):
            if query.mode == "schema":
                try:
                    self.autocommit(name)
                except ClientError as err:
                    # The same index under an older name: it serves, so it is not an error.
                    if err.code != "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists":
                        raise
                    log.info("schema %s: an equivalent rule exists under another name", name)
                applied.append(name)
        with self.driver.session(database=self.name) as session:
            session.run("CALL db.awaitIndexes(300)").consume()
        self.write(lambda tx: run(tx, "admin.stamp_fresh_store", revision=PROJECTION_REVISION))
        self.schema_applied = True
        log.info("schema applied: %d statements", len(applied))
        return applied
