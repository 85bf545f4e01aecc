"""Fade by chemistry in a synthetic world: every health reading's age and SoH, from the files.

``batterytrace eval fade`` (``make fade-plot``) generates the world (or reuses it), reads
``events.jsonl`` (each reading's battery, its production date and chemistry), prints the table
of mean SoH by age band and chemistry, and draws ``docs/fade_by_chemistry.png``. No database:
the figures are the generator's, as the platform would receive them.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from app.analytics.fade import FadeRow, fade_markdown, fade_png, fade_table
from loaders.synth import generate_world

YEAR_S = 365.25 * 86_400


def world_readings(directory: Path) -> list[tuple[str, float, float]]:
    """(chemistry, age in years, SoH %) of every health_measured event in a world's events."""
    produced: dict[str, tuple[str, datetime]] = {}
    readings: list[tuple[str, datetime, float]] = []
    with (directory / "events.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            e = json.loads(line)
            if e["type"] == "produced":
                produced.setdefault(e["battery"], (e["chemistry"], datetime.fromisoformat(e["occurred_at"])))
            elif e["type"] == "health_measured":
                readings.append((e["battery"], datetime.fromisoformat(e["occurred_at"]), float(e["soh_pct"])))
    out: list[tuple[str, float, float]] = []
    for code, at, soh in readings:
        made = produced.get(code)
        if made is not None:
            out.append((made[0], (at - made[1]).total_seconds() / YEAR_S, soh))
    return out


def run(batteries: int, seed: int, world: Path | None, png: Path, regenerate: bool = False) -> list[FadeRow]:
    """Generate (or reuse) the world, print the table and write the picture."""
    directory = world or Path("var") / f"fade-world-{batteries}-{seed}"
    if regenerate or not (directory / "events.jsonl").exists():
        generate_world(directory, batteries=batteries, seed=seed, progress=None)
    rows = fade_table(world_readings(directory))
    print(f"mean SoH by age band and chemistry: synthetic world of {batteries:,} packs, seed {seed}")
    print(fade_markdown(rows), end="")
    png.parent.mkdir(parents=True, exist_ok=True)
    png.write_bytes(fade_png(rows, f"Mean state of health by age, synthetic world ({batteries:,} packs, seed {seed})"))
    print(f"wrote {png}")
    return rows
