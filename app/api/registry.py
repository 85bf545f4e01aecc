"""Registries: companies (with white-list licences), swap stations, vehicles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query

from app.api.auth import ADMITTED, Admitted
from app.api.deps import DbDep, JsonBody
from app.api.params import AfterPaging, Paging, ProvinceQuery, StationPath, UsccPath, VinPath
from app.schemas.examples import COMPANY_EXAMPLES, STATION_EXAMPLES, VEHICLE_EXAMPLES
from app.schemas.registry import (
    CompanyBatch,
    CompanyPage,
    CompanyRecord,
    Role,
    StationBatch,
    StationPage,
    StationRecord,
    UpsertResult,
    VehicleBatch,
    VehicleRecord,
)
from app.security import Principal, check_vehicle_access
from app.services import registry

History = Annotated[bool, Query(description="also answer every earlier version, oldest first, and the current one")]

router = APIRouter(prefix="/v1", tags=["registry"], dependencies=ADMITTED)


def _by(who: Principal) -> str:
    """Who a version names as its author: the key's id (what the audit trail records) and name."""
    return f"key {who.key_id} ({who.name})"


@router.put("/registry/companies")
def upsert_companies(
    batch: Annotated[CompanyBatch, Body(openapi_examples=COMPANY_EXAMPLES)], db: DbDep, who: Admitted, _json: JsonBody
) -> UpsertResult:
    """Bulk upsert of companies; each company's licences are replaced by those sent; changes keep the old version."""
    return registry.merge_companies(db, batch.companies, changed_by=_by(who))


@router.put("/registry/stations")
def upsert_stations(
    batch: Annotated[StationBatch, Body(openapi_examples=STATION_EXAMPLES)], db: DbDep, who: Admitted, _json: JsonBody
) -> UpsertResult:
    """Bulk upsert of swap stations; their operators must be registered; changes keep the old version."""
    return registry.merge_stations(db, batch.stations, changed_by=_by(who))


@router.put("/registry/vehicles")
def upsert_vehicles(
    batch: Annotated[VehicleBatch, Body(openapi_examples=VEHICLE_EXAMPLES)], db: DbDep, who: Admitted, _json: JsonBody
) -> UpsertResult:
    """Bulk upsert of vehicles; their makers must be registered; changes keep the old version."""
    return registry.merge_vehicles(db, batch.vehicles, changed_by=_by(who))


@router.get("/companies")
def list_companies(
    db: DbDep,
    page: Annotated[Paging, AfterPaging(32)],
    role: Role | None = None,
    province: ProvinceQuery = None,
) -> CompanyPage:
    """Companies by USCC, optionally by role and province; page with `after`."""
    return registry.list_companies(db, page.after, page.limit, role, province)


@router.get("/companies/{uscc}")
def get_company(uscc: UsccPath, db: DbDep, history: History = False) -> CompanyRecord:
    """One company with its licences; `history=true` adds every version, who registered it, from when to when."""
    return registry.get_company(db, uscc, history)


@router.get("/stations")
def list_stations(
    db: DbDep,
    page: Annotated[Paging, AfterPaging(64)],
    operator: Annotated[str | None, Query(max_length=32)] = None,
    province: ProvinceQuery = None,
) -> StationPage:
    """Swap stations by id; page with `after`."""
    return registry.list_stations(db, page.after, page.limit, operator, province)


@router.get("/stations/{station_id}")
def get_station(station_id: StationPath, db: DbDep, history: History = False) -> StationRecord:
    """One swap station; `history=true` adds every version, who registered it, from when to when."""
    return registry.get_station(db, station_id, history)


@router.get("/vehicles/{vin}")
def get_vehicle(vin: VinPath, db: DbDep, who: Admitted, history: History = False) -> VehicleRecord:
    """One vehicle's registry record and dates; `history=true` adds every registry version."""
    check_vehicle_access(db, who, vin)
    return registry.get_vehicle(db, vin, history)
