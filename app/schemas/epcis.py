"""The answer of EPCIS capture: how many EPCIS events mapped onto how many stored native ones."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.schemas.events import IngestWarning
from app.schemas.ledger import Receipt


class EpcisCaptureResult(BaseModel):
    epcis_events: int
    native_events: int
    accepted: int
    duplicates: int
    warnings: list[IngestWarning] = Field(default_factory=list, description="indexes are of the native events")
    voided_for_others: list[str] = Field(default_factory=list)
    receipt: Receipt | None = Field(None, description="signed proof that the new events entered the verifiable log")
