"""Group commit against the real server: batches sent at once by threads of one process share one
transaction; each is answered with its own result or refusal, a bad one never fails the others,
every acknowledged event is stored and logged once, and resending is a duplicate."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from app.config import Settings
from app.db import Database, causal_scope
from app.errors import ClaimRefused, Conflict, InvalidInput
from app.schemas.events import IngestResult
from app.services.ingest import grouping, ingest_raw
from app.services.integrity import verify_battery
from app.services.ledger_upgrade import audit_log
from tests.factories import AUTOMAKER, MAKER, Events, day, pack, seed_registry, uscc


@pytest.fixture
def grouped_db(db: Database, settings: Settings) -> Iterator[Database]:
    """A second driver whose batches wait up to 1.5 s for company: all of a test's arrive in one group."""
    grouped = Database(settings.model_copy(update={"ingest_group_ms": 1500.0, "ingest_group_slots": 1}))
    yield grouped
    grouped.close()


def _at_once(
    db: Database, batches: list[list[dict[str, Any]]]
) -> list[tuple[IngestResult | None, Exception | None, list[str]]]:
    """Each batch from its own thread, started together; (result, error, bookmarks written) each."""
    barrier = threading.Barrier(len(batches))
    out: list[tuple[IngestResult | None, Exception | None, list[str]]] = [(None, None, [])] * len(batches)

    def send(i: int) -> None:
        barrier.wait(timeout=30)
        with causal_scope() as scope:
            try:
                out[i] = (ingest_raw(db, batches[i]), None, scope.written)
            except Exception as exc:  # the test inspects each one
                out[i] = (None, exc, scope.written)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(batches))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return out


def _fields(error: Exception | None) -> set[str]:
    assert isinstance(error, InvalidInput), error
    return {p.field for p in error.problems}


def test_a_group_with_bad_batches_commits_the_good_ones_and_refuses_each_bad_one(
    db: Database, grouped_db: Database
) -> None:
    seed_registry(db)
    ev = Events("gc")
    stored = ev.produced(pack(9), day(0))
    assert ingest_raw(db, [stored]).accepted == 1
    shared = ev.shipped(pack(1), AUTOMAKER, day(2), MAKER)
    good = [
        [ev.produced(pack(1), day(1)), shared],
        [ev.produced(pack(2), day(1)), ev.repaired(pack(9), day(3))],
        [shared, ev.produced(pack(3), day(1))],  # one event also sent by the first batch
    ]
    unregistered = [ev.produced(pack(4), day(1)), ev.repaired(pack(9), day(4), reporter=uscc(99))]
    not_the_maker = [ev.produced(pack(5), day(1), reporter=AUTOMAKER)]
    other_content = [{**stored, "occurred_at": day(5).isoformat()}, ev.repaired(pack(9), day(6))]
    results = _at_once(grouped_db, [*good, unregistered, not_the_maker, other_content])

    coalescer = grouping(grouped_db)
    assert coalescer is not None
    assert (coalescer.groups, coalescer.members) == (1, 6), "the six batches shared one group"
    for result, error, bookmarks in results[:3]:
        assert error is None and result is not None
        assert bookmarks, "a grouped write hands its bookmarks to every member's scope"
    good_ids = {e["event_id"] for batch in good for e in batch}
    assert sum(r.accepted for r, _, _ in results[:3] if r) == len(good_ids)
    assert sum(r.duplicates for r, _, _ in results[:3] if r) == 1, "the shared event stored once"
    assert "reporter" in _fields(results[3][1])
    assert isinstance(results[4][1], ClaimRefused)
    assert isinstance(results[5][1], Conflict)

    refused_ids = {e["event_id"] for batch in (unregistered, not_the_maker, other_content) for e in batch}
    refused_ids.discard(stored["event_id"])
    rows = db.read("ingest.existing_events", ids=sorted(good_ids | refused_ids | {stored["event_id"]}))
    assert {r["event_id"] for r in rows} == good_ids | {stored["event_id"]}, "nothing of a refused batch stored"
    logged = db.read("log.entries", ids=sorted(good_ids | {stored["event_id"]}))
    assert sorted(r["index"] for r in logged) == list(range(len(good_ids) + 1))
    report = audit_log(db)
    assert report.valid and report.size == len(good_ids) + 1, report.problems
    for code in (pack(1), pack(2), pack(3), pack(9)):
        verified = verify_battery(db, code)
        assert verified.valid, (code, verified.problems)

    # Resending the good batches together: all duplicates, nothing new in the log.
    again = _at_once(grouped_db, good)
    assert all(e is None for _, e, _ in again)
    assert [(r.accepted, r.duplicates) for r, _, _ in again if r] == [(0, len(b)) for b in good]
    assert audit_log(db).size == len(good_ids) + 1


def test_every_member_of_an_invalid_only_group_hears_its_own_refusal(db: Database, grouped_db: Database) -> None:
    seed_registry(db)
    ev = Events("gcbad")
    batches = [[ev.repaired(pack(1), day(1), reporter=uscc(90 + i))] for i in range(3)]
    results = _at_once(grouped_db, batches)
    for i, (result, error, _) in enumerate(results):
        assert result is None
        assert isinstance(error, InvalidInput)
        assert any(uscc(90 + i) in p.reason for p in error.problems), "each refusal names its own batch's company"
    assert db.read("ingest.existing_events", ids=[b[0]["event_id"] for b in batches]) == []
