"""Investigators' view of batteries, vehicles and stations."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from app.api.auth import ADMITTED, Admitted
from app.api.deps import DbDep
from app.api.params import (
    AfterPaging,
    AwareQuery,
    BatteryCodePath,
    Paging,
    ProvinceQuery,
    SkipPaging,
    StationPath,
    VinPath,
)
from app.errors import Forbidden
from app.schemas.integrity import Verification
from app.schemas.trace import BatteryDetail, BatterySummary, Components, Page, StationSwaps, Trace, VehicleBatteries
from app.security import (
    check_battery_access,
    check_province_param,
    check_station_access,
    check_vehicle_access,
    province_scope,
)
from app.services import epcis_query, integrity, provenance, trace
from app.services.provenance import ProvFormat

router = APIRouter(prefix="/v1", tags=["trace"], dependencies=ADMITTED)
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "valid identifier, but nothing is known about it"}}
BATTERY_STATUSES = Literal[
    "unknown", "in_stock", "in_transit", "installed", "removed", "in_swap_pool", "assembled", "repurposed", "recycled"
]


@router.get("/batteries")
def list_batteries(
    db: DbDep,
    who: Admitted,
    page: Annotated[Paging, AfterPaging(32, "cursor: the last code of the previous page")],
    maker: Annotated[str | None, Query(pattern=r"^[A-Z0-9]{3}$", description="3-character maker code")] = None,
    level: Literal["pack", "module", "cell"] | None = None,
    status: BATTERY_STATUSES | None = None,
    chemistry: Annotated[str | None, Query(max_length=32)] = None,
    province: ProvinceQuery = None,
) -> Page[BatterySummary]:
    """Batteries in code order, filtered; follow `next_after` for the next page. `province`: one of the
    battery's standing events lies there (the event's province, else its reporter's), the rule a
    province-limited key reads by; such a key's `province` must be one of its own (403 otherwise).
    A reporter key lists its own company's batteries: those it has held or reported on (no `province`)."""
    check_province_param(who, province)
    if who.role == "reporter" and province is not None:
        raise Forbidden("a reporter key lists its own company's batteries; province is for reader keys")
    return trace.list_batteries(
        db,
        after=page.after,
        limit=page.limit,
        maker=maker,
        level=level,
        status=status,
        chemistry=chemistry,
        provinces=[province] if province else province_scope(who),
        company=who.company if who.role == "reporter" else None,
    )


@router.get("/batteries/{code}", responses=NOT_FOUND)
def get_battery(code: BatteryCodePath, db: DbDep, who: Admitted) -> BatteryDetail:
    """Identity decoded from the code, status, current vehicle and custodian, parent pack."""
    check_battery_access(db, who, code)
    return trace.get_battery(db, code)


@router.get("/batteries/{code}/trace", responses=NOT_FOUND)
async def get_trace(code: BatteryCodePath, db: DbDep, who: Admitted) -> Trace:
    """The battery's timeline in event time: reporter, recording time, corrections."""

    # The most called read: one worker-thread hop for its queries, where a sync route takes a second
    # one to check its answer against the model (the same check and bytes, here on the event loop).
    def read() -> Trace:
        check_battery_access(db, who, code)
        return trace.get_trace(db, code)

    return await run_in_threadpool(read)


@router.get(
    "/batteries/{code}/epcis",
    response_class=Response,
    responses={
        **NOT_FOUND,
        200: {"description": "an EPCISDocument (JSON-LD)", "content": {"application/ld+json": {"schema": {}}}},
    },
)
def battery_epcis(code: BatteryCodePath, db: DbDep, who: Admitted) -> Response:
    """The battery's whole history (its corrections too) as an EPCIS 2.0 document a partner can capture."""
    check_battery_access(db, who, code)
    body = json.dumps(epcis_query.battery_history(db, code), ensure_ascii=False)
    return Response(body, media_type="application/ld+json", headers={"GS1-EPCIS-Version": "2.0.0"})


@router.get(
    "/batteries/{code}/provenance",
    response_class=Response,
    responses={
        **NOT_FOUND,
        200: {
            "description": "a PROV-JSON document (format=prov-json) or PROV-O in Turtle (format=prov-o)",
            "content": {"application/json": {"schema": {"type": "object"}}, "text/turtle": {"schema": {}}},
        },
        422: {"description": "a format that is neither prov-json nor prov-o"},
    },
)
def battery_provenance(
    code: BatteryCodePath,
    db: DbDep,
    who: Admitted,
    fmt: Annotated[
        ProvFormat, Query(alias="format", description="prov-json (default) or prov-o (Turtle)")
    ] = "prov-json",
) -> Response:
    """The battery's provenance in W3C PROV: its events as activities, companies and stations as
    agents, parts and second-life products as derivations (docs/provenance.md)."""
    check_battery_access(db, who, code)
    doc = provenance.get_provenance(db, code, fmt)
    return Response(doc.body, media_type=doc.media_type)


@router.get("/batteries/{code}/verify", responses=NOT_FOUND)
def verify_battery(code: BatteryCodePath, db: DbDep, who: Admitted) -> Verification:
    """Recompute the battery's event hash chain from the stored events: was anything rewritten?"""
    check_battery_access(db, who, code)
    return integrity.verify_battery(db, code)


@router.get("/batteries/{code}/components", responses=NOT_FOUND)
def get_components(code: BatteryCodePath, db: DbDep, who: Admitted) -> Components:
    """Modules of a pack and cells of its modules."""
    check_battery_access(db, who, code)
    return trace.get_components(db, code)


@router.get("/vehicles/{vin}/batteries", responses=NOT_FOUND)
def vehicle_batteries(vin: VinPath, db: DbDep, who: Admitted) -> VehicleBatteries:
    """Which batteries the vehicle carried, from when to when."""
    check_vehicle_access(db, who, vin)
    return trace.vehicle_batteries(db, vin)


@router.get("/stations/{station_id}/swaps", responses=NOT_FOUND)
def station_swaps(
    db: DbDep,
    who: Admitted,
    station_id: StationPath,
    since: Annotated[datetime | None, AwareQuery("since")],
    until: Annotated[datetime | None, AwareQuery("until")],
    page: Annotated[Paging, SkipPaging(1_000_000)],
) -> StationSwaps:
    """Swaps at a station in [since, until), default the whole history."""
    check_station_access(db, who, station_id)
    start = since or datetime(2000, 1, 1, tzinfo=UTC)
    end = until or datetime.now(UTC)
    return trace.station_swaps(db, station_id, start, end, page.skip, page.limit)
