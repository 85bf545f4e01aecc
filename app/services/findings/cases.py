"""Cases: a regulator works a stored finding (status, assignee, notes) and the company answers it.

Every change is one transaction that takes the feed's lock, checks the case as it is then, changes
it and appends the change to the feed, which is the case's history; the request itself is in the
audit trail, whose note names the finding and the change. Who may do what:

- a regulator (or admin) sets ``open``, ``under_review``, ``confirmed`` or ``dismissed`` (with a
  note saying why), assigns the case and adds notes, shared with the company or not;
- the company named answerable answers with a note, the events it has since reported, or both,
  which moves the case to ``company_answered``;
- ``resolved`` is the record's: a sweep sets it when the rule no longer fires, and reopens the case
  when it fires again. A resolved case takes notes but no status.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from neo4j import ManagedTransaction

from app.db import Database
from app.errors import Conflict, FieldProblem, InvalidInput, NotFound
from app.repositories import findings as repo
from app.schemas.findings import Case, CaseDetail, CaseUpdate, CompanyAnswer
from app.security import Principal


def _not_found(finding_id: str) -> NotFound:
    return NotFound(f"no finding {finding_id!r}")


def visible(case: Case, who: Principal, provinces: Collection[str] | None) -> bool:
    """A province-limited key sees its provinces' cases; a reporter the cases naming its company."""
    if who.role == "reporter":
        return case.company == who.company
    return provinces is None or case.province in provinces


def detail(db: Database, finding_id: str, who: Principal, provinces: Collection[str] | None) -> CaseDetail:
    case = repo.get(db, finding_id)
    if case is None or not visible(case, who, provinces):
        raise _not_found(finding_id)
    history = repo.history(db, finding_id)
    if who.role == "reporter":
        history = [c for c in history if c.kind != "note" or c.shared]
    return CaseDetail(case=case, history=history)


def _change(case: Case, kind: str, at: datetime, who: Principal, status: str, **extra: Any) -> dict[str, Any]:
    return {
        "finding": case.id,
        "kind": kind,
        "at": at,
        "by": who.key_id,
        "role": who.role,
        "status": status,
        "previous": case.status,
        "note": None,
        "shared": None,
        "events": None,
        "resolved_by": None,
        **extra,
    }


def _locked(
    tx: ManagedTransaction, finding_id: str, who: Principal, provinces: Collection[str] | None
) -> tuple[Case, datetime]:
    """The case as it is once the feed's lock is held (404 if this key may not see it), and the moment."""
    at = datetime.now(UTC)
    repo.lock_feed(tx, at)
    case = repo.get(tx, finding_id)
    if case is None or not visible(case, who, provinces):
        raise _not_found(finding_id)
    return case, at


def _after(tx: ManagedTransaction, finding_id: str) -> Case:
    case = repo.get(tx, finding_id)
    assert case is not None  # it was there under the lock, and cases are never deleted
    return case


def update(
    db: Database, finding_id: str, change: CaseUpdate, who: Principal, provinces: Collection[str] | None
) -> tuple[Case, str]:
    """A regulator's change; the case after it and the words the audit trail keeps."""
    if change.status is None and change.assignee is None and change.note is None:
        raise InvalidInput([FieldProblem("body", "give a status, an assignee or a note")])
    if change.status == "dismissed" and change.note is None:
        raise InvalidInput([FieldProblem("note", "a dismissal needs a note giving the reason")])

    def work(tx: ManagedTransaction) -> tuple[Case, str]:
        case, at = _locked(tx, finding_id, who, provinces)
        status, assignee = case.status, case.assignee
        changes, said = [], []
        if change.status is not None and change.status != case.status:
            if case.status == "resolved":
                raise Conflict(
                    f"finding {finding_id} was resolved by the record ({case.resolved_by or 'no event named'}); "
                    "it reopens only when its rule finds it again"
                )
            status = change.status
            changes.append(_change(case, "status", at, who, status, note=change.note))
            said.append(f"status {case.status} -> {status}")
        if change.assignee is not None and (change.assignee or None) != case.assignee:
            assignee = change.assignee or None
            changes.append(_change(case, "assigned", at, who, status, note=assignee))
            said.append(f"assignee {assignee or 'none'}")
        if change.note is not None and not (changes and changes[0]["kind"] == "status"):
            changes.append(_change(case, "note", at, who, status, note=change.note, shared=change.shared))
            said.append("note" + (" shared with the company" if change.shared else ""))
        elif change.note is not None:
            changes[0]["shared"] = change.shared
        repo.set_case(tx, finding_id, status, assignee, at, answered=False)
        repo.record_changes(tx, changes)
        return _after(tx, finding_id), f"finding {finding_id}: " + ", ".join(said or ["unchanged"])

    return db.write_unit("findings.update", work)


def answer(db: Database, finding_id: str, reply: CompanyAnswer, who: Principal) -> tuple[Case, str]:
    """The company's answer: moves the case to ``company_answered`` (a resolved or dismissed case
    keeps its status and takes the answer as history)."""
    if reply.note is None and not reply.events:
        raise InvalidInput([FieldProblem("body", "give a note, the events reported since, or both")])
    if reply.events:
        reporters = repo.events_of(db, reply.events)
        problems = [
            FieldProblem(
                "events",
                f"no event {e!r} is stored" if e not in reporters else f"event {e!r} was reported by another company",
                i,
            )
            for i, e in enumerate(reply.events)
            if reporters.get(e) != who.company
        ]
        if problems:
            raise InvalidInput(problems, "an answer names only events the company itself reported")

    def work(tx: ManagedTransaction) -> tuple[Case, str]:
        case, at = _locked(tx, finding_id, who, None)
        status = case.status if case.status in ("resolved", "dismissed") else "company_answered"
        repo.set_case(tx, finding_id, status, case.assignee, at, answered=True)
        repo.record_changes(
            tx, [_change(case, "answered", at, who, status, note=reply.note, events=list(reply.events) or None)]
        )
        return _after(
            tx, finding_id
        ), f"finding {finding_id}: answered by {who.company}, status {case.status} -> {status}"

    return db.write_unit("findings.answer", work)
