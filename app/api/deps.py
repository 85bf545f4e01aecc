"""Dependencies shared by the routers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from app.config import Settings
from app.db import Database
from app.errors import UnsupportedMediaType
from app.ledger.signing import Signer
from app.services.ledger import Signing


async def get_db(request: Request) -> Database:
    """Async, so that handing the driver over costs no thread hop (it does no I/O)."""
    db: Database = request.app.state.db
    return db


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_signer(request: Request) -> Signer:
    signer: Signer = request.app.state.signer
    return signer


def get_signing(request: Request) -> Signing:
    signing: Signing = request.app.state.signing
    return signing


DbDep = Annotated[Database, Depends(get_db)]
SigningDep = Annotated[Signing, Depends(get_signing)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
SignerDep = Annotated[Signer, Depends(get_signer)]


def _media_check(*accepted: str) -> Callable[[Request], Awaitable[None]]:
    """415 for a body sent as anything but ``accepted``: read as raw bytes, it would fail as 'not an object'."""
    wanted = " or ".join(accepted)

    async def check(request: Request) -> None:
        declared = request.headers.get("content-type")
        media = (declared or "").split(";", 1)[0].strip().lower()
        if media in accepted or not await request.body():
            return
        sent = f"a body of media type {media!r}" if media else "a body without a Content-Type"
        raise UnsupportedMediaType(f"unsupported media type: {sent}; send it as {wanted}")

    check.media_types = accepted  # type: ignore[attr-defined]  # read by app.openapi to document the 415
    return check


#: Routes reading a JSON body take one of these as their last parameter, so authentication answers first.
JsonBody = Annotated[None, Depends(_media_check("application/json"))]
JsonLdBody = Annotated[None, Depends(_media_check("application/ld+json", "application/json"))]


def digital_link_base(request: Request, settings: SettingsDep) -> str:
    """Where batteries' Digital Links point: DIGITAL_LINK_BASE, else the address this request reached
    the API at (behind a proxy that rewrites the host, set the setting)."""
    return settings.digital_link_base or str(request.base_url).rstrip("/")


LinkBaseDep = Annotated[str, Depends(digital_link_base)]
