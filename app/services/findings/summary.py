"""The leakage summary from the stored findings: their kept tallies instead of every rule run again."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from app.db import Database
from app.repositories import findings as repo
from app.schemas.leakage import Summary
from app.services import leakage


def _below(db: Database, as_of: datetime, provinces: Collection[str]) -> list[str]:
    """Recyclers within the provinces under a minimum rate (the sweep keeps the national list only)."""
    return [r.company for r in leakage.recovery_report(db, as_of=as_of, provinces=provinces).recyclers if r.below]


def stored_summary(
    db: Database,
    calendar: leakage.WorkdayCalendar,
    provinces: Collection[str] | None,
    *,
    province: str | None = None,
    company: str | None = None,
) -> Summary | None:
    """Counts of the unresolved stored findings as of the last sweep; None before the first sweep."""
    state = repo.feed_state(db)
    if state.swept_at is None or state.as_of is None:
        return None
    scope = sorted(provinces) if provinces is not None else None
    # The kept tallies (one row per rule, province and company); the findings themselves on a store
    # whose findings predate the tallies, until its next sweep counts them.
    counted = repo.tallies(db, scope) if state.tallied_at is not None else repo.counts(db, scope)
    tallies = [
        (c.rule, c.province, c.company, c.company_name, c.count)
        for c in counted
        if (company is None or c.company == company) and (province is None or c.province == province)
    ]
    return leakage.assemble(
        db,
        state.as_of,
        tallies,
        state.rule_seconds,
        calendar,
        provinces=provinces,
        packs_known=state.packs,
        province_packs_known=state.province_packs,
        source="stored",
        swept_at=state.swept_at,
        events_since_sweep=max(0, state.events_now - (state.events_seen or 0)),
        recovery_below=state.recovery_below if provinces is None else _below(db, state.as_of, provinces),
    )
