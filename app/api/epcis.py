"""EPCIS 2.0 capture for companies that already keep GS1 event data."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request

from app.api.auth import Admitted, actor_of, note_for_audit
from app.api.deps import DbDep, JsonLdBody, SettingsDep, SigningDep
from app.schemas.epcis import EpcisCaptureResult
from app.security import check_reporter_events
from app.services.epcis import capture_document

router = APIRouter(prefix="/v1/epcis", tags=["epcis"])


@router.post(
    "/capture",
    responses={
        415: {"description": "a body that is not sent as application/ld+json or application/json"},
        422: {"description": "every problem, by EPCIS event index, field and reason; nothing stored"},
    },
)
def capture(
    document: Annotated[dict[str, Any], Body(description="an EPCISDocument (JSON-LD); see docs/epcis.md")],
    db: DbDep,
    settings: SettingsDep,
    signing: SigningDep,
    request: Request,
    who: Admitted,
    _json: JsonLdBody,
) -> EpcisCaptureResult:
    """Map CBV business steps onto v1 events and store them atomically; resending is safe."""
    result = capture_document(
        db,
        document,
        settings.max_batch_events,
        authorize=lambda r: check_reporter_events(who, r),
        actor=actor_of(who),
        signing=signing,
    )
    note_for_audit(request, result.voided_for_others)
    return result
