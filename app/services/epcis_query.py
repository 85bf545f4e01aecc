"""EPCIS 2.0 out: the query interface's answers and a battery's whole history as a document.

Events come in the order the verifiable log holds them, so a page token is a log position and a
partner polling with it never misses an event; each is written by ``app.epcis.export``, whose
output the capture side maps back to the same native event (tests/unit/test_epcis_export.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Final

from app.db import Database
from app.epcis.export import bizstep_of, document, query_document, to_epcis
from app.epcis.uris import UriError, is_vin_uri, parse_battery_uri, parse_station_uri, parse_vin_uri
from app.epcis.vocab import BIZSTEP, REPURPOSING_STEP, cbv_term
from app.errors import FieldProblem, InvalidInput, NotFound
from app.repositories import epcis as repo
from app.repositories.epcis import EventFilter, LoggedEvent

QUERY_NAME: Final = "SimpleEventQuery"
HISTORY_LIMIT: Final = 10_000
REPURPOSING: Final = "bt:repurposing"

# The native types each business step is written for (app.epcis.export); a correction is written
# with the step of the event it corrects, so it is read whatever the step and kept when that fits.
STEP_TYPES: Final[dict[str, tuple[str, ...]]] = {
    "commissioning": ("produced",),
    "assembling": ("produced",),
    "shipping": ("shipped",),
    "receiving": ("received",),
    "installing": ("installed",),
    "removing": ("removed",),
    "replacing": ("swapped",),
    "repairing": ("repaired",),
    "inspecting": ("health_measured",),
    "retail_selling": ("vehicle_sold",),
    "departing": ("vehicle_exported",),
    "disassembling": ("vehicle_scrapped",),
    "destroying": ("recycled",),
    "decommissioning": ("repurposed",),
    REPURPOSING: ("repurposed",),
}


@dataclass(frozen=True)
class EpcisQuery:
    """The REST query's parameters once read: subjects, step, times, location, page."""

    where: EventFilter
    step: str | None
    after: int
    per_page: int


@dataclass(frozen=True)
class QueryPage:
    document: dict[str, Any]
    next_token: str | None


def read_query(
    *,
    epcs: list[str],
    bizstep: str | None,
    since: datetime | None,
    before: datetime | None,
    location: str | None,
    token: str | None,
    per_page: int,
) -> EpcisQuery:
    """The parameters as the store reads them; every bad one is a 422 naming it and why."""
    problems: list[FieldProblem] = []
    batteries: list[str] = []
    vehicles: list[str] = []
    for i, uri in enumerate(u for value in epcs for u in value.split("|") if u):
        try:
            (vehicles if is_vin_uri(uri) else batteries).append(
                parse_vin_uri(uri) if is_vin_uri(uri) else parse_battery_uri(uri)
            )
        except UriError as err:
            problems.append(FieldProblem("MATCH_epc", err.reason, i))
    step = _step(bizstep, problems)
    station = None
    if location is not None:
        try:
            station = parse_station_uri(location)
        except UriError as err:
            problems.append(FieldProblem("EQ_bizLocation", f"{err.reason} (only swaps name a bizLocation)"))
    after = -1  # the log's first position is 0
    if token is not None:
        if not token.isdigit() or len(token) > 18:
            problems.append(FieldProblem("nextPageToken", "not a token this API gave; send the Link header's"))
        else:
            after = int(token)
    if since is not None and before is not None and before <= since:
        problems.append(FieldProblem("LT_eventTime", "must be after GE_eventTime"))
    if problems:
        raise InvalidInput(problems, "invalid EPCIS query")
    types = (*STEP_TYPES[step], "correction") if step is not None else None
    where = EventFilter(
        batteries=tuple(batteries), vehicles=tuple(vehicles), types=types, since=since, before=before, station=station
    )
    return EpcisQuery(where=where, step=step, after=after, per_page=per_page)


def _step(raw: str | None, problems: list[FieldProblem]) -> str | None:
    if raw is None:
        return None
    word = REPURPOSING if raw in (REPURPOSING, REPURPOSING_STEP) else cbv_term(raw, BIZSTEP)
    if word not in STEP_TYPES:
        known = ", ".join(STEP_TYPES)
        problems.append(FieldProblem("EQ_bizStep", f"{raw!r} is no step these events are written with; known: {known}"))
        return None
    return word


def run_query(db: Database, query: EpcisQuery, *, reporter: str | None, provinces: list[str] | None) -> QueryPage:
    """One page of the answer; ``reporter`` narrows to a company's own events, ``provinces`` to a
    province-limited key's."""
    where = replace(query.where, reporter=reporter, provinces=tuple(provinces) if provinces is not None else None)
    events: list[dict[str, Any]] = []
    after, more = query.after, True
    while more and len(events) < query.per_page:
        rows = repo.logged_events(db, where, after, query.per_page)
        more = len(rows) == query.per_page
        for row in rows:
            after = row.index
            if query.step is None or _step_of(row) == query.step:
                events.append(_written(row))
                if len(events) == query.per_page:
                    more = more or row is not rows[-1]
                    break
    created = datetime.now(UTC)
    return QueryPage(query_document(events, created, QUERY_NAME), str(after) if more else None)


def battery_history(db: Database, code: str, *, reporter: str | None = None) -> dict[str, Any]:
    """Every event about one battery, its corrections among them, as an EPCISDocument to capture."""
    rows = repo.logged_events(db, EventFilter(batteries=(code,), reporter=reporter), -1, HISTORY_LIMIT)
    if not rows:
        raise NotFound(f"battery {code} is not known: no event has named it")
    return document([_written(r) for r in rows], datetime.now(UTC))


def _step_of(row: LoggedEvent) -> str:
    return bizstep_of(row.payload, row.corrected)


def _written(row: LoggedEvent) -> dict[str, Any]:
    return to_epcis(row.payload, row.corrected)
