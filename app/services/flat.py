"""The flat properties an event is stored with beside its hashed payload, and their check.

The trace, the projection and the leakage rules read flat properties (``occurred_at``,
``reporter``, ``battery``, ``to_company``, ...), not the payload, because indexes need them. So
they are derived from the payload in one place, at capture, and verification derives them again
and compares: an edit of what the rules read is caught like an edit of the payload itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

#: Payload fields stored under their own name.
_COPIED = (
    "event_id",
    "type",
    "occurred_at",
    "reporter",
    "province",
    "note",
    "battery",
    "vehicle",
    "station",
    "battery_out",
    "battery_in",
    "reason",
    "chemistry",
    "mass_kg",
    "capacity_kwh",
    "components",
    "application",
    "new_code",
    "input_mass_kg",
    "corrects",
    "corrective_event_ids",
    "destination",
    "soh_pct",
    "cycle_count",
    "internal_resistance_mohm",
    "method",
    "residual_capacity_kwh",
)
#: Every flat property derived from the payload (what verification compares).
DERIVED = (*_COPIED, "to_company", "from_company", "recovered_elements", "recovered_kg", "recovered_total_kg")


def flat_properties(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The properties stored beside the payload; ``occurred_at`` as its RFC 3339 text."""
    props: dict[str, Any] = {key: payload[key] for key in _COPIED if key in payload}
    if "to" in payload:
        props["to_company"] = payload["to"]
    if "from" in payload:
        props["from_company"] = payload["from"]
    if "recovered" in payload:
        elements = sorted(payload["recovered"])
        props["recovered_elements"] = elements
        props["recovered_kg"] = [float(payload["recovered"][e]) for e in elements]
        props["recovered_total_kg"] = float(sum(payload["recovered"].values()))
    return props


def _same(expected: Any, stored: Any) -> bool:
    if isinstance(stored, datetime) and isinstance(expected, str):
        # Stored as a Neo4j datetime: the same instant and the same offset as the payload's text.
        given = datetime.fromisoformat(expected)
        return stored == given and stored.utcoffset() == given.utcoffset()
    if isinstance(stored, list | tuple) and isinstance(expected, list | tuple):
        return len(stored) == len(expected) and all(_same(e, s) for e, s in zip(expected, stored, strict=True))
    if isinstance(stored, int | float) and isinstance(expected, int | float) and not isinstance(stored, bool):
        return float(stored) == float(expected)
    return bool(stored == expected)


def flat_mismatches(payload: Mapping[str, Any], stored: Mapping[str, Any]) -> list[str]:
    """The flat properties that no longer say what the hashed payload says (edited, added or removed)."""
    expected = flat_properties(payload)
    differ: list[str] = []
    for key in DERIVED:
        if key not in expected and stored.get(key) is None:
            continue
        if key not in expected:
            differ.append(f"{key} is set but the payload has none")
        elif stored.get(key) is None:
            differ.append(f"{key} is missing")
        elif not _same(expected[key], stored[key]):
            differ.append(f"{key} is {stored[key]!r}, the payload says {expected[key]!r}")
    return differ
