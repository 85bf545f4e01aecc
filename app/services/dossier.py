"""The investigator's dossier: the battery's identity, trace, findings and integrity proof, gathered
from the services that answer them one by one and laid out as one PDF (``app.dossier``).

Nothing is derived twice: the journey is the trace's segments (the one replay), the findings are the
stored ones, the proof is the battery's bundle against a head signed now.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from app.db import Database
from app.dossier import FontSpec, render_dossier
from app.errors import FontMissing
from app.ledger.signing import Signer
from app.repositories import dossier as repo
from app.schemas.dossier import CompanyName, DossierFacts
from app.schemas.findings import Case
from app.schemas.trace import Trace
from app.security import Principal, province_scope
from app.services import findings, integrity, ledger, trace


def font_problem(path: Path) -> str | None:
    """Why the dossier cannot be made with this font file (None when it can)."""
    if path.is_file():
        return None
    return (
        f"the dossier's CJK font {path} is missing: install Debian's fonts-wqy-microhei (`make pdf-deps`) "
        "or point DOSSIER_FONT_FILE at a TrueType/OpenType font with Chinese glyphs"
    )


def _findings(db: Database, code: str, who: Principal) -> tuple[list[Case], str]:
    """The stored findings the key may see about the battery, and the words saying which.

    A reporter's dossier keeps only the findings naming its own company as answerable: a battery it
    once held may have findings against later custodians, which are regulators' business, not its
    (the same rule as GET /v1/findings for a reporter key)."""
    if who.role == "reporter":
        scope = f"only findings naming {who.company} as answerable (a reporter key's dossier leaves out the others)"
        filters = findings.CaseFilters(battery=code, company=who.company)
        return list(findings.iter_cases(db, filters, provinces=None)), scope
    provinces = province_scope(who)
    scope = "every stored finding, whatever its status"
    if provinces is not None:
        scope = f"stored findings in provinces {', '.join(provinces)} only (this key's provinces)"
    return list(findings.iter_cases(db, findings.CaseFilters(battery=code), provinces=provinces)), scope


def _mentioned(t: Trace, cases: list[Case], producer: str | None) -> set[str]:
    """Every USCC the dossier prints: reporters, custodians, addressees, the answerable, the producer."""
    out = {e.reporter.uscc for e in t.events if e.reporter.uscc}
    out |= {s.ref for s in t.segments if s.kind in ("holder", "transit") and s.ref}
    out |= {str(e.details[k]) for e in t.events for k in ("to", "from") if isinstance(e.details.get(k), str)}
    out |= {c.company for c in cases if c.company}
    if producer:
        out.add(producer)
    return out


def facts(db: Database, signer: Signer, code: str, who: Principal, now: datetime | None = None) -> DossierFacts:
    """What the dossier states, each part as its own route answers it."""
    battery = trace.get_battery(db, code)
    timeline = trace.get_trace(db, code)
    cases, scope = _findings(db, code, who)
    verification = integrity.verify_battery(db, code)
    bundle = ledger.battery_bundle(db, signer, code)
    maker = str(battery.identity.get("maker_code", ""))
    known = repo.company_names(db, sorted(_mentioned(timeline, cases, battery.producer)), maker)
    companies = {c.uscc: c for c in known}
    for e in timeline.events:  # a reporter no longer in the registry keeps the name its events carried
        if e.reporter.uscc and e.reporter.uscc not in companies:
            companies[e.reporter.uscc] = CompanyName(uscc=e.reporter.uscc, name=e.reporter.name)
    return DossierFacts(
        code=code,
        generated_at=now or datetime.now(UTC),
        requested_by=f"{who.name} ({who.role}{f', {who.company}' if who.company else ''}; key {who.key_id})",
        battery=battery,
        trace=timeline,
        companies=companies,
        makers=[c for c in known if c.maker_code == maker],
        findings=cases,
        findings_scope=scope,
        verification=verification,
        bundle=bundle,
        public_key_id=signer.key_id,
    )


def dossier_pdf(db: Database, signer: Signer, code: str, who: Principal, font: FontSpec) -> bytes:
    """The dossier as PDF bytes; 503 naming the setting when the font is missing."""
    problem = font_problem(font.path)
    if problem:
        raise FontMissing(problem)
    return render_dossier(facts(db, signer, code, who), font)
