"""The EPCIS event being mapped, the problem record and the native event shapes.

The one module every part of the mapping imports, so the parts never import each other
upwards: the document, one event, its corrections, its step handlers and its field readers
all work on an ``Event`` and report through ``Event.problem``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from app.epcis.formats import show
from app.epcis.vocab import BIZSTEP, BT_NAMESPACE, cbv_term

__all__ = [
    "EXTENSION_FIELDS",
    "MAPPED_STEPS",
    "Draft",
    "EpcisProblem",
    "Event",
    "Native",
    "context_prefixes",
    "hash_id",
    "numbered",
]

Native = dict[str, object]
Draft = tuple[str, Native]  # (native type, its type-specific fields)

EXTENSION_FIELDS: Final = frozenset(
    {
        "reporter",
        "province",
        "note",
        "chemistry",
        "mass_kg",
        "capacity_kwh",
        "reason",
        "application",
        "new_code",
        "battery_out",
        "input_mass_kg",
        "recovered",
        "destination",
        "soh_pct",
        "cycle_count",
        "internal_resistance_mohm",
        "method",
        "residual_capacity_kwh",
    }
)

MAPPED_STEPS: Final = (
    "ObjectEvent: commissioning (ADD), shipping (OBSERVE), receiving (OBSERVE), repairing, "
    "inspecting (OBSERVE, one battery with bt:soh_pct, bt:capacity_kwh, bt:cycle_count, bt:method), "
    "departing (OBSERVE, vehicles with bt:destination), retail_selling (OBSERVE, vehicles), "
    "decommissioning (with bt:application), destroying or disassembling (a battery with "
    "bt:input_mass_kg and bt:recovered, or vehicles: scrapped); AggregationEvent: assembling (ADD); "
    "AssociationEvent: installing (ADD), removing (DELETE), replacing (ADD or DELETE); "
    "TransformationEvent: commissioning or bt:repurposing, destroying or disassembling"
)

_PREFIX_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class EpcisProblem:
    """Something that could not be mapped: where (event index, field) and why, in a sentence."""

    index: int | None
    field: str
    reason: str


def context_prefixes(context: object) -> dict[str, str]:
    """Prefix -> IRI from the object entries of a JSON-LD @context (remote ones are not read)."""
    found: dict[str, str] = {}
    entries = context if isinstance(context, list) else [context]
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        for key, value in entry.items():
            if not isinstance(key, str) or not _PREFIX_NAME.fullmatch(key):
                continue
            if isinstance(value, Mapping):
                value = value.get("@id")
            if isinstance(value, str):
                found[key] = value
    return found


class Event:
    """One EPCIS event being mapped: its fields, its extension fields and its problems."""

    def __init__(self, index: int, raw: Mapping[str, object], prefixes: Mapping[str, str]):
        self.index = index
        self.raw = raw
        self.problems: list[EpcisProblem] = []
        self.read: set[str] = set()  # extension fields (as written) that some rule looked at
        self.prefixes = {**prefixes, **context_prefixes(raw.get("@context"))}
        self.ours = self._collect(raw, "")
        ilmd = raw.get("ilmd")
        self.ilmd_ours = self._collect(ilmd, "ilmd.") if isinstance(ilmd, Mapping) else {}

    def problem(self, field: str, reason: str) -> None:
        """Record a problem; mapping goes on so one answer lists everything to fix."""
        self.problems.append(EpcisProblem(self.index, field, reason))

    def expand(self, term: str) -> str:
        """Expand a compact IRI (``bt:repurposing``) with the declared prefixes."""
        prefix, sep, rest = term.partition(":")
        if sep and prefix in self.prefixes and not rest.startswith("//"):
            return self.prefixes[prefix] + rest
        return term

    def _collect(self, fields: Mapping[str, object], where: str) -> dict[str, tuple[str, object]]:
        """Our extension fields in ``fields``: local name -> (field as written, value)."""
        ours: dict[str, tuple[str, object]] = {}
        for key, value in fields.items():
            if not isinstance(key, str):
                continue
            expanded = self.expand(key)
            if not expanded.startswith(BT_NAMESPACE):
                if key.startswith("bt:") and "bt" not in self.prefixes:
                    self.problem(
                        where + key,
                        f"uses the prefix 'bt', which @context does not declare: add "
                        f'{{"bt": "{BT_NAMESPACE}"}} to @context',
                    )
                continue
            name = expanded[len(BT_NAMESPACE) :]
            if name not in EXTENSION_FIELDS:
                known = ", ".join(sorted(EXTENSION_FIELDS))
                self.problem(where + key, f"unknown extension field {name!r}; known: {known}")
            elif name in ours:
                self.problem(where + key, f"gives {name!r} a second time ({ours[name][0]!r})")
            else:
                ours[name] = (where + key, value)
        return ours

    def ext(self, name: str, *, ilmd: bool = False) -> tuple[str, object] | None:
        """An extension field (in ``ilmd`` too when asked); a clash between the two is a problem."""
        top = self.ours.get(name)
        low = self.ilmd_ours.get(name) if ilmd else None
        self.read.update(field[0] for field in (top, low) if field is not None)
        if top is not None and low is not None and top[1] != low[1]:
            self.problem(low[0], f"disagrees with {top[0]!r}: give {name!r} once")
        return top or low

    def check_unused(self, why: str) -> None:
        """Our fields that no rule read are mistakes (a wrong step, or a field in the wrong place)."""
        for where, _ in [*self.ours.values(), *self.ilmd_ours.values()]:
            if where not in self.read:
                self.problem(where, f"is not used {why}: remove it, or check the bizStep and where it is written")

    def step(self) -> str | None:
        """The business step as a bare CBV word, or an expanded IRI for non-CBV steps."""
        raw = self.raw.get("bizStep")
        if raw is None:
            self.problem("bizStep", f"missing; mapped steps are {MAPPED_STEPS}")
            return None
        if not isinstance(raw, str) or not raw:
            self.problem("bizStep", f"expected a CBV business step, got {show(raw)}")
            return None
        return cbv_term(self.expand(raw), BIZSTEP)


def hash_id(kind: str, text: str) -> str:
    """A native event id from what identifies the EPCIS event, so resending is idempotent."""
    digest = hashlib.sha256(f"{kind}\n{text}".encode("utf-8", "surrogatepass")).hexdigest()
    return f"epcis:{digest[:40]}"


def numbered(base_id: str, number: int, total: int) -> str:
    """The id of the n-th native event of one EPCIS event; a single one keeps the base id."""
    return base_id if total == 1 else f"{base_id}:{number}"
