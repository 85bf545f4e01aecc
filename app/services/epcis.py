"""EPCIS 2.0 capture: a document is mapped onto native events, then takes the one ingest path.

A document with anything unmappable is refused whole (422 listing every problem by EPCIS event
index), the same all-or-nothing rule as a native batch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.db import Database
from app.epcis import map_document
from app.epcis.uris import accepting_battery_prefixes
from app.errors import FieldProblem, InvalidInput
from app.schemas.epcis import EpcisCaptureResult
from app.services.claims import OPERATOR, Actor
from app.services.ingest import ingest_raw
from app.services.ledger import Signing


def capture_document(
    db: Database,
    document: object,
    max_events: int,
    authorize: Callable[[list[str]], None] | None = None,
    actor: Actor = OPERATOR,
    signing: Signing | None = None,
    battery_prefixes: Sequence[str] = (),
) -> EpcisCaptureResult:
    """Validate and map the document, then ingest the native events atomically. ``battery_prefixes``:
    web prefixes naming batteries beyond the fixed forms (the deployment's Digital Links)."""
    with accepting_battery_prefixes(battery_prefixes):
        mapping = map_document(document)
    if mapping.problems:
        problems = [FieldProblem(p.field, p.reason, p.index) for p in mapping.problems]
        raise InvalidInput(problems, f"{len(problems)} problem(s) in the EPCIS document; nothing was stored")
    if len(mapping.events) > max_events:
        raise InvalidInput(
            [FieldProblem("epcisBody.eventList", f"maps to {len(mapping.events)} events; at most {max_events}")]
        )
    if not mapping.events:
        raise InvalidInput([FieldProblem("epcisBody.eventList", "no events")])
    if authorize is not None:
        authorize([str(e.get("reporter")) for e in mapping.events])
    result = ingest_raw(db, mapping.events, actor=actor, signing=signing)
    return EpcisCaptureResult(
        epcis_events=mapping.source_count,
        native_events=len(mapping.events),
        accepted=result.accepted,
        duplicates=result.duplicates,
        warnings=result.warnings,
        voided_for_others=result.voided_for_others,
        receipt=result.receipt,
    )
