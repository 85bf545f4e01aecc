"""The kept custody flows' queries (``cypher/analytics/kept_flows_*``, ``custody_flows_kept``).

The rows are the custody projection's over all time, one per company pair and outcome, kept on
``CustodyFlow`` nodes with a cursor in the event log on the ``KeptFlows`` node.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from neo4j import ManagedTransaction

from app.analytics.rows import CustodyFlowRow
from app.db import Database, read_in, run, stream_in
from app.repositories.analytics import custody_flow_row


@dataclass(frozen=True)
class KeptState:
    """The log size the kept rows were refreshed at (None: never) and the log's size now."""

    upto: int | None
    size: int
    refreshed_at: datetime | None

    @property
    def behind(self) -> int | None:
        return None if self.upto is None else self.size - self.upto


def state(where: Database | ManagedTransaction) -> KeptState:
    row = read_in(where, "analytics.kept_flows_state")[0]
    return KeptState(row["upto"], int(row["size"]), row["refreshed_at"])


def dirty(tx: ManagedTransaction, upto: int) -> list[str]:
    """The companies whose flows events at or after log index ``upto`` may have changed."""
    return list(run(tx, "analytics.kept_flows_dirty", upto=upto)[0]["dirty"])


def all_companies(tx: ManagedTransaction) -> list[str]:
    return list(run(tx, "analytics.company_usccs")[0]["usccs"])


def flows(
    tx: ManagedTransaction,
    dirty_companies: Sequence[str],
    *,
    with_kept: bool,
    province: str | None = None,
    provinces: list[str] | None = None,
) -> Iterator[CustodyFlowRow]:
    """Kept rows (``with_kept``) of the clean companies and fresh rows of ``dirty_companies``, streamed."""
    rows = stream_in(
        tx,
        "analytics.custody_flows_kept",
        dirty=list(dirty_companies),
        with_kept=with_kept,
        province=province,
        provinces=provinces,
    )
    return map(custody_flow_row, rows)


def lock(tx: ManagedTransaction) -> tuple[int | None, int]:
    """Take the refresh lock; (upto, the log's size now)."""
    row = run(tx, "analytics.kept_flows_lock")[0]
    return row["upto"], int(row["size"])


def clear(tx: ManagedTransaction) -> None:
    run(tx, "analytics.kept_flows_clear")


def replace(tx: ManagedTransaction, sources: Sequence[str], rows: Sequence[CustodyFlowRow], upto: int) -> None:
    run(
        tx,
        "analytics.kept_flows_replace",
        sources=list(sources),
        rows=[
            {
                "source": r.source,
                "target": r.target,
                "outcome": r.outcome,
                "batteries": r.batteries,
                "distinct_batteries": r.distinct_batteries,
                "unconfirmed": r.unconfirmed,
                "kg": r.kg,
            }
            for r in rows
        ],
        upto=upto,
    )
