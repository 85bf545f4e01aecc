"""The stored findings' queries (``cypher/findings/``): cases, their changes, the sweep's bookkeeping."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from neo4j import ManagedTransaction

from app.db import Database, Row, read_in, run
from app.schemas.findings import Case, Change


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the last sweep recorded, and how many events the store holds now."""

    seq: int
    swept_at: datetime | None
    as_of: datetime | None
    events_seen: int | None
    events_now: int
    rule_seconds: dict[str, float]
    packs: tuple[int, int] | None  # packs and batteries when the last sweep ran
    recovery_below: list[str]
    log_seen: int | None = None  # the log size the last sweep or maintenance covered
    log_size: int = 0
    maintained_at: datetime | None = None
    province_packs: dict[str, int] | None = None  # packs per province when the last sweep ran
    tallied_at: datetime | None = None  # since when the tallies of unresolved findings are kept


@dataclass(frozen=True, slots=True)
class Known:
    """A stored finding as a sweep compares it with what the rules found."""

    id: str
    status: str
    resolved: bool
    digest: str | None


@dataclass(frozen=True, slots=True)
class KnownInScope:
    """A stored finding with its subject, for a scoped maintenance to tell whether it is in scope."""

    id: str
    status: str
    resolved: bool
    digest: str | None
    rule: str
    battery: str | None
    company: str | None
    details: str | None


@dataclass(frozen=True, slots=True)
class Touched:
    """What some logged events can change: batteries, vehicles and recyclers (findings/touched.cypher)."""

    events: int
    batteries: list[str]
    vehicles: list[str]
    recyclers: list[str]


@dataclass(frozen=True, slots=True)
class Resolved:
    id: str
    resolved_by: str | None
    previous: str
    rule: str
    company: str | None
    province: str | None


@dataclass(frozen=True, slots=True)
class Upserted:
    """A stored finding's state before and after an upsert: what the tallies move by."""

    rule: str
    company: str | None
    company_name: str | None
    was_open: bool
    was_province: str | None
    is_open: bool
    province: str | None


@dataclass(frozen=True, slots=True)
class Count:
    rule: str
    province: str | None
    company: str | None
    company_name: str | None
    count: int


@dataclass(frozen=True, slots=True)
class DayRow:
    day: date | None
    rule: str
    province: str | None
    kind: str
    count: int


@dataclass(frozen=True, slots=True)
class DutyRow:
    rule: str
    battery: str
    since: datetime
    event: str
    reason: str | None
    counterparty: str | None
    side: str


_NULLABLE = (
    "battery",
    "company",
    "company_name",
    "province",
    "assignee",
    "last_seen",
    "resolved_at",
    "resolved_by",
    "answered_at",
)


def to_case(props: dict[str, Any], swept_at: datetime | None) -> Case:
    """A Finding node's properties as a case; an unresolved one was last seen by the latest sweep."""
    values = dict(props)
    values.pop("digest", None)
    values["details"] = json.loads(values.get("details") or "{}")
    for name in _NULLABLE:  # Neo4j keeps no null properties: a company-level finding has no battery
        values.setdefault(name, None)
    if values.get("resolved_at") is None:
        values["last_seen"] = swept_at
    return Case(**values)


def feed_state(db: Database) -> FeedState:
    row = db.read("findings.feed_state")[0]
    seconds = dict(zip(row["rules"] or [], row["rule_seconds"] or [], strict=True))
    packs = (int(row["packs"]), int(row["batteries"])) if row["packs"] is not None else None
    return FeedState(
        int(row["seq"] or 0),
        row["swept_at"],
        row["as_of"],
        row["events_seen"],
        int(row["events_now"]),
        seconds,
        packs,
        list(row["recovery_below"] or []),
        row["log_seen"],
        int(row["log_size"]),
        row["maintained_at"],
        _province_packs(row["province_codes"], row["province_packs"]),
        row["tallied_at"],
    )


def _province_packs(codes: list[str] | None, packs: list[int] | None) -> dict[str, int] | None:
    if codes is None or packs is None:
        return None
    return {str(p): int(n) for p, n in zip(codes, packs, strict=True)}


def claim_sweep(db: Database, at: datetime, until: datetime) -> bool:
    return bool(db.write("findings.claim_sweep", at=at, until=until)[0]["claimed"])


def lock_feed(tx: ManagedTransaction, at: datetime) -> Row:
    return run(tx, "findings.lock_feed", at=at)[0]


def known(tx: ManagedTransaction, ids: Sequence[str]) -> list[Known]:
    return [Known(**r) for r in run(tx, "findings.known", ids=list(ids))]


def known_in_scope(tx: ManagedTransaction, batteries: Sequence[str], ids: Sequence[str]) -> list[KnownInScope]:
    return [KnownInScope(**r) for r in run(tx, "findings.known_in_scope", batteries=list(batteries), ids=list(ids))]


def touched(db: Database, start: int, end: int) -> Touched:
    r = db.read("findings.touched", start=start, end=end)[0]
    return Touched(int(r["events"]), list(r["batteries"]), list(r["vehicles"]), list(r["recyclers"]))


def record_maintenance(tx: ManagedTransaction, at: datetime, log_seen: int, events: int) -> None:
    run(tx, "findings.record_maintenance", at=at, log_seen=log_seen, events=events)


def upsert(tx: ManagedTransaction, at: datetime, rows: Sequence[dict[str, Any]]) -> list[Upserted]:
    return [Upserted(**r) for r in run(tx, "findings.upsert", at=at, rows=list(rows))]


def resolve(tx: ManagedTransaction, at: datetime, last_seen: datetime | None, ids: Sequence[str]) -> list[Resolved]:
    rows = run(tx, "findings.resolve", at=at, last_seen=last_seen, ids=list(ids))
    return [Resolved(r["id"], r["resolved_by"], r["previous"], r["rule"], r["company"], r["province"]) for r in rows]


def tally(tx: ManagedTransaction, rows: Sequence[dict[str, Any]]) -> None:
    run(tx, "findings.tally", rows=list(rows))


def tallies(db: Database, provinces: list[str] | None) -> list[Count]:
    return [Count(**r) for r in db.read("findings.tallies", provinces=provinces)]


def clear_tallies(tx: ManagedTransaction) -> int:
    return int(run(tx, "findings.clear_tallies")[0]["removed"])


def mark_tallied(tx: ManagedTransaction, at: datetime) -> None:
    run(tx, "findings.mark_tallied", at=at)


def record_changes(tx: ManagedTransaction, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        run(tx, "findings.record_changes", rows=list(rows))


def record_sweep(
    tx: ManagedTransaction,
    at: datetime,
    as_of: datetime,
    events_seen: int,
    seconds: dict[str, float],
    packs: tuple[int, int],
    recovery_below: list[str],
    province_packs: dict[str, int],
    log_seen: int,
) -> None:
    codes = sorted(province_packs)
    run(
        tx,
        "findings.record_sweep",
        at=at,
        as_of=as_of,
        events_seen=events_seen,
        rules=list(seconds),
        rule_seconds=list(seconds.values()),
        packs=packs[0],
        batteries=packs[1],
        recovery_below=recovery_below,
        province_codes=codes,
        province_packs=[province_packs[c] for c in codes],
        log_seen=log_seen,
    )


def get(where: Database | ManagedTransaction, finding_id: str) -> Case | None:
    rows = read_in(where, "findings.get", id=finding_id)
    return to_case(rows[0]["finding"], rows[0]["swept_at"]) if rows else None


def set_case(
    tx: ManagedTransaction, finding_id: str, status: str, assignee: str | None, at: datetime, *, answered: bool
) -> None:
    run(tx, "findings.set_case", id=finding_id, status=status, assignee=assignee, at=at, answered=answered)


def history(db: Database, finding_id: str) -> list[Change]:
    return [Change(**r["change"]) for r in db.read("findings.history", id=finding_id)]


def list_cases(db: Database, *, skip: int, limit: int, **filters: Any) -> list[Case]:
    rows = db.read("findings.list", skip=skip, limit=limit, **filters)
    return [to_case(r["finding"], r["swept_at"]) for r in rows]


def changes(db: Database, after: int, provinces: list[str] | None, company: str | None, limit: int) -> list[Change]:
    rows = db.read("findings.changes", after=after, provinces=provinces, company=company, limit=limit)
    return [Change(**r["change"]) for r in rows]


def counts(where: Database | ManagedTransaction, provinces: list[str] | None) -> list[Count]:
    return [Count(**r) for r in read_in(where, "findings.counts", provinces=provinces)]


def daily(db: Database, start: date, end: date, provinces: list[str] | None) -> list[DayRow]:
    return [DayRow(**r) for r in db.read("findings.daily", **{"from": start, "to": end}, provinces=provinces)]


def events_of(db: Database, ids: Sequence[str]) -> dict[str, str]:
    """Reporter by event id, for the ids that exist."""
    return {r["event_id"]: r["reporter"] for r in db.read("findings.events_of", ids=list(ids))}


def open_duties(db: Database, company: str, since: datetime) -> list[DutyRow]:
    return [DutyRow(**r) for r in db.read("findings.open_duties", company=company, since=since)]
