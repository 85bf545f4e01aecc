"""A battery's life stage in the public's four words, read off the status the replay decided.

The replay (``app.lifecycle.replay``) is the one place a status is derived; this is only the
table that folds its statuses into what a vehicle owner asks about: still in its first life,
in a second life (repurposed, or a product made from a repurposed pack), recycled, or unknown.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final, Literal

PublicStage = Literal["in_use", "second_life", "recycled", "unknown"]
PUBLIC_STAGES: Final[tuple[PublicStage, ...]] = ("in_use", "second_life", "recycled", "unknown")

#: Every status the replay gives, and its stage (a second-life product's own statuses are
#: overruled by its origin: see ``public_stage``).
STAGE_OF_STATUS: Final[MappingProxyType[str, PublicStage]] = MappingProxyType(
    {
        "unknown": "unknown",
        "assembled": "in_use",
        "in_stock": "in_use",
        "in_transit": "in_use",
        "installed": "in_use",
        "in_swap_pool": "in_use",
        "removed": "in_use",
        "repurposed": "second_life",
        "recycled": "recycled",
    }
)


def public_stage(status: str | None, second_life_product: bool) -> PublicStage:
    """The stage of a battery with this replayed ``status``; a product derived from a repurposed
    pack is in its second life until it is recycled."""
    stage = STAGE_OF_STATUS.get(status or "unknown", "unknown")
    if second_life_product and stage == "in_use":
        return "second_life"
    return stage
