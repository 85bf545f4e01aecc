"""An ``errorDeclaration``: one native correction per event the original mapped to."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timezone
from typing import Final

from app.epcis.formats import kind_of, parse_time, show
from app.epcis.model import Event, Native, hash_id, numbered
from app.epcis.uris import EVENT_URN_PREFIX, UriError, is_uscc_uri, native_event_id, parse_uscc_uri
from app.epcis.vocab import BT_NAMESPACE, ERROR_REASON, cbv_term

__all__ = ["map_corrections"]

_ERROR_REASONS: Final = ("incorrect_data", "did_not_occur")
_MAX_CORRECTIVE_IDS: Final = 100
_OWN_FIELDS: Final = ("correction_id", "reporter", "province", "note")


def map_corrections(event: Event, declaration: object, originals: list[Native], tz: timezone) -> list[Native]:
    """One correction per native event the declared-in-error EPCIS event mapped to."""
    if not isinstance(declaration, Mapping):
        event.problem("errorDeclaration", f"expected an object, got {kind_of(declaration)}")
        return []
    occurred_at: str | None = None
    try:
        occurred_at = parse_time(declaration.get("declarationTime")).astimezone(tz).isoformat()
    except (ValueError, OverflowError) as err:
        event.problem("errorDeclaration.declarationTime", str(err))
    reason_raw = declaration.get("reason")
    reason = cbv_term(reason_raw, ERROR_REASON) if isinstance(reason_raw, str) else None
    if reason not in _ERROR_REASONS:
        spelled = " or ".join(ERROR_REASON.spellings(r) for r in _ERROR_REASONS)
        what = "missing" if reason_raw is None else f"got {show(reason_raw)}"
        event.problem(
            "errorDeclaration.reason",
            f"{what}: a correction needs the reason {spelled}",
        )
    corrective: list[str] = []
    raw_ids = declaration.get("correctiveEventIDs", [])
    if not isinstance(raw_ids, list):
        event.problem("errorDeclaration.correctiveEventIDs", f"expected a list, got {kind_of(raw_ids)}")
    elif len(raw_ids) > _MAX_CORRECTIVE_IDS:
        event.problem(
            "errorDeclaration.correctiveEventIDs",
            f"lists {len(raw_ids)} events; at most {_MAX_CORRECTIVE_IDS} are accepted",
        )
    else:
        for i, raw_id in enumerate(raw_ids):
            if isinstance(raw_id, str) and raw_id:
                corrective.append(native_event_id(raw_id) or hash_id("eventID", raw_id))
            else:
                event.problem(
                    f"errorDeclaration.correctiveEventIDs[{i}]",
                    f"expected an eventID string, got {show(raw_id)}",
                )
    own = _own_fields(event, declaration)
    if event.problems or occurred_at is None:
        return []
    base_id = str(own.pop("event_id", "")) or hash_id("errorDeclaration", str(event.raw["eventID"]))
    corrections: list[Native] = []
    for number, original in enumerate(originals, start=1):
        correction: Native = {
            "event_id": numbered(base_id, number, len(originals)),
            "type": "correction",
            "occurred_at": occurred_at,
            "reporter": own.get("reporter", original["reporter"]),
        }
        if "province" in own or "province" in original:
            correction["province"] = own.get("province", original.get("province"))
        if "note" in own:
            correction["note"] = own["note"]
        correction["corrects"] = original["event_id"]
        correction["reason"] = reason
        if corrective:
            correction["corrective_event_ids"] = list(corrective)
        corrections.append(correction)
    return corrections


def _own_fields(event: Event, declaration: Mapping[str, object]) -> Native:
    """The correction's own envelope, when it differs from the original's (an admin voiding another
    company's event, a correction exported by this API): ``bt:correction_id``, ``bt:reporter``,
    ``bt:province`` and ``bt:note`` inside the errorDeclaration. Values are checked by the contract."""
    own: Native = {}
    for key, value in declaration.items():
        expanded = event.expand(key) if isinstance(key, str) else ""
        if not expanded.startswith(BT_NAMESPACE):
            continue
        name, where = expanded[len(BT_NAMESPACE) :], f"errorDeclaration.{key}"
        if name not in _OWN_FIELDS:
            event.problem(where, f"unknown here; an errorDeclaration takes {', '.join(f'bt:{n}' for n in _OWN_FIELDS)}")
        elif name == "correction_id":
            found = native_event_id(value) if isinstance(value, str) else None
            if found is None:
                event.problem(where, f"expected {EVENT_URN_PREFIX}<event id>, got {show(value)}")
            else:
                own["event_id"] = found
        elif name == "reporter" and isinstance(value, str) and is_uscc_uri(value):
            try:
                own["reporter"] = parse_uscc_uri(value)
            except UriError as err:
                event.problem(where, err.reason)
        else:
            own[name] = value
    return own
