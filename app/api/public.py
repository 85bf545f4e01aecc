"""The public routes: no key, read-only, a rate limit per client address, every call audited.

What they answer, and what they never say, is in docs/public.md. There is no listing route: a
battery is asked for by its code, and an unknown or malformed code answers like any other unknown.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from app.api.deps import DbDep
from app.api.params import INVALID_USCC, checked
from app.identifiers.provinces import check_province
from app.identifiers.types import BATTERY_CODE_TEXT, USCC_TEXT, check_uscc
from app.schemas.events import PROVINCE_PATTERN, PROVINCE_TEXT
from app.schemas.examples import PUBLIC_CODE_EXAMPLES, PUBLIC_PROVINCE_EXAMPLES, PUBLIC_USCC_EXAMPLES
from app.schemas.public import BatteryAnswer, LicenceAnswer, RecyclersAnswer
from app.security import RateLimiter
from app.security.limits import client_group
from app.services import public


def client(request: Request) -> None:
    """Charge the caller's address (IPv6: its /64) before anything else, a refused call included."""
    limiter: RateLimiter = request.app.state.public_limiter
    limiter.take(client_group(request.client.host if request.client else None))


router = APIRouter(prefix="/public", tags=["public"], dependencies=[Depends(client)])


def _province(
    province: Annotated[
        str,
        Query(
            pattern=PROVINCE_PATTERN,
            description=f"required. {PROVINCE_TEXT}",
            openapi_examples=PUBLIC_PROVINCE_EXAMPLES,
        ),
    ],
) -> str:
    return checked(province, check_province, "province", "invalid province")


@router.get("/recyclers")
def get_recyclers(province: Annotated[str, Depends(_province)], db: DbDep) -> RecyclersAnswer:
    """Where to take a retired battery in a province: the white list in force today and the service points."""
    return public.recyclers(db, province)


def _uscc(
    uscc: Annotated[str, Path(max_length=64, description=USCC_TEXT, openapi_examples=PUBLIC_USCC_EXAMPLES)],
) -> str:
    return checked(uscc, check_uscc, "uscc", INVALID_USCC)


@router.get("/companies/{uscc}/licence")
def get_licence(uscc: Annotated[str, Depends(_uscc)], db: DbDep) -> LicenceAnswer:
    """Whether a company is licensed today, for what and until when; an unregistered one says so."""
    return public.licence(db, uscc)


_CODE_DOC: dict[str, Any] = {
    "max_length": 64,
    "description": BATTERY_CODE_TEXT,
    "openapi_examples": PUBLIC_CODE_EXAMPLES,
}


@router.get("/batteries/{code}")
def get_battery(code: Annotated[str, Path(**_CODE_DOC)], db: DbDep) -> BatteryAnswer:
    """What the code says and, for a known battery, only its life stage, whether its last holder is
    licensed and what to do; a malformed code answers like an unknown one."""
    return public.battery(db, code)
