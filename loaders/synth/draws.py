"""Weighted draws shared by the registry builder and the lifecycle generator.

Cumulative weight tables searched with ``bisect``: one ``random()`` per draw, so the order of
draws (and thus the world of a seed) depends only on the order of calls.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from random import Random

from loaders.synth.config import PROVINCES, Province

__all__ = ["PROVINCE_BY_CODE", "cum", "pick_province"]

PROVINCE_BY_CODE = {p.code: p for p in PROVINCES}


def cum(weights: Sequence[float]) -> list[float]:
    """Running totals of ``weights``, for ``bisect`` against ``random() * total``."""
    total = 0.0
    out = []
    for weight in weights:
        total += weight
        out.append(total)
    return out


_PROVINCE_CUM = cum([p.weight for p in PROVINCES])


def pick_province(rng: Random) -> Province:
    """A province in proportion to NEV activity."""
    return PROVINCES[bisect.bisect(_PROVINCE_CUM, rng.random() * _PROVINCE_CUM[-1])]
