"""Recovery against the law's minimums: per recycler, the metal it reported recovering over a period
against what its input is estimated to hold, and the minimum recovery rates of the industry standard
conditions (2024: lithium 90 %, nickel, cobalt and manganese 98 %; domain.md).

The content is an estimate by chemistry class (kg per kg of pack): cells are about two thirds of a
pack and cathode about a third of a cell; LiFePO4 holds 4.4 % lithium, an NCM mix (523/622/811)
about 7 % lithium, 36 % nickel, 12 % cobalt and 11 % manganese, whence the table below. A recycler's
rate is therefore as good as that estimate (a few per cent either way), which is why the report
gives contents, recovered masses and rates rather than a verdict alone.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Collection
from datetime import UTC, datetime, timedelta

from app.db import Database
from app.repositories import leakage as repo
from app.schemas.leakage import ElementRecovery, RecoveryReport, RecyclerRecovery

ELEMENTS = ("li", "ni", "co", "mn")
#: kg per kg of pack, by chemistry class: our estimate (see the module's docstring).
CONTENT: dict[str, dict[str, float]] = {
    "lfp": {"li": 0.010, "ni": 0.0, "co": 0.0, "mn": 0.0},
    "ternary": {"li": 0.016, "ni": 0.080, "co": 0.027, "mn": 0.025},
}
#: Minimum recovery rates, industry standard conditions for waste NEV battery utilisation (2024).
MINIMUM: dict[str, float] = {"li": 0.90, "ni": 0.98, "co": 0.98, "mn": 0.98}
#: A declared input above the battery's known mass by more than this share is capped (as the rules do).
MASS_TOLERANCE = 0.05


def recovery_report(
    db: Database,
    *,
    as_of: datetime | None = None,
    days: int = 365,
    provinces: Collection[str] | None = None,
) -> RecoveryReport:
    """Every recycler with recycling events in the ``days`` before ``as_of`` (default now)."""
    until = as_of or datetime.now(UTC)
    since = until - timedelta(days=days)
    rows = repo.recovery_by_recycler(db, since, until, MASS_TOLERANCE, sorted(provinces) if provinces else None)
    by_company: dict[str, list[repo.RecoveryRow]] = defaultdict(list)
    for r in rows:
        by_company[r.company].append(r)
    recyclers = []
    for company, parts in sorted(by_company.items()):
        known = [p for p in parts if p.chem_class in CONTENT]
        elements = []
        for e in ELEMENTS:
            content = sum(p.input_kg * CONTENT[p.chem_class][e] for p in known)
            recovered = sum(p.recovered[e] for p in known)
            rate = recovered / content if content > 0 else None
            elements.append(
                ElementRecovery(
                    element=e,
                    content_kg=round(content, 3),
                    recovered_kg=round(recovered, 3),
                    rate=None if rate is None else round(rate, 4),
                    minimum=MINIMUM[e],
                    below=rate is not None and rate < MINIMUM[e],
                    above_content=rate is not None and rate > 1.0,
                )
            )
        recyclers.append(
            RecyclerRecovery(
                company=company,
                name=parts[0].company_name,
                province=parts[0].province,
                packs=sum(p.packs for p in parts),
                input_kg=round(sum(p.input_kg for p in known), 3),
                unknown_packs=sum(p.packs for p in parts if p.chem_class not in CONTENT),
                elements=elements,
                below=any(x.below for x in elements),
            )
        )
    return RecoveryReport(since=since, until=until, content=CONTENT, minimum=MINIMUM, recyclers=recyclers)


def recovery_csv(report: RecoveryReport) -> str:
    """One row per recycler and element, for inspectors' spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["company", "name", "province", "packs", "input_kg", "unknown_packs", "element",
                     "content_kg", "recovered_kg", "rate", "minimum", "below", "above_content"])  # fmt: skip
    for r in report.recyclers:
        for e in r.elements:
            writer.writerow([r.company, r.name or "", r.province or "", r.packs, r.input_kg, r.unknown_packs, e.element,
                             e.content_kg, e.recovered_kg, "" if e.rate is None else e.rate, e.minimum,
                             e.below, e.above_content])  # fmt: skip
    return out.getvalue()
