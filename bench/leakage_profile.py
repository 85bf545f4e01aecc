"""Time the leakage rules one by one, keep their findings for comparison, show a rule's PROFILE plan.

Usage (with the NEO4J_* environment of the instance to measure)::

    python -m bench.leakage_profile                          # every rule, defaults, as_of now
    python -m bench.leakage_profile --as-of 2026-11-01T00:00:00+08:00 --save var/leak-before.json
    python -m bench.leakage_profile --as-of 2026-11-01T00:00:00+08:00 --compare var/leak-before.json
    python -m bench.leakage_profile --profile unlisted_handover --as-of 2026-11-01T00:00:00+08:00

Timings are wall-clock seconds of ``leakage.iter_findings`` consumed to the end (the query and the
Python that turns rows into findings), the best of ``--repeat`` runs. ``--save`` writes every
finding of every rule (all fields) as JSON; ``--compare`` reads such a file and reports, per rule,
whether the findings (and their order) are identical. ``--profile`` runs the rule's query once
under PROFILE with the parameters the service would pass and prints the plan: operator, rows and
database hits per operator, and the total.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from neo4j import READ_ACCESS, Query  # noqa: E402

from app.config import Settings  # noqa: E402
from app.db import Database  # noqa: E402
from app.queries import get_query  # noqa: E402
from app.services import leakage  # noqa: E402
from app.services.leakage.workdays import WorkdayCalendar  # noqa: E402

Findings = dict[str, list[dict[str, Any]]]


def _common(as_of: str | None) -> dict[str, Any]:
    return {"as_of": as_of} if as_of else {}


def time_rules(
    db: Database, calendar: WorkdayCalendar, rules: Sequence[str], common: Mapping[str, Any], repeat: int
) -> tuple[dict[str, float], Findings]:
    """Best-of-``repeat`` seconds per rule, and the findings of the last run (JSON-ready dicts)."""
    seconds: dict[str, float] = {}
    findings: Findings = {}
    for rule_id in rules:
        best = float("inf")
        for _ in range(repeat):
            began = time.perf_counter()
            rows = list(leakage.iter_findings(db, rule_id, common, calendar))
            best = min(best, time.perf_counter() - began)
        seconds[rule_id] = best
        findings[rule_id] = [f.model_dump(mode="json") for f in rows]
        print(f"{rule_id:28s} {best:8.2f} s {len(rows):9,d} findings", flush=True)
    return seconds, findings


def compare(saved: Findings, now: Findings) -> bool:
    """Print per rule whether the findings are identical (same rows in the same order)."""
    same_everywhere = True
    for rule_id, rows in now.items():
        before = saved.get(rule_id)
        if before is None:
            print(f"{rule_id:28s} not in the saved file")
            continue
        if before == rows:
            print(f"{rule_id:28s} identical ({len(rows):,d})")
            continue
        same_everywhere = False
        print(f"{rule_id:28s} DIFFERENT: {len(before):,d} saved, {len(rows):,d} now")
        if sorted(json.dumps(r, sort_keys=True) for r in before) == sorted(json.dumps(r, sort_keys=True) for r in rows):
            print("    same findings, different order")
            continue
        for i, (a, b) in enumerate(zip(before, rows, strict=False)):
            if a != b:
                print(f"    first difference at row {i}:\n    saved {a}\n    now   {b}")
                break
    return same_everywhere


def _print_plan(plan: Mapping[str, Any], depth: int = 0) -> int:
    args = plan.get("args", {})
    hits = int(plan.get("dbHits", args.get("DbHits", 0)) or 0)
    rows = int(plan.get("rows", args.get("Rows", 0)) or 0)
    details = str(args.get("Details", "")).replace("\n", " ")
    if len(details) > 110:
        details = details[:107] + "..."
    print(f"{'  ' * depth}{plan.get('operatorType', '?'):<36s} rows {rows:>10,d}  db hits {hits:>12,d}  {details}")
    total = hits
    for child in plan.get("children", []):
        total += _print_plan(child, depth + 1)
    return total


def profile(db: Database, calendar: WorkdayCalendar, rule_id: str, common: Mapping[str, Any]) -> None:
    """Run one rule under PROFILE and print its plan with rows and db hits per operator."""
    rule = leakage.get_rule(rule_id)
    params = leakage.query_params(rule, rule.parse(common), calendar, 0, leakage.ALL)
    text = "PROFILE " + get_query(rule.query).text
    with db.driver.session(database=db.name, default_access_mode=READ_ACCESS) as session:
        began = time.perf_counter()
        result = session.run(Query(text, metadata={"query": f"profile {rule.query}"}), params)
        count = sum(1 for _ in result)
        summary = result.consume()
        elapsed = time.perf_counter() - began
    if summary.profile is None:
        print("no profile returned")
        return
    total = _print_plan(summary.profile)
    print(f"{rule_id}: {count:,d} rows, {total:,d} db hits in total, {elapsed:.2f} s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--as-of", help="RFC 3339 with offset; default: now (as the bench runs them)")
    parser.add_argument("--rules", help="comma-separated rule ids; default: every rule")
    parser.add_argument("--repeat", type=int, default=1, help="runs per rule; the best is reported")
    parser.add_argument("--save", type=Path, help="write every finding of the timed rules to this JSON file")
    parser.add_argument("--compare", type=Path, help="compare the findings with a file written by --save")
    parser.add_argument("--profile", metavar="RULE", help="print this rule's PROFILE plan instead of timing")
    args = parser.parse_args(argv)

    db = Database(Settings())
    try:
        calendar = leakage.calendar_for(db.settings)
        common = _common(args.as_of)
        if args.profile:
            profile(db, calendar, args.profile, common)
            return 0
        rules = args.rules.split(",") if args.rules else list(leakage.RULES)
        seconds, findings = time_rules(db, calendar, rules, common, max(1, args.repeat))
        print(f"{'total':28s} {sum(seconds.values()):8.2f} s")
        if args.save:
            args.save.write_text(json.dumps(findings, sort_keys=True))
            print(f"saved {sum(len(v) for v in findings.values()):,d} findings to {args.save}")
        if args.compare:
            saved: Findings = json.loads(args.compare.read_text())
            return 0 if compare(saved, findings) else 1
        return 0
    finally:
        db.close()


if __name__ == "__main__":
    raise SystemExit(main())
