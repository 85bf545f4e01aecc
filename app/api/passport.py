"""A battery's passport, its QR code, and the public resolver of its Digital Link."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from app.api.auth import ADMITTED, Admitted
from app.api.deps import DbDep, LinkBaseDep
from app.api.params import BatteryCodePath
from app.schemas.passport import Passport
from app.security import check_battery_access
from app.services import passport, qr, resolver, trace

router = APIRouter(prefix="/v1", tags=["passport"], dependencies=ADMITTED)
# No key: whoever scans a label's QR code lands here. It answers from the code alone, never from the
# database, so a known and an unknown battery get the same redirect (the passport still needs a key).
public = APIRouter(tags=["passport"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "valid identifier, but nothing is known about it"}}


@router.get("/batteries/{code}/passport", responses=NOT_FOUND)
def get_passport(code: BatteryCodePath, db: DbDep, who: Admitted, link_base: LinkBaseDep) -> Passport:
    """The battery passport: what this platform holds in the Battery Pass groups, absent attributes with the reason."""
    check_battery_access(db, who, code)
    return passport.get_passport(db, code, link_base)


@router.get(
    "/batteries/{code}/qr",
    response_class=Response,
    responses={
        **NOT_FOUND,
        200: {
            "description": "the QR code of the battery's Digital Link URI",
            "content": {
                "image/svg+xml": {"schema": {"type": "string"}},
                "image/png": {"schema": {"type": "string", "format": "binary"}},
            },
        },
    },
)
def get_qr(
    code: BatteryCodePath,
    db: DbDep,
    who: Admitted,
    link_base: LinkBaseDep,
    format: Annotated[qr.QrFormat, Query(description="svg (for print) or png")] = "svg",
) -> Response:
    """The QR code for the battery's label: its Digital Link URI, which resolves on this API."""
    check_battery_access(db, who, code)
    trace.get_battery(db, code)  # 404 for a battery no event names, like its other reads
    image = qr.qr_image(passport.digital_link(link_base, code), format)
    return Response(image, media_type=qr.MEDIA_TYPES[format])


@public.get(
    "/battery/{code}",
    status_code=307,
    response_class=RedirectResponse,
    responses={307: {"description": "to the passport (JSON clients, linkType) or the UI's battery page (people)"}},
)
def resolve(
    code: BatteryCodePath,
    request: Request,
    link_type: Annotated[
        str | None,
        Query(alias="linkType", max_length=128, description="a GS1 link type, e.g. gs1:pip or gs1:masterData"),
    ] = None,
) -> RedirectResponse:
    """The Digital Link resolver: a scanned label's URI redirected to the passport or the UI's battery page."""
    target = resolver.resolve(code, link_type, request.headers.get("accept"))
    return RedirectResponse(target.location, status_code=307, headers=resolver.headers(code))
