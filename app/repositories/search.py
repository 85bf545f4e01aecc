"""The search queries (``cypher/search/``), one per kind, answering typed hits."""

from __future__ import annotations

from app.db import Database
from app.schemas.search import SearchHit


def batteries(db: Database, q: str, company: str | None, provinces: list[str] | None, limit: int) -> list[SearchHit]:
    rows = db.read("search.batteries", q=q, company=company, provinces=provinces, limit=limit)
    return [
        SearchHit(
            kind="battery",
            id=r["code"],
            match=r["match"],
            status=r["status"],
            level=r["level"],
            maker_code=r["maker_code"],
            chemistry=r["chemistry"],
            vehicle=r["current_vin"],
        )
        for r in rows
    ]


def vehicles(db: Database, q: str, provinces: list[str] | None, limit: int) -> list[SearchHit]:
    rows = db.read("search.vehicles", q=q, provinces=provinces, limit=limit)
    return [
        SearchHit(
            kind="vehicle",
            id=r["vin"],
            name=r["model"],
            match=r["match"],
            company=r["maker"],
            company_name=r["maker_name"],
            battery=r["current_battery"],
        )
        for r in rows
    ]


def companies(db: Database, code: str | None, words: list[str], limit: int) -> list[SearchHit]:
    rows = db.read("search.companies", code=code, words=words, limit=limit)
    return [
        SearchHit(
            kind="company",
            id=r["uscc"],
            name=r["name"],
            match=r["match"],
            roles=r["roles"],
            province=r["province"],
            maker_code=r["maker_code"],
        )
        for r in rows
    ]


def stations(db: Database, code: str | None, words: list[str], limit: int) -> list[SearchHit]:
    rows = db.read("search.stations", code=code, words=words, limit=limit)
    return [
        SearchHit(
            kind="station",
            id=r["id"],
            name=r["name"],
            match=r["match"],
            company=r["operator"],
            company_name=r["operator_name"],
            province=r["province"],
        )
        for r in rows
    ]
