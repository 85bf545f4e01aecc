"""What the benchmarks trace and send repairs of: packs drawn from the store, a company to report them."""

from __future__ import annotations

import random

from app.db import Database


def pack_codes(db: Database, seed: int, n: int) -> list[str]:
    """``n`` pack codes drawn (with repeats) from the first 200,000 in the store, the same for a seed."""
    rows = db.read(
        "trace.list_batteries",
        after="",
        maker=None,
        level="pack",
        status=None,
        chemistry=None,
        provinces=None,
        limit=200_000,
    )
    rng = random.Random(seed)
    return [rng.choice(rows)["code"] for _ in range(n)]


def repair_sample(db: Database, seed: int, role: str | None = None) -> tuple[list[str], str]:
    """5,000 pack codes and the first registered company of ``role`` to report repairs of them."""
    reporter = db.read("registry.list_companies", after="", limit=1, role=role, province=None)[0]["uscc"]
    return pack_codes(db, seed, 5_000), reporter
