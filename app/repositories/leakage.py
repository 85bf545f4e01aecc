"""The leakage rules' queries (``cypher/leakage/``): every rule answers the same row shape."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.db import Database, RowStream


@dataclass(frozen=True, slots=True)
class RuleRow:
    """One finding as a rule's Cypher states it; the columns every ``cypher/leakage/*.cypher`` returns."""

    battery: str | None
    since: datetime
    company: str | None
    company_name: str | None
    province: str | None
    evidence: list[str] | None
    missing: str
    details: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class HandledBy:
    """How many custody intervals a company (or a province) handled: the denominator of its rates."""

    key: str | None
    handled: int
    name: str | None = None
    province: str | None = None


def rule_rows(db: Database, query: str, params: dict[str, Any]) -> list[RuleRow]:
    return [RuleRow(**r) for r in db.read(query, **params)]


def plan_rule(db: Database, query: str, params: dict[str, Any]) -> None:
    """Have the server plan a rule's query for these parameters' types, without running it."""
    db.explain(query, **params)


class RuleRowStream:
    """A rule's rows streamed from the database (exports, summaries); ``close`` releases the session."""

    def __init__(self, db: Database, query: str, params: dict[str, Any]) -> None:
        self._rows: RowStream = db.stream(query, **params)

    def __iter__(self) -> Iterator[RuleRow]:
        return (RuleRow(**r) for r in self._rows)

    def close(self) -> None:
        self._rows.close()


def battery_count(db: Database) -> tuple[int, int]:
    """Packs and batteries of every level in the store."""
    row = db.read("leakage.stats.battery_count")[0]
    return int(row["packs"]), int(row["batteries"])


def battery_count_in_provinces(db: Database, provinces: list[str]) -> tuple[int, int]:
    """Packs and batteries of every level within the provinces."""
    row = db.read("leakage.stats.battery_count_in_provinces", provinces=provinces)[0]
    return int(row["packs"]), int(row["batteries"])


def province_handled(db: Database) -> dict[str | None, int]:
    return {r["province"]: int(r["handled"]) for r in db.read("leakage.stats.province_handled")}


def province_packs(db: Database) -> dict[str, int]:
    """Packs with a standing event in each province (a pack may count in several)."""
    return {r["province"]: int(r["packs"]) for r in db.read("leakage.stats.province_packs")}


def company_handled(db: Database, usccs: Sequence[str]) -> dict[str, HandledBy]:
    rows = db.read("leakage.stats.company_handled", usccs=list(usccs))
    return {r["uscc"]: HandledBy(r["uscc"], int(r["handled"]), r["name"], r["province"]) for r in rows}


@dataclass(frozen=True, slots=True)
class RecoveryRow:
    """What one recycler recovered from inputs of one chemistry class over a period."""

    company: str
    company_name: str | None
    province: str | None
    chem_class: str
    packs: int
    input_kg: float
    recovered: dict[str, float]


def recovery_by_recycler(
    db: Database, since: datetime, until: datetime, mass_tolerance: float, provinces: list[str] | None
) -> list[RecoveryRow]:
    rows = db.read(
        "leakage.stats.recovery_by_recycler",
        since=since,
        until=until,
        mass_tolerance=mass_tolerance,
        provinces=provinces,
    )
    return [
        RecoveryRow(
            r["company"],
            r["company_name"],
            r["province"],
            r["chem_class"],
            int(r["packs"]),
            float(r["input_kg"]),
            {e: float(r[e] or 0.0) for e in ("li", "ni", "co", "mn")},
        )
        for r in rows
    ]
