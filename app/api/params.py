"""Parameters shared by the routers: identifiers, paging and moments, each checked one way.

A malformed identifier or a moment without an offset is a 422 naming the parameter, in the
wording of ``app.identifiers.types`` and ``app.schemas.time``; page sizes are clamped to the
settings' limits.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Path, Query

from app.api.deps import SettingsDep
from app.errors import FieldProblem, InvalidInput
from app.identifiers.types import BATTERY_CODE_TEXT, USCC_TEXT, VIN_TEXT, check_battery_code, check_uscc, check_vin
from app.schemas.events import ID_PATTERN, PROVINCE_PATTERN, PROVINCE_TEXT, STATION_ID_TEXT
from app.schemas.time import check_aware

Check = Callable[[str], str]


def checked(value: str, check: Check, field: str, detail: str) -> str:
    """``check(value)``, its ValueError turned into a 422 naming ``field``."""
    try:
        return check(value)
    except ValueError as err:
        raise InvalidInput([FieldProblem(field, str(err))], detail) from None


def check_each(values: list[str], check: Check, field: str, problems: list[FieldProblem]) -> list[str]:
    """The values that pass ``check``; each one that fails is added to ``problems`` by index."""
    out = []
    for index, value in enumerate(values):
        try:
            out.append(check(value))
        except ValueError as err:
            problems.append(FieldProblem(field, str(err), index))
    return out


# --- identifiers --------------------------------------------------------------------------------

INVALID_BATTERY_CODE = "invalid battery code"
INVALID_VIN = "invalid VIN"
INVALID_USCC = "invalid USCC"


# The identifier checks are pure computation: async, so FastAPI runs them on the event loop rather
# than handing each to a worker thread (a hop per request on every battery, vehicle or company route).
async def _battery_code(code: Annotated[str, Path(max_length=64, description=BATTERY_CODE_TEXT)]) -> str:
    return checked(code, check_battery_code, "code", INVALID_BATTERY_CODE)


async def _vin(vin: Annotated[str, Path(max_length=64, description=VIN_TEXT)]) -> str:
    return checked(vin, check_vin, "vin", INVALID_VIN)


async def _uscc(uscc: Annotated[str, Path(max_length=64, description=USCC_TEXT)]) -> str:
    return checked(uscc, check_uscc, "uscc", INVALID_USCC)


#: A swap station's id in the path: the pattern is checked by FastAPI (422), an unknown one is a 404.
StationPath = Annotated[str, Path(pattern=ID_PATTERN, description=STATION_ID_TEXT)]
#: An optional ``province`` filter: six digits (the route narrows by it; a province-limited key's
#: routes check it against the key's provinces).
ProvinceQuery = Annotated[str | None, Query(pattern=PROVINCE_PATTERN, description=PROVINCE_TEXT)]

BatteryCodePath = Annotated[str, Depends(_battery_code)]
VinPath = Annotated[str, Depends(_vin)]
UsccPath = Annotated[str, Depends(_uscc)]


def UsccQuery(name: str, description: str) -> Any:  # noqa: N802  (used like fastapi.Query)
    """A required query parameter ``name`` holding a USCC: ``Annotated[str, UsccQuery("source", "...")]``."""

    def uscc(value: Annotated[str, Query(alias=name, max_length=64, description=f"{description}. {USCC_TEXT}")]) -> str:
        return checked(value, check_uscc, name, INVALID_USCC)

    return Depends(uscc)


# --- moments ------------------------------------------------------------------------------------


def AwareQuery(name: str, description: str | None = None) -> Any:  # noqa: N802  (used like fastapi.Query)
    """An optional query parameter ``name`` holding a moment with its UTC offset (RFC 3339)."""

    def moment(value: Annotated[datetime | None, Query(alias=name, description=description)] = None) -> datetime | None:
        if value is None:
            return None
        try:
            return check_aware(value)
        except ValueError as err:
            raise InvalidInput([FieldProblem(name, str(err))]) from None

    return Depends(moment)


# --- paging -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paging:
    """One page: at most ``limit`` items, after the cursor ``after`` or past the first ``skip``."""

    limit: int
    after: str = ""
    skip: int = 0


Limit = Annotated[int | None, Query(ge=1)]


def _size(limit: int | None, settings: SettingsDep) -> int:
    return min(limit or settings.default_page_size, settings.max_page_size)


def AfterPaging(max_length: int, description: str | None = None) -> Any:  # noqa: N802  (used like fastapi.Query)
    """Cursor paging: ``after`` (the last key of the previous page, at most ``max_length``) and ``limit``."""

    def paging(
        settings: SettingsDep,
        after: Annotated[str, Query(max_length=max_length, description=description)] = "",
        limit: Limit = None,
    ) -> Paging:
        return Paging(limit=_size(limit, settings), after=after)

    return Depends(paging)


def SkipPaging(maximum: int) -> Any:  # noqa: N802  (used like fastapi.Query)
    """Offset paging: ``skip`` (at most ``maximum``) and ``limit``."""

    def paging(
        settings: SettingsDep,
        skip: Annotated[int, Query(ge=0, le=maximum)] = 0,
        limit: Limit = None,
    ) -> Paging:
        return Paging(limit=_size(limit, settings), skip=skip)

    return Depends(paging)
