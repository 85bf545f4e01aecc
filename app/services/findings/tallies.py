"""The tallies of unresolved findings by rule, province and company: the stored summary's counts,
kept so that a summary reads one row per tally instead of every unresolved finding.

Every transaction that opens, reopens, moves (a province that changed) or resolves a finding moves
the tallies by the same amounts (``move``), from the states the upsert and the resolution answered
(what the store held, not what the caller believed). Those transactions all hold the feed's lock
first, so two writers never move a tally at once; the tally's key is also unique in the schema.
A store whose findings predate the tallies (the feed has no ``tallied_at``) is counted from its
findings by the next sweep (``recount``), and until then a summary counts the findings themselves.
``batterytrace findings rebuild`` counts them again from scratch. ``tallies_agree`` holds the kept
tallies against a direct count of the unresolved findings.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from neo4j import ManagedTransaction

from app.db import Database
from app.repositories import findings as repo

#: Rows per query when tallies are written (one transaction in all).
CHUNK = 5000

Key = tuple[str, str | None, str | None]


def tally_key(rule: str, province: str | None, company: str | None) -> str:
    """One string per (rule, province, company), with a missing province or company kept apart from ''."""
    return json.dumps([rule, province, company], ensure_ascii=False)


def _rows(deltas: dict[Key, int], names: dict[Key, str | None]) -> list[dict[str, Any]]:
    rows = [
        {
            "key": tally_key(*k),
            "rule": k[0],
            "province": k[1],
            "company": k[2],
            "company_name": names.get(k),
            "delta": d,
        }
        for k, d in deltas.items()
        if d != 0 or names.get(k) is not None
    ]
    return sorted(rows, key=lambda r: str(r["key"]))  # one lock order for every writer


def _write(tx: ManagedTransaction, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        repo.tally(tx, rows[start : start + CHUNK])


def move(tx: ManagedTransaction, upserted: Iterable[repo.Upserted], resolved: Iterable[repo.Resolved]) -> None:
    """Move the tallies by what this transaction's upserts and resolutions changed."""
    deltas: dict[Key, int] = defaultdict(int)
    names: dict[Key, str | None] = {}
    for u in upserted:
        if u.was_open:
            deltas[(u.rule, u.was_province, u.company)] -= 1
        if u.is_open:
            k = (u.rule, u.province, u.company)
            deltas[k] += 1
            if u.company_name is not None:
                names[k] = max(u.company_name, names.get(k) or "")
    for r in resolved:
        deltas[(r.rule, r.province, r.company)] -= 1
    _write(tx, _rows(deltas, names))


def recount(tx: ManagedTransaction, at: datetime) -> int:
    """Count the tallies again from the unresolved findings (the caller holds the feed's lock)."""
    repo.clear_tallies(tx)
    counts = repo.counts(tx, None)
    deltas = {(c.rule, c.province, c.company): c.count for c in counts}
    names = {(c.rule, c.province, c.company): c.company_name for c in counts}
    _write(tx, _rows(deltas, names))
    repo.mark_tallied(tx, at)
    return len(counts)


@dataclass(frozen=True)
class TallyCheck:
    """The kept tallies held against a direct count of the unresolved findings."""

    tallies: int
    groups: int  # (rule, province, company) groups of unresolved findings
    open: int  # unresolved findings
    differing: list[str] = field(default_factory=list)  # keys whose count or name differ (a few)

    @property
    def agree(self) -> bool:
        return not self.differing


def tallies_agree(db: Database, *, examples: int = 10) -> TallyCheck:
    """Whether every kept tally equals the count (and company name) of its unresolved findings."""
    counted = {tally_key(c.rule, c.province, c.company): (c.count, c.company_name) for c in repo.counts(db, None)}
    kept = {tally_key(c.rule, c.province, c.company): (c.count, c.company_name) for c in repo.tallies(db, None)}
    differing = sorted(k for k in counted.keys() | kept.keys() if counted.get(k) != kept.get(k))
    return TallyCheck(len(kept), len(counted), sum(n for n, _ in counted.values()), differing[:examples])
