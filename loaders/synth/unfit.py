"""Unfit second life in the synthetic world: the planted story, and the labels the rule must find.

A second-life company tests every pack (GB/T 34015) before repurposing it (``steps.py``). The
planted story breaks that: the pack is repurposed though its test found it below the threshold of
its application, or it is repurposed untested (the test is dropped). Labels follow the rule's
defaults (``app/services/leakage/params.py``) and judge the unit's final events, so a case the
base world made by itself is labelled too.
"""

from __future__ import annotations

from random import Random
from typing import Any

from loaders.synth.model import Event, Lifecycle, leak_label
from loaders.synth.timeline import DAY

__all__ = ["labels", "plant"]

# unfit_second_life's defaults: labels follow them.
WINDOW_DAYS = 183
MIN_SOH_PCT = 70.0
BACKUP_MIN_SOH_PCT = 60.0
BACKUP_APPLICATIONS = frozenset({"backup_power", "base_station"})
BANNED_APPLICATIONS = frozenset({"e_bike", "electric_bicycle", "e_tricycle"})


def _required(rep: Event) -> float:
    return BACKUP_MIN_SOH_PCT if rep.body["application"] in BACKUP_APPLICATIONS else MIN_SOH_PCT


def _readings(life: Lifecycle, rep: Event) -> list[Event]:
    code = rep.body["battery"]
    found = (e for e in life.events if e.type == "health_measured" and e.body["battery"] == code and e.t <= rep.t)
    return sorted(found, key=lambda e: e.t)


def plant(life: Lifecycle, rng: Random, end: int) -> list[dict[str, Any]] | None:
    """The unit's first judged repurposing made unfit; ``[]`` when planted (``labels`` labels it)."""
    for rep in sorted((e for e in life.events if e.type == "repurposed" and e.t < end), key=lambda e: e.t):
        if rep.body["application"] in BANNED_APPLICATIONS:
            continue
        tests = [e for e in _readings(life, rep) if e.body["method"] == "residual_energy_test"]
        if not tests:
            continue
        if rng.random() < 0.5:  # untested: the test never happened
            for test in tests:
                life.events.remove(test)
            rep.body.pop("soh_pct", None)
            rep.body.pop("residual_capacity_kwh", None)
        else:  # tested unfit, repurposed all the same
            last = tests[-1].body
            rated = last["capacity_kwh"] * 100.0 / max(last["soh_pct"], 1.0)
            required = _required(rep)
            soh = round(rng.uniform(required - 12.0, required - 1.0), 1)
            last["soh_pct"] = rep.body["soh_pct"] = soh
            last["capacity_kwh"] = rep.body["residual_capacity_kwh"] = round(rated * soh / 100.0, 2)
        return []
    return None


def labels(life: Lifecycle, end: int) -> list[dict[str, Any]]:
    """Every repurposing before ``end`` the defaults judge unfit: below its application's
    threshold (the SoH the repurposing reports, else the last test's in the window, else the last
    reading's), or no residual energy test in the window before it."""
    found: list[dict[str, Any]] = []
    for rep in life.events:
        if rep.type != "repurposed" or rep.t >= end or rep.body["application"] in BANNED_APPLICATIONS:
            continue
        readings = _readings(life, rep)
        window_from = rep.t - WINDOW_DAYS * DAY
        tests = [e for e in readings if e.body["method"] == "residual_energy_test" and e.t >= window_from]
        soh = rep.body.get("soh_pct")
        if soh is None:
            last = tests[-1] if tests else (readings[-1] if readings else None)
            soh = last.body["soh_pct"] if last is not None else None
        code = rep.body["battery"]
        if not tests:
            found.append(leak_label("unfit_second_life", code, "repurposed with no residual energy test"))
        elif soh is not None and soh < _required(rep):
            found.append(leak_label("unfit_second_life", code, f"repurposed for {rep.body['application']} at {soh}%"))
    return found
