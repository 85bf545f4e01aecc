"""Event capture."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import DbDep
from app.schemas.events import EventBatch, IngestResult
from app.services.ingest import ingest_events

router = APIRouter(prefix="/v1", tags=["events"])


@router.post(
    "/events",
    responses={
        409: {"description": "an event_id is already stored with different content"},
        422: {"description": "every invalid event, by index, field and reason; nothing stored"},
        503: {"description": "Neo4j unavailable; retry after Retry-After seconds"},
    },
)
def capture_events(batch: EventBatch, db: DbDep) -> IngestResult:
    """Store up to 10,000 events atomically; acknowledged only after the commit. Resending is safe."""
    return ingest_events(db, batch.events)
