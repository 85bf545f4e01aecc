"""The planted broker and ring (loaders/synth/plant.py): shape, consistent custody, ground truth,
determinism and the switches. No database needed; the analyses are checked in
tests/integration/test_planted_network.py."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from loaders.synth import Lifecycle, World, generate_world

N = 2000
SEED = 7


def _read(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _effective(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Corrections applied (voided events dropped), in time order."""
    voided = {e["corrects"] for e in events if e["type"] == "correction"}
    kept = [e for e in events if e["type"] != "correction" and e["event_id"] not in voided]
    return sorted(kept, key=lambda e: e["occurred_at"])


class Planted:
    def __init__(self, out: Path, manifest: dict[str, Any]) -> None:
        self.out = out
        self.manifest = manifest
        self.companies = {c["uscc"]: c for c in _read(out / "companies.jsonl")}
        self.labels = _read(out / "ground_truth.jsonl")
        self.broker = next(label for label in self.labels if label["kind"] == "broker")
        self.ring = next(label for label in self.labels if label["kind"] == "ring")
        self.routes = [label for label in self.labels if label["kind"] == "broker_route"]
        self.by_battery: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for e in _effective(_read(out / "events.jsonl")):
            for key in ("battery", "battery_in", "battery_out"):
                if key in e:
                    self.by_battery[e[key]].append(e)


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Planted:
    out = tmp_path_factory.mktemp("planted")
    return Planted(out, generate_world(out, N, SEED))


def _custody_after(events: list[dict[str, Any]], start: str) -> list[str]:
    """Holders of a pack from ``start``'s shipment on, checking every hand-over is paired."""
    moves = [e for e in events if e["type"] in ("shipped", "received")]
    first = next(i for i, e in enumerate(moves) if e["type"] == "shipped" and e["reporter"] == start)
    holders = [start]
    for i in range(first, len(moves), 2):
        shipped = moves[i]
        assert shipped["type"] == "shipped" and shipped["reporter"] == holders[-1], shipped
        if i + 1 == len(moves):
            break  # shipped before as_of, received after it
        received = moves[i + 1]
        assert received["type"] == "received", received
        assert received["reporter"] == shipped["to"] and received["from"] == shipped["reporter"], received
        assert received["occurred_at"] > shipped["occurred_at"]
        holders.append(received["reporter"])
    return holders


def test_the_broker_buys_from_sellers_and_sells_to_buyers_only_it_supplies(planted: Planted) -> None:
    broker = planted.broker
    company = planted.companies[broker["company"]]
    assert company["licences"] == [] and company["roles"] == ["recycler"]
    assert len(broker["sources"]) >= 4 and len(broker["buyers"]) >= 3
    for seller in broker["sources"]:
        assert {"dismantler", "repairer"} & set(planted.companies[seller]["roles"]), seller
    for buyer in broker["buyers"]:
        assert planted.companies[buyer]["licences"] == []
    assert broker["batteries"] == len(planted.routes) > 0
    assert Counter(r["source"] for r in planted.routes) == Counter(broker["by_source"])
    suppliers: dict[str, set[str]] = defaultdict(set)
    for events in planted.by_battery.values():
        for e in events:
            if e["type"] == "received" and e["reporter"] in broker["buyers"]:
                suppliers[e["reporter"]].add(e["from"])
    assert set(suppliers) == set(broker["buyers"])
    assert all(froms == {broker["company"]} for froms in suppliers.values())


def test_a_brokered_pack_goes_seller_broker_buyer_and_nowhere_else(planted: Planted) -> None:
    for route in planted.routes:
        events = planted.by_battery[route["battery"]]
        removed = [e for e in events if e["type"] == "removed"]
        assert removed[-1]["reporter"] == route["source"] and removed[-1]["reason"] in ("scrapping", "replacement")
        holders = _custody_after(events, route["source"])
        expected = [route["source"], route["broker"], route["buyer"]]
        assert len(holders) >= 2 and holders == expected[: len(holders)], holders
        if route["sold_on"]:
            assert any(e["type"] == "shipped" and e["to"] == route["buyer"] for e in events)
        # What the base world had it do next (recipient, repurposing, recycling) is gone.
        after = events[events.index(removed[-1]) + 1 :]
        # (The remover's BMS readout at the removal belongs to the removal.)
        after = [e for e in after if not (e["type"] == "health_measured" and e["reporter"] == route["source"])]
        assert {e["type"] for e in after} <= {"shipped", "received"}, after


def test_the_ring_sends_packs_round_for_whole_laps(planted: Planted) -> None:
    ring = planted.ring
    members = ring["companies"]
    assert len(members) == 3 and len(set(members)) == 3
    assert all(planted.companies[c]["licences"] == [] for c in members)
    assert len(ring["batteries"]) == 4 and len(ring["laps"]) == 4
    for code, laps in zip(ring["batteries"], ring["laps"], strict=True):
        events = planted.by_battery[code]
        holders = _custody_after(events, ring["supplier"])
        entry = members.index(holders[1])
        lap = [members[(entry + i) % 3] for i in range(3)]
        assert holders[1:] == lap * laps + [lap[0]], holders  # all laps complete, back where it entered
        assert events[-1]["type"] == "received"
    assert ring["hand_overs"] == 3 * sum(ring["laps"])


def test_labels_manifest_and_determinism(planted: Planted, tmp_path: Path) -> None:
    kinds = Counter(label["kind"] for label in planted.labels)
    network = {kind: n for kind, n in kinds.items() if kind in ("broker", "ring", "broker_route")}
    assert network == {"broker": 1, "ring": 1, "broker_route": len(planted.routes)}
    assert planted.manifest["world"]["ground_truth_by_kind"] == dict(sorted(kinds.items()))
    assert planted.manifest["planted"]["broker"]["company"] == planted.broker["company"]
    assert planted.manifest["planted"]["ring"]["batteries"] == planted.ring["batteries"]
    generate_world(tmp_path, N, SEED)
    for name in ("ground_truth.jsonl", "companies.jsonl", "events.jsonl"):
        assert (tmp_path / name).read_bytes() == (planted.out / name).read_bytes(), name


def test_switched_off_nothing_is_planted(planted: Planted, tmp_path: Path) -> None:
    manifest = generate_world(tmp_path, N, SEED, plant_broker=False, plant_ring=False, plant_leakage=False)
    assert "planted" not in manifest and not (tmp_path / "ground_truth.jsonl").exists()
    ours = 1 + len(planted.broker["buyers"]) + len(planted.ring["companies"])
    assert manifest["counts"]["companies.jsonl"] == planted.manifest["counts"]["companies.jsonl"] - ours
    assert manifest["world"]["packs"] == N


def test_sizes_are_parameters_and_other_planters_share_the_file(tmp_path: Path) -> None:
    def mark_first_sale(life: Lifecycle, world: World) -> None:
        sold = [e for e in life.events if e.type == "vehicle_sold"]
        if life.kind == "vehicle" and sold and world.packs_left % 100 == 0:
            life.labels.append({"kind": "test_mark", "vehicle": sold[0].body["vehicle"]})

    manifest = generate_world(
        tmp_path,
        N,
        SEED + 1,
        planter=mark_first_sale,
        broker_share=0.0,
        broker_buyers=(0.0, 3),
        ring_size=4,
        ring_batteries=2,
        ring_laps=(2, 2),
    )
    labels = _read(tmp_path / "ground_truth.jsonl")
    kinds = Counter(label["kind"] for label in labels)
    assert kinds["test_mark"] > 0 and kinds["broker"] == kinds["ring"] == 1
    assert manifest["world"]["ground_truth_by_kind"] == dict(sorted(kinds.items()))
    broker = manifest["planted"]["broker"]
    assert broker["batteries"] == len(broker["sources"])  # share 0: only each seller's first pack
    assert len(broker["buyers"]) <= 3
    ring = manifest["planted"]["ring"]
    assert len(ring["companies"]) == 4 and len(ring["batteries"]) == 2 and ring["laps"] == [2, 2]
    assert ring["hand_overs"] == 16
