"""Fade by chemistry: mean state of health per age band, as a table and as a picture.

Pure: the readings come in as (chemistry, age in years, SoH %) triples from whoever has them
(``evaluation.fade`` reads a synthetic world's files). Drawn on a bare ``Figure`` with the Agg
canvas, like ``app.analytics.plots``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

#: Age bands in years, [low, high); the last is open.
AGE_BANDS: tuple[tuple[float, float], ...] = ((0, 2), (2, 4), (4, 6), (6, 8), (8, 10), (10, 99))
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLOURS = {"LFP": "#1565c0", "ternary": "#c62828"}


@dataclass(frozen=True, slots=True)
class FadeRow:
    """Mean SoH of one chemistry's readings in one age band."""

    chemistry: str
    band: str
    readings: int
    mean_soh_pct: float


def band_of(age_years: float) -> str:
    """The label of the band ``age_years`` falls in (e.g. ``4-6``, ``10+``)."""
    for lo, hi in AGE_BANDS:
        if lo <= age_years < hi:
            return f"{lo:g}+" if hi >= 99 else f"{lo:g}-{hi:g}"
    return f"{AGE_BANDS[-1][0]:g}+"


def band_labels() -> list[str]:
    return [band_of(lo) for lo, _ in AGE_BANDS]


def fade_table(readings: Iterable[tuple[str, float, float]]) -> list[FadeRow]:
    """Mean SoH by (chemistry, age band), chemistries in name order, bands in age order."""
    sums: dict[tuple[str, str], tuple[int, float]] = {}
    for chemistry, age, soh in readings:
        key = (chemistry, band_of(age))
        n, total = sums.get(key, (0, 0.0))
        sums[key] = (n + 1, total + soh)
    order = {label: i for i, label in enumerate(band_labels())}
    return [
        FadeRow(chem, band, n, round(total / n, 1))
        for (chem, band), (n, total) in sorted(sums.items(), key=lambda kv: (kv[0][0], order[kv[0][1]]))
    ]


def fade_markdown(rows: list[FadeRow]) -> str:
    """The table as Markdown: one row per age band, mean SoH (and count) per chemistry."""
    chemistries = sorted({r.chemistry for r in rows})
    cell = {(r.chemistry, r.band): r for r in rows}
    lines = [
        "| age (years) | " + " | ".join(f"{c} mean SoH % (readings)" for c in chemistries) + " |",
        "| --- | " + " | ".join("---" for _ in chemistries) + " |",
    ]
    for band in band_labels():
        found = [cell.get((c, band)) for c in chemistries]
        if not any(found):
            continue
        texts = [f"{r.mean_soh_pct:.1f} ({r.readings})" if r else "–" for r in found]
        lines.append(f"| {band} | " + " | ".join(texts) + " |")
    return "\n".join(lines) + "\n"


def fade_png(rows: list[FadeRow], title: str) -> bytes:
    """Mean SoH by age band, one line per chemistry, readings per point as labels."""
    fig = Figure(figsize=(7.5, 4.5))
    ax = fig.add_subplot()
    labels = band_labels()
    for chemistry in sorted({r.chemistry for r in rows}):
        mine = [r for r in rows if r.chemistry == chemistry]
        xs = [labels.index(r.band) for r in mine]
        ax.plot(xs, [r.mean_soh_pct for r in mine], marker="o", color=_COLOURS.get(chemistry), label=chemistry)
        for x, r in zip(xs, mine, strict=True):
            ax.annotate(str(r.readings), (x, r.mean_soh_pct), textcoords="offset points", xytext=(0, 6),
                        ha="center", fontsize=7, color="#555555")  # fmt: skip
    ax.set_xticks(range(len(labels)), labels)
    ax.set_xlabel("age at reading (years since production)")
    ax.set_ylabel("mean state of health (%)")
    ax.axhline(70, color="#888888", linestyle="--", linewidth=0.8)
    ax.text(len(labels) - 1, 70.5, "70%: storage threshold", ha="right", fontsize=7, color="#666666")
    ax.set_title(title, fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()
