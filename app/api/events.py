"""Event capture."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Request

from app.api.auth import Admitted, actor_of, note_for_audit
from app.api.deps import DbDep, JsonBody, SigningDep
from app.schemas.events import EventBatch, IngestResult
from app.schemas.examples import EVENT_EXAMPLES
from app.security import check_reporter_events
from app.services.ingest import ingest_events

router = APIRouter(prefix="/v1", tags=["events"])


@router.post(
    "/events",
    responses={
        403: {
            "description": "a reporter key submitting events of another company, or a claim its reporter may not "
            "make (voiding another company's event, producing a code of another maker); see docs/claims.md"
        },
        409: {"description": "an event_id is already stored with different content, or a code is produced twice"},
        415: {"description": "a body that is not sent as application/json"},
        422: {"description": "every invalid event, by index, field and reason; nothing stored"},
        503: {"description": "Neo4j unavailable; retry after Retry-After seconds"},
    },
)
def capture_events(
    batch: Annotated[EventBatch, Body(openapi_examples=EVENT_EXAMPLES)],
    db: DbDep,
    signing: SigningDep,
    request: Request,
    who: Admitted,
    _json: JsonBody,
) -> IngestResult:
    """Store up to 10,000 events atomically; acknowledged only after the commit. Resending is safe.

    Events that contradict the stored record are stored as claimed and listed in ``warnings``. The
    ``receipt`` proves, with the log's public key, that the new events entered the log (docs/integrity.md)."""
    check_reporter_events(who, [e.reporter for e in batch.events])
    result = ingest_events(db, batch.events, actor=actor_of(who), signing=signing)
    note_for_audit(request, result.voided_for_others)
    return result
