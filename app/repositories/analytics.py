"""The analytics queries (``cypher/analytics/``), answering in the rows ``app.analytics`` builds from.

The projections run inside the caller's read transaction and stream: each function yields its
rows as the driver receives them, so a large custody projection goes into the graph row by row
and is never held whole. The row types live in ``app.analytics.rows`` (the pure package reads
them, and must not import this layer); the converters below are the only place that knows a
query's column names.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any

from neo4j import ManagedTransaction

from app.analytics.rows import CompanyRow, CustodyChainRow, CustodyFlowRow, InstallationRow, StationRow, SwapFlowRow
from app.db import Database, Row, stream_in

# --- one record to one typed row (positional: no validation per row, the header is the contract) ---


def custody_flow_row(r: Row) -> CustodyFlowRow:
    return CustodyFlowRow(
        r["source"], r["target"], r["outcome"], r["batteries"], r["distinct_batteries"], r["unconfirmed"], r["kg"]
    )


def company_row(r: Row) -> CompanyRow:
    return CompanyRow(r["uscc"], r["name"], r["roles"], r["province"], r["scopes"])


def swap_flow_row(r: Row) -> SwapFlowRow:
    return SwapFlowRow(
        r["source"], r["target"], r["batteries"], r["carried"], r["transferred"], r["distinct_batteries"], r["kg"]
    )


def station_row(r: Row) -> StationRow:
    return StationRow(r["id"], r["name"], r["operator"], r["province"], r["lat"], r["lon"])


def installation_row(r: Row) -> InstallationRow:
    return InstallationRow(
        r["vin"],
        r["code"],
        r["installations"],
        r["first_since"],
        r["last_until"],
        r["model"],
        r["category"],
        r["level"],
        r["chemistry"],
        r["status"],
    )


def custody_chain_row(r: Row) -> CustodyChainRow:
    return CustodyChainRow(r["code"], r["mass_kg"], r["holders"], r["handover"])


# --- the queries ----------------------------------------------------------------------------------


def custody_flows(
    tx: ManagedTransaction,
    *,
    since: datetime | None,
    until: datetime | None,
    province: str | None,
    chemistry: str | None,
    provinces: list[str] | None = None,
) -> Iterator[CustodyFlowRow]:
    """How every custody interval in the window ended, per company and outcome, streamed."""
    rows = stream_in(
        tx,
        "analytics.custody_flows",
        since=since,
        until=until,
        province=province,
        provinces=provinces,
        chemistry=chemistry,
    )
    return map(custody_flow_row, rows)


def companies(tx: ManagedTransaction, usccs: Sequence[str], as_of: date) -> Iterator[CompanyRow]:
    """Registry attributes and the licences valid on ``as_of`` of the companies in a graph."""
    return map(company_row, stream_in(tx, "analytics.companies", usccs=list(usccs), as_of=as_of))


def swap_flows(
    tx: ManagedTransaction,
    *,
    since: datetime | None,
    until: datetime | None,
    province: str | None,
    chemistry: str | None,
    provinces: list[str] | None = None,
) -> Iterator[SwapFlowRow]:
    """Station-to-station battery movements in the window, streamed."""
    rows = stream_in(
        tx,
        "analytics.swap_flows",
        since=since,
        until=until,
        province=province,
        provinces=provinces,
        chemistry=chemistry,
    )
    return map(swap_flow_row, rows)


def stations(tx: ManagedTransaction, ids: Sequence[str]) -> Iterator[StationRow]:
    """Registry attributes of the swap stations in a graph."""
    return map(station_row, stream_in(tx, "analytics.stations", ids=list(ids)))


def installations(
    tx: ManagedTransaction, vins: Sequence[str], codes: Sequence[str], provinces: list[str] | None = None
) -> Iterator[InstallationRow]:
    """Every installation touching the chosen vehicles or batteries, per pair (batteries within ``provinces``)."""
    rows = stream_in(tx, "analytics.installations", vins=list(vins), codes=list(codes), provinces=provinces)
    return map(installation_row, rows)


def custody_revisits(tx: ManagedTransaction, usccs: Sequence[str]) -> Iterator[CustodyChainRow]:
    """Custody sequences of the batteries that came back to one of the companies, streamed."""
    return map(custody_chain_row, stream_in(tx, "analytics.custody_revisits", usccs=list(usccs)))


def custody_chains_between(tx: ManagedTransaction, source: str, target: str) -> Iterator[CustodyChainRow]:
    """Custody sequences of the batteries both companies held, streamed."""
    return map(custody_chain_row, stream_in(tx, "analytics.custody_chains_between", source=source, target=target))


def licence_holders(db: Database, usccs: Sequence[str]) -> list[str]:
    """Which of the companies ever held a licence, whatever its scope and dates."""
    return [r["uscc"] for r in db.read("analytics.licence_holders", usccs=list(usccs))]


def sample_vehicles(db: Database, limit: int) -> list[str]:
    """The first ``limit`` VINs in order: a deterministic selection for benchmarks."""
    return [r["vin"] for r in db.read("analytics.sample_vehicles", limit=limit)]


def health_fade(db: Database, by: str, params: dict[str, Any]) -> list[Row]:
    """Health readings grouped by ``by`` and two-year age band (``analytics.health_fade``)."""
    return db.read("analytics.health_fade", by=by, **params)
