"""Stored findings as cases, through the HTTP API against the real Neo4j: sweeps that open, resolve
and reopen them (by a late step, by a correction), the regulator's workflow, the company's view and
answer, duties before their deadline, the feed's cursor under concurrent writers, the stored summary.
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient

from app.db import Database
from app.repositories import findings as findings_repo
from app.schemas.findings import CaseUpdate
from app.security import Principal
from app.services import findings
from app.services.leakage.workdays import cst_date, make_calendar
from tests.factories import (
    MAKER,
    RECYCLER,
    REPAIRER,
    Events,
    day,
    first_life,
    pack,
    seed_registry,
    vin,
)

AS_OF = day(650)
A, B = pack(1), pack(2)


def post(client: TestClient, events: list[dict[str, Any]]) -> None:
    res = client.post("/v1/events", json={"events": events})
    assert res.status_code == 200, res.text


def sweep(client: TestClient, as_of: datetime = AS_OF) -> dict[str, Any]:
    res = client.post("/v1/findings/sweep", params={"as_of": as_of.isoformat()})
    assert res.status_code == 200, res.text
    report: dict[str, Any] = res.json()
    return report


def cases(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    params.setdefault("limit", 1000)
    res = client.get("/v1/findings", params=params)
    assert res.status_code == 200, res.text
    items: list[dict[str, Any]] = res.json()["items"]
    return items


def dark(client: TestClient, battery: str, **params: Any) -> dict[str, Any]:
    """The stored dark_after_removal finding of a battery (exactly one)."""
    found = cases(client, rule="dark_after_removal", battery=battery, **params)
    assert len(found) == 1, found
    return found[0]


def world(client: TestClient, db: Database) -> tuple[Events, dict[str, dict[str, Any]]]:
    """Two packs the repairer removed on day 100 and never passed on: dark after removal by day 650."""
    seed_registry(db, vehicles=3)
    ev = Events()
    taken = {
        A: ev.removed(A, vin(1), day(100), REPAIRER, "other"),
        B: ev.removed(B, vin(2), day(100), REPAIRER, "other"),
    }
    # And a pack the maker produced and never shipped: silent, naming the maker.
    post(client, [*first_life(ev, A, vin(1)), *first_life(ev, B, vin(2)), taken[A], taken[B], ev.produced(pack(3))])
    return ev, taken


def test_a_sweep_stores_what_the_rules_find_and_a_second_changes_nothing(client: TestClient, db: Database) -> None:
    world(client, db)
    first = sweep(client)
    assert first["opened"] == first["found"] == first["open"] > 0
    live = client.get("/v1/leakage/dark_after_removal", params={"as_of": AS_OF.isoformat(), "limit": 100}).json()
    stored = cases(client, rule="dark_after_removal")
    assert sorted((f["battery"], f["evidence"], f["since"]) for f in live["items"]) == sorted(
        (c["battery"], c["evidence"], c["since"]) for c in stored
    )
    assert {c["status"] for c in stored} == {"open"}
    assert all(c["first_seen"] == c["last_seen"] for c in stored)

    again = sweep(client)
    assert (again["opened"], again["reopened"], again["resolved"], again["updated"]) == (0, 0, 0, 0)
    assert again["open"] == first["open"]
    # The same problem keeps its id; only last_seen moves.
    after = {c["id"]: c for c in cases(client, rule="dark_after_removal")}
    assert set(after) == {c["id"] for c in stored}
    assert all(c["last_seen"] > c["first_seen"] for c in after.values())

    # The rebuild's comparison: the rules from scratch give exactly the stored unresolved set.
    computed, _ = findings.compute(db, make_calendar(), AS_OF, workers=1)
    assert set(computed) == {c["id"] for c in cases(client) if c["resolved_at"] is None}


def test_a_late_step_resolves_a_finding_and_voiding_it_reopens_the_case(client: TestClient, db: Database) -> None:
    ev, _ = world(client, db)
    sweep(client)
    opened = dark(client, A)
    # The repairer reports, late, that it shipped the pack to the recycler two days after removing it.
    late = [ev.shipped(A, RECYCLER, day(102), REPAIRER), ev.received(A, REPAIRER, day(104), RECYCLER)]
    post(client, late)
    report = sweep(client)
    assert report["resolved"] >= 1
    resolved = dark(client, A)
    assert resolved["id"] == opened["id"]
    assert resolved["status"] == "resolved" and resolved["resolved_at"] is not None
    assert resolved["resolved_by"] in {e["event_id"] for e in late}
    assert resolved["last_seen"] == opened["last_seen"]  # the sweep before the one that cleared it
    assert dark(client, B)["status"] == "open"

    # The shipment and receipt are voided: the pack is dark again, and it is the same case reopened.
    post(client, [ev.correction(e["event_id"], day(300), e["reporter"]) for e in late])
    assert sweep(client)["reopened"] >= 1
    reopened = dark(client, A)
    assert (reopened["id"], reopened["status"], reopened["resolved_at"]) == (opened["id"], "open", None)
    kinds = [c["kind"] for c in client.get(f"/v1/findings/{opened['id']}").json()["history"]]
    assert kinds == ["opened", "resolved", "reopened"]


def test_a_correction_resolves_a_finding_and_names_itself(client: TestClient, db: Database) -> None:
    ev, taken = world(client, db)
    sweep(client)
    voided = ev.correction(taken[B]["event_id"], day(200), REPAIRER)
    post(client, [voided])
    sweep(client)
    case = dark(client, B)
    assert (case["status"], case["resolved_by"]) == ("resolved", voided["event_id"])
    changes = client.get("/v1/findings/changes").json()["items"]
    assert [c["resolved_by"] for c in changes if c["kind"] == "resolved" and c["finding"] == case["id"]] == [
        voided["event_id"]
    ]


def test_the_case_workflow(client: TestClient, db: Database, key_for: Callable[..., str]) -> None:
    world(client, db)
    sweep(client)
    case = dark(client, A)
    regulator = {"X-API-Key": key_for("regulator")}
    url = f"/v1/findings/{case['id']}"

    res = client.patch(url, json={"status": "under_review", "assignee": "Inspector Wang"}, headers=regulator)
    assert res.status_code == 200, res.text
    assert (res.json()["status"], res.json()["assignee"]) == ("under_review", "Inspector Wang")
    assert res.headers["X-Audit-Id"]

    # A dismissal needs its reason; nothing changes without one.
    res = client.patch(url, json={"status": "dismissed"}, headers=regulator)
    assert res.status_code == 422
    assert res.json()["errors"][0]["field"] == "note"
    assert dark(client, A)["status"] == "under_review"
    # A regulator may not set the company's or the record's statuses.
    for status in ("company_answered", "resolved", "closed"):
        assert client.patch(url, json={"status": status}, headers=regulator).status_code == 422
    assert client.patch(url, json={}, headers=regulator).status_code == 422

    res = client.patch(url, json={"note": "asked the repairer for its shipping papers"}, headers=regulator)
    assert res.status_code == 200
    res = client.patch(
        url, json={"status": "dismissed", "note": "pack held as evidence by the police"}, headers=regulator
    )
    assert res.json()["status"] == "dismissed"

    history = client.get(url).json()["history"]
    assert [(h["kind"], h["status"], h["previous"]) for h in history] == [
        ("opened", "open", None),
        ("status", "under_review", "open"),
        ("assigned", "under_review", "open"),
        ("note", "under_review", "under_review"),
        ("status", "dismissed", "under_review"),
    ]
    assert history[-1]["note"] == "pack held as evidence by the police"
    assert history[1]["role"] == "regulator" and history[0]["by"] == "sweep"
    assert [c["id"] for c in cases(client, status="dismissed")] == [case["id"]]
    assert case["id"] not in {c["id"] for c in cases(client, status=["open", "under_review"])}

    # The audit trail keeps who changed what.
    notes = [e["note"] for e in client.get("/v1/admin/audit", params={"limit": 50}).json() if e["method"] == "PATCH"]
    assert f"finding {case['id']}: status under_review -> dismissed" in notes

    # A finding the record resolved takes no status.
    other = dark(client, B)
    post(client, [Events("fix").shipped(B, RECYCLER, day(101), REPAIRER)])
    sweep(client)
    res = client.patch(f"/v1/findings/{other['id']}", json={"status": "confirmed"}, headers=regulator)
    assert res.status_code == 409
    assert client.patch("/v1/findings/Fnope", json={"note": "x"}, headers=regulator).status_code == 404


def test_a_company_sees_and_answers_its_own_findings(
    client: TestClient, db: Database, key_for: Callable[..., str]
) -> None:
    ev, _ = world(client, db)
    late = ev.shipped(A, RECYCLER, day(102), REPAIRER)
    theirs = ev.received(A, REPAIRER, day(104), RECYCLER)
    sweep(client)
    repairer = {"X-API-Key": key_for("reporter", REPAIRER)}
    regulator = {"X-API-Key": key_for("regulator")}
    mine = client.get("/v1/findings", params={"limit": 1000}, headers=repairer).json()["items"]
    assert mine and {c["company"] for c in mine} == {REPAIRER}
    assert client.get("/v1/findings", params={"company": MAKER}, headers=repairer).status_code == 403
    makers = [c for c in cases(client) if c["company"] not in (REPAIRER, None)]
    assert makers, "the world has findings naming other companies"
    assert client.get(f"/v1/findings/{makers[0]['id']}", headers=repairer).status_code == 404
    assert (
        client.post(f"/v1/findings/{makers[0]['id']}/answer", json={"note": "x"}, headers=repairer).status_code == 404
    )

    case = dark(client, A)
    client.patch(f"/v1/findings/{case['id']}", json={"note": "internal: check its licence"}, headers=regulator)
    client.patch(
        f"/v1/findings/{case['id']}", json={"note": "please answer by Friday", "shared": True}, headers=regulator
    )
    post(client, [late, theirs])
    # Only events the company reported itself may be named.
    res = client.post(
        f"/v1/findings/{case['id']}/answer", json={"events": [theirs["event_id"], "nope"]}, headers=repairer
    )
    assert res.status_code == 422
    assert [p["index"] for p in res.json()["errors"]] == [0, 1]
    res = client.post(
        f"/v1/findings/{case['id']}/answer",
        json={"note": "shipped to the recycler on the 3rd day; reported now", "events": [late["event_id"]]},
        headers=repairer,
    )
    assert res.status_code == 200, res.text
    assert (res.json()["status"], res.json()["answered_at"] is not None) == ("company_answered", True)

    seen = client.get(f"/v1/findings/{case['id']}", headers=repairer).json()["history"]
    assert [h["note"] for h in seen if h["kind"] == "note"] == ["please answer by Friday"]
    assert seen[-1]["kind"] == "answered" and seen[-1]["events"] == [late["event_id"]]
    feed = client.get("/v1/findings/changes", params={"limit": 1000}, headers=repairer).json()["items"]
    assert {c["company"] for c in feed} == {REPAIRER}
    assert "internal: check its licence" not in [c["note"] for c in feed]
    assert len(client.get(f"/v1/findings/{case['id']}").json()["history"]) == len(seen) + 1  # the internal note

    # The answer's events are the missing step: the next sweep resolves the case.
    sweep(client)
    assert dark(client, A)["status"] == "resolved"


def test_duties_are_listed_before_their_deadline_and_not_after(
    client: TestClient, db: Database, key_for: Callable[..., str]
) -> None:
    world(client, db)
    repairer = {"X-API-Key": key_for("reporter", REPAIRER)}
    soon = client.get("/v1/companies/me/duties", params={"as_of": day(110).isoformat()}, headers=repairer)
    assert soon.status_code == 200, soon.text
    owed = soon.json()["items"]
    assert sorted(d["battery"] for d in owed) == sorted([A, B])
    first = owed[0]
    assert first["rule"] == "dark_after_removal"
    calendar = make_calendar()
    assert first["deadline"] == calendar.add_workdays(day(100).date(), 30).isoformat()
    assert first["workdays_left"] == calendar.workdays_between(
        day(110).date(), calendar.add_workdays(day(100).date(), 30)
    )
    assert "next custodian" in first["due"]
    # Past the deadline it is a finding, not a duty.
    late = client.get("/v1/companies/me/duties", params={"as_of": AS_OF.isoformat()}, headers=repairer)
    assert late.json()["items"] == []
    assert client.get("/v1/companies/me/duties", params={"company": MAKER}, headers=repairer).status_code == 403


def test_the_stored_summary_equals_the_computed_one(client: TestClient, db: Database) -> None:
    world(client, db)
    assert client.get("/v1/leakage/summary").json()["source"] == "computed"  # nothing stored yet
    sweep(client)
    stored = client.get("/v1/leakage/summary").json()
    live = client.get("/v1/leakage/summary", params={"as_of": AS_OF.isoformat()}).json()
    assert (stored["source"], live["source"]) == ("stored", "computed")
    assert stored["as_of"] == live["as_of"]
    assert stored["events_since_sweep"] == 0
    for part in ("by_rule", "by_province", "by_company"):
        drop = {"seconds"}
        assert [{k: v for k, v in r.items() if k not in drop} for r in stored[part]] == [
            {k: v for k, v in r.items() if k not in drop} for r in live[part]
        ]
    assert stored["provinces"] == live["provinces"]
    post(client, [Events("more").repaired(A, day(600))])
    assert client.get("/v1/leakage/summary").json()["events_since_sweep"] == 1


def test_the_stored_summary_reads_the_sweeps_packs_per_province(client: TestClient, db: Database) -> None:
    """Counting packs per province reads every standing event: the stored summary takes the sweep's count."""
    world(client, db)
    sweep(client)
    counted = {p["province"]: p["packs"] for p in client.get("/v1/leakage/summary").json()["provinces"]}
    assert any(n > 0 for n in counted.values())
    db.write_unit(
        "t",
        lambda tx: tx.run(
            "MATCH (f:FindingFeed {id: 'findings'}) SET f.province_packs = [n IN f.province_packs | n + 1000]"
        ).consume(),
    )
    shown = {p["province"]: p["packs"] for p in client.get("/v1/leakage/summary").json()["provinces"]}
    assert shown == {p: n + 1000 if n else 0 for p, n in counted.items()}
    sweep(client)
    again = {p["province"]: p["packs"] for p in client.get("/v1/leakage/summary").json()["provinces"]}
    assert again == counted


def test_daily_counts_and_the_export(client: TestClient, db: Database) -> None:
    ev, taken = world(client, db)
    report = sweep(client)
    post(client, [ev.correction(taken[B]["event_id"], day(200), REPAIRER)])
    resolved = sweep(client)["resolved"]
    today = cst_date(datetime.now(UTC)).isoformat()  # the days are China Standard Time's
    days = client.get("/v1/findings/daily", params={"to": today}).json()["days"]
    assert sum(d["new"] for d in days) == report["opened"]
    assert sum(d["resolved"] for d in days) == resolved
    for d in days:
        assert d["open"] >= 0
    res = client.get("/v1/findings/export", params={"rule": "dark_after_removal"})
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(res.text)))
    assert sorted(r["battery"] for r in rows) == sorted([A, B])
    assert {r["status"] for r in rows} == {"open", "resolved"}
    assert client.get("/v1/findings", params={"status": "closed"}).status_code == 422
    # The export is streamed: a bad filter is refused before the answer begins, naming the field.
    refused = client.get("/v1/findings/export", params={"rule": ""})
    assert refused.status_code == 422 and "rule" in refused.text, refused.text
    assert client.get("/v1/findings/daily", params={"from": "2026-02-01", "to": "2026-01-01"}).status_code == 422


def test_the_feed_misses_nothing_while_writers_run(client: TestClient, db: Database) -> None:
    world(client, db)
    sweep(client)
    ids = [c["id"] for c in cases(client)]
    who = Principal(key_id="k-reg", role="regulator", company=None, name="test")
    failures: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(8):
                fid = ids[(n + i) % len(ids)]
                findings.update(db, fid, CaseUpdate(note=f"writer {n} note {i}"), who, None)
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    writers = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    polled: list[int] = []
    cursor = 0
    for t in writers:
        t.start()
    while any(t.is_alive() for t in writers):
        page = findings.changes(db, cursor, 5, provinces=None, company=None)
        polled.extend(c.seq for c in page.items)
        cursor = page.next_after
    for t in writers:
        t.join()
    assert failures == []
    rest = findings.changes(db, cursor, 1000, provinces=None, company=None)
    polled.extend(c.seq for c in rest.items)
    every = findings.changes(db, 0, 1000, provinces=None, company=None).items
    assert polled == [c.seq for c in every] == list(range(1, len(every) + 1))
    assert sum(1 for c in every if c.kind == "note") == 32


def _unresolved(client: TestClient) -> set[str]:
    return {c["id"] for c in cases(client) if c["resolved_at"] is None}


def test_maintenance_alone_resolves_a_late_step_and_reopens_it_when_voided(client: TestClient, db: Database) -> None:
    """The events an ingest logged are maintained for the batteries they touch, with no full sweep."""
    ev, taken = world(client, db)
    sweep(client)
    swept_at = findings_repo.feed_state(db).swept_at
    opened, other = dark(client, A), dark(client, B)
    assert findings.maintain(db, make_calendar(), as_of=AS_OF) is None  # nothing logged since the sweep

    late = [ev.shipped(A, RECYCLER, day(102), REPAIRER), ev.received(A, REPAIRER, day(104), RECYCLER)]
    post(client, late)
    report = findings.maintain(db, make_calendar(), as_of=AS_OF)
    assert report is not None and report.applied and report.events == 2
    assert A in report.touched and B not in report.touched
    assert report.resolved >= 1 and report.reopened == 0
    # The one finding it opened: the shipment was reported late.
    assert {c["rule"] for c in cases(client) if c["first_seen"] > opened["first_seen"]} == {"late_report"}
    resolved = dark(client, A)
    assert (resolved["id"], resolved["status"]) == (opened["id"], "resolved")
    assert resolved["resolved_by"] in {e["event_id"] for e in late}
    assert dark(client, B) == other  # out of scope: untouched
    state = findings_repo.feed_state(db)
    assert state.swept_at == swept_at and state.log_seen == state.log_size  # no sweep ran
    assert state.events_seen == state.events_now

    post(client, [ev.correction(e["event_id"], day(300), e["reporter"]) for e in late])
    again = findings.maintain(db, make_calendar(), as_of=AS_OF)
    assert again is not None and again.reopened >= 1
    reopened = dark(client, A)
    assert (reopened["id"], reopened["status"], reopened["resolved_at"]) == (opened["id"], "open", None)
    kinds = [c["kind"] for c in client.get(f"/v1/findings/{opened['id']}").json()["history"]]
    assert kinds == ["opened", "resolved", "reopened"]

    # A correction of the other removal resolves B's finding, naming the correction.
    voided = ev.correction(taken[B]["event_id"], day(200), REPAIRER)
    post(client, [voided])
    assert findings.maintain(db, make_calendar(), as_of=AS_OF) is not None
    assert (dark(client, B)["status"], dark(client, B)["resolved_by"]) == ("resolved", voided["event_id"])
    assert findings_repo.feed_state(db).swept_at == swept_at
    computed, _ = findings.compute(db, make_calendar(), AS_OF, workers=1)
    assert set(computed) == _unresolved(client)


def test_after_a_live_series_of_ingests_maintenance_equals_the_rebuild(client: TestClient, db: Database) -> None:
    """Ingests of every kind, each maintained on its own: the stored set is what the rules give from scratch."""
    ev, taken = world(client, db)
    sweep(client)
    scrapped_at = day(400)
    series = [
        [ev.shipped(A, RECYCLER, day(102), REPAIRER)],  # a shipment with no receipt: lost in transit
        [ev.received(A, REPAIRER, day(104), RECYCLER)],  # its receipt, a step later
        [ev.scrapped(vin(3), scrapped_at)],  # a vehicle scrapped with no pack ever in it
        [ev.installed(pack(3), vin(3), day(300))],  # it had one: that finding goes, the pack's silence too
        [ev.scrapped(vin(1), scrapped_at)],  # A's vehicle, scrapped without it
        [ev.correction(taken[B]["event_id"], day(200), REPAIRER)],
        [ev.recycled(A, day(120), RECYCLER)],
    ]
    for events in series:
        post(client, events)
        report = findings.maintain(db, make_calendar(), as_of=AS_OF)
        assert report is not None and report.applied
        computed, _ = findings.compute(db, make_calendar(), AS_OF, workers=1)
        assert set(computed) == _unresolved(client), events[0]["type"]
    state = findings_repo.feed_state(db)
    assert state.events_seen == state.events_now and state.log_seen == state.log_size
    scraps = cases(client, rule="battery_missing_at_scrap")
    assert {(c["battery"], c["status"]) for c in scraps} >= {(None, "resolved"), (A, "open")}  # vin(3), then vin(1)
