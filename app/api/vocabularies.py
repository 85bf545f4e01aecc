"""The vocabularies senders' values are checked against, published so nobody has to guess."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.auth import ADMITTED
from app.schemas.vocabularies import Vocabularies
from app.services.vocabularies import vocabularies

router = APIRouter(prefix="/v1", tags=["vocabularies"], dependencies=ADMITTED)


@router.get("/vocabularies")
def get_vocabularies() -> Vocabularies:
    """Chemistries (letters and accepted spellings), vehicle categories, removal and correction
    reasons, second-life applications, licence scopes, company roles, GB/T 2260 provinces, who
    reports each event type, and the capture warnings' codes; in Chinese and English."""
    return vocabularies()
