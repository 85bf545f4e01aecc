"""The synthetic world's health readings: fade by chemistry, age and use, where readings are
taken, a residual energy test before every repurposing, and the same readings for the same seed."""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from app.analytics.fade import PNG_SIGNATURE, band_of, fade_markdown, fade_png, fade_table
from evaluation.fade import world_readings
from loaders.synth import generate_world
from loaders.synth.config import SynthConfig
from loaders.synth.health import Fade
from loaders.synth.model import Pack
from loaders.synth.registry import Company
from loaders.synth.timeline import YEAR

N, SEED = 12_000, 5


def _events(out: Path) -> list[dict[str, Any]]:
    with (out / "events.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    out = tmp_path_factory.mktemp("health-world")
    generate_world(out, N, SEED, plant_leakage=False)
    return out, _events(out)


def _pack(chemistry: str, usage: str = "passenger_bev", code: str = "P1") -> Pack:
    maker = Company.__new__(Company)
    return Pack(code, maker, chemistry, 400.0, 60.0, 0, usage=usage)


def test_lfp_fades_more_slowly_than_ternary_and_use_ages_a_pack() -> None:
    fade = Fade(SynthConfig())
    eight = int(8 * YEAR)
    lfp, ternary = _pack("LFP", code="A"), _pack("ternary", code="A")
    assert fade.soh(lfp, eight) > fade.soh(ternary, eight)  # same code: the same pace and start
    bus = _pack("LFP", "bus", code="A")
    assert fade.soh(bus, eight) < fade.soh(lfp, eight) and fade.cycles(bus, eight) > fade.cycles(lfp, eight)
    # Monotone in time, and a few points per year at most.
    series = [fade.soh(ternary, int(y * YEAR)) for y in range(13)]
    assert series == sorted(series, reverse=True)
    assert all(0.3 < a - b < 4.5 for a, b in itertools.pairwise(series[1:]))


def test_readings_are_the_same_for_the_same_seed() -> None:
    a, b = Fade(SynthConfig(seed=3)), Fade(SynthConfig(seed=3))
    pack = _pack("ternary", code="K1")
    assert a.reading(pack, int(5 * YEAR), "bms_readout", "x") == b.reading(pack, int(5 * YEAR), "bms_readout", "x")
    other = Fade(SynthConfig(seed=4)).reading(pack, int(5 * YEAR), "bms_readout", "x")
    assert other != a.reading(pack, int(5 * YEAR), "bms_readout", "x")


def test_readings_are_taken_at_repairs_scrapping_swaps_and_before_repurposing(
    world: tuple[Path, list[dict[str, Any]]],
) -> None:
    _, events = world
    readings = [e for e in events if e["type"] == "health_measured"]
    assert readings, "no readings"
    by_battery: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in events:
        for key in ("battery", "battery_out", "battery_in", "new_code"):
            if key in e:
                by_battery[e[key]].append(e)
    roles = {c["uscc"]: set(c["roles"]) for c in map(json.loads, (world[0] / "companies.jsonl").open())}
    seen = {role for r in readings for role in roles[r["reporter"]]}
    assert {"repairer", "dismantler", "second_life"} <= seen
    for r in readings:
        linked = any(
            e is not r and r["reporter"] in (e["reporter"], e.get("to"), e.get("from"))
            for e in by_battery[r["battery"]]
        )
        assert linked, r  # the platform refuses a reading from a company the record does not link
        assert 0 <= r["soh_pct"] <= 110 and r["cycle_count"] >= 0
    # Every repurposing: a residual energy test by the same company within 183 days before, and
    # the hand-over condition it found; no pack below its application's threshold.
    repurposings = [e for e in events if e["type"] == "repurposed"]
    assert repurposings
    for rep in repurposings:
        tests = [
            e
            for e in by_battery[rep["battery"]]
            if e["type"] == "health_measured"
            and e["method"] == "residual_energy_test"
            and e["reporter"] == rep["reporter"]
            and e["occurred_at"] <= rep["occurred_at"]
        ]
        assert tests, rep
        assert rep["soh_pct"] == tests[-1]["soh_pct"] and rep["residual_capacity_kwh"] == tests[-1]["capacity_kwh"]
        assert rep["soh_pct"] >= (60 if rep["application"] == "backup_power" else 70), rep


def test_cycle_counts_never_go_down_and_capacity_stays_plausible(world: tuple[Path, list[dict[str, Any]]]) -> None:
    _, events = world
    rated = {e["battery"]: e.get("capacity_kwh") for e in events if e["type"] == "produced"}
    counts: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for e in events:
        if e["type"] == "health_measured":
            counts[e["battery"]].append((e["occurred_at"], e["cycle_count"]))
            if rated.get(e["battery"]):
                assert e["capacity_kwh"] <= rated[e["battery"]] * 1.1, e
    for series in counts.values():
        ordered = [n for _, n in sorted(series)]
        assert ordered == sorted(ordered)


def test_the_fade_table_shows_ternary_below_lfp_in_older_bands(world: tuple[Path, list[dict[str, Any]]]) -> None:
    out, _ = world
    rows = fade_table(world_readings(out))
    mean = {(r.chemistry, r.band): r.mean_soh_pct for r in rows}
    for band in ("2-4", "4-6", "6-8"):
        assert mean[("ternary", band)] < mean[("LFP", band)], band
    assert mean[("ternary", "0-2")] > mean[("ternary", "6-8")]
    text = fade_markdown(rows)
    assert text.startswith("| age (years) | LFP mean SoH % (readings) | ternary mean SoH % (readings) |")
    assert fade_png(rows, "t").startswith(PNG_SIGNATURE)


def test_age_bands() -> None:
    assert [band_of(a) for a in (0, 1.99, 2, 7.5, 9.99, 10, 25)] == ["0-2", "0-2", "2-4", "6-8", "8-10", "10+", "10+"]
