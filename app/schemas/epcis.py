"""The answer of EPCIS capture: how many EPCIS events mapped onto how many stored native ones."""

from __future__ import annotations

from pydantic import BaseModel


class EpcisCaptureResult(BaseModel):
    epcis_events: int
    native_events: int
    accepted: int
    duplicates: int
