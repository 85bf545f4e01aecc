"""The one road to the database: one driver per process, and every way of running a query.

Every query is a named file under ``cypher/``; every transaction is tagged with a query name, so
slow-query logs and ``SHOW TRANSACTIONS`` point at a file. Neo4j values are converted to Python
ones here and nowhere else. Reads go through ``execute_read`` and writes through
``execute_write``: managed transactions retry transient failures, so the work inside them must
be free of outside effects. ``stream`` is the exception, an auto-commit read consumed lazily,
for answers too large to hold (exports); what the caller does with its rows is never retried.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    Bookmarks,
    Driver,
    GraphDatabase,
    ManagedTransaction,
    Query,
    Session,
    unit_of_work,
)
from neo4j.time import Date, DateTime

from app.config import Settings
from app.queries import NamedQuery, get_query

log = logging.getLogger(__name__)
T = TypeVar("T")

#: A converted record: column name to a plain Python value. Repositories turn rows into typed
#: models before they reach a service.
Row = dict[str, Any]

#: Records fetched per round trip by ``stream``.
STREAM_FETCH_SIZE = 2000


@dataclass
class Causality:
    """Read-your-writes across processes and cluster members: the bookmarks a unit of work (an HTTP
    request) must read after (a client's earlier write), and those its own writes left behind.

    Every session opened in the scope starts after both, so a read that follows a write in the same
    request (a capture's receipt) sees it too, on whichever cluster member serves it."""

    after: list[str]
    written: list[str] = field(default_factory=list)

    def bookmarks(self) -> Bookmarks | None:
        raw = [*self.after, *self.written]
        return Bookmarks.from_raw_values(raw) if raw else None


_causality: ContextVar[Causality | None] = ContextVar("neo4j_causality", default=None)


@contextmanager
def causal_scope(after: Sequence[str] = ()) -> Iterator[Causality]:
    """Sessions opened inside start after ``after``; the scope collects the bookmarks writes leave.

    The scope is one mutable object in a context variable, so work handed to a thread pool (sync
    routes) still reports its writes to the scope that started it."""
    scope = Causality(list(after))
    token = _causality.set(scope)
    try:
        yield scope
    finally:
        _causality.reset(token)


def current_causality() -> Causality | None:
    """The scope of the unit of work running here, for work another thread commits on its behalf
    (a grouped ingest): its bookmarks go in, and the group's come back to it."""
    return _causality.get()


def to_python(value: Any) -> Any:
    """Neo4j temporal types stop here: callers get datetime/date objects."""
    if isinstance(value, DateTime | Date):
        return value.to_native()
    if isinstance(value, list):
        return [to_python(v) for v in value]
    if isinstance(value, dict):
        return {k: to_python(v) for k, v in value.items()}
    return value


def _rows(result: Any) -> Iterator[Row]:
    keys = result.keys()
    for record in result:
        yield {k: to_python(record[k]) for k in keys}


def run(tx: ManagedTransaction, name: str, /, **params: Any) -> list[Row]:
    """Run the named query inside a unit of work (see ``Database.read_unit``) and return its rows.

    A query that returns nothing and begins by unwinding an empty list is not sent: a small
    ingest batch has many such (no swaps, no corrections), each a round trip for nothing."""
    query = get_query(name)
    if query.unwinds is not None and params.get(query.unwinds) == []:
        return []
    return list(_rows(tx.run(query.text, params)))


def stream_in(tx: ManagedTransaction, name: str, /, **params: Any) -> Iterator[Row]:
    """The named query's rows one by one inside a unit of work, as the driver receives them."""
    yield from _rows(tx.run(get_query(name).text, params))


class Database:
    """The process's driver and database name, and the only way to run Cypher."""

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
            initial_retry_delay=settings.neo4j_retry_delay_s,
            notifications_min_severity="OFF",
        )
        self.schema_applied = False
        self.write_retries = 0  # write transactions re-run after transient errors (deadlocks), this process
        self._count_lock = threading.Lock()
        # Ingest transactions take their locks in one order (app.services.ingest), so batches on
        # the same batteries queue in Neo4j instead of deadlocking; this only bounds how many one
        # process has open at once (INGEST_CONCURRENCY).
        self.write_slots = threading.BoundedSemaphore(settings.ingest_concurrency)

    def close(self) -> None:
        self.driver.close()

    def _session(self, **config: Any) -> Session:
        scope = _causality.get()
        if scope is not None and (bookmarks := scope.bookmarks()) is not None:
            config["bookmarks"] = bookmarks
        return self.driver.session(database=self.name, **config)

    # --- one named query, its own transaction ---------------------------------------------

    def read(self, name: str, /, **params: Any) -> list[Row]:
        """The rows of one named read query, in a managed read transaction tagged with its name."""
        _expect(get_query(name), "read")
        return self.read_unit(name, lambda tx: run(tx, name, **params))

    def write(self, name: str, /, **params: Any) -> list[Row]:
        """The rows of one named write query, in a managed write transaction tagged with its name."""
        _expect(get_query(name), "write")
        return self.write_unit(name, lambda tx: run(tx, name, **params))

    def stream(self, name: str, /, **params: Any) -> RowStream:
        """One named read streamed record by record (exports, summaries): flat in memory."""
        _expect(get_query(name), "read")
        return RowStream(self, name, params)

    def explain(self, name: str, /, **params: Any) -> None:
        """Plan one named query without running it. The server keeps the plan (keyed by the text and
        the parameters' types), so the first real run of a large query does not wait for the planner."""
        query = get_query(name)
        with self._session(default_access_mode=READ_ACCESS if query.mode == "read" else WRITE_ACCESS) as session:
            session.run(Query("EXPLAIN " + query.text, metadata={"query": name}), params).consume()

    def autocommit(self, name: str, /, **params: Any) -> None:
        """For statements that manage their own transactions (``CALL ... IN TRANSACTIONS``, schema)."""
        query = get_query(name)
        with self._session() as session:
            session.run(Query(query.text, metadata={"query": name}), params).consume()
            scope = _causality.get()
            if scope is not None:
                scope.written = list(session.last_bookmarks().raw_values)

    # --- units of work: several queries in one transaction -------------------------------

    def read_unit(self, tag: str, work: Callable[[ManagedTransaction], T]) -> T:
        """Run ``work`` (which calls ``run``) in one managed read transaction tagged ``tag``."""
        with self._session() as session:
            return session.execute_read(unit_of_work(metadata={"query": tag})(work))

    def write_unit(self, tag: str, work: Callable[[ManagedTransaction], T]) -> T:
        """Run ``work`` (which calls ``run``) in one managed write transaction tagged ``tag``."""
        attempts = 0

        def attempt(tx: ManagedTransaction) -> T:
            nonlocal attempts
            attempts += 1
            return work(tx)

        try:
            with self._session() as session:
                done = session.execute_write(unit_of_work(metadata={"query": tag})(attempt))
                scope = _causality.get()
                if scope is not None:
                    # This session started after every earlier bookmark of the scope, so its own
                    # bookmarks stand for all of them.
                    scope.written = list(session.last_bookmarks().raw_values)
                return done
        finally:
            if attempts > 1:
                # A deadlock or another transient conflict, retried by the driver: counted, so a
                # load run can say how often writers collided.
                with self._count_lock:
                    self.write_retries += attempts - 1
                log.info("%s: retried %d time(s) after transient errors", tag, attempts - 1)

    def ping(self) -> None:
        self.driver.verify_connectivity()
        self.read("health.ping")


def read_in(where: Database | ManagedTransaction, name: str, /, **params: Any) -> list[Row]:
    """One named read inside the caller's unit of work (a ``tx``) or, given a Database, in its own
    read transaction: for look-ups that a write transaction and a route both need."""
    if isinstance(where, Database):
        return where.read(name, **params)
    _expect(get_query(name), "read")
    return run(where, name, **params)


def _expect(query: NamedQuery, mode: str) -> None:
    if query.mode != mode:
        raise ValueError(f"query {query.name} is declared '{query.mode}', not '{mode}'")


class RowStream:
    """One auto-commit read streamed record by record.

    The query starts when the object is made, so an unreachable database fails before an HTTP
    response has begun (503, not a cut stream). Not a managed transaction: what the caller does
    with the rows (sending them to a client) must not be retried."""

    def __init__(self, db: Database, name: str, params: dict[str, Any]) -> None:
        self._session = db._session(default_access_mode=READ_ACCESS, fetch_size=STREAM_FETCH_SIZE)
        try:
            self._result = self._session.run(Query(get_query(name).text, metadata={"query": name}), params)
            self._keys = self._result.keys()
        except BaseException:
            self._session.close()
            raise

    def __iter__(self) -> Iterator[Row]:
        try:
            for record in self._result:
                yield {k: to_python(record[k]) for k in self._keys}
        finally:
            self.close()

    def close(self) -> None:
        self._session.close()
