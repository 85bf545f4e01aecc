"""Investigators' questions about one battery, vehicle or station.

Unknown-but-valid identifiers are 404s; malformed ones never get here (422 at the boundary).
The trace's segments come from the one replay (``app.lifecycle``), run over the same effective
events the store's projection was built from, so the timeline an investigator reads and the
state the rules read cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.db import Database
from app.errors import NotFound
from app.identifiers import parse_battery_code
from app.lifecycle import BatteryLifecycle, EventRow, Interval, epoch_ms, event_row, replay_battery
from app.lifecycle.claims import ClaimWarning, history_warnings, registry_warnings
from app.repositories import trace as repo
from app.repositories.trace import TimelineRow
from app.schemas.trace import (
    BatteryDetail,
    BatterySummary,
    Components,
    EventWarning,
    HealthPoint,
    Page,
    StationSwaps,
    TimelineEntry,
    Trace,
    TraceSegment,
    VehicleBatteries,
)
from app.services.registry import get_station, get_vehicle

# Fields of the stored payload already shown elsewhere in a timeline entry.
_ENVELOPE = {"event_id", "type", "occurred_at", "reporter"}


def get_battery(db: Database, code: str) -> BatteryDetail:
    """Identity decoded from the code plus the state the graph knows."""
    row = repo.get_battery(db, code)
    if row is None:
        raise NotFound(f"battery {code} is not known: no event has named it")
    return BatteryDetail(identity=parse_battery_code(code).to_dict(), **row)


@dataclass(frozen=True)
class BatteryHistory:
    """A battery's stored events and the one replay of its effective ones: what the trace shows and
    what every other reader of one battery's life (passport, PROV, dossier) takes its facts from."""

    code: str
    status: str | None
    rows: list[TimelineRow]  # as the trace shows them: its own, and its vehicles' while it was in them
    own: list[TimelineRow]  # the events naming the battery itself, corrected ones marked
    life: BatteryLifecycle

    def effective(self) -> list[TimelineRow]:
        """The battery's own events that stand (neither corrected nor corrections): the replay's input."""
        return [r for r in self.own if not r.corrected_by and r.role != "correction"]

    def names(self) -> dict[str, str | None]:
        """Registered names of the companies that reported on the battery, by USCC."""
        return {r.reporter.uscc: r.reporter.name for r in self.rows if r.reporter.uscc}


def battery_history(db: Database, code: str) -> BatteryHistory:
    """The battery's timeline and its replay; 404 when no event names it."""
    rows = repo.battery_timeline(db, code)
    own = [r for r in rows if r.role != "vehicle"]
    if not own:
        raise NotFound(f"battery {code} is not known: no event has named it")
    life = replay_battery(code, _replay_rows(code, own))
    shown = [r for r in rows if r.role != "vehicle" or _while_installed(r, life.installed)]
    return BatteryHistory(code, own[0].status, shown, own, life)


def get_trace(db: Database, code: str) -> Trace:
    """The timeline in event time, corrected events visible and marked, the events of the vehicles
    it was in (while it was in them), and where the battery was."""
    history = battery_history(db, code)
    warned = _warnings(history.life, history.rows)
    events = [_entry(r, warned) for r in history.rows]
    return Trace(
        code=code,
        status=history.status,
        events=events,
        segments=segments(history.own, history.life),
        health=health_points(history.life),
    )


def health_points(life: BatteryLifecycle) -> list[HealthPoint]:
    """The replay's health readings, as the trace and the passport show them."""
    return [
        HealthPoint(
            event_id=r.event_id,
            type=r.type,
            at=datetime.fromisoformat(r.at),
            reporter=r.reporter,
            soh_pct=r.soh_pct,
            capacity_kwh=r.capacity_kwh,
            cycle_count=r.cycle_count,
            method=r.method,
        )
        for r in life.health
    ]


def _entry(r: TimelineRow, warned: dict[str, list[ClaimWarning]]) -> TimelineEntry:
    return TimelineEntry(
        event_id=r.event_id,
        type=r.type,
        role=r.role,
        occurred_at=r.occurred_at,
        recorded_at=r.recorded_at,
        imported=r.imported,
        reporter=r.reporter,
        corrected=bool(r.corrected_by),
        corrected_by=r.corrected_by,
        details={k: v for k, v in r.payload.items() if k not in _ENVELOPE},
        warnings=[_shown(w) for w in warned.get(r.event_id, ())],
    )


def _while_installed(r: TimelineRow, installed: list[Interval]) -> bool:
    """A vehicle's event belongs on the pack's timeline only while the replay has the pack in it
    (both ends included: a scrapping at the removal's instant is still the pack's)."""
    vin, t = r.payload.get("vehicle"), epoch_ms(r.occurred_at)
    return any(i.target == vin and i.since_t <= t and (i.until_t is None or t <= i.until_t) for i in installed)


def _shown(w: ClaimWarning) -> EventWarning:
    return EventWarning(code=w.code, battery=w.battery, message=w.message)


def _warnings(life: BatteryLifecycle, rows: list[TimelineRow]) -> dict[str, list[ClaimWarning]]:
    """What capture warned about each effective event, judged against today's whole record."""
    found = history_warnings([life])
    for r in rows:
        if r.corrected_by or r.role == "correction":
            continue
        station = str(r.payload["station"]) if r.type == "swapped" else None
        found.extend(
            registry_warnings(
                r.event_id, r.type, str(r.reporter.uscc), r.reporter.roles or (), station, r.station_operator
            )
        )
    out: dict[str, list[ClaimWarning]] = {}
    for w in found:
        out.setdefault(w.event_id, []).append(w)
    return out


def _replay_rows(code: str, rows: list[TimelineRow]) -> list[EventRow]:
    """The replay's input from the timeline: the effective events, as ingestion saw them."""
    return [
        event_row(code, r.role, epoch_ms(r.occurred_at), r.payload)
        for r in rows
        if not r.corrected_by and r.role != "correction"
    ]


def segments(rows: list[TimelineRow], life: BatteryLifecycle) -> list[TraceSegment]:
    """The replay's whereabouts, holders named from the events' reporters."""
    names = {r.reporter.uscc: r.reporter.name for r in rows if r.reporter.uscc}
    return [
        TraceSegment.model_validate(
            {
                "kind": s.kind,
                "ref": s.ref,
                "name": names.get(s.ref) if s.kind == "holder" and s.ref else None,
                "from": s.since,
                "to": s.until,
                "opened_by": s.opened_by,
                "closed_by": s.closed_by,
            }
        )
        for s in life.segments
    ]


def get_components(db: Database, code: str) -> Components:
    get_battery(db, code)
    return Components(code=code, components=repo.battery_components(db, code))


def list_batteries(
    db: Database,
    *,
    after: str,
    limit: int,
    maker: str | None = None,
    level: str | None = None,
    status: str | None = None,
    chemistry: str | None = None,
    provinces: list[str] | None = None,
    company: str | None = None,
) -> Page[BatterySummary]:
    """Keyset pages by code: stable and cheap however deep the client pages; ``provinces``
    keeps the batteries within them (a province-limited key), ``company`` those the company has
    held or reported on (a reporter's own)."""
    filters = {"maker": maker, "level": level, "status": status, "chemistry": chemistry}
    if company is not None:
        items = repo.company_batteries(db, company, after=after, limit=limit, **filters)
    else:
        items = repo.list_batteries(db, after=after, limit=limit, provinces=provinces, **filters)
    return Page[BatterySummary](items=items, next_after=items[-1].code if len(items) == limit else None)


def vehicle_batteries(db: Database, vin: str) -> VehicleBatteries:
    vehicle = get_vehicle(db, vin)
    return VehicleBatteries(
        vin=vin,
        registered=vehicle.registered,
        sold_at=vehicle.sold_at,
        scrapped_at=vehicle.scrapped_at,
        exported_at=vehicle.exported_at,
        export_destination=vehicle.export_destination,
        batteries=repo.vehicle_batteries(db, vin),
    )


def station_swaps(
    db: Database, station_id: str, since: datetime, until: datetime, skip: int, limit: int
) -> StationSwaps:
    get_station(db, station_id)
    items = repo.station_swaps(db, station_id, since, until, skip, limit)
    return StationSwaps(
        station=station_id,
        since=since,
        until=until,
        items=items,
        next_skip=skip + limit if len(items) == limit else None,
    )
