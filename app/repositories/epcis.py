"""Reads for EPCIS out: stored events in log order with what each correction corrects."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.db import Database


@dataclass(frozen=True)
class LoggedEvent:
    """One stored event at its log position, and the payload of the event it corrects (if any)."""

    index: int
    payload: dict[str, Any]
    corrected: dict[str, Any] | None


@dataclass(frozen=True)
class EventFilter:
    """What an EPCIS query narrows to; None (or empty subjects) is no narrowing."""

    batteries: tuple[str, ...] = ()
    vehicles: tuple[str, ...] = ()
    types: tuple[str, ...] | None = None
    since: datetime | None = None
    before: datetime | None = None
    station: str | None = None
    reporter: str | None = None
    provinces: tuple[str, ...] | None = None


def logged_events(db: Database, where: EventFilter, after: int, limit: int) -> list[LoggedEvent]:
    params: dict[str, Any] = {
        "after": after,
        "limit": limit,
        "types": list(where.types) if where.types is not None else None,
        "since": where.since,
        "before": where.before,
        "station": where.station,
        "reporter": where.reporter,
        "provinces": list(where.provinces) if where.provinces is not None else None,
    }
    if where.batteries or where.vehicles:
        name = "epcis.events_of_subjects"
        params.update(batteries=list(where.batteries), vehicles=list(where.vehicles))
    else:
        name = "epcis.events_in_log"
    return [
        LoggedEvent(
            index=r["index"],
            payload=json.loads(r["payload"]),
            corrected=json.loads(r["corrected"]) if r["corrected"] is not None else None,
        )
        for r in db.read(name, **params)
    ]
