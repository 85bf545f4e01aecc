"""The steps of a battery's life, shared by vehicle lifecycles and station clusters.

Production, hand-overs, export, repair, replacement, scrapping and the end of life (a workshop, a
listed company or a service point; second life; recycling). Each step appends events to its
unit and draws from the world's one stream, in the order the steps are called.
"""

from __future__ import annotations

import bisect
from random import Random
from typing import Any

from loaders.synth.codes import CHEM_LETTER, Minter
from loaders.synth.config import CategorySpec, SynthConfig
from loaders.synth.draws import cum
from loaders.synth.health import Fade
from loaders.synth.model import Event, Lifecycle, Pack
from loaders.synth.registry import Company, Registry
from loaders.synth.timeline import DAY, YEAR, Clock

__all__ = ["Steps"]


class Steps:
    """The world's lifecycle steps with the counters they keep (packs left, packs, modules)."""

    def __init__(self, config: SynthConfig, rng: Random, clock: Clock, registry: Registry) -> None:
        self.config = config
        self.rng = rng
        self.clock = clock
        self.registry = registry
        self.minter = Minter()
        self.packs_left = config.batteries
        self.packs_made = 0
        self.modules_made = 0
        self._lfp = dict(config.lfp_share_by_year)
        self._app_cum = cum([w for _, w in config.applications])
        self._destination_cum = cum([w for _, w in config.export_destinations])
        self.fade = Fade(config)

    def lookalike(self, life: Lifecycle, what: str, **subject: str) -> None:
        """Label a legitimate history that resembles leakage (written when leakage is planted)."""
        if self.config.plant_leakage:
            life.labels.append({"kind": "legitimate", "as": what, **subject})

    def ev(
        self,
        life: Lifecycle,
        t: int,
        type_: str,
        reporter: Company,
        province: str | None,
        **body: Any,
    ) -> None:
        life.events.append(Event(t, type_, reporter.uscc, province or reporter.province, body))

    def produce(self, life: Lifecycle, maker: Company, key: str, spec: CategorySpec, t: int) -> Pack:
        """A new pack (and, for some, its modules) with its produced events."""
        rng, cfg = self.rng, self.config
        produced_on = self.clock.date_of(t)
        chemistry = spec.chemistry or ("LFP" if rng.random() < self._lfp_share(produced_on.year) else "ternary")
        letter = CHEM_LETTER[chemistry]
        capacity = rng.uniform(*spec.capacity_kwh)
        mass = capacity * 1000.0 / rng.uniform(*spec.density_wh_per_kg)
        mass = min(max(mass, spec.mass_kg[0]), spec.mass_kg[1])
        components: list[str] = []
        if rng.random() < cfg.component_share:
            n = rng.randint(*cfg.modules_per_pack)
            module_day = t // DAY - rng.randint(1, 10)
            module_t = self.clock.office_time(rng, module_day)
            module_on = self.clock.date_of(module_t)
            module_mass = round(mass * 0.8 / n, 1)  # cells and module housings; our estimate
            for i in range(n):
                code = self.minter.battery_code(maker, "module", letter, maker.specs["module"], module_on)
                components.append(code)
                self.ev(
                    life,
                    module_t + 37 * i,
                    "produced",
                    maker,
                    None,
                    battery=code,
                    chemistry=chemistry,
                    mass_kg=module_mass,
                    components=[],
                )
            self.modules_made += n
        code = self.minter.battery_code(maker, "pack", letter, maker.specs[key], produced_on)
        pack = Pack(code, maker, chemistry, round(mass, 1), round(capacity, 1), t, usage=key)
        self.ev(
            life,
            t,
            "produced",
            maker,
            None,
            battery=code,
            chemistry=chemistry,
            mass_kg=pack.mass_kg,
            capacity_kwh=pack.capacity_kwh,
            components=components,
        )
        life.packs.append(pack)
        self.packs_left -= 1
        self.packs_made += 1
        return pack

    def move(
        self,
        life: Lifecycle,
        code: str,
        sender: Company,
        receiver: Company,
        t: int,
        sender_province: str | None = None,
        receiver_province: str | None = None,
    ) -> int:
        """Shipped by the sender, received by the receiver; returns the receipt time."""
        rng, cfg = self.rng, self.config
        self.ev(life, t, "shipped", sender, sender_province, battery=code, to=receiver.uscc)
        late = rng.random() < cfg.late_receipt_share
        lo, hi = cfg.late_receipt_days if late else cfg.transit_days
        received = self.clock.later(rng, t, lo, hi)
        if late and received < self.clock.end:
            self.lookalike(life, "receipt_late_inside_limit", battery=code)
        life.events.append(
            Event(
                received,
                "received",
                receiver.uscc,
                receiver_province or receiver.province,
                {"battery": code, "from": sender.uscc},
            )
        )
        return received

    def repair(self, life: Lifecycle, pack: Pack, vin: str, home: str, t: int) -> int:
        """Removed for repair, repaired and reinstalled by one repairer; returns the end."""
        rng, clock = self.rng, self.clock
        repairer = self.registry.pick_local(rng, "repairer", home, self.config.local_handler_share)
        self.ev(life, t, "removed", repairer, None, battery=pack.code, vehicle=vin, reason="repair")
        self.fade.measure(life, pack, pack.code, t + 3600, repairer, "bms_readout")
        repaired = clock.later(rng, t, 1, 10)
        self.ev(life, repaired, "repaired", repairer, None, battery=pack.code)
        back = clock.later(rng, repaired, 0, 3)
        self.ev(life, back, "installed", repairer, None, battery=pack.code, vehicle=vin)
        if back < clock.end:
            self.lookalike(life, "removed_for_repair_reinstalled", battery=pack.code)
        return back

    def replace(
        self,
        life: Lifecycle,
        old: Pack,
        vin: str,
        home: str,
        t: int,
        automaker: Company,
        category: str,
    ) -> tuple[Pack, int]:
        """A new pack, bought in ahead, replaces the old one, which goes to a recipient."""
        rng, cfg, clock = self.rng, self.config, self.clock
        repairer = self.registry.pick_local(rng, "repairer", home, cfg.local_handler_share)
        maker = old.maker if rng.random() < 0.7 else automaker.pick_supplier(rng)
        prod_t = clock.office_time(rng, t // DAY - rng.randint(40, 120))
        new = self.produce(life, maker, category, cfg.categories[category], prod_t)
        self.move(life, new.code, maker, repairer, clock.later(rng, prod_t, 1, 10))
        self.ev(life, t, "removed", repairer, None, battery=old.code, vehicle=vin, reason="replacement")
        self.fade.measure(life, old, old.code, t + 3600, repairer, "bms_readout")
        installed = clock.later(rng, t, 0, 2)
        self.ev(life, installed, "installed", repairer, None, battery=new.code, vehicle=vin)
        self.retire(life, old, old.code, repairer, clock.later(rng, t, 1, 15), cfg.leak_share)
        return new, installed

    def export(self, life: Lifecycle, automaker: Company, vin: str, t: int) -> None:
        """The automaker exports the new vehicle, its pack in it."""
        draw = self.rng.random() * self._destination_cum[-1]
        destination = self.config.export_destinations[bisect.bisect(self._destination_cum, draw)][0]
        self.ev(life, t, "vehicle_exported", automaker, None, vehicle=vin, destination=destination)

    def scrap(self, life: Lifecycle, pack: Pack, vin: str, home: str, t: int) -> None:
        """A dismantler takes the vehicle, removes the pack and sends it on."""
        rng, cfg, clock, reg = self.rng, self.config, self.clock, self.registry
        dismantler = (
            reg.pick_licensed(rng, "dismantling", t // DAY, home, cfg.local_handler_share) or reg.dismantlers[0]
        )
        self.ev(life, t, "vehicle_scrapped", dismantler, None, vehicle=vin)
        removed = clock.later(rng, t, 0, 10)
        self.ev(
            life,
            removed,
            "removed",
            dismantler,
            None,
            battery=pack.code,
            vehicle=vin,
            reason="scrapping",
        )
        self.fade.measure(life, pack, pack.code, removed + 3600, dismantler, "bms_readout")
        self.retire(life, pack, pack.code, dismantler, clock.later(rng, removed, 1, 15), cfg.leak_share)

    def retire(
        self,
        life: Lifecycle,
        pack: Pack,
        code: str,
        holder: Company,
        t: int,
        leak_share: float,
        holder_province: str | None = None,
    ) -> None:
        """Hand a retired pack on: to a workshop (leak), a listed company or a service point."""
        rng, cfg, clock, reg = self.rng, self.config, self.clock, self.registry
        province = holder_province or holder.province
        local = cfg.local_handler_share
        if rng.random() < leak_share:
            workshop = reg.pick_workshop(rng, province, cfg.local_workshop_share)
            self.move(life, code, holder, workshop, t, province)
            return
        day = t // DAY
        if rng.random() >= cfg.service_point_share:
            if rng.random() < cfg.repurpose_share:
                company = reg.pick_licensed(rng, "second_life", day, province, local)
                if company is not None:
                    received = self.move(life, code, holder, company, t, province)
                    self._second_life(life, pack, code, company, received)
                    return
            company = reg.pick_licensed(rng, "recycling", day, province, local)
            if company is not None:
                received = self.move(life, code, holder, company, t, province)
                self._recycle(life, pack, code, company, clock.later(rng, received, 10, 120))
                return
        # A maker's service point collects it and passes it to a listed recycler, waiting
        # for the first listing when the pack retired before the white list existed.
        point = reg.service_point(rng, pack.maker, province)
        received = self.move(life, code, holder, point, t, province)
        onward = clock.later(rng, received, 5, 60)
        first = reg.first_listed_day["recycling"]
        if onward // DAY < first:
            onward = clock.office_time(rng, first + rng.randint(0, 60))
        recycler = reg.pick_licensed(rng, "recycling", onward // DAY, point.province, local)
        if recycler is None or onward >= clock.end:
            return
        received = self.move(life, code, point, recycler, onward)
        self._recycle(life, pack, code, recycler, clock.later(rng, received, 10, 120))

    def _second_life(self, life: Lifecycle, pack: Pack, code: str, company: Company, received: int) -> None:
        """Repurposed under a new code, used for some years, then recycled."""
        rng, cfg, clock, reg = self.rng, self.config, self.clock, self.registry
        t = clock.later(rng, received, 7, 90)
        if t >= clock.end:
            return
        draw = rng.random() * self._app_cum[-1]
        application = cfg.applications[bisect.bisect(self._app_cum, draw)][0]
        # The GB/T 34015 residual energy test the cascade-use rules require before repurposing;
        # a pack below the storage threshold goes to backup power instead.
        lo, hi = cfg.test_before_repurpose_days
        test_t = max(received + 3600, t - Random(f"{cfg.seed}:test:{code}").randint(lo, hi) * DAY)
        test = self.fade.measure(life, pack, code, test_t, company, "residual_energy_test")
        if application != "backup_power" and test["soh_pct"] < cfg.second_life_min_soh_pct:
            application = "backup_power"
            if t < clock.end:
                self.lookalike(life, "second_life_backup_below_storage_threshold", battery=code)
        if rng.random() < cfg.second_life_short_code_share:
            # The 19-character form: the code without its traceability field, plus R, P.
            new_code = code[:7] + code[14:24] + "RP"
        else:
            new_code = self.minter.battery_code(
                company, "pack", code[4], company.specs["second_life"], clock.date_of(t)
            )
        self.ev(
            life,
            t,
            "repurposed",
            company,
            None,
            battery=code,
            application=application,
            new_code=new_code,
            soh_pct=test["soh_pct"],
            residual_capacity_kwh=test["capacity_kwh"],
        )
        end = t + int(rng.uniform(*cfg.second_life_years) * YEAR)
        if end >= clock.end:
            return
        end = clock.office_time(rng, end // DAY)
        if company.licensed("recycling", end // DAY):
            self._recycle(life, pack, new_code, company, end)
            return
        recycler = reg.pick_licensed(rng, "recycling", end // DAY, company.province, cfg.local_handler_share)
        if recycler is not None:
            received = self.move(life, new_code, company, recycler, end)
            self._recycle(life, pack, new_code, recycler, clock.later(rng, received, 10, 120))

    def _recycle(self, life: Lifecycle, pack: Pack, code: str, recycler: Company, t: int) -> None:
        """Recovered metal is the pack's element content times a compliant recovery rate."""
        rng, cfg = self.rng, self.config
        content = cfg.element_content[pack.chemistry]
        recovered: dict[str, float] = {}
        for element in ("li", "co", "ni", "mn"):
            rate = rng.uniform(*(cfg.recovery_li if element == "li" else cfg.recovery_other))
            # Rounded down so that recovered metal never exceeds what the input contains.
            recovered[element] = int(pack.mass_kg * content.get(element, 0.0) * rate * 1000) / 1000
        self.ev(
            life,
            t,
            "recycled",
            recycler,
            None,
            battery=code,
            input_mass_kg=pack.mass_kg,
            recovered=recovered,
        )

    def _lfp_share(self, year: int) -> float:
        share = self._lfp.get(year)
        if share is None:
            known = sorted(self._lfp)
            share = self._lfp[known[0] if year < known[0] else known[-1]]
        return share

    def life_years(self, category: str, spec: CategorySpec) -> float:
        cfg = self.config
        mean, sd = spec.life_years
        if category == "passenger_bev" and self.rng.random() < cfg.fleet_use_share:
            mean, sd = cfg.fleet_use_life_years
        lo, hi = cfg.life_clip_years
        return min(max(self.rng.gauss(mean, sd), lo), hi)
