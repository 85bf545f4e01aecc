"""The investigator's dossier of one battery, as a PDF to hand to a court or ministry (docs/dossier.md)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from app.api.auth import ADMITTED, Admitted
from app.api.deps import DbDep, SettingsDep, SigningDep
from app.api.params import BatteryCodePath
from app.dossier import FontSpec
from app.security import check_battery_access
from app.services import dossier

router = APIRouter(prefix="/v1", tags=["trace"], dependencies=ADMITTED)
ANSWERS: dict[int | str, dict[str, Any]] = {
    200: {"description": "the dossier (PDF, the proof bundle attached)", "content": {"application/pdf": {}}},
    404: {"description": "valid identifier, but nothing is known about it"},
    503: {"description": "the CJK font the dossier embeds is missing (DOSSIER_FONT_FILE)"},
}


@router.get("/batteries/{code}/dossier.pdf", response_class=Response, responses=ANSWERS)
def battery_dossier(
    code: BatteryCodePath, db: DbDep, who: Admitted, signing: SigningDep, settings: SettingsDep
) -> Response:
    """Identity, journey (timeline and custody graph), every event with its reporter and recording time,
    the findings and the integrity proof in one PDF; a reporter's holds only findings naming its company."""
    check_battery_access(db, who, code)
    font = FontSpec(settings.dossier_font_file, settings.dossier_font_index)
    body = dossier.dossier_pdf(db, signing.signer, code, who, font)
    headers = {"Content-Disposition": f'inline; filename="dossier-{code}.pdf"'}
    return Response(body, media_type="application/pdf", headers=headers)
