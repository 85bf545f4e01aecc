"""Deterministic synthetic world of EV battery lifecycles (companies, stations, events).

``batterytrace synth --batteries N --seed S --out DIR`` or ``generate_world(...)``.
Same seed and parameters give byte-identical data files; only the manifest's timing differs.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from tqdm import tqdm

from loaders.synth.config import SynthConfig
from loaders.synth.model import Lifecycle, Planter
from loaders.synth.world import World
from loaders.synth.writer import FILES, Writer

__all__ = ["FILES", "Lifecycle", "Planter", "SynthConfig", "World", "generate_world"]


def generate_world(
    out_dir: Path,
    batteries: int,
    seed: int,
    as_of: date | None = None,
    *,
    progress: bool | None = False,
    planter: Planter | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """Generate a world into ``out_dir`` and return its manifest.

    ``overrides`` are ``SynthConfig`` fields (e.g. ``leak_share=0.3``). ``progress`` None shows
    a bar only on a terminal; ``planter`` is the anomaly hook (see ``World``).
    """
    started = time.perf_counter()
    if as_of is not None:
        overrides["as_of"] = as_of
    config = SynthConfig(batteries=batteries, seed=seed, **overrides)
    world = World(config, planter)
    writer = Writer(Path(out_dir), world)
    try:
        companies, stations = writer.write_registry()
        with tqdm(total=batteries, unit="pack", disable=(None if progress is None else not progress)) as bar:
            made = 0
            for life in world.lifecycles():
                writer.write(life)
                bar.update(world.packs_made - made)
                made = world.packs_made
    finally:
        writer.close()
    return writer.manifest(companies, stations, started)
