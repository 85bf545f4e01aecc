"""The ingest write path's queries (``cypher/ingest/``), in the order a batch runs them.

Each takes the caller's write transaction: a batch is one transaction, all or nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from neo4j import ManagedTransaction

from app.db import run


@dataclass(frozen=True, slots=True)
class KnownCompany:
    name: str | None
    roles: tuple[str, ...]
    maker_code: str | None
    imports_for: tuple[str, ...] = ()
    versioned: bool = False  # the registry holds older versions: judge events by the one valid then


@dataclass(frozen=True, slots=True)
class KnownEvent:
    type: str | None
    reporter: str | None
    reporter_name: str | None


@dataclass(frozen=True, slots=True)
class KnownReferences:
    """Which of the companies, stations and corrected events a batch names are stored, with what
    the claim checks read: a company's roles and maker code, a station's operator, an event's
    type (a correction may not be corrected) and reporter (only it may void the event)."""

    companies: dict[str, KnownCompany]
    stations: dict[str, str | None]
    events: dict[str, KnownEvent]
    versioned_stations: set[str]


@dataclass(frozen=True, slots=True)
class StoredProduction:
    code: str
    event_id: str
    reporter: str
    occurred_at: str
    voided: bool


@dataclass(frozen=True, slots=True)
class CorrectionLink:
    """A correction linked to what it voids, and what must be re-projected because of it."""

    event_id: str
    code: str | None
    vin: str | None


@dataclass(frozen=True, slots=True)
class StoredSubjects:
    """Element ids of the stored batteries by code and vehicles by VIN, each in key order."""

    batteries: dict[str, str]
    vehicles: dict[str, str]


def stored_hashes(tx: ManagedTransaction, ids: Sequence[str]) -> dict[str, str]:
    """The content hash of each of these event ids already stored."""
    return {r["event_id"]: r["content_hash"] for r in run(tx, "ingest.existing_events", ids=list(ids))}


def known_references(
    tx: ManagedTransaction, usccs: Sequence[str], stations: Sequence[str], targets: Sequence[str]
) -> KnownReferences:
    known = KnownReferences({}, {}, {}, set())
    rows = run(tx, "ingest.known_references", usccs=list(usccs), stations=list(stations), targets=list(targets))
    for row in rows:
        if row["kind"] == "company":
            known.companies[row["key"]] = KnownCompany(
                row["name"], tuple(row["roles"] or ()), row["maker_code"], tuple(row["imports_for"]), row["versioned"]
            )
        elif row["kind"] == "station":
            known.stations[row["key"]] = row["reporter"]
            if row["versioned"]:
                known.versioned_stations.add(row["key"])
        else:
            known.events[row["key"]] = KnownEvent(row["type"], row["reporter"], row["name"])
    return known


def stored_productions(tx: ManagedTransaction, codes: Sequence[str]) -> list[StoredProduction]:
    """Every stored ``produced`` of these codes, voided or not, oldest first."""
    return [StoredProduction(**row) for row in run(tx, "ingest.productions", codes=list(codes))]


def linked_pairs(tx: ManagedTransaction, pairs: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which (battery code, USCC) pairs the stored record links (``ingest.linked_companies``)."""
    if not pairs:
        return set()
    rows = run(tx, "ingest.linked_companies", pairs=[{"code": c, "uscc": u} for c, u in pairs])
    return {(r["code"], r["uscc"]) for r in rows}


def stored_subjects(tx: ManagedTransaction, codes: Sequence[str], vins: Sequence[str]) -> StoredSubjects:
    """Which of these batteries and vehicles are stored, by element id, each kind in key order."""
    found: dict[str, dict[str, str]] = {"battery": {}, "vehicle": {}}
    for r in run(tx, "ingest.stored_subjects", codes=list(codes), vins=list(vins)):
        found[r["kind"]][r["key"]] = r["id"]
    return StoredSubjects(
        batteries=dict(sorted(found["battery"].items())), vehicles=dict(sorted(found["vehicle"].items()))
    )


def lock_nodes(tx: ManagedTransaction, ids: Sequence[str]) -> None:
    """Take the write locks of these nodes in this order (``ingest.lock_nodes``); nothing changes."""
    if ids:
        run(tx, "ingest.lock_nodes", ids=list(ids))


def merge_batteries(tx: ManagedTransaction, rows: list[dict[str, Any]]) -> set[str]:
    """Merge the batteries; returns the codes this transaction created."""
    return {r["code"] for r in run(tx, "ingest.merge_batteries", rows=rows) if r["created"]}


def merge_vehicles(tx: ManagedTransaction, vins: Sequence[str]) -> set[str]:
    """Merge the vehicles; returns the VINs this transaction created."""
    return {r["vin"] for r in run(tx, "ingest.merge_vehicles", vins=list(vins)) if r["created"]}


def create_events(tx: ManagedTransaction, rows: list[dict[str, Any]]) -> None:
    run(tx, "ingest.create_events", rows=rows)


def link_events(
    tx: ManagedTransaction,
    *,
    batteries: list[dict[str, Any]],
    vehicles: list[dict[str, Any]],
    stations: list[dict[str, Any]],
    recipients: list[dict[str, Any]],
    senders: list[dict[str, Any]],
) -> None:
    """Link new events to what they name (``ingest.link_*``)."""
    run(tx, "ingest.link_batteries", rows=batteries)
    run(tx, "ingest.link_vehicles", rows=vehicles)
    run(tx, "ingest.link_stations", rows=stations)
    run(tx, "ingest.link_recipients", rows=recipients)
    run(tx, "ingest.link_senders", rows=senders)


def link_corrections(tx: ManagedTransaction, rows: list[dict[str, Any]]) -> list[CorrectionLink]:
    return [CorrectionLink(**r) for r in run(tx, "ingest.link_corrections", rows=rows)]


def chain_heads(tx: ManagedTransaction, codes: Sequence[str]) -> dict[str, tuple[str | None, int]]:
    """Each battery's chain head and length (none yet: not in the answer)."""
    return {r["code"]: (r["head"], r["length"]) for r in run(tx, "ingest.chain_heads", codes=list(codes))}


def extend_chains(tx: ManagedTransaction, links: list[dict[str, Any]], heads: list[dict[str, Any]]) -> None:
    run(tx, "ingest.extend_chains", links=links, heads=heads)
