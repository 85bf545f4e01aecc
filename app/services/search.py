"""Search: one typed fragment looked up as battery code, VIN, company (USCC or name) and station.

What a key may find is what it may read: the route passes the kinds its role may not see (with
why), a reporter's company and a province-limited key's provinces, and each query narrows by them
exactly as the single reads do, so search never names a battery or vehicle the key would get a
403 or 404 for. Identifiers are matched in upper case without spaces or dashes (codes are printed
in groups); names as typed and in the usual cases, since the text indexes are case-sensitive.
"""

from __future__ import annotations

import re

from app.db import Database
from app.errors import FieldProblem, InvalidInput
from app.repositories import search as repo
from app.schemas.search import SEARCH_KINDS, SearchHit, SearchKind, SearchResult, SearchSkipped

MIN_QUERY = 2
_SEPARATORS = re.compile(r"[\s\-]+")
_IDENTIFIER = re.compile(r"^[A-Z0-9]+$")
_STATION_ID = re.compile(r"^[A-Z0-9._:-]+$")


def identifier_fragment(q: str) -> str:
    """The query as part of a code, VIN or USCC: upper case, printed group separators dropped."""
    return _SEPARATORS.sub("", q).upper()


def name_words(q: str) -> list[str]:
    """The query as typed and in lower, upper, title and first-letter case, each once."""
    words = [q, q.lower(), q.upper(), q.title(), q[:1].upper() + q[1:]]
    return list(dict.fromkeys(words))


def search(
    db: Database,
    q: str,
    *,
    kinds: list[SearchKind] | None,
    limit: int,
    unreadable: dict[SearchKind, str],
    company: str | None,
    provinces: list[str] | None,
) -> SearchResult:
    """The hits of each kind the key may read (and the caller asked for), best matches first."""
    text = q.strip()
    if len(text) < MIN_QUERY:
        raise InvalidInput([FieldProblem("q", f"type at least {MIN_QUERY} characters")], "query too short")
    wanted = list(dict.fromkeys(kinds)) if kinds else list(SEARCH_KINDS)
    skipped = [SearchSkipped(kind=k, reason=unreadable[k]) for k in wanted if k in unreadable]
    skipped += [SearchSkipped(kind=k, reason="not asked for") for k in SEARCH_KINDS if k not in wanted]
    searched = [k for k in wanted if k not in unreadable]
    code = identifier_fragment(text)
    words = name_words(text)
    hits: list[SearchHit] = []
    more: list[SearchKind] = []
    for kind in searched:
        found = _find(db, kind, code, words, limit + 1, company, provinces)
        if len(found) > limit:
            more.append(kind)
        hits += found[:limit]
    return SearchResult(query=text, hits=hits, searched=searched, skipped=skipped, more=more)


def _find(
    db: Database,
    kind: SearchKind,
    code: str,
    words: list[str],
    limit: int,
    company: str | None,
    provinces: list[str] | None,
) -> list[SearchHit]:
    identifier = code if _IDENTIFIER.match(code) else None
    if kind == "battery":
        return repo.batteries(db, identifier, company, provinces, limit) if identifier else []
    if kind == "vehicle":
        return repo.vehicles(db, identifier, provinces, limit) if identifier else []
    if kind == "company":
        return repo.companies(db, identifier, words, limit)
    return repo.stations(db, code if _STATION_ID.match(code) else None, words, limit)
