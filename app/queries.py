"""The Cypher registry: every query is a file under cypher/, named by its path.

Headers are checked when the files load, so a typo in a parameter fails at start-up, not in
production: every ``$name`` must be declared in ``// params:`` and every declared name used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

CYPHER_ROOT = Path(__file__).resolve().parent.parent / "cypher"
_PARAM_USE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_HEADER_KEY = re.compile(r"^//\s*(mode|params|returns):\s*(.*)$")
_LEADING_UNWIND = re.compile(r"^UNWIND\s+\$([A-Za-z_][A-Za-z0-9_]*)\s+AS\s")
# An aggregation turns no rows into one (``WITH count(*) AS n`` and on): such a query still acts.
_AGGREGATION = re.compile(r"\b(count|collect|sum|min|max|avg|percentile\w*|stdev\w*)\s*\(", re.IGNORECASE)


class QueryFileError(ValueError):
    """A .cypher file whose header does not match its body."""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    mode: Literal["read", "write", "schema", "autocommit"]
    params: tuple[str, ...]
    description: str
    returns: str
    #: The parameter a query begins by unwinding (``UNWIND $rows AS row``), with no aggregation or
    #: UNION after it: with that list empty the query does nothing and answers no rows (every later
    #: clause runs once per row, and there are none), so it need not be sent at all.
    unwinds: str | None = None


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def _top_level_split(text: str) -> list[str]:
    """Split on commas outside brackets: ``rows: list[{a, b}], n: int`` is two parameters."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "[{(":
            depth += 1
        elif ch in "]})":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def parse_query_file(name: str, source: str) -> NamedQuery:
    lines = source.splitlines()
    header = [line for line in lines if line.startswith("//")]
    if not header:
        raise QueryFileError(f"{name}: missing '//' header")
    description = header[0].lstrip("/ ").strip()
    fields: dict[str, str] = {}
    for line in header[1:]:
        match = _HEADER_KEY.match(line)
        if match:
            fields[match.group(1)] = match.group(2).strip()
    for key in ("mode", "params", "returns"):
        if key not in fields:
            raise QueryFileError(f"{name}: header lacks '// {key}:'")
    mode = fields["mode"]
    if mode not in ("read", "write", "schema", "autocommit"):
        raise QueryFileError(f"{name}: mode must be read, write, schema or autocommit, not {mode!r}")
    declared: list[str] = []
    if fields["params"] not in ("", "none"):
        for item in _top_level_split(fields["params"]):
            pname = item.split(":")[0].strip().lstrip("$")
            if pname:
                declared.append(pname)
    body = _strip_comments(source).strip()
    if not body:
        raise QueryFileError(f"{name}: no query text")
    used = set(_PARAM_USE.findall(body))
    undeclared = used - set(declared)
    unused = set(declared) - used
    if undeclared:
        raise QueryFileError(f"{name}: parameters used but not declared: {sorted(undeclared)}")
    if unused:
        raise QueryFileError(f"{name}: parameters declared but not used: {sorted(unused)}")
    leading = _LEADING_UNWIND.match(body)
    inert_when_empty = "UNION" not in body and not _AGGREGATION.search(body)
    unwinds = leading.group(1) if leading and inert_when_empty else None
    return NamedQuery(name, body, mode, tuple(declared), description, fields["returns"], unwinds)  # type: ignore[arg-type]


def load_queries(root: Path = CYPHER_ROOT) -> dict[str, NamedQuery]:
    queries: dict[str, NamedQuery] = {}
    for path in sorted(root.rglob("*.cypher")):
        name = ".".join(path.relative_to(root).with_suffix("").parts)
        queries[name] = parse_query_file(name, path.read_text(encoding="utf-8"))
    return queries


@lru_cache
def registry() -> dict[str, NamedQuery]:
    return load_queries()


def get_query(name: str) -> NamedQuery:
    try:
        return registry()[name]
    except KeyError:
        raise KeyError(f"no Cypher file for query {name!r} under {CYPHER_ROOT}") from None
