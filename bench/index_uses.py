"""Which query's plan uses which index: EXPLAIN of every read and write query under cypher/.

An index no plan names costs its bytes and its write for nothing; one that only some plans name is
kept for those. Run against a loaded store (the planner picks by the store's statistics), e.g. the
one ``bench/store_breakdown.py`` leaves:

    .venv/bin/python bench/index_uses.py --home var/neo4j-breakdown --port 7698

EXPLAIN plans without running, so no parameter values are needed; a query whose plan cannot be
made without them is listed as such.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.db import Database  # noqa: E402
from app.queries import registry  # noqa: E402

#: "e:Event(type, occurred_at)" or "[r:INSTALLED_IN(until_event)]" in an index operator's details.
_SIGNATURE = re.compile(r"\w*:(\w+)\(([\w, ]+)\)")


def _indexes(db: Database) -> dict[tuple[bool, str, tuple[str, ...]], str]:
    """(text index?, label or type, properties) -> name: a text and a range index may share the rest."""
    with db.driver.session(database=db.name) as s:
        rows = s.run(
            "SHOW INDEXES YIELD name, type, labelsOrTypes, properties "
            "WHERE type <> 'LOOKUP' RETURN name, type = 'TEXT' AS text, labelsOrTypes[0] AS on, properties"
        )
        return {(r["text"], r["on"], tuple(r["properties"])): r["name"] for r in rows}


def _operators(plan: Any) -> list[str]:
    """The details of every operator that seeks or scans an index (unique seeks included)."""
    if not isinstance(plan, dict):
        return []
    details = [str(plan.get("args", {}).get("Details", ""))] if "Index" in str(plan.get("operatorType")) else []
    for child in plan.get("children", []):
        details.extend(_operators(child))
    return details


def uses(db: Database) -> tuple[dict[str, list[str]], list[str]]:
    """Index name -> the queries whose plans seek or scan it; and the queries that could not be planned."""
    by_signature = _indexes(db)
    used: dict[str, list[str]] = defaultdict(list)
    unplanned = []
    with db.driver.session(database=db.name) as s:
        for name, query in sorted(registry().items()):
            if query.mode not in ("read", "write"):
                continue
            try:
                plan = s.run("EXPLAIN " + query.text, {p: None for p in query.params}).consume().plan
            except Exception as err:  # listed, not fatal: the rest still plan
                unplanned.append(f"{name}: {type(err).__name__}: {str(err)[:120]}")
                continue
            seen = set()
            for text in _operators(plan):
                for label, props in _SIGNATURE.findall(text):
                    key = ("TEXT INDEX" in text, label, tuple(p.strip() for p in props.split(",")))
                    seen.add(by_signature.get(key, f"{label}({props})"))
            for index in seen:
                used[index].append(name)
    for index in by_signature.values():
        used.setdefault(index, [])
    return dict(sorted(used.items())), unplanned


def main() -> int:
    from pydantic import SecretStr

    from app.config import Settings
    from neo4j_runtime import launcher

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", type=Path, default=ROOT / "var" / "neo4j-breakdown")
    parser.add_argument("--port", type=int, default=7698)
    args = parser.parse_args()
    instance = launcher.start(args.home, args.port, "2g", "1g")
    db = Database(Settings(neo4j_uri=instance.uri, neo4j_password=SecretStr(instance.password)))
    try:
        used, unplanned = uses(db)
    finally:
        db.close()
        if instance.started:
            launcher.stop(args.home)
    for index, queries in used.items():
        print(f"{index}: {len(queries)} {' '.join(queries) if queries else '(no plan)'}")
    for line in unplanned:
        print("not planned:", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
