"""Bringing the stored findings up to date: every rule run, the answer compared with what is kept.

A finding's id is stable: the rule, the subject (battery, else company) and the evidence that opened
it (its first evidence event, else its ``since``), so the same problem found again is the same case
with its status, assignee and notes. What a sweep found and nothing kept is opened; what is kept
resolved and found again is reopened (a correction undid the fix); what is kept unresolved and no
longer found is resolved, with the event that cleared it. Every such change goes to the feed in the
same transaction, which first takes the feed's lock, so sweeps and case changes from any process
follow one another and the feed's positions follow commit order.
A scoped maintenance (``maintain``) makes the same comparison (``apply_found``) for the findings of
the batteries new events touched, under the same lock.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from neo4j import ManagedTransaction

from app.db import Database
from app.repositories import findings as repo
from app.repositories import leakage as leakage_repo
from app.schemas.findings import SweepReport
from app.schemas.leakage import Finding
from app.services import leakage
from app.services.findings import tallies

#: Rows per query when a sweep stores what it found (one transaction in all).
CHUNK = 5000


def finding_id(f: Finding) -> str:
    """Rule, subject and the evidence that opened it: the same problem keeps its id across sweeps."""
    opened_by = f.evidence[0] if f.evidence else f.since.isoformat()
    subject = f.battery if f.battery is not None else f"company:{f.company or ''}"
    raw = f"{f.rule}\x1f{subject}\x1f{f.company or ''}\x1f{opened_by}"
    return "F" + hashlib.sha256(raw.encode()).hexdigest()[:31]


def _details(f: Finding) -> str:
    return json.dumps(f.details, sort_keys=True, default=str, ensure_ascii=False)


def _digest(f: Finding) -> str:
    """What may change while a finding stays the same case: wording, evidence, details, province."""
    raw = json.dumps(
        [f.since.isoformat(), f.evidence, f.missing, _details(f), f.province, f.company_name],
        default=str,
        ensure_ascii=False,
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _row(fid: str, f: Finding, reopen: bool) -> dict[str, Any]:
    return {
        "id": fid,
        "rule": f.rule,
        "battery": f.battery,
        "company": f.company,
        "company_name": f.company_name,
        "province": f.province,
        "since": f.since,
        "evidence": list(f.evidence),
        "missing": f.missing,
        "details": _details(f),
        "digest": _digest(f),
        "reopen": reopen,
    }


def _change(fid: str, kind: str, at: datetime, status: str, previous: str | None, **extra: Any) -> dict[str, Any]:
    return {
        "finding": fid,
        "kind": kind,
        "at": at,
        "by": "sweep",
        "role": None,
        "status": status,
        "previous": previous,
        "note": None,
        "shared": None,
        "events": None,
        "resolved_by": None,
        **extra,
    }


def _chunks(rows: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def compute(
    db: Database, calendar: leakage.WorkdayCalendar, as_of: datetime, workers: int
) -> tuple[dict[str, Finding], dict[str, float]]:
    """Every rule's findings as of ``as_of``, by stable id, and each rule's time."""
    seconds: dict[str, float] = {}
    every = leakage.run_all(db, calendar, {"as_of": as_of}, workers=workers, seconds=seconds)
    found = {finding_id(f): f for findings in every.values() for f in findings}
    return found, seconds


def sweep(
    db: Database,
    calendar: leakage.WorkdayCalendar,
    *,
    as_of: datetime | None = None,
    workers: int = 1,
    recount: bool = False,
) -> SweepReport:
    """Run every rule (as of now, or ``as_of``) and bring the stored findings and the feed up to date
    (with ``recount``, the tallies counted again from the findings: a rebuild)."""
    began = time.perf_counter()
    state = repo.feed_state(db)
    events_seen, log_seen = state.events_now, state.log_size
    moment = as_of or datetime.now(UTC)
    found, seconds = compute(db, calendar, moment, workers)
    packs = leakage_repo.battery_count(db)
    province_packs = leakage_repo.province_packs(db)
    below = [r.company for r in leakage.recovery_report(db, as_of=moment).recyclers if r.below]
    at = datetime.now(UTC)
    counts = db.write_unit(
        "findings.sweep",
        lambda tx: _apply(
            tx, found, at, moment, (events_seen, log_seen), seconds, (packs, below, province_packs), recount
        ),
    )
    return SweepReport(
        swept_at=at,
        as_of=moment,
        events_seen=events_seen,
        found=len(found),
        seconds=round(time.perf_counter() - began, 3),
        rule_seconds={k: round(v, 3) for k, v in seconds.items()},
        **counts,
    )


def _apply(
    tx: ManagedTransaction,
    found: Mapping[str, Finding],
    at: datetime,
    as_of: datetime,
    seen: tuple[int, int],
    seconds: dict[str, float],
    totals: tuple[tuple[int, int], list[str], dict[str, int]],
    recount: bool,
) -> dict[str, int]:
    feed = repo.lock_feed(tx, at)
    kept = {k.id: k for k in repo.known(tx, list(found))}
    counts = apply_found(tx, found, kept, at, last_seen(feed), tallied=feed["tallied_at"] is not None and not recount)
    repo.record_sweep(tx, at, as_of, seen[0], seconds, *totals, log_seen=seen[1])
    return counts


def last_seen(feed: Mapping[str, Any]) -> datetime | None:
    """When the stored findings were last confirmed: the later of the last sweep and the last maintenance."""
    moments = [m for m in (feed["swept_at"], feed["maintained_at"]) if m is not None]
    return max(moments) if moments else None


def apply_found(
    tx: ManagedTransaction,
    found: Mapping[str, Finding],
    kept: Mapping[str, repo.Known | repo.KnownInScope],
    at: datetime,
    previous_sweep: datetime | None,
    *,
    tallied: bool,
) -> dict[str, int]:
    """Open, reopen, update and resolve the kept findings against what was found, with their feed changes
    and the tallies: moved by the changes when the feed says they are kept (``tallied``), else counted.

    ``kept`` is every stored finding the run could have found (unresolved, or found again): what it
    holds unresolved and ``found`` lacks is resolved, so a scoped run passes only its scope's.
    """
    rows, changes = [], []
    opened = reopened = updated = 0
    for fid, f in found.items():
        k = kept.get(fid)
        if k is None:
            opened += 1
            rows.append(_row(fid, f, reopen=False))
            changes.append(_change(fid, "opened", at, "open", None))
        elif k.resolved:
            reopened += 1
            rows.append(_row(fid, f, reopen=True))
            changes.append(_change(fid, "reopened", at, "open", k.status))
        elif k.digest != _digest(f):
            updated += 1
            rows.append(_row(fid, f, reopen=False))
    upserted: list[repo.Upserted] = []
    for chunk in _chunks(rows):
        upserted.extend(repo.upsert(tx, at, chunk))
    gone = [fid for fid, k in kept.items() if not k.resolved and fid not in found]
    cleared: list[repo.Resolved] = []
    for chunk in _chunks(gone):
        cleared.extend(repo.resolve(tx, at, previous_sweep, chunk))
    for r in cleared:
        changes.append(_change(r.id, "resolved", at, "resolved", r.previous, resolved_by=r.resolved_by))
    resolved = len(cleared)
    for chunk in _chunks(changes):
        repo.record_changes(tx, chunk)
    if tallied:
        tallies.move(tx, upserted, cleared)
    else:
        tallies.recount(tx, at)
    still_open = sum(1 for k in kept.values() if not k.resolved and k.id in found) + opened + reopened
    return {"opened": opened, "reopened": reopened, "resolved": resolved, "updated": updated, "open": still_open}
