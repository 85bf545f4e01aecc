"""What a batch writes: its events as checked and hashed, and the rows every write query takes.

Derived once from the new events, with no database (``plan_offline`` builds the same rows for an
offline import).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.identifiers import parse_battery_code
from app.lifecycle import roles_in
from app.services.flat import flat_properties


@dataclass
class PreparedEvent:
    index: int
    model: Any
    payload: dict[str, Any]
    content_hash: str
    recorded_at: datetime  # the server's clock, or the admin import's own
    record: str  # what the chains link and the log holds: payload, recorded_at and imported hashed together

    @property
    def imported(self) -> bool:
        return self.model.recorded_at is not None

    @property
    def event_id(self) -> str:
        return str(self.payload["event_id"])


@dataclass
class Plan:
    """The rows every write query needs, derived once from the new events."""

    events: list[dict[str, Any]] = field(default_factory=list)
    batteries: dict[str, dict[str, Any]] = field(default_factory=dict)
    vins: set[str] = field(default_factory=set)
    battery_links: list[dict[str, Any]] = field(default_factory=list)
    vehicle_links: list[dict[str, Any]] = field(default_factory=list)
    station_links: list[dict[str, Any]] = field(default_factory=list)
    recipient_links: list[dict[str, Any]] = field(default_factory=list)
    sender_links: list[dict[str, Any]] = field(default_factory=list)
    corrections: list[dict[str, Any]] = field(default_factory=list)


def _battery_row(code: str) -> dict[str, Any]:
    parsed = parse_battery_code(code)
    return {
        "code": parsed.code,
        "level": parsed.level,
        "maker_code": parsed.maker_code,
        "chemistry_letter": parsed.chemistry_letter,
        "spec_code": parsed.spec_code,
        "production_date": parsed.production_date.isoformat() if parsed.production_date else None,
        "second_life": parsed.second_life,
    }


def _event_properties(ev: PreparedEvent) -> dict[str, Any]:
    p = ev.payload
    props: dict[str, Any] = {
        **flat_properties(p),
        "recorded_at": ev.recorded_at.isoformat(),
        "imported": ev.imported,
        "content_hash": ev.content_hash,
        "payload": json.dumps(p, sort_keys=True, ensure_ascii=False),
    }
    return props


def plan_rows(new_events: Iterable[PreparedEvent]) -> Plan:
    plan = Plan()
    for ev in new_events:
        p, eid = ev.payload, ev.event_id
        plan.events.append(_event_properties(ev))

        def about(code: str, role: str, eid: str = eid) -> None:
            plan.batteries.setdefault(code, _battery_row(code))
            plan.battery_links.append({"event_id": eid, "code": code, "role": role})

        for code, role in roles_in(p):
            about(code, role)
        if "vehicle" in p:
            plan.vins.add(p["vehicle"])
            plan.vehicle_links.append({"event_id": eid, "vin": p["vehicle"]})
        if "station" in p:
            plan.station_links.append({"event_id": eid, "station": p["station"]})
        if "to" in p:
            plan.recipient_links.append({"event_id": eid, "uscc": p["to"]})
        if "from" in p:
            plan.sender_links.append({"event_id": eid, "uscc": p["from"]})
        if p["type"] == "correction":
            plan.corrections.append({"event_id": eid, "corrects": p["corrects"]})
    return plan
