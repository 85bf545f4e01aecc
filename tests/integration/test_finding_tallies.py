"""The tallies the stored summary reads are the unresolved findings counted: after a sweep, after
maintenance (a late step resolving a finding and opening another, a correction resolving one, a
correction voiding the late step reopening it), after a rebuild; a tally changed in the store
behind the findings' back is noticed; a store whose findings predate the tallies answers the same
summary (from the findings) until its next sweep counts them.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.db import Database
from app.repositories import findings as findings_repo
from app.services import findings
from app.services.leakage.workdays import make_calendar
from tests.api.test_findings import AS_OF, A, B, dark, post, sweep, world
from tests.factories import RECYCLER, REPAIRER, day


def _open_by_rule(db: Database) -> dict[str, int]:
    """Unresolved findings per rule, counted from the Finding nodes themselves."""
    by_rule: dict[str, int] = {}
    for c in findings_repo.counts(db, None):
        by_rule[c.rule] = by_rule.get(c.rule, 0) + c.count
    return by_rule


def _agree(db: Database) -> findings.TallyCheck:
    check = findings.tallies_agree(db)
    assert check.agree, check
    assert check.tallies == check.groups > 0 and check.open > 0
    return check


def _maintain(db: Database) -> findings.MaintenanceReport:
    report = findings.maintain(db, make_calendar(), as_of=AS_OF)
    assert report is not None and report.applied
    return report


def _summary(db: Database) -> dict[str, Any]:
    """The stored summary, without the rules' times (each sweep measures its own)."""
    stored = findings.stored_summary(db, make_calendar(), None)
    assert stored is not None
    answer = stored.model_dump(mode="json")
    answer["by_rule"] = [{k: v for k, v in r.items() if k != "seconds"} for r in answer["by_rule"]]
    return answer


def test_the_tallies_follow_sweeps_maintenance_corrections_and_a_rebuild(client: TestClient, db: Database) -> None:
    ev, taken = world(client, db)
    sweep(client)
    _agree(db)
    before = _open_by_rule(db)

    # A late step resolves A's dark finding and opens a late_report, by maintenance alone.
    late = [ev.shipped(A, RECYCLER, day(102), REPAIRER), ev.received(A, REPAIRER, day(104), RECYCLER)]
    post(client, late)
    report = _maintain(db)
    assert report.resolved >= 1 and report.opened >= 1
    assert dark(client, A)["status"] == "resolved"
    after = _open_by_rule(db)
    assert after["dark_after_removal"] == before["dark_after_removal"] - 1
    assert after.get("late_report", 0) > before.get("late_report", 0)
    _agree(db)

    # A correction of B's removal resolves B's finding.
    post(client, [ev.correction(taken[B]["event_id"], day(200), REPAIRER)])
    assert _maintain(db).resolved >= 1
    assert dark(client, B)["status"] == "resolved"
    _agree(db)

    # Voiding the late step reopens A's case.
    post(client, [ev.correction(e["event_id"], day(300), e["reporter"]) for e in late])
    assert _maintain(db).reopened >= 1
    _agree(db)

    # A sweep after all that changes nothing and keeps them equal; so does a rebuild.
    sweep(client)
    _agree(db)
    findings.sweep(db, make_calendar(), as_of=AS_OF, recount=True)
    _agree(db)


def test_a_tally_changed_behind_the_findings_back_is_noticed_and_a_rebuild_counts_it_again(
    client: TestClient, db: Database
) -> None:
    world(client, db)
    sweep(client)
    counted = _summary(db)
    check = _agree(db)
    db.write_unit(
        "t",
        lambda tx: tx.run(
            "MATCH (t:FindingTally {rule: 'dark_after_removal'}) WITH t LIMIT 1 SET t.open = t.open + 5"
        ).consume(),
    )
    wrong = findings.tallies_agree(db)
    assert not wrong.agree and len(wrong.differing) == 1 and "dark_after_removal" in wrong.differing[0]
    shown = {r["rule"]: r["count"] for r in _summary(db)["by_rule"]}
    assert shown["dark_after_removal"] == _open_by_rule(db)["dark_after_removal"] + 5  # the summary reads tallies

    db.write_unit(
        "t",
        lambda tx: tx.run(
            "MATCH (t:FindingTally) WHERE t.rule <> 'dark_after_removal' WITH t LIMIT 1 DELETE t"
        ).consume(),
    )
    assert len(findings.tallies_agree(db).differing) == 2

    findings.sweep(db, make_calendar(), as_of=AS_OF, recount=True)
    assert _agree(db) == check
    assert _summary(db)["by_rule"] == counted["by_rule"]


def test_a_store_whose_findings_predate_the_tallies_answers_the_same_and_its_next_sweep_counts_them(
    client: TestClient, db: Database
) -> None:
    world(client, db)
    sweep(client)
    from_tallies = _summary(db)
    db.write_unit(
        "t",
        lambda tx: tx.run(
            "MATCH (t:FindingTally) DELETE t WITH count(*) AS n "
            "MATCH (f:FindingFeed {id: 'findings'}) REMOVE f.tallied_at"
        ).consume(),
    )
    assert findings_repo.feed_state(db).tallied_at is None
    assert _summary(db) == from_tallies  # counted from the findings themselves
    sweep(client)
    assert findings_repo.feed_state(db).tallied_at is not None
    _agree(db)
    again = _summary(db)
    for part in ("by_rule", "by_province", "by_company", "provinces"):
        assert again[part] == from_tallies[part], part
