"""The dossier's own query (``cypher/dossier/``): the names of the companies it mentions."""

from __future__ import annotations

from collections.abc import Sequence

from app.db import Database, Row
from app.schemas.dossier import CompanyName


def company_row(r: Row) -> CompanyName:
    return CompanyName(uscc=r["uscc"], name=r["name"], maker_code=r["maker_code"])


def company_names(db: Database, usccs: Sequence[str], maker_code: str) -> list[CompanyName]:
    """Registered names of ``usccs`` and of the companies holding ``maker_code``, by USCC."""
    rows = db.read("dossier.company_names", usccs=sorted(set(usccs)), maker_code=maker_code)
    return sorted((company_row(r) for r in rows), key=lambda c: c.uscc)
