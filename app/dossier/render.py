"""The dossier's sections in order, from the facts alone; the proof bundle rides along as an attachment."""

from __future__ import annotations

import json
from typing import Any

from app.dossier.document import ALERT, MUTED, Doc, FontSpec, when
from app.dossier.pictures import COLOURS, KIND_WORDS, custody_graph, handovers, timeline
from app.schemas.dossier import CompanyName, DossierFacts
from app.schemas.trace import TimelineEntry

#: The name the proof bundle is attached under (docs/dossier.md tells how to take it out).
BUNDLE_NAME = "{code}-proof.json"
IDENTITY_WORDS = {
    "maker_code": "maker code",
    "level": "level",
    "chemistry_letter": "chemistry letter",
    "chemistry": "chemistry",
    "chemistry_confirmed": "chemistry confirmed",
    "spec_code": "specification code",
    "trace_info": "traceability information",
    "production_date": "production date",
    "serial": "serial number",
    "second_life": "second-life code",
}


def party(uscc: str | None, companies: dict[str, CompanyName], fallback: str | None = None) -> str:
    """A company as the dossier names it everywhere: registered name, then USCC."""
    if not uscc:
        return "-"
    known = companies.get(uscc)
    name = (known.name if known else None) or fallback
    return f"{name} ({uscc})" if name else f"(not registered) {uscc}"


def _names(facts: DossierFacts) -> dict[str, str | None]:
    return {u: c.name for u, c in facts.companies.items()}


def _value(v: Any) -> str:
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True)


def _detail(key: str, value: Any, facts: DossierFacts) -> str:
    """A detail's value; the companies an event ships to or receives from by name and USCC."""
    return party(value, facts.companies) if key in ("to", "from") and isinstance(value, str) else _value(value)


def render_dossier(facts: DossierFacts, font: FontSpec) -> bytes:
    """The PDF: cover, identity, journey, events, findings, integrity and how to check it offline."""
    doc = Doc(font, facts.code, facts.generated_at)
    doc.set_title(f"Battery dossier {facts.code}")
    doc.set_subject("Provenance of an EV power battery: identity, journey, events, findings, integrity proof")
    doc.set_creator("BatteryTrace")
    doc.set_creation_date(facts.generated_at)
    doc.set_lang("zh-CN")
    doc.add_page()
    _cover(doc, facts)
    _identity(doc, facts)
    _journey(doc, facts)
    _events(doc, facts)
    _findings(doc, facts)
    _integrity(doc, facts)
    bundle = facts.bundle.model_dump_json(indent=1).encode()
    doc.embed_file(
        bytes=bundle,
        basename=BUNDLE_NAME.format(code=facts.code),
        desc="the battery's proof bundle, as GET /v1/batteries/{code}/proof: check it with the offline verifier",
        mime_type="application/json",
        modification_date=facts.generated_at,
    )
    return bytes(doc.output())


def _cover(doc: Doc, facts: DossierFacts) -> None:
    b, head = facts.battery, facts.bundle.tree_head
    doc.cover_title(
        f"Battery dossier 电池溯源档案  {facts.code}", f"made {when(facts.generated_at)} for {facts.requested_by}"
    )
    custodian = b.current_custodian
    doc.fields(
        [
            ("status", f"{b.status or 'unknown'} since {when(b.status_since)}"),
            ("current vehicle", b.current_vehicle.vin if b.current_vehicle else "-"),
            ("current custodian", party(custodian.uscc, facts.companies, custodian.name) if custodian else "-"),
            ("events", f"{len(facts.trace.events)} on the timeline ({b.event_count} about the battery itself)"),
            ("findings", f"{len(facts.findings)} stored finding(s) naming the battery ({facts.findings_scope})"),
            (
                "hash chain",
                f"{'intact' if facts.verification.valid else 'BROKEN'}: {facts.verification.length} link(s)",
            ),
            ("chain head", facts.verification.head or "-"),
            ("signed log head", f"tree size {head.tree_size}, signed {head.timestamp}, key {head.key_id}"),
        ]
    )
    doc.ln(2)
    doc.para(
        "Every fact below is what the platform's API answers for this battery at the moment named above: "
        "GET /v1/batteries/{code} (identity and state), /trace (events and where the battery was, from the one "
        "replay of its effective events), /v1/findings?battery= (stored findings), /verify and /proof (integrity). "
        "Times are China Standard Time (+08:00). The proof bundle is attached to this PDF; section 6 says how "
        "to check it without the platform.",
        size=8.5,
        color=MUTED,
    )


def _identity(doc: Doc, facts: DossierFacts) -> None:
    b = facts.battery
    doc.heading("1. Identity decoded from the code (GB/T 34014)")
    rows = [(IDENTITY_WORDS[k], _value(b.identity[k])) for k in IDENTITY_WORDS if k in b.identity]
    makers = ", ".join(party(m.uscc, facts.companies, m.name) for m in facts.makers) or "no registered company"
    rows.insert(1, ("registered maker(s)", makers))
    doc.fields([("code", facts.code), *rows])
    doc.subheading("As recorded")
    doc.fields(
        [
            ("level", b.level or "-"),
            (
                "produced",
                f"{when(b.produced_at)} by {party(b.producer, facts.companies)}"
                if b.produced
                else "no production reported",
            ),
            ("chemistry, mass, capacity", f"{b.chemistry or '-'}, {b.mass_kg or '-'} kg, {b.capacity_kwh or '-'} kWh"),
            ("part of pack", b.parent or "-"),
            ("derived from", b.derived_from or "-"),
            ("second-life products", ", ".join(b.second_life_products) or "-"),
            ("components", str(b.component_count)),
            ("last event", when(b.last_event_at)),
        ]
    )


def _journey(doc: Doc, facts: DossierFacts) -> None:
    names = _names(facts)
    segments = facts.trace.segments
    doc.heading("2. Journey: where the battery was", new_page=True)
    if not segments:
        doc.para("No event placed the battery anywhere.")
        return
    timeline(doc, segments, names, facts.generated_at)
    doc.set_font("cjk", size=7.5)
    for kind, colour in COLOURS.items():
        doc.set_fill_color(*colour)
        doc.rect(doc.get_x(), doc.get_y() + 0.8, 3, 2.4, style="F")
        doc.set_x(doc.get_x() + 4)
        doc.cell(30, 4, KIND_WORDS[kind])
    doc.ln(6)
    for i, s in enumerate(segments, 1):
        where = party(s.ref, facts.companies, s.name) if s.kind in ("holder", "transit") else (s.ref or "-")
        doc.para(
            f"{i}. {KIND_WORDS[s.kind]} {where}: {when(s.from_)} to {when(s.to) if s.to else 'now'} "
            f"(opened by {s.opened_by}{f', closed by {s.closed_by}' if s.closed_by else ''})",
            size=8.5,
        )
    doc.subheading("Custody: companies and hand-overs")
    nodes, edges = handovers(segments)
    custody_graph(doc, nodes, edges, names)
    doc.ln(2)
    for e in edges:
        how = "shipped and never received: unconfirmed" if e.unconfirmed else (", then ".join(e.via) or "directly")
        doc.para(
            f"{e.number}. {when(e.at)}: {party(e.source, facts.companies)} → {party(e.target, facts.companies)} "
            f"(event {e.event}; via {how})",
            size=8.5,
            color=ALERT if e.unconfirmed else (33, 37, 41),
        )
    if not edges:
        doc.para("The battery never changed custodian.", size=8.5)


def _event(doc: Doc, e: TimelineEntry, facts: DossierFacts) -> None:
    doc.subheading(f"{e.event_id} · {e.type}" + (" · CORRECTED" if e.corrected else ""))
    rows = [
        ("occurred", when(e.occurred_at)),
        ("recorded", when(e.recorded_at) + (" (imported with its own recording time)" if e.imported else "")),
        ("reported by", party(e.reporter.uscc, facts.companies, e.reporter.name)),
        ("names the battery as", e.role),
    ]
    rows += [(k, _detail(k, v, facts)) for k, v in sorted(e.details.items())]
    if e.corrected:
        rows.append(("corrected by", ", ".join(e.corrected_by) + ": not part of the effective history"))
    doc.fields(rows, label_w=40, size=8.5)
    for w in e.warnings:
        doc.para(f"warning {w.code}: {w.message}", size=8.5, color=ALERT)
    doc.rule()


def _events(doc: Doc, facts: DossierFacts) -> None:
    doc.heading("3. Events: who reported what, when it happened and when it was recorded", new_page=True)
    doc.para(
        "In event time. 'recorded' is when the platform stored the report (hashed into the chain and the log); "
        "a correction voids the event it names, which stays visible and is marked CORRECTED.",
        size=8.5,
        color=MUTED,
    )
    for e in facts.trace.events:
        _event(doc, e, facts)


def _findings(doc: Doc, facts: DossierFacts) -> None:
    doc.heading("4. Leakage findings naming the battery")
    doc.para(f"Included: {facts.findings_scope}.", size=8.5, color=MUTED)
    if not facts.findings:
        doc.para("No stored finding names this battery.")
    for f in facts.findings:
        doc.subheading(f"{f.rule} · {f.status}")
        doc.fields(
            [
                ("finding id", f.id),
                ("missing", f.missing),
                ("since", when(f.since)),
                ("answerable", party(f.company, facts.companies, f.company_name)),
                ("province", f.province or "-"),
                ("evidence (events)", ", ".join(f.evidence) or "-"),
                ("first seen, last seen", f"{when(f.first_seen)}, {when(f.last_seen)}"),
                *([("resolved", f"{when(f.resolved_at)} by {f.resolved_by or '-'}")] if f.resolved_at else []),
                *[(k, _detail(k, v, facts)) for k, v in sorted(f.details.items())],
            ],
            label_w=40,
            size=8.5,
        )
        doc.rule()


def _integrity(doc: Doc, facts: DossierFacts) -> None:
    v, b, head = facts.verification, facts.bundle, facts.bundle.tree_head
    doc.heading("5. Integrity proof", new_page=True)
    doc.fields(
        [
            (
                "hash chain",
                f"{'intact' if v.valid else 'BROKEN'}, {v.length} link(s), recomputed from the stored records",
            ),
            ("chain head", b.chain_head or "-"),
            ("log tree size", str(head.tree_size)),
            ("log root hash", head.root_hash),
            ("head signed at", head.timestamp),
            ("signing key id", f"{head.key_id} (public key: GET /v1/log/public-key)"),
            ("head signature", head.signature),
        ],
        size=8.5,
    )
    for p in v.problems:
        doc.para(f"problem: {_value(p)}", size=8.5, color=ALERT)
    doc.subheading("Each chained event in the signed log")
    for e in b.events:
        doc.para(f"#{e.seq} {e.event_id} · log index {e.index} · recorded {e.recorded_at}", size=8.5)
        doc.mono(
            f"record {e.record_hash}\nleaf   {e.leaf_hash}\nchain  {e.chain}\npath   "
            + "\n       ".join(e.inclusion or [])
        )
        doc.ln(1)
    _offline(doc, facts)


def _offline(doc: Doc, facts: DossierFacts) -> None:
    name = BUNDLE_NAME.format(code=facts.code)
    doc.heading("6. How to check this without the platform")
    doc.para(
        f"This PDF carries the proof bundle as the attachment {name} (any PDF reader lists it; poppler's "
        "pdfdetach takes it out). The bundle holds every chained event's payload as accepted, its recording "
        "time, record hash, chain link and inclusion path to the signed head above. Obtain the log's public "
        f"key apart from this document (GET /v1/log/public-key, key id {facts.public_key_id}), then run the "
        "one-file verifier (app/ledger/verifier.py: Python 3.11+ and the cryptography package):",
        size=9,
    )
    doc.mono(
        f"pdfdetach -savefile {name} dossier.pdf\n"
        f"python app/ledger/verifier.py --key log-key.pem bundle {name}\n"
        "# or, in the project: .venv/bin/batterytrace verify-proof --key log-key.pem bundle " + name,
        size=8,
    )
    doc.para(
        "It prints 'valid: ...' when the events are intact, correctly chained and in the signed log, and "
        "'invalid: <reason>' otherwise. Compare the events it lists with section 3, and keep the signed head: "
        "a later consistency proof (GET /v1/log/proof/consistency?from=<tree size>) shows the log still extends "
        "it. docs/integrity.md and docs/dossier.md explain each step.",
        size=9,
    )
