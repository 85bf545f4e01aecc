"""A stored finding read back: Neo4j keeps no null properties, so a company-level finding's node
has no ``battery`` (nor an unassigned case an ``assignee``); it must still read as a case."""

from __future__ import annotations

from datetime import UTC, datetime

from app.repositories.findings import to_case


def test_a_company_level_finding_without_a_battery_reads_as_a_case() -> None:
    at = datetime(2026, 12, 1, tzinfo=UTC)
    props = {
        "id": "Fabc",
        "rule": "recycler_mass_balance",
        "since": at,
        "company": "91310105A00000050",
        "evidence": [],
        "missing": "outputs above receipts",
        "details": '{"days": 365}',
        "digest": "d",
        "status": "open",
        "first_seen": at,
        "updated_at": at,
    }
    case = to_case(props, swept_at=at)
    assert (case.battery, case.assignee, case.resolved_at, case.last_seen) == (None, None, None, at)
    assert case.details == {"days": 365}
