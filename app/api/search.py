"""Search by a fragment of a battery code, VIN, company name or USCC, station id or name."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.auth import ADMITTED, Admitted
from app.api.deps import DbDep
from app.schemas.search import SearchKind, SearchResult
from app.security import province_scope, unsearchable_kinds
from app.services import search

router = APIRouter(prefix="/v1", tags=["trace"], dependencies=ADMITTED)


@router.get("/search")
def search_everything(
    db: DbDep,
    who: Admitted,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=64,
            description="at least 2 characters: the whole or a part of a battery code, VIN, USCC, company "
            "name, station id or station name (identifiers in any case, spaces and dashes ignored)",
        ),
    ],
    kind: Annotated[list[SearchKind] | None, Query(description="only these kinds (repeat the parameter)")] = None,
    limit: Annotated[int, Query(ge=1, le=50, description="at most this many hits of each kind")] = 10,
) -> SearchResult:
    """What the fragment names, each kind as this key may read it: a reporter finds its own
    company's batteries, a province-limited key those within its provinces, an analyst companies
    and stations only (`skipped` says which kinds were not searched and why; `more` which have
    more hits than shown)."""
    return search.search(
        db,
        q,
        kinds=kind,
        limit=limit,
        unreadable=unsearchable_kinds(who),
        company=who.company if who.role == "reporter" else None,
        provinces=province_scope(who),
    )
