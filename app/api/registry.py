"""Registries: companies (with white-list licences), swap stations, vehicles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.api.auth import principal, require
from app.api.deps import DbDep, JsonBody
from app.api.params import AfterPaging, Paging, UsccPath
from app.schemas.registry import (
    CompanyBatch,
    CompanyPage,
    CompanyRecord,
    Role,
    StationBatch,
    StationPage,
    UpsertResult,
    VehicleBatch,
)
from app.services import registry

ADMIN = [Depends(require("admin"))]
ANY_ROLE = [Depends(principal)]

router = APIRouter(prefix="/v1", tags=["registry"])


@router.put("/registry/companies", dependencies=ADMIN)
def upsert_companies(batch: CompanyBatch, db: DbDep, _json: JsonBody) -> UpsertResult:
    """Bulk upsert of companies; each company's licences are replaced by those sent."""
    return UpsertResult(upserted=registry.merge_companies(db, batch.companies))


@router.put("/registry/stations", dependencies=ADMIN)
def upsert_stations(batch: StationBatch, db: DbDep, _json: JsonBody) -> UpsertResult:
    """Bulk upsert of swap stations; their operators must be registered."""
    return UpsertResult(upserted=registry.merge_stations(db, batch.stations))


@router.put("/registry/vehicles", dependencies=ADMIN)
def upsert_vehicles(batch: VehicleBatch, db: DbDep, _json: JsonBody) -> UpsertResult:
    """Bulk upsert of vehicles; their makers must be registered."""
    return UpsertResult(upserted=registry.merge_vehicles(db, batch.vehicles))


@router.get("/companies", dependencies=ANY_ROLE)
def list_companies(
    db: DbDep,
    page: Annotated[Paging, AfterPaging(32)],
    role: Role | None = None,
    province: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
) -> CompanyPage:
    """Companies by USCC, optionally by role and province; page with `after`."""
    return registry.list_companies(db, page.after, page.limit, role, province)


@router.get("/companies/{uscc}", dependencies=ANY_ROLE)
def get_company(uscc: UsccPath, db: DbDep) -> CompanyRecord:
    """One company with its licences."""
    return registry.get_company(db, uscc)


@router.get("/stations", dependencies=ANY_ROLE)
def list_stations(
    db: DbDep,
    page: Annotated[Paging, AfterPaging(64)],
    operator: Annotated[str | None, Query(max_length=32)] = None,
    province: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
) -> StationPage:
    """Swap stations by id; page with `after`."""
    return registry.list_stations(db, page.after, page.limit, operator, province)
