"""The public answers' queries (``cypher/public/``): the registry's white list and the projected
state of one battery, in typed rows that hold only what a public answer may use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.db import Database, Row
from app.schemas.registry import LicenceRecord


@dataclass(frozen=True)
class FirmRow:
    """A company of the white list or a service point, as the registry holds it."""

    uscc: str
    name: str
    name_en: str | None
    roles: list[str]
    licences: list[LicenceRecord]


@dataclass(frozen=True)
class StageRow:
    """One battery's replayed status and its last holder's licences (never the holder itself)."""

    status: str | None
    second_life_product: bool
    was_installed: bool
    holder_known: bool
    licences: list[LicenceRecord]


def _licences(row: Row) -> list[LicenceRecord]:
    return [LicenceRecord(**lic) for lic in row["licences"] or []]


def firms_in_province(db: Database, province: str, roles: Sequence[str]) -> list[FirmRow]:
    rows = db.read("public.firms_in_province", province=province, roles=list(roles))
    return [FirmRow(r["uscc"], r["name"], r["name_en"], list(r["roles"] or []), _licences(r)) for r in rows]


def battery_stage(db: Database, code: str) -> StageRow | None:
    rows = db.read("public.battery_stage", code=code)
    if not rows:
        return None
    r = rows[0]
    return StageRow(
        r["status"], bool(r["second_life_product"]), bool(r["was_installed"]), bool(r["holder_known"]), _licences(r)
    )


def maker_name(db: Database, maker_code: str) -> str | None:
    rows = db.read("public.maker_name", maker_code=maker_code)
    return str(rows[0]["name"]) if rows else None
