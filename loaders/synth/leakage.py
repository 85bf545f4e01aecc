"""Planted leakage: every rule of ``app.services.leakage`` gets cases whose answer is known.

Each vehicle unit is offered the scenarios below in a fixed order; a scenario is drawn at its rate
(``SynthConfig.leakage_rates``) and planted when the unit's history allows it, at most one per unit, so that
each planted case shows exactly the findings its labels name. A scenario is a story of how a pack leaves the
licensed chain, not an edit aimed at one query:

- ``missing_at_scrap``: a repairer takes the pack out months before scrapping and sells it to
  a workshop; the car reaches the dismantler empty (Art. 21) and the handover is unlisted.
- ``pre_scrap_separation``: the same within weeks of the scrapping.
- ``dark_after_removal``: the dismantler removes the pack and nothing is reported after.
- ``lost_in_transit``: a retired pack is shipped and never received.
- ``unexplained_source``: a receipt with the sender's shipment missing.
- ``double_presence``: a module listed in a second pack (a cloned code).
- ``post_recycling_event``: a recycler sells on, to a workshop, a pack it reported recycled.
- ``implausible_recovery``: a recycler reports five times the lithium a pack can hold.
- ``prohibited_use``: a retired pack repurposed for electric bikes.
- ``second_life_lineage``: a second-life product (19-character code), its repurposing unreported.
- ``unfit_second_life``: a pack repurposed below its application's threshold, or untested.
- ``silent_battery``: a vehicle that drops out of every record after its sale.
- ``unregistered_battery``: a pack whose production was never reported.
- ``late_report``: a recycling, or an automaker's installation, filed 70-150 days late.

Company-level: a few listed recyclers (``mass_balance_recyclers``) declare inputs at
``mass_balance_factor`` times their mass, labelled if they recycled in the rule's default year.

The base world also leaks on its own (sales to workshops, labelled where they happen). After planting, a pack
not recycled whose last event is older than its class's service life is labelled ``silent_battery`` (unless in
a vehicle exported at or after it), and every repurposing the ``unfit_second_life`` defaults judge unfit is
labelled. Labels are ``{"kind": "leakage", "rule", "battery" or "company", "how"}``, compared with the
findings by ``evaluation.leakage``; draws come from their own stream (``{seed}:plant-leakage``). A share
(``late_fix_share``, own stream ``{seed}:late-fixes``) of the lost, dark, unregistered and implausible
cases also gets its missing step, or a correction, written apart as a late fix (``LateFix``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from random import Random
from typing import Any

from loaders.synth import unfit
from loaders.synth.model import Event, LateFix, Lifecycle, WorldView, leak_label
from loaders.synth.plant import NetworkPlanter
from loaders.synth.registry import Company
from loaders.synth.silence import label_silent
from loaders.synth.timeline import DAY

__all__ = ["SECOND_LIFE_YEARS", "SERVICE_LIFE_YEARS", "LeakagePlanter"]

#: The silent_battery defaults (app/services/leakage/params.py): labels follow the rule's defaults.
SERVICE_LIFE_YEARS = 8.0
SECOND_LIFE_YEARS = 5.0
MASS_BALANCE_DAYS = 365  # recycler_mass_balance's default window
PRE_SCRAP_DAYS = 90  # pre_scrap_separation's default
_BANNED_APPLICATION = "e_bike"


def _names(event: Event, code: str) -> bool:
    body = event.body
    return (
        body.get("battery") == code
        or body.get("battery_in") == code
        or body.get("battery_out") == code
        or body.get("new_code") == code
        or code in body.get("components", ())
    )


class LeakagePlanter:
    """Plants the scenarios into vehicle units and labels what every rule must find."""

    def __init__(self, world: WorldView, network: NetworkPlanter | None = None) -> None:
        cfg = world.config
        self.config = cfg
        self.clock = world.clock
        self.registry = world.registry
        self.rng = Random(f"{cfg.seed}:plant-leakage")
        self.planted: Counter[str] = Counter()
        self._late_rng = Random(f"{cfg.seed}:late-fixes")
        end = self.clock.end
        self._silent_before = end - round(SERVICE_LIFE_YEARS * 365.25) * DAY
        self._second_silent_before = end - round(SECOND_LIFE_YEARS * 365.25) * DAY
        self._window_from = end - MASS_BALANCE_DAYS * DAY
        listed = sorted(self.registry.listed["recycling"], key=lambda c: c.uscc)
        per_sqrt, minimum = cfg.mass_balance_recyclers
        count = min(len(listed), max(minimum, round(per_sqrt * math.sqrt(cfg.batteries))))
        self.inflating = {c.uscc for c in self.rng.sample(listed, count)} if listed else set()
        self.inflated_in_window: Counter[str] = Counter()
        self._companies = {c.uscc: c for c in self.registry.companies}
        self._informal = {c.uscc for c in self.registry.workshops}
        if network is not None:
            planted = [*network.buyers, *network.ring, *([network.broker] if network.broker else [])]
            self._informal |= {c.uscc for c in planted}
        self.scenarios: list[tuple[str, float, Callable[[Lifecycle], list[dict[str, Any]] | None]]] = [
            (name, cfg.leakage_rates.get(name, 0.0), getattr(self, f"_{name}"))
            for name in (
                "missing_at_scrap",
                "pre_scrap_separation",
                "dark_after_removal",
                "lost_in_transit",
                "unexplained_source",
                "double_presence",
                "post_recycling_event",
                "implausible_recovery",
                "prohibited_use",
                "second_life_lineage",
                "unfit_second_life",
                "silent_battery",
                "unregistered_battery",
                "late_report",
            )
        ]

    @classmethod
    def for_world(cls, world: WorldView, network: NetworkPlanter | None) -> LeakagePlanter | None:
        """The planter a world's config asks for; ``network`` supplies the planted informal buyers."""
        return cls(world, network) if world.config.plant_leakage else None

    def __call__(self, life: Lifecycle, world: WorldView) -> None:
        if life.kind == "vehicle" and not any(label.get("kind") == "broker_route" for label in life.labels):
            ring = any("ring" in str(label.get("how", "")) for label in life.labels)
            for name, rate, plant in self.scenarios:
                if self.rng.random() < rate and not ring:
                    before = {e.body.get("battery") for e in life.events} | {e.body.get("vehicle") for e in life.events}
                    labels = plant(life)
                    if labels is not None:
                        # A look-alike label stays only while its history is untouched.
                        touched = {code for code in before if code is not None}
                        life.labels[:] = [
                            label
                            for label in life.labels
                            if label.get("kind") != "legitimate"
                            or not (label.get("battery") in touched or label.get("vehicle") in touched)
                        ]
                        life.labels.extend(labels)
                        self.planted[name] += 1
                        break
        self._inflate(life)
        self._label_informal_handovers(life)
        label_silent(life, self.clock.end, self._silent_before, self._second_silent_before)
        life.labels.extend(unfit.labels(life, self.clock.end))  # every unfit repurposing, however it came

    # --- shared pieces ----------------------------------------------------------------------

    def _about(self, life: Lifecycle, code: str) -> list[Event]:
        return sorted((e for e in life.events if _names(e, code)), key=lambda e: e.t)

    def _drop_from(self, life: Lifecycle, code: str, t: int) -> None:
        """Forget what ``code`` (and any code derived from it) did at or after ``t``."""
        derived = {
            e.body["new_code"] for e in life.events if e.type == "repurposed" and e.body["battery"] == code and e.t >= t
        }
        life.events[:] = [
            e for e in life.events if not ((_names(e, code) and e.t >= t) or any(_names(e, d) for d in derived))
        ]

    def _scrap_context(self, life: Lifecycle) -> tuple[Event, Event] | None:
        """The scrapping and the dismantler's removal for it, both before as_of."""
        end = self.clock.end
        scrap = next((e for e in life.events if e.type == "vehicle_scrapped"), None)
        if scrap is None or scrap.t >= end:
            return None
        removal = next(
            (
                e
                for e in life.events
                if e.type == "removed" and e.body["reason"] == "scrapping" and e.reporter == scrap.reporter
            ),
            None,
        )
        if removal is None or removal.t >= end:
            return None
        return scrap, removal

    def _workshop(self, province: str) -> Company:
        return self.registry.pick_workshop(self.rng, province, self.config.local_workshop_share)

    def _sell_to_workshop(self, life: Lifecycle, code: str, seller: Company, t: int, province: str) -> None:
        workshop = self._workshop(province)
        life.events.append(Event(t, "shipped", seller.uscc, province, {"battery": code, "to": workshop.uscc}))
        received = self.clock.later(self.rng, t, *self.config.transit_days)
        life.events.append(
            Event(received, "received", workshop.uscc, workshop.province, {"battery": code, "from": seller.uscc})
        )

    def _retire_flow(self, life: Lifecycle, removal: Event) -> tuple[Event, Event] | None:
        """The remover's first shipment of the pack after the removal and its receipt."""
        code = removal.body["battery"]
        ship = next(
            (
                e
                for e in self._about(life, code)
                if e.type == "shipped" and e.t > removal.t and e.reporter == removal.reporter
            ),
            None,
        )
        if ship is None:
            return None
        receipt = next(
            (
                e
                for e in self._about(life, code)
                if e.type == "received" and e.t >= ship.t and e.reporter == ship.body["to"]
            ),
            None,
        )
        return None if receipt is None else (ship, receipt)

    def _late(self, life: Lifecycle, fix: LateFix) -> None:
        if self._late_rng.random() < self.config.late_fix_share:
            life.late.append(fix)

    # --- scenarios: each returns its labels, or None when the unit does not allow it --------

    def _separation(
        self, life: Lifecycle, days: tuple[int, int], rules: tuple[str, ...]
    ) -> list[dict[str, Any]] | None:
        context = self._scrap_context(life)
        if context is None:
            return None
        scrap, removal = context
        code = removal.body["battery"]
        if scrap.t + 20 * DAY >= self.clock.end:
            return None
        before = [e.t for e in self._about(life, code) if e.t < scrap.t]
        removed_t = self.clock.office_time(self.rng, scrap.t // DAY - self.rng.randint(*days))
        if not before or removed_t <= max(before) + 2 * DAY:
            return None
        self._drop_from(life, code, removal.t)
        repairer = self.registry.pick_local(self.rng, "repairer", scrap.province, self.config.local_handler_share)
        vin = removal.body["vehicle"]
        life.events.append(
            Event(
                removed_t,
                "removed",
                repairer.uscc,
                repairer.province,
                {"battery": code, "vehicle": vin, "reason": "other"},
            )
        )
        self._sell_to_workshop(life, code, repairer, self.clock.later(self.rng, removed_t, 1, 10), repairer.province)
        how = f"taken out {(scrap.t - removed_t) // DAY} days before scrapping and sold to a workshop"
        return [leak_label(rule, code, how) for rule in rules]

    def _missing_at_scrap(self, life: Lifecycle) -> list[dict[str, Any]] | None:
        return self._separation(life, (100, 400), ("battery_missing_at_scrap", "unlisted_handover"))

    def _pre_scrap_separation(self, life: Lifecycle) -> list[dict[str, Any]] | None:
        rules = ("pre_scrap_separation", "battery_missing_at_scrap", "unlisted_handover")
        return self._separation(life, (15, 60), rules)

    def _dark_after_removal(self, life: Lifecycle) -> list[dict[str, Any]] | None:
        context = self._scrap_context(life)
        if context is None or context[1].t + 40 * DAY >= self.clock.end:
            return None
        removal = context[1]
        code, flow = removal.body["battery"], self._retire_flow(life, removal)
        self._drop_from(life, code, removal.t + 1)
        if flow is not None and flow[0].t < flow[1].t < self.clock.end:
            self._late(life, LateFix("dark_after_removal", code, "its next custodian reported late", list(flow)))
        return [leak_label("dark_after_removal", code, "removed by the dismantler, then nothing reported")]

    def _lost_in_transit(self, life: Lifecycle) -> list[dict[str, Any]] | None:
        context = self._scrap_context(life)
        flow = None if context is None else self._retire_flow(life, context[1])
        if flow is None or flow[0].t + 60 * DAY >= self.clock.end or flow[1].t <= flow[0].t:
            return None
        ship, receipt = flow
        code = ship.body["battery"]
        self._drop_from(life, code, receipt.t)
        self._late(life, LateFix("lost_in_transit", code, "its receipt reported late", [receipt]))
        return [leak_label("lost_in_transit", code, "shipped for recycling or reuse, never received")]

    def _unexplained_source(self, life: Lifecycle) -> list[dict[str, Any]] | None:
        context = self._scrap_context(life)
        flow = None if context is None else self._retire_flow(life, context[1])
        if context is None or flow is None or flow[1].t >= self.clock.end:
            return None
        ship, receipt = flow
        if receipt.t - context[1].t > 14 * DAY:  # the receipt alone must be a next custodian in time
            return None
        life.events.remove(ship)
        code = ship.body["battery"]
        return [leak_label("unexplained_source", code, "received with the sender's shipment never reported")]

    def _first_pack(self, life: Lifecycle) -> Event | None:
        return next(
            (
                e
                for e in life.events
                if e.type == "produced" and not e.body.get("components") and "capacity_kwh" in e.body
            ),
            None,
        )

    def _double_presence(self, life: Lifecycle) -> list[dict[str, Any]] | None:
        """A module code turns up in a second pack kept in stock (a second production is refused at capture)."""
        produced = next(
            (e for e in life.events if e.type == "produced" and e.body.get("components") and "capacity_kwh" in e.body),
            None,
        )
        if produced is None:
            return None
        pack, module = produced.body["battery"], produced.body["components"][0]
        clone = produced.copy()
        clone.t = produced.t + 3600 + int(self.rng.random() * 3600)
        clone.body.update(battery=pack[:17] + "Z" + pack[18:], components=[module])  # a serial never reached
        life.events.append(clone)
        return [leak_label("double_presence", module, "a module of one pack listed again in another pack")]

    def _recycling(self, life: Lifecycle, margin_days: int) -> Event | None:
        end = self.clock.end
        return next((e for e in life.events if e.type == "recycled" and e.t + margin_days * DAY < end), None)

    def _post_recycling_event(self, life: Lifecycle) -> list[dict[str, Any]] | None:
        recycled = self._recycling(life, 30)
        if recycled is None:
            return None
        code = recycled.body["battery"]
        if any(e.type == "repurposed" and e.body["new_code"] == code for e in life.events):
            return None  # a second-life product was never installed: not a removed pack
        recycler = self._companies[recycled.reporter]
        self._sell_to_workshop(life, code, recycler, self.clock.later(self.rng, recycled.t, 5, 20), recycler.province)
        how = "reported recycled, then sold on to a workshop"
        return [leak_label("post_recycling_event", code, how), leak_label("unlisted_handover", code, how)]

    def _implausible_recovery(self, life: Lifecycle) -> list[dict[str, Any]] | None:
        recycled = self._recycling(life, 0)
        if recycled is None:
            return None
        right = recycled.copy()
        recovered = dict(recycled.body["recovered"])
        recovered["li"] = round(recycled.body["input_mass_kg"] * 0.05, 3)
        recycled.body["recovered"] = recovered
        self._late(life, LateFix("implausible_recovery", right.body["battery"], "corrected late", [right], recycled))
        return [leak_label("implausible_recovery", recycled.body["battery"], "lithium at 5% of the input mass")]

    def _prohibited_use(self, life: Lifecycle) -> list[dict[str, Any]] | None:
        repurposed = next((e for e in life.events if e.type == "repurposed" and e.t < self.clock.end), None)
        if repurposed is None:
            return None
        repurposed.body["application"] = _BANNED_APPLICATION
        return [leak_label("prohibited_use", repurposed.body["battery"], "repurposed for electric bikes")]

    def _second_life_lineage(self, life: Lifecycle) -> list[dict[str, Any]] | None:
        """Unreported repurposing: an unlinked 19-character product, or one reported as newly produced."""
        end = self.clock.end
        repurposed = next((e for e in life.events if e.type == "repurposed" and e.t < end), None)
        if repurposed is None:
            return None
        new_code = repurposed.body["new_code"]
        later = [e for e in self._about(life, new_code) if e is not repurposed and e.t < end]
        if len(new_code) == 19:
            # Needs a trace; and a recycling of the unlinked code in the window would also
            # unbalance its recycler (it never received the code), which is another story.
            if not later or any(e.type == "recycled" and e.t > self._window_from for e in later):
                return None
            how = "second-life product (19-character code) whose repurposing was never reported"
        else:
            original = self._about(life, repurposed.body["battery"])
            produced = next((e for e in original if e.type == "produced"), None)
            if produced is None:
                return None
            body: dict[str, Any] = {
                k: produced.body[k] for k in ("chemistry", "mass_kg", "capacity_kwh") if k in produced.body
            }
            life.events.append(
                Event(
                    repurposed.t,
                    "produced",
                    repurposed.reporter,
                    repurposed.province,
                    {"battery": new_code, **body, "components": []},
                )
            )
            how = "second-life product reported as newly produced, its original never named"
        life.events.remove(repurposed)
        return [leak_label("second_life_lineage", new_code, how)]

    def _unfit_second_life(self, life: Lifecycle) -> list[dict[str, Any]] | None:
        """Repurposed though its test found it unfit, or untested (``loaders.synth.unfit``)."""
        return unfit.plant(life, self.rng, self.clock.end)

    def _silent_battery(self, life: Lifecycle) -> list[dict[str, Any]] | None:
        sold = next((e for e in life.events if e.type == "vehicle_sold"), None)
        if sold is None or sold.t >= self._silent_before - 200 * DAY:
            return None
        life.events[:] = [e for e in life.events if e.t <= sold.t]
        return []  # the silent pack is labelled with every other silent one (silence.label_silent)

    def _unregistered_battery(self, life: Lifecycle) -> list[dict[str, Any]] | None:
        produced = self._first_pack(life)
        if produced is None:
            return None
        code, end = produced.body["battery"], self.clock.end
        if not any(e is not produced and e.t < end for e in self._about(life, code)):
            return None  # nothing else names it by as_of: without its production it leaves no trace
        life.events.remove(produced)
        self._late(life, LateFix("unregistered_battery", code, "its production reported late", [produced]))
        return [leak_label("unregistered_battery", code, "its production never reported")]

    def _late_report(self, life: Lifecycle) -> list[dict[str, Any]] | None:
        end = self.clock.end
        delay = self.rng.randint(*self.config.late_report_days) * DAY
        candidates = [e for e in life.events if e.type == "recycled" and e.t + delay < end]
        if not candidates:
            automakers = {c.uscc for c in self.registry.by_role["automaker"]}
            candidates = [
                e for e in life.events if e.type == "installed" and e.reporter in automakers and e.t + delay < end
            ]
        if not candidates:
            return None
        event = candidates[0]
        event.delay = delay
        how = f"{event.type} recorded {delay // DAY} days after it happened"
        return [leak_label("late_report", event.body["battery"], how)]

    # --- company level and natural silence ----------------------------------------------------

    def _inflate(self, life: Lifecycle) -> None:
        inflating, factor = self.inflating, self.config.mass_balance_factor
        if not inflating:
            return
        for e in life.events:
            if e.type == "recycled" and e.reporter in inflating:
                e.body["input_mass_kg"] = round(e.body["input_mass_kg"] * factor, 1)
                if self._window_from < e.t < self.clock.end:
                    self.inflated_in_window[e.reporter] += 1

    def _label_informal_handovers(self, life: Lifecycle) -> None:
        """Packs sold to workshops (or the planted broker, its buyers, the ring): never listed. A pack
        taken out within ``PRE_SCRAP_DAYS`` before scrapping (not by the scrapping dismantler for it)
        that no formal company received after is also a pre-scrap separation, however it came about."""
        end, informal = self.clock.end, self._informal
        sold: set[str] = set()
        for e in life.events:
            if e.t >= end:
                continue
            if (e.type == "shipped" and e.body["to"] in informal) or (e.type == "received" and e.reporter in informal):
                sold.add(e.body["battery"])
        for code in sorted(sold):
            life.labels.append(leak_label("unlisted_handover", code, "sold to an unlicensed company"))
        scrap = next((e for e in life.events if e.type == "vehicle_scrapped" and e.t < end), None)
        if scrap is None or life.kind != "vehicle":
            return
        for e in life.events:
            if (
                e.type == "removed"
                and scrap.t - PRE_SCRAP_DAYS * DAY <= e.t <= scrap.t
                and not (e.body["reason"] == "scrapping" and e.reporter == scrap.reporter)
                and e.body["reason"] != "repair"
                and not any(
                    r.type == "received" and r.t >= e.t and r.t < end and r.reporter not in informal
                    for r in self._about(life, e.body["battery"])
                )
            ):
                life.labels.append(
                    leak_label("pre_scrap_separation", e.body["battery"], "separated just before scrapping")
                )

    def closing(self) -> Lifecycle:
        """An event-less unit with the recyclers' labels and the count of each scenario."""
        labels: list[dict[str, Any]] = [
            {"kind": "leakage", "rule": "recycler_mass_balance", "company": uscc, "how": "declares inflated input"}
            for uscc in sorted(self.inflated_in_window)
        ]
        labels.append({"kind": "leakage_summary", "planted": dict(sorted(self.planted.items()))})
        return Lifecycle("planted", "leakage", labels=labels)
