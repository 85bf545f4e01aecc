"""Planted ground truth for the network analyses: an informal broker and a custody ring.

Betweenness and cycle detection (``app.analytics``) can only be trusted against worlds where
the answer is known, so every world carries one of each unless the config turns them off
(``plant_broker``, ``plant_ring``):

- **Broker**: an unlicensed trading company (role ``recycler``, no licence) that buys a share
  (``broker_share``) of the retired packs of a few dismantlers and repairers and sells them on
  to unlicensed buyers that nobody else supplies. The buyers are what makes it a broker: they
  are reachable only through it, as a middleman's customers are.
- **Ring**: ``ring_size`` companies that pass a few scrapped packs of one dismantler (their
  supplier) round and round, A -> B -> C -> A, for several laps, each hop a shipped and a
  received event; the pack stays with the company where it entered.

The planted companies join the registry before it is written; the base world never picks them.
A diverted pack keeps its history up to its seller's shipment; what the base world had it do
next (its recipient, repurposing, recycling, a derived second-life code) is dropped, so a pack
has one custodian at a time. Draws come from a stream of their own (``{seed}:plant-network``):
the same seed gives the same bytes, and the base world's draws never shift.

Labels in ``ground_truth.jsonl`` (each with a ``kind``, so other planters can share the file):
``broker_route`` per diverted pack, as its unit is written; ``broker`` and ``ring`` summaries
at the end (also in ``manifest.json`` under ``planted``).
"""

from __future__ import annotations

import math
from collections import Counter
from random import Random
from typing import Any

from app.identifiers import make_uscc
from loaders.synth.config import PROVINCES, SynthConfig
from loaders.synth.draws import pick_province
from loaders.synth.model import Event, Lifecycle, WorldView, leak_label
from loaders.synth.names import SUFFIXES, SYLLABLES_A, SYLLABLES_B, org_code
from loaders.synth.registry import Company
from loaders.synth.timeline import DAY

__all__ = ["NetworkPlanter"]

#: Removal reasons after which the remover hands the pack on (a repair puts it back).
_RETIRING = frozenset({"scrapping", "replacement"})
_PROVINCE_BY_CODE = {p.code: p for p in PROVINCES}
_BROKER_SUFFIXES = ("Renewable Resources Trading Co., Ltd.", "Used Battery Trading Co., Ltd.")
_BUYER_SUFFIXES = ("Battery Processing Workshop", "Used Battery Trading Firm", "Electric Bike Pack Workshop")
_RING_ROLES = ("repairer", "second_life", "recycler")


def _scaled(rule: tuple[float, int], batteries: int) -> int:
    """``max(minimum, round(per_sqrt * sqrt(batteries)))``, the registry's counting rule."""
    per_sqrt, minimum = rule
    return max(minimum, round(per_sqrt * math.sqrt(batteries)))


class NetworkPlanter:
    """Plants the broker and the ring into a world's units and keeps their ground truth.

    Created by ``World`` (see ``for_world``) and called on every unit before user planters.
    """

    def __init__(self, world: WorldView) -> None:
        cfg = world.config
        reg = world.registry
        self.config: SynthConfig = cfg
        self.clock = world.clock
        self.rng = Random(f"{cfg.seed}:plant-network")
        self._orgs = {c.uscc[8:16] for c in reg.companies}
        self._names = {c.name for c in reg.companies}
        self.sources: list[Company] = []
        self.broker: Company | None = None
        self.buyers: list[Company] = []
        self.supplier: Company | None = None
        self.ring: list[Company] = []
        if cfg.plant_broker:
            rng = self.rng
            sellers = ((reg.dismantlers, cfg.broker_dismantlers), (reg.by_role["repairer"], cfg.broker_repairers))
            for pool, rule in sellers:
                self.sources += rng.sample(pool, min(len(pool), _scaled(rule, cfg.batteries)))
            # It sits where its first seller is; it buys from anywhere (by phone and truck).
            self.broker = self._company(self.sources[0].province, ["recycler"], _BROKER_SUFFIXES)
            for i in range(_scaled(cfg.broker_buyers, cfg.batteries)):
                role = "recycler" if i % 2 == 0 else "second_life"
                self.buyers.append(self._company(pick_province(rng).code, [role], _BUYER_SUFFIXES))
        if cfg.plant_ring:
            # A supplier the broker does not buy from, so the two patterns stay apart.
            others = [c for c in reg.dismantlers if c not in self.sources] or reg.dismantlers
            self.supplier = others[int(self.rng.random() * len(others))]
            for i in range(cfg.ring_size):
                province = self.supplier.province if i == 0 else pick_province(self.rng).code
                role = _RING_ROLES[i % len(_RING_ROLES)]
                self.ring.append(self._company(province, [role], SUFFIXES[role]))
        for company in (*([self.broker] if self.broker else []), *self.buyers, *self.ring):
            reg.companies.append(company)  # written to companies.jsonl, never picked by the base world
        self._sources = {c.uscc for c in self.sources}
        self._watch = self._sources | ({self.supplier.uscc} if self.supplier else set())
        self.routed = 0
        self.by_source: Counter[str] = Counter()
        self.by_buyer: Counter[str] = Counter()
        self.ring_codes: list[str] = []
        self.ring_laps: list[int] = []
        self.ring_hand_overs = 0

    @classmethod
    def for_world(cls, world: WorldView) -> NetworkPlanter | None:
        """The planter a world's config asks for, or None when it plants nothing."""
        cfg = world.config
        return cls(world) if cfg.plant_broker or cfg.plant_ring else None

    # --- companies ------------------------------------------------------------------------

    def _company(self, province: str, roles: list[str], suffixes: tuple[str, ...]) -> Company:
        """A fresh unlicensed company whose USCC and name clash with nobody's."""
        rng = self.rng
        while True:
            body = f"{rng.randrange(10**8):08d}"
            if body not in self._orgs:
                self._orgs.add(body)
                break
        cities = _PROVINCE_BY_CODE[province].cities
        name = ""
        for attempt in range(100):
            word = rng.choice(SYLLABLES_A) + rng.choice(SYLLABLES_B)
            number = f" {attempt}" if attempt > 20 else ""
            name = f"{rng.choice(cities)} {word}{number} {rng.choice(suffixes)}"
            if name not in self._names:
                break
        self._names.add(name)
        return Company(uscc=make_uscc(f"91{province}{org_code(body)}"), name=name, roles=roles, province=province)

    # --- planting ---------------------------------------------------------------------------

    def __call__(self, life: Lifecycle, world: WorldView) -> None:
        """Divert some packs retired by the broker's sellers or the ring's supplier."""
        if life.kind != "vehicle":
            return
        watch = self._watch
        removals = [
            e for e in life.events if e.type == "removed" and e.reporter in watch and e.body["reason"] in _RETIRING
        ]
        for removal in removals:
            self._divert(life, removal)

    def _divert(self, life: Lifecycle, removal: Event) -> None:
        code, holder = removal.body["battery"], removal.reporter
        shipments = [
            e
            for e in life.events
            if e.type == "shipped" and e.reporter == holder and e.body["battery"] == code and e.t > removal.t
        ]
        if not shipments:
            return  # nobody took it: it stays with its remover
        ship = min(shipments, key=lambda e: e.t)
        if ship.t >= self.clock.end:
            return
        cfg = self.config
        if self.supplier is not None and holder == self.supplier.uscc and len(self.ring_codes) < cfg.ring_batteries:
            laps = self.rng.randint(*cfg.ring_laps)
            days = (len(self.ring) * laps + 1) * (cfg.transit_days[1] + cfg.ring_hold_days[1] + 1)
            if ship.t + days * DAY < self.clock.end:  # every lap ends before as_of
                self._forget_after(life, code, ship)
                self._go_round(life, code, holder, ship, laps)
                return
        # Each seller's first retired pack goes to the broker, so small worlds show every tie.
        if (
            self.broker is not None
            and holder in self._sources
            and (self.by_source[holder] == 0 or self.rng.random() < cfg.broker_share)
        ):
            self._forget_after(life, code, ship)
            self._sell(life, code, holder, ship, self.broker)

    @staticmethod
    def _forget_after(life: Lifecycle, code: str, ship: Event) -> None:
        """Drop what the base world had the pack do after ``ship`` (kept, to be re-addressed)."""
        derived = {
            e.body.get("new_code") for e in life.events if e.type == "repurposed" and e.body["battery"] == code
        } - {None}
        life.events[:] = [
            e
            for e in life.events
            if e is ship or not ((e.body.get("battery") == code and e.t >= ship.t) or e.body.get("battery") in derived)
        ]

    def _receive(self, life: Lifecycle, code: str, sender: str, receiver: Company, shipped: int) -> int:
        """The receiver's ``received`` event after a normal transit; returns its time."""
        received = self.clock.later(self.rng, shipped, *self.config.transit_days)
        life.events.append(
            Event(received, "received", receiver.uscc, receiver.province, {"battery": code, "from": sender})
        )
        return received

    def _ship(self, life: Lifecycle, code: str, sender: Company, receiver: Company, t: int) -> int:
        """Shipped by ``sender``, received by ``receiver``; returns the receipt time."""
        life.events.append(Event(t, "shipped", sender.uscc, sender.province, {"battery": code, "to": receiver.uscc}))
        return self._receive(life, code, sender.uscc, receiver, t)

    def _sell(self, life: Lifecycle, code: str, holder: str, ship: Event, broker: Company) -> None:
        """Seller -> broker -> a buyer (each buyer served once before any twice)."""
        ship.body["to"] = broker.uscc
        received = self._receive(life, code, holder, broker, ship.t)
        n = self.routed
        buyer = self.buyers[n] if n < len(self.buyers) else self.buyers[int(self.rng.random() * len(self.buyers))]
        onward = self.clock.later(self.rng, received, *self.config.broker_hold_days)
        self._ship(life, code, broker, buyer, onward)
        self.routed += 1
        self.by_source[holder] += 1
        end = self.clock.end
        if onward < end:
            self.by_buyer[buyer.uscc] += 1
        life.labels.append(leak_label("unlisted_handover", code, "sold to the planted broker"))
        life.labels.append(
            {
                "kind": "broker_route",
                "battery": code,
                "broker": broker.uscc,
                "source": holder,
                "buyer": buyer.uscc,
                "sold_on": onward < end,  # False: still with the broker on as_of
            }
        )

    def _go_round(self, life: Lifecycle, code: str, holder: str, ship: Event, laps: int) -> None:
        """Supplier -> ring member i, then ``laps`` full laps back to member i, where it stays."""
        ring = self.ring
        start = len(self.ring_codes) % len(ring)  # entries rotate, so every member buys once
        ship.body["to"] = ring[start].uscc
        received = self._receive(life, code, holder, ring[start], ship.t)
        at = start
        for _ in range(laps * len(ring)):
            after = (at + 1) % len(ring)
            out = self.clock.later(self.rng, received, *self.config.ring_hold_days)
            received = self._ship(life, code, ring[at], ring[after], out)
            at = after
        life.labels.append(leak_label("unlisted_handover", code, "sent round the planted ring"))
        self.ring_codes.append(code)
        self.ring_laps.append(laps)
        self.ring_hand_overs += laps * len(ring)

    # --- ground truth -----------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        """What was planted, for manifest.json and the closing labels."""
        out: dict[str, Any] = {}
        if self.broker is not None:
            out["broker"] = {
                "company": self.broker.uscc,
                "name": self.broker.name,
                "province": self.broker.province,
                "sources": sorted(self.by_source),
                "buyers": sorted(self.by_buyer),
                "batteries": self.routed,
                "by_source": dict(sorted(self.by_source.items())),
                "by_buyer": dict(sorted(self.by_buyer.items())),
                "share": self.config.broker_share,
            }
        if self.ring:
            assert self.supplier is not None
            out["ring"] = {
                "companies": [c.uscc for c in self.ring],  # in cycle order
                "names": [c.name for c in self.ring],
                "supplier": self.supplier.uscc,
                "batteries": list(self.ring_codes),
                "laps": list(self.ring_laps),
                "hand_overs": self.ring_hand_overs,
            }
        return out

    def closing(self) -> Lifecycle:
        """An event-less unit carrying the ``broker`` and ``ring`` labels, written last."""
        labels = [{"kind": kind, **facts} for kind, facts in self.summary().items()]
        return Lifecycle("planted", "ground_truth", labels=labels)
