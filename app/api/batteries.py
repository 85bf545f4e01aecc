"""Investigators' view of batteries, vehicles and stations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query

from app.api.auth import require
from app.api.deps import DbDep, SettingsDep
from app.api.params import BatteryCodePath, VinPath
from app.errors import FieldProblem, InvalidInput
from app.schemas.trace import BatteryDetail, BatterySummary, Components, Page, StationSwaps, Trace, VehicleBatteries
from app.security import Principal, check_battery_access
from app.services import integrity, trace
from app.services.integrity import Verification

router = APIRouter(prefix="/v1", tags=["trace"])
INVESTIGATORS = [Depends(require("investigator", "regulator", "admin"))]
BatteryReader = Annotated[Principal, Depends(require("reporter", "investigator", "regulator", "admin"))]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "valid identifier, but nothing is known about it"}}
BATTERY_STATUSES = Literal[
    "unknown", "in_stock", "in_transit", "installed", "removed", "in_swap_pool", "assembled", "repurposed", "recycled"
]


@router.get("/batteries", dependencies=INVESTIGATORS)
def list_batteries(
    db: DbDep,
    settings: SettingsDep,
    after: Annotated[str, Query(max_length=32, description="cursor: the last code of the previous page")] = "",
    limit: Annotated[int | None, Query(ge=1)] = None,
    maker: Annotated[str | None, Query(pattern=r"^[A-Z0-9]{3}$", description="3-character maker code")] = None,
    level: Literal["pack", "module", "cell"] | None = None,
    status: BATTERY_STATUSES | None = None,
    chemistry: Annotated[str | None, Query(max_length=32)] = None,
) -> Page[BatterySummary]:
    """Batteries in code order, filtered; follow `next_after` for the next page."""
    size = min(limit or settings.default_page_size, settings.max_page_size)
    return trace.list_batteries(
        db, after=after, limit=size, maker=maker, level=level, status=status, chemistry=chemistry
    )


@router.get("/batteries/{code}", responses=NOT_FOUND)
def get_battery(code: BatteryCodePath, db: DbDep, who: BatteryReader) -> BatteryDetail:
    """Identity decoded from the code, status, current vehicle and custodian, parent pack."""
    check_battery_access(db, who, code)
    return trace.get_battery(db, code)


@router.get("/batteries/{code}/trace", responses=NOT_FOUND)
def get_trace(code: BatteryCodePath, db: DbDep, who: BatteryReader) -> Trace:
    """The battery's timeline in event time: reporter, recording time, corrections."""
    check_battery_access(db, who, code)
    return trace.get_trace(db, code)


@router.get("/batteries/{code}/verify", responses=NOT_FOUND)
def verify_battery(code: BatteryCodePath, db: DbDep, who: BatteryReader) -> Verification:
    """Recompute the battery's event hash chain from the stored events: was anything rewritten?"""
    check_battery_access(db, who, code)
    return integrity.verify_battery(db, code)


@router.get("/batteries/{code}/components", responses=NOT_FOUND)
def get_components(code: BatteryCodePath, db: DbDep, who: BatteryReader) -> Components:
    """Modules of a pack and cells of its modules."""
    check_battery_access(db, who, code)
    return trace.get_components(db, code)


@router.get("/vehicles/{vin}/batteries", responses=NOT_FOUND, dependencies=INVESTIGATORS)
def vehicle_batteries(vin: VinPath, db: DbDep) -> VehicleBatteries:
    """Which batteries the vehicle carried, from when to when."""
    return trace.vehicle_batteries(db, vin)


@router.get("/stations/{station_id}/swaps", responses=NOT_FOUND, dependencies=INVESTIGATORS)
def station_swaps(
    db: DbDep,
    settings: SettingsDep,
    station_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9._:-]{1,64}$")],
    since: datetime | None = None,
    until: datetime | None = None,
    skip: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int | None, Query(ge=1)] = None,
) -> StationSwaps:
    """Swaps at a station in [since, until), default the whole history."""
    since = _aware(since or datetime(2000, 1, 1, tzinfo=UTC), "since")
    until = _aware(until or datetime.now(UTC), "until")
    size = min(limit or settings.default_page_size, settings.max_page_size)
    return trace.station_swaps(db, station_id, since, until, skip, size)


def _aware(value: datetime, field: str) -> datetime:
    if value.tzinfo is None:
        raise InvalidInput([FieldProblem(field, "needs a UTC offset (RFC 3339), e.g. 2025-01-01T00:00:00+08:00")])
    return value
