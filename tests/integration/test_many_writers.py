"""Four writer processes, each with its own driver, capture overlapping batches at once against the
real server: every acknowledged event is stored and logged exactly once, no deadlock reaches a
writer, chains verify, and every battery's projection equals a fresh replay of its events.

In each round every writer sends a batch at the same moment (a barrier), and the batches of one
round name the same batteries, so two (or four) writers lock the same batteries, vehicles and
companies at once. Some events are sent by two writers (the exactly-once part); swaps name two
batteries; batteries share vehicles, so their projections lock common nodes.
"""

from __future__ import annotations

import multiprocessing as mp
import random
import threading
import traceback
from dataclasses import dataclass, field
from typing import Any

import pytest

from app.config import Settings
from app.db import Database
from app.services.ingest import grouping, ingest_raw
from app.services.integrity import verify_battery
from app.services.ledger_upgrade import audit_log
from app.services.reproject import reproject_all
from app.services.trace import get_battery, vehicle_batteries
from tests.factories import (
    AUTOMAKER,
    MAKER,
    STATION_A,
    STATION_B,
    SWAP_OP,
    Events,
    day,
    pack,
    seed_registry,
    vin,
)

WRITERS = 4
PACKS = 16  # installed two to a vehicle over time
SPARES = 4  # held by the swap operator, swapped into vehicles
VEHICLES = 8
ROUNDS = 12


def _lifecycles() -> list[list[dict[str, Any]]]:
    """Each battery's events (swaps name two batteries; a vehicle's sale goes with its first pack)."""
    ev = Events("mw")
    lives: list[list[dict[str, Any]]] = []
    for i in range(PACKS):
        code, car, later = pack(i + 1), vin(i % VEHICLES + 1), i >= VEHICLES
        start = 40 if later else 0
        life = [
            ev.produced(code, day(start)),
            ev.shipped(code, AUTOMAKER, day(start + 1), MAKER),
            ev.received(code, MAKER, day(start + 3), AUTOMAKER),
            ev.installed(code, car, day(start + 10)),
            ev.repaired(code, day(start + 20)),
        ]
        if not later:
            life += [ev.sold(car, day(12)), ev.removed(code, car, day(30), AUTOMAKER, "replacement")]
        lives.append(life)
    for s in range(SPARES):
        code, car = pack(100 + s), vin(2 * s + 2)  # even vehicles can swap
        out = pack(2 * s + 2 + VEHICLES)  # the later pack in that vehicle
        station = STATION_A if s % 2 else STATION_B
        lives.append(
            [
                ev.produced(code, day(1)),
                ev.shipped(code, SWAP_OP, day(2), MAKER),
                ev.received(code, MAKER, day(4), SWAP_OP),
                ev.swapped(car, station, out, code, day(70 + s)),
            ]
        )
    return lives


@dataclass
class _Plan:
    batches: list[list[list[dict[str, Any]]]] = field(default_factory=list)  # writer -> round -> batch
    events: dict[str, dict[str, Any]] = field(default_factory=dict)


def _plan(seed: int) -> _Plan:
    """Round r's batches all draw on the same batteries; a fifth of the events go to two writers."""
    rng = random.Random(seed)
    lives = _lifecycles()
    plan = _Plan(batches=[[[] for _ in range(ROUNDS)] for _ in range(WRITERS)])
    for n, life in enumerate(lives):
        for event in life:
            plan.events[event["event_id"]] = event
            r = (n + rng.randrange(3)) % ROUNDS
            senders = rng.sample(range(WRITERS), 2 if rng.random() < 0.2 else 1)
            for w in senders:
                plan.batches[w][r].append(event)
    # Every writer sends something in every round, so the barrier lines them all up.
    for w in range(WRITERS):
        for r in range(ROUNDS):
            if not plan.batches[w][r]:
                plan.batches[w][r].append(rng.choice(lives[r % len(lives)]))
            rng.shuffle(plan.batches[w][r])
    return plan


def _send_halves(db: Database, batch: list[dict[str, Any]]) -> list[tuple[list[str], int, int]]:
    """The batch in two halves sent at once from two threads: the process commits them as a group."""
    halves = [batch[: len(batch) // 2], batch[len(batch) // 2 :]]
    done: list[tuple[list[str], int, int] | BaseException] = []

    def send(half: list[dict[str, Any]]) -> None:
        try:
            result = ingest_raw(db, half)
            done.append(([e["event_id"] for e in half], result.accepted, result.duplicates))
        except BaseException as exc:  # re-raised below, in the writer
            done.append(exc)

    threads = [threading.Thread(target=send, args=(half,)) for half in halves if half]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for item in done:
        if isinstance(item, BaseException):
            raise item
    return [item for item in done if not isinstance(item, BaseException)]


def _writer(settings: Settings, batches: list[list[dict[str, Any]]], barrier: Any, out: Any, halves: bool) -> None:
    """One writer process: its own driver, one batch per round, each round started with the others
    (with ``halves``, each round's batch as two concurrent requests, grouped into one transaction)."""
    db = Database(settings)
    acknowledged: list[tuple[list[str], int, int]] = []
    try:
        for batch in batches:
            barrier.wait(timeout=120)
            if halves:
                acknowledged.extend(_send_halves(db, batch))
                continue
            result = ingest_raw(db, batch)
            acknowledged.append(([e["event_id"] for e in batch], result.accepted, result.duplicates))
        coalescer = grouping(db)
        out.put(("ok", acknowledged, db.write_retries, (coalescer.groups, coalescer.members) if coalescer else (0, 0)))
    except Exception:  # the test fails on any, and shows it
        barrier.abort()
        out.put(("error", traceback.format_exc(), db.write_retries))
    finally:
        db.close()


def _projection(db: Database, codes: list[str], vins: list[str]) -> dict[str, Any]:
    """What the projection holds: each battery's stored state and each vehicle's installations."""
    state: dict[str, Any] = {code: get_battery(db, code).model_dump() for code in codes}
    state.update({car: vehicle_batteries(db, car).model_dump() for car in vins})
    return state


@pytest.mark.parametrize("halves", [False, True], ids=["one-request-per-round", "grouped-halves"])
def test_four_writers_overlapping_batteries_store_each_event_once(
    db: Database, settings: Settings, halves: bool
) -> None:
    seed_registry(db, vehicles=VEHICLES)
    plan = _plan(seed=15)
    # Grouped: a window long enough that each process's two halves share one transaction.
    settings = settings.model_copy(update={"ingest_group_ms": 200.0}) if halves else settings
    ctx = mp.get_context("spawn")  # a fresh interpreter per writer: no driver state forked
    barrier = ctx.Barrier(WRITERS)
    out = ctx.Queue()
    procs = [
        ctx.Process(target=_writer, args=(settings, plan.batches[w], barrier, out, halves)) for w in range(WRITERS)
    ]
    for p in procs:
        p.start()
    reports = [out.get(timeout=240) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    failures = [r[1] for r in reports if r[0] != "ok"]
    assert not failures, "a writer saw an error:\n" + "\n".join(failures)
    assert all(p.exitcode == 0 for p in procs)
    if halves:
        groups, members = (sum(r[3][i] for r in reports) for i in (0, 1))
        assert members > groups, f"the halves were grouped: {members} requests in {groups} transactions"

    # Exactly once: the acknowledgements add up, and the store and the log hold each event once.
    sent = {eid for r in reports for ids, _, _ in r[1] for eid in ids}
    assert sent == set(plan.events)
    accepted = sum(a for r in reports for _, a, _ in r[1])
    assert accepted == len(plan.events), "each event accepted by exactly one writer, the others duplicates"
    stored = db.read("ingest.existing_events", ids=sorted(plan.events))
    assert sorted(r["event_id"] for r in stored) == sorted(plan.events)
    logged = db.read("log.entries", ids=sorted(plan.events))
    assert sorted(r["index"] for r in logged) == list(range(len(plan.events)))
    report = audit_log(db)
    assert report.valid, report.problems
    assert report.size == len(plan.events)

    codes = sorted({e.get("battery") or e.get("battery_in") for e in plan.events.values()} - {None})
    assert len(codes) == PACKS + SPARES
    for code in codes:
        verified = verify_battery(db, code)
        assert verified.valid, (code, verified.problems)

    # The projection written by racing writers equals a fresh replay of the stored events.
    vins = [vin(i + 1) for i in range(VEHICLES)]
    raced = _projection(db, codes, vins)
    assert reproject_all(db, batch_size=7) == len(codes)
    assert _projection(db, codes, vins) == raced
    assert any(b["current_vehicle"] for b in raced.values() if isinstance(b, dict) and "current_vehicle" in b)
