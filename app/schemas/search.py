"""The answer of ``GET /v1/search``: what a typed fragment may name, each kind as the key may read it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

SearchKind = Literal["battery", "vehicle", "company", "station"]
SEARCH_KINDS: tuple[SearchKind, ...] = ("battery", "vehicle", "company", "station")
Match = Literal["exact", "prefix", "name", "contains"]


class SearchHit(BaseModel):
    """One thing the query names: its identifier, a name to show, how it matched."""

    kind: SearchKind = Field(description="what the hit is: battery, vehicle, company or station")
    id: str = Field(description="battery code, VIN, USCC or station id")
    name: str | None = Field(None, description="the company's or station's registered name; a vehicle's model")
    match: Match = Field(
        description="exact: the whole identifier; prefix: the identifier starts with the query; "
        "name: the registered name contains it; contains: the identifier contains it"
    )
    status: str | None = Field(None, description="a battery's status")
    level: str | None = Field(None, description="a battery's level: pack, module or cell")
    maker_code: str | None = Field(None, description="a battery's 3-character maker code, or a battery maker's own")
    chemistry: str | None = Field(None, description="a battery's chemistry as its production event gave it")
    vehicle: str | None = Field(None, description="the VIN a battery is installed in now")
    battery: str | None = Field(None, description="the battery a vehicle carries now")
    company: str | None = Field(None, description="a vehicle's maker or a station's operator (USCC)")
    company_name: str | None = Field(None, description="that company's registered name")
    roles: list[str] | None = Field(None, description="a company's roles")
    province: str | None = Field(None, description="a company's or station's GB/T 2260 province")


class SearchSkipped(BaseModel):
    kind: SearchKind = Field(description="a kind of thing not looked through")
    reason: str = Field(description="why: the key may not read it, or the request did not ask for it")


class SearchResult(BaseModel):
    query: str = Field(description="the query as searched, trimmed")
    hits: list[SearchHit] = Field(description="batteries, vehicles, companies, stations; best matches of each first")
    searched: list[SearchKind] = Field(description="the kinds looked through for this key")
    skipped: list[SearchSkipped] = Field(description="kinds this key may not read (or not asked for), with why")
    more: list[SearchKind] = Field(description="kinds with more matches than shown: type more of the identifier")
