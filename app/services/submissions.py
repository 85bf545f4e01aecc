"""A company's recent submissions: what it sent, its receipt in the verifiable log, and the
warnings each event drew. The warnings are the trace's own (the one replay of each battery named),
so the company reads the very words an investigator reads on the battery's page."""

from __future__ import annotations

from app.db import Database
from app.repositories import trace as repo
from app.schemas.trace import EventWarning, Submission, Submissions
from app.services.trace import get_trace

#: The batteries replayed for warnings; a page of submissions names few.
MAX_REPLAYED = 50


def recent_submissions(db: Database, company: str, limit: int) -> Submissions:
    """The company's latest ``limit`` events, newest first, each with its log index and warnings."""
    rows = repo.company_events(db, company, limit)
    codes = list(dict.fromkeys(code for r in rows for code in r["batteries"]))[:MAX_REPLAYED]
    warned: dict[str, list[EventWarning]] = {}
    for code in codes:
        for entry in get_trace(db, code).events:
            if entry.warnings and entry.reporter.uscc == company:
                known = warned.setdefault(entry.event_id, [])
                known += [w for w in entry.warnings if w not in known]
    items = [
        Submission(
            event_id=r["event_id"],
            type=r["type"],
            occurred_at=r["occurred_at"],
            recorded_at=r["recorded_at"],
            batteries=sorted(r["batteries"]),
            vehicle=r["vehicle"],
            station=r["station"],
            log_index=r["log_index"],
            corrected=r["corrected"],
            warnings=warned.get(r["event_id"], []),
        )
        for r in rows
    ]
    return Submissions(company=company, items=items, limit=limit)
