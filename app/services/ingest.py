"""Event capture: the one ingest path shared by the API and every loader.

A batch is all-or-nothing. Everything that can be checked without the graph is checked before
a transaction opens; references to registered companies, stations and corrected events are
checked inside the write transaction, so the answer (accepted, duplicate, conflict, invalid)
and the write come from the same snapshot. The lifecycle projection is rebuilt in the same
transaction (``app.services.projection``), so a reader never sees an event without its effect.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from neo4j import ManagedTransaction
from neo4j.exceptions import ConstraintError
from pydantic import BaseModel, ValidationError

from app.db import Causality, Database, causal_scope, current_causality
from app.errors import Conflict, Contended, FieldProblem, Forbidden, InvalidInput, validation_problems
from app.ledger.verifier import record_hash
from app.lifecycle import EventRow, epoch_ms, event_row, roles_in
from app.repositories import ingest as repo
from app.repositories.ingest import KnownReferences
from app.schemas.events import Event, IngestResult, IngestWarning, canonical_payload, event_adapter
from app.services.chain import content_hash, extend_chains
from app.services.claims import OPERATOR, Actor, capture_warnings, check_claims
from app.services.ingest_group import Coalescer, Member
from app.services.ingest_plan import Plan, PreparedEvent, plan_rows
from app.services.ledger import Appended, Signing, append_records, receipt
from app.services.projection import refresh_projection

# Transactions a batch may run when concurrent writers keep committing its ids first.
CONSTRAINT_PASSES = 5

# Clock skew we tolerate between reporters and us before calling an event "in the future".
FUTURE_TOLERANCE = timedelta(hours=24)


def validate_raw(raw_events: Sequence[object]) -> list[Any]:
    """Validate dicts (from files or EPCIS mapping) exactly as the API would; 422 lists all."""
    models: list[Any] = []
    problems: list[FieldProblem] = []
    for i, raw in enumerate(raw_events):
        try:
            models.append(event_adapter.validate_python(raw))
        except ValidationError as err:
            event_id = raw.get("event_id") if isinstance(raw, dict) else None
            located = [{**e, "loc": ("events", i, *e["loc"])} for e in err.errors()]
            problems.extend(
                FieldProblem(p.field, p.reason, i, str(event_id) if event_id else None)
                for p in validation_problems(located)
            )
    if problems:
        raise _rejected(problems)
    return models


def _rejected(problems: list[FieldProblem]) -> InvalidInput:
    count = len({p.index for p in problems})
    return InvalidInput(problems, f"{count} invalid event(s); nothing was stored")


def _prepare(events: Sequence[BaseModel], allow_recorded_at: bool, now: datetime) -> tuple[list[PreparedEvent], int]:
    """Check what needs no database; collapse exact repeats inside the batch."""
    problems: list[FieldProblem] = []
    seen: dict[str, PreparedEvent] = {}
    repeats = 0
    for i, model in enumerate(events):
        payload = canonical_payload(model)
        eid = payload["event_id"]
        recorded_at = getattr(model, "recorded_at", None)
        if recorded_at is not None and not allow_recorded_at:
            problems.append(
                FieldProblem("recorded_at", "set by the server; only the admin import may carry it", i, eid)
            )
        occurred_at: datetime = model.occurred_at  # type: ignore[attr-defined]
        if occurred_at > now + FUTURE_TOLERANCE:
            problems.append(FieldProblem("occurred_at", f"{occurred_at.isoformat()} is in the future", i, eid))
        recorded = recorded_at or now
        prepared = PreparedEvent(
            i, model, payload, content_hash(payload), recorded, record_hash(payload, recorded, recorded_at is not None)
        )
        earlier = seen.get(eid)
        if earlier is None:
            seen[eid] = prepared
        elif earlier.content_hash == prepared.content_hash:
            repeats += 1
        else:
            problems.append(
                FieldProblem(
                    "event_id",
                    f"repeated in this batch (index {earlier.index}) with other content",
                    i,
                    eid,
                )
            )
    if problems:
        raise _rejected(problems)
    return list(seen.values()), repeats


def _check_references(tx: ManagedTransaction, fresh: list[PreparedEvent]) -> KnownReferences:
    usccs: set[str] = set()
    stations: set[str] = set()
    targets: set[str] = set()
    for ev in fresh:
        p = ev.payload
        usccs.add(p["reporter"])
        usccs.update(p[k] for k in ("to", "from") if k in p)
        if "station" in p:
            stations.add(p["station"])
        if p["type"] == "correction":
            targets.add(p["corrects"])
    known = repo.known_references(tx, sorted(usccs), sorted(stations), sorted(targets))
    in_batch = {ev.event_id: ev.payload["type"] for ev in fresh}
    problems: list[FieldProblem] = []
    for ev in fresh:
        p, i, eid = ev.payload, ev.index, ev.event_id
        for key in ("reporter", "to", "from"):
            if key in p and p[key] not in known.companies:
                problems.append(FieldProblem(key, f"company {p[key]} is not registered", i, eid))
        if "station" in p and p["station"] not in known.stations:
            problems.append(FieldProblem("station", f"swap station {p['station']} is not registered", i, eid))
        if p["type"] == "correction":
            target = p["corrects"]
            stored = known.events.get(target)
            target_type = stored.type if stored is not None else in_batch.get(target)
            if target not in known.events and target not in in_batch:
                problems.append(FieldProblem("corrects", f"no event {target} is stored or in this batch", i, eid))
            elif target_type == "correction":
                problems.append(FieldProblem("corrects", "a correction cannot be corrected; send a new event", i, eid))
    if problems:
        raise _rejected(problems)
    return known


@dataclass
class _Written:
    accepted: int
    duplicates: int
    warnings: list[IngestWarning] = field(default_factory=list)
    foreign_voids: list[str] = field(default_factory=list)
    logged: list[PreparedEvent] = field(default_factory=list)
    appended: Appended | None = None


def _write_batch(tx: ManagedTransaction, prepared: list[PreparedEvent], actor: Actor, log: bool = True) -> _Written:
    # Locks in one order for every writer, so concurrent batches queue rather than deadlock:
    # stored batteries, new batteries (the constraint's lock), stored vehicles, new vehicles, each
    # in key order; then events in id order; the log's lock last of all (see append_records).
    # What a batch checks against the store it reads after taking its batteries' locks, so a batch
    # racing another on one battery sees the other's committed events (duplicates, a production).
    codes, vins = _subjects(prepared)
    subjects = repo.stored_subjects(tx, codes, vins)
    repo.lock_nodes(tx, list(subjects.batteries.values()))
    ids = [ev.event_id for ev in prepared]
    stored = repo.stored_hashes(tx, ids)
    conflicts = [ev.event_id for ev in prepared if ev.event_id in stored and stored[ev.event_id] != ev.content_hash]
    if conflicts:
        raise Conflict(
            f"{len(conflicts)} event_id(s) already stored with different content; nothing was stored",
            conflicts,
        )
    fresh = [ev for ev in prepared if ev.event_id not in stored]
    if not fresh:
        return _Written(0, len(prepared))
    known = _check_references(tx, fresh)
    plan = plan_rows(fresh)
    new_codes = repo.merge_batteries(tx, [plan.batteries[c] for c in sorted(plan.batteries)])
    _unless_raced(set(plan.batteries) - new_codes - set(subjects.batteries), "batteries")
    indexed = [(ev.index, ev.payload) for ev in fresh]
    outcome = check_claims(tx, indexed, known, actor)  # after the MERGE: a racing creator has committed
    repo.lock_nodes(tx, list(subjects.vehicles.values()))
    new_vins = repo.merge_vehicles(tx, sorted(plan.vins))
    _unless_raced(plan.vins - new_vins - set(subjects.vehicles), "vehicles")
    repo.create_events(tx, sorted(plan.events, key=lambda row: str(row["event_id"])))
    repo.link_events(
        tx,
        batteries=plan.battery_links,
        vehicles=plan.vehicle_links,
        stations=plan.station_links,
        recipients=plan.recipient_links,
        senders=plan.sender_links,
    )
    stored_codes = set(plan.batteries) - new_codes
    affected_vins = set(plan.vins)
    chained = [(link["event_id"], link["code"]) for link in plan.battery_links]
    for link in repo.link_corrections(tx, plan.corrections):
        if link.code:
            chained.append((link.event_id, link.code))
            if link.code not in new_codes:
                stored_codes.add(link.code)
        if link.vin:
            affected_vins.add(link.vin)
    _extend_chains(tx, fresh, chained)
    new_rows = _rows_of_new_batteries(fresh, new_codes)
    lives = refresh_projection(tx, sorted(stored_codes), sorted(affected_vins), new_rows)
    warnings = [
        IngestWarning(index=i, event_id=w.event_id, battery=w.battery, code=w.code, message=w.message)
        for i, w in capture_warnings(tx, indexed, known, lives)
    ]
    # Last, so the log's lock is held only for the append: the log's order is the commit order.
    appended = append_records(tx, [(ev.event_id, ev.record) for ev in fresh]) if log else None
    return _Written(len(fresh), len(prepared) - len(fresh), warnings, outcome.foreign_voids, fresh, appended)


class _Raced(Exception):
    """Another batch created batteries or vehicles of ours after we looked them up, so we hold no
    lock on them yet; taking it now would break the order. The transaction starts again: they are
    stored now, and locked in order with the rest."""


def _unless_raced(keys: set[str], kind: str) -> None:
    if keys:
        raise _Raced(f"{kind} created by a concurrent batch: {', '.join(sorted(keys)[:3])}")


def _subjects(prepared: list[PreparedEvent]) -> tuple[list[str], list[str]]:
    """Every battery code and VIN the batch names (duplicates too), each sorted: what it locks."""
    codes = {code for ev in prepared for code, _ in roles_in(ev.payload)}
    vins = {str(ev.payload["vehicle"]) for ev in prepared if "vehicle" in ev.payload}
    return sorted(codes), sorted(vins)


def _extend_chains(tx: ManagedTransaction, fresh: list[PreparedEvent], chained: list[tuple[str, str]]) -> None:
    """Append this batch's events to each battery's hash chain, in batch order."""
    if not chained:
        return
    position = {ev.event_id: ev.index for ev in fresh}
    hashes = {ev.event_id: ev.record for ev in fresh}
    ordered = sorted(dict.fromkeys(chained), key=lambda pair: position[pair[0]])
    codes = sorted({code for _, code in ordered})
    heads = repo.chain_heads(tx, codes)
    update = extend_chains(heads, ((code, eid, hashes[eid]) for eid, code in ordered))
    repo.extend_chains(tx, update.links, update.heads)


def _rows_of_new_batteries(fresh: list[PreparedEvent], new_codes: set[str]) -> dict[str, list[EventRow]]:
    """Replay input for batteries first named in this batch: all their events are here, so
    there is nothing to read back."""
    voided = {ev.payload["corrects"] for ev in fresh if ev.payload["type"] == "correction"}
    rows: dict[str, list[EventRow]] = {code: [] for code in sorted(new_codes)}
    for ev in fresh:
        p = ev.payload
        if ev.event_id in voided or p["type"] == "correction":
            continue
        t = epoch_ms(ev.model.occurred_at)
        for code, role in roles_in(p):
            if code in rows:
                rows[code].append(event_row(code, role, t, p))
    return rows


def _write_until_settled(db: Database, work: Callable[[ManagedTransaction], _Written]) -> _Written:
    """Run the batch's transaction; when another writer committed some of its ids between our check
    and our insert (the constraint refuses ours), or created batteries or vehicles we name after we
    looked them up (``_Raced``), run it again: the next pass sees them, locks them in order, and
    answers duplicate or conflict like any other resend. Each such pass means another batch
    committed meanwhile, so a few suffice even with many writers sending one batch."""
    for _ in range(CONSTRAINT_PASSES - 1):
        try:
            return db.write_unit("ingest.create_events", work)
        except (ConstraintError, _Raced):
            continue
    try:
        return db.write_unit("ingest.create_events", work)
    except _Raced as exc:
        raise Contended(f"{exc}, pass after pass; nothing was stored", db.settings.retry_after_s) from None


@dataclass
class _Batch:
    """A batch as a group member: what ``_write_batch`` takes, and the caller's causal scope."""

    prepared: list[PreparedEvent]
    actor: Actor
    log: bool
    scope: Causality | None


class _Refused(Exception):
    """A member's own refusal (invalid, conflicting, a claim it may not make): the group is rolled
    back and written again without it, so one bad batch never fails another."""

    def __init__(self, position: int, error: Exception) -> None:
        self.position, self.error = position, error


#: Refusals that belong to one batch; anything else (Neo4j away, an outdated log) fails the group.
_OWN_REFUSALS = (InvalidInput, Conflict, Forbidden)


def _write_group(tx: ManagedTransaction, batches: list[_Batch]) -> list[_Written]:
    """Several batches in one transaction, in arrival order, each as it would be alone (each sees
    the ones before it as stored), then one append to the log for all of them."""
    if len(batches) > 1:
        # Every member's stored batteries first, in one key order, as a lone batch takes its own.
        codes = sorted({code for b in batches for code in _subjects(b.prepared)[0]})
        repo.lock_nodes(tx, list(repo.stored_subjects(tx, codes, []).batteries.values()))
    written: list[_Written] = []
    for position, batch in enumerate(batches):
        try:
            written.append(_write_batch(tx, batch.prepared, batch.actor, log=False))
        except _OWN_REFUSALS as exc:
            raise _Refused(position, exc) from None
    logged = [(b, w) for b, w in zip(batches, written, strict=True) if b.log and w.logged]
    if logged:
        group = append_records(tx, [(ev.event_id, ev.record) for _, w in logged for ev in w.logged])
        first = group.first
        for _, w in logged:
            # Each batch's entries and the group's head: a head that includes them all.
            w.appended = Appended(first, group.size, group.root, group.tiles)
            first += len(w.logged)
    return written


def _commit_group(db: Database, members: list[Member[_Batch, _Written]]) -> None:
    """Commit the members together; a member refused is answered with its refusal and the rest
    written again without it; concurrent writers' races run the group again, as for one batch."""
    pending = list(members)
    passes = 0
    while pending:
        after = [raw for m in pending if m.item.scope for raw in (*m.item.scope.after, *m.item.scope.written)]
        try:
            with causal_scope(after) as scope:
                written = db.write_unit("ingest.create_events", lambda tx: _write_group(tx, [m.item for m in pending]))
        except _Refused as refused:
            pending.pop(refused.position).error = refused.error
            continue
        except (ConstraintError, _Raced) as exc:
            passes += 1
            if passes < CONSTRAINT_PASSES:
                continue
            error: Exception = exc
            if isinstance(exc, _Raced):
                error = Contended(f"{exc}, pass after pass; nothing was stored", db.settings.retry_after_s)
            for m in pending:
                m.error = error
            return
        for m, w in zip(pending, written, strict=True):
            m.result = w
            if m.item.scope is not None:
                m.item.scope.written = list(scope.written)
        return


_coalescers: weakref.WeakKeyDictionary[Database, Coalescer[_Batch, _Written]] = weakref.WeakKeyDictionary()


def _coalescer(db: Database) -> Coalescer[_Batch, _Written] | None:
    """The process's group commit for this database, or None when it is switched off."""
    if db.settings.ingest_group_ms <= 0:
        return None
    found = _coalescers.get(db)
    if found is None:
        s = db.settings
        found = _coalescers.setdefault(
            db,
            Coalescer(
                s.ingest_group_ms / 1000, s.ingest_group_max_events, s.ingest_group_slots, partial(_commit_group, db)
            ),
        )
    return found


def grouping(db: Database) -> Coalescer[_Batch, _Written] | None:
    """This process's group commit for ``db`` (its counts of groups and members), or None when off."""
    return _coalescer(db)


def ingest_events(
    db: Database,
    events: Sequence[Event] | Sequence[BaseModel],
    *,
    allow_recorded_at: bool = False,
    now: datetime | None = None,
    actor: Actor = OPERATOR,
    signing: Signing | None = None,
    log: bool = True,
) -> IngestResult:
    """Store a batch atomically; idempotent on event_id; returns once the transaction committed.

    With ``signing`` the answer carries a receipt for the new events (with their inclusion paths
    for a small batch), signed after the commit. ``log=False`` exists only for the benchmark that
    measures what the log costs; no route or loader passes it.

    ``actor`` decides only what an admin may do beyond a company (void another's event); the
    claims themselves are judged by their ``reporter``, which the API holds to the key's company."""
    now = now or datetime.now(UTC)
    prepared, repeats = _prepare(events, allow_recorded_at, now)

    def work(tx: ManagedTransaction) -> _Written:
        return _write_batch(tx, prepared, actor, log)

    grouped = _coalescer(db) if len(prepared) <= db.settings.ingest_group_max_events else None
    if grouped is not None:
        written = grouped.submit(_Batch(prepared, actor, log, current_causality()), len(prepared))
    else:
        with db.write_slots:
            written = _write_until_settled(db, work)
    signed = None
    if signing is not None and written.appended is not None and written.logged:
        logged = [(ev.payload, ev.content_hash, ev.record, ev.recorded_at, ev.imported) for ev in written.logged]
        signed = receipt(db, signing.signer, logged, written.appended, len(logged) <= signing.proofs_max)
    return IngestResult(
        accepted=written.accepted,
        duplicates=written.duplicates + repeats,
        warnings=written.warnings,
        voided_for_others=written.foreign_voids,
        receipt=signed,
    )


def plan_offline(raw_events: Sequence[object], now: datetime) -> Plan:
    """The rows a batch of file events would write, checked as ingestion checks them but without a
    database (no references, duplicates or projection): the input of an offline bulk import."""
    prepared, _ = _prepare(validate_raw(raw_events), True, now)
    return plan_rows(prepared)


def ingest_raw(
    db: Database,
    raw_events: Sequence[object],
    *,
    allow_recorded_at: bool = False,
    actor: Actor = OPERATOR,
    signing: Signing | None = None,
) -> IngestResult:
    """For loaders and EPCIS capture: validate plain dicts with the API's models, then ingest."""
    models = validate_raw(raw_events)
    return ingest_events(db, models, allow_recorded_at=allow_recorded_at, actor=actor, signing=signing)
