"""Do the leakage rules find exactly what the generator planted? ``batterytrace eval leakage``.

Generates (or reuses) a synthetic world with planted leakage (``loaders.synth.leakage``), loads
it with its recorded_at values into a dedicated Neo4j on a fresh store, runs every rule with its
defaults at the world's as_of, and compares each rule's findings with the ground truth: by
battery code, or by company for company-level rules. Prints planted, found, true positives,
precision and recall per rule, with a few misses and false alarms to look at, and writes the
whole comparison as JSON (``--report``). Then it sweeps the stored findings and checks that they
are the same set as the rules run from scratch and as a rebuild. Last, the planted late fixes
(``late-fixes/``: a missing step, or a correction, reported after as_of) are ingested and kept by
maintenance alone, no sweep: each must resolve its finding, with its own event as ``resolved_by``,
and the stored findings must again be the rules from scratch and a rebuild. Each time the summary's
kept tallies must equal a direct count of the unresolved findings (``tallies_agree``).

Exit status 0 when every rule has precision and recall 1.0 and the stored findings agree, 1 when
not, 2 on a setup error::

    batterytrace eval leakage --batteries 100000 --seed 7 --neo4j-home var/neo4j-leval
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from app.config import Settings, get_settings
from app.db import Database
from app.schemas.findings import Case
from app.services import findings, leakage
from app.services.store import apply_schema
from evaluation.common import ROOT, ServerOptions, dedicated_server, ensure_world
from loaders.files import LoadError, load_directory, load_events
from loaders.synth.writer import LATE_DIR

DEFAULT_REPORT = ROOT / "var" / "leakage-eval.json"


@dataclass
class RuleScore:
    rule: str
    level: str
    planted: int
    found: int
    true_positives: int
    seconds: float
    missed: list[str] = field(default_factory=list)  # planted, not found (a few)
    false_alarms: list[str] = field(default_factory=list)  # found, not planted (a few)
    keys: set[str] = field(default_factory=set, repr=False)  # everything found (not in the report)

    @property
    def precision(self) -> float | None:
        return self.true_positives / self.found if self.found else None

    @property
    def recall(self) -> float | None:
        return self.true_positives / self.planted if self.planted else None

    @property
    def exact(self) -> bool:
        return self.planted > 0 and self.found == self.planted == self.true_positives


def read_truth(directory: Path) -> dict[str, set[str]]:
    """rule id -> the battery codes (or companies) it must report, from ground_truth.jsonl."""
    truth: dict[str, set[str]] = defaultdict(set)
    path = directory / "ground_truth.jsonl"
    if path.exists():
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                label = json.loads(line)
                if label.get("kind") == "leakage":
                    truth[label["rule"]].add(label.get("battery") or label["company"])
    return truth


def score(db: Database, truth: dict[str, set[str]], as_of: str, *, examples: int = 5) -> list[RuleScore]:
    calendar = leakage.calendar_for(db.settings)
    scores = []
    for rule_id, rule in leakage.RULES.items():
        began = time.perf_counter()
        found: set[str] = set()
        for finding in leakage.iter_findings(db, rule_id, {"as_of": as_of}, calendar):
            key = finding.company if rule.level == "company" else finding.battery
            found.add(str(key))
        seconds = time.perf_counter() - began
        planted = truth.get(rule_id, set())
        scores.append(
            RuleScore(
                rule=rule_id,
                level=rule.level,
                planted=len(planted),
                found=len(found),
                true_positives=len(found & planted),
                seconds=seconds,
                missed=sorted(planted - found)[:examples],
                false_alarms=sorted(found - planted)[:examples],
                keys=found,
            )
        )
    return scores


def table(scores: list[RuleScore]) -> list[str]:
    def fmt(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    lines = [f"{'rule':<26}{'planted':>8}{'found':>8}{'TP':>8}{'precision':>11}{'recall':>8}{'seconds':>9}"]
    for s in scores:
        lines.append(
            f"{s.rule:<26}{s.planted:>8}{s.found:>8}{s.true_positives:>8}"
            f"{fmt(s.precision):>11}{fmt(s.recall):>8}{s.seconds:>9.2f}"
        )
        if s.missed:
            lines.append(f"    missed (planted, not found): {', '.join(s.missed)}")
        if s.false_alarms:
            lines.append(f"    false alarms (found, not planted): {', '.join(s.false_alarms)}")
    return lines


def check_stored(db: Database, scores: list[RuleScore], as_of: str) -> dict[str, Any]:
    """Sweep the stored findings, then hold them against the rules run from scratch (``scores``) and
    against a rebuild (every rule computed again, by stable id): both must be the same set."""
    calendar = leakage.calendar_for(db.settings)
    report = findings.sweep(db, calendar, as_of=datetime.fromisoformat(as_of), workers=db.settings.leakage_workers)
    return {"sweep_seconds": report.seconds, **_agreement(db, scores, as_of)}


def _agreement(db: Database, scores: list[RuleScore], as_of: str) -> dict[str, Any]:
    """The unresolved stored findings against the rules from scratch and against a rebuild, and the
    summary's kept tallies against a direct count of them."""
    calendar = leakage.calendar_for(db.settings)
    moment = datetime.fromisoformat(as_of)
    stored = [c for c in findings.iter_cases(db, findings.CaseFilters(), provinces=None) if c.resolved_at is None]
    by_rule: dict[str, set[str]] = defaultdict(set)
    for c in stored:
        by_rule[c.rule].add(str(c.company if leakage.RULES[c.rule].level == "company" else c.battery))
    differ = sorted(s.rule for s in scores if by_rule.get(s.rule, set()) != s.keys)
    rebuilt, _ = findings.compute(db, calendar, moment, db.settings.leakage_workers)
    same_as_rebuild = set(rebuilt) == {c.id for c in stored}
    tallied = findings.tallies_agree(db)
    return {
        "stored": len(stored),
        "rules_differing_from_scratch": differ,
        "same_as_scratch": not differ,
        "same_as_rebuild": same_as_rebuild,
        "tallies_agree": tallied.agree,
        "tallies_differing": tallied.differing,
    }


def check_late_fixes(db: Database, world: Path, truth: dict[str, set[str]], as_of: str) -> dict[str, Any] | None:
    """Ingest the planted late fixes, keep the findings by maintenance alone (at the world's as_of),
    and check that each fix resolved its finding with one of its own events, and that the stored
    findings are still the rules from scratch and a rebuild. None for a world without fixes."""
    path = world / LATE_DIR / "events.jsonl"
    if not path.exists():
        return None
    with open(world / LATE_DIR / "truth.jsonl", encoding="utf-8") as handle:
        fixes = [json.loads(line) for line in handle]
    calendar = leakage.calendar_for(db.settings)
    loaded = load_events(db, path, resume=False, allow_recorded_at=True, progress=False)
    began, maintenances = time.perf_counter(), 0
    while findings.maintain(db, calendar, as_of=datetime.fromisoformat(as_of)) is not None:
        maintenances += 1
    seconds = time.perf_counter() - began
    by_subject: dict[tuple[str, str | None], list[Case]] = defaultdict(list)
    for c in findings.iter_cases(db, findings.CaseFilters(), provinces=None):
        by_subject[(c.rule, c.battery)].append(c)
    unresolved = []
    for fix in fixes:
        cases = by_subject.get((fix["rule"], fix["battery"]), [])
        if not cases or any(c.resolved_at is None or c.resolved_by not in fix["events"] for c in cases):
            unresolved.append(f"{fix['rule']}:{fix['battery']}")
    return {
        "fixes": len(fixes),
        "events": loaded.accepted,
        "maintenances": maintenances,
        "maintain_seconds": round(seconds, 3),
        "not_resolved_by_their_fix": unresolved,
        "resolved_by_their_fix": not unresolved,
        **_agreement(db, score(db, truth, as_of), as_of),
    }


def _run(settings: Settings, world: Path, manifest: dict[str, Any], report: Path) -> int:
    db = Database(settings)
    try:
        apply_schema(db)
        began = time.perf_counter()
        loaded = load_directory(db, world, progress=sys.stderr.isatty())
        print(f"loaded {loaded.accepted:,} events in {time.perf_counter() - began:.0f} s", file=sys.stderr)
        as_of = f"{manifest['as_of']}T00:00:00+08:00"  # the world's cut-off: events before it exist
        truth = read_truth(world)
        scores = score(db, truth, as_of)
        stored = check_stored(db, scores, as_of)
        late = check_late_fixes(db, world, truth, as_of)
    finally:
        db.close()
    packs, seed = manifest["batteries"], manifest["seed"]
    print(f"leakage rules against planted ground truth: {packs:,} packs, seed {seed}, as_of {as_of}")
    for line in table(scores):
        print(line)
    exact = all(s.exact for s in scores)
    kept = stored["same_as_scratch"] and stored["same_as_rebuild"] and stored["tallies_agree"]
    fixed = late is None or (
        late["resolved_by_their_fix"] and late["same_as_scratch"] and late["same_as_rebuild"] and late["tallies_agree"]
    )
    report.parent.mkdir(parents=True, exist_ok=True)
    rows = [
        {**{k: v for k, v in asdict(s).items() if k != "keys"}, "precision": s.precision, "recall": s.recall}
        for s in scores
    ]
    document = {
        "world": str(world),
        "as_of": as_of,
        "exact": exact,
        "stored_findings": stored,
        "late_fixes": late,
        "rules": rows,
    }
    report.write_text(json.dumps(document, indent=2) + "\n")
    print("every rule exact (precision and recall 1.0)" if exact else "NOT exact: see the rules above")
    print(
        f"stored findings after a sweep ({stored['sweep_seconds']:.1f} s): {stored['stored']:,}; "
        f"same as the rules from scratch: {stored['same_as_scratch']}"
        + (f" (differ: {', '.join(stored['rules_differing_from_scratch'])})" if not stored["same_as_scratch"] else "")
        + f"; same as a rebuild: {stored['same_as_rebuild']}; tallies agree: {stored['tallies_agree']}"
    )
    if late is not None:
        print(
            f"late fixes: {late['fixes']:,} ({late['events']:,} events), kept by {late['maintenances']} maintenance(s) "
            f"in {late['maintain_seconds']:.1f} s; each resolved by its own event: {late['resolved_by_their_fix']}"
            + (
                f" (not: {', '.join(late['not_resolved_by_their_fix'][:5])})"
                if not late["resolved_by_their_fix"]
                else ""
            )
            + f"; then same as the rules from scratch: {late['same_as_scratch']}"
            + (f" (differ: {', '.join(late['rules_differing_from_scratch'])})" if not late["same_as_scratch"] else "")
            + f"; same as a rebuild: {late['same_as_rebuild']}; tallies agree: {late['tallies_agree']}"
        )
    return 0 if exact and kept and fixed else 1


def run(
    *,
    batteries: int,
    seed: int,
    world: Path | None = None,
    regenerate: bool = False,
    server: ServerOptions | None = None,
    report: Path = DEFAULT_REPORT,
) -> int:
    """Generate or reuse the world, load it, score every rule; 0 when all are exact, 1 if not, 2 on setup errors."""
    directory = world or ROOT / "var" / f"leakage-world-{batteries}-{seed}"
    manifest, _ = ensure_world(directory, batteries, seed, regenerate=regenerate)
    try:
        if server is None:
            return _run(get_settings(), directory, manifest, report)
        with dedicated_server(server, world=directory) as settings:
            return _run(settings, directory, manifest, report)
    except LoadError as err:
        print(f"eval leakage: {err}", file=sys.stderr)
        return 2
