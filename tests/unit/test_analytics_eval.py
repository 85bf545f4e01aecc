"""The evaluation's own pieces on hand-built inputs: the informal-brokerage ranking, the ground
truth reader and the verdict. No database needed."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from app.analytics.flows import informal_brokers
from evaluation.analytics import (
    BrokerCheck,
    Evaluation,
    Ranked,
    RingCheck,
    read_planted,
    verdict,
)

LICENSED = {"licensed": True, "ever_licensed": True}


def _graph() -> nx.DiGraph:
    """Sellers D1, D2 -> broker B -> buyers W1, W2; D1 -> service point SP -> listed recycler R and
    Rdel (delisted since: listed when it got the packs); maker M -> repairer Rep -> workshop W3."""
    g = nx.DiGraph()
    g.add_edges_from([("D1", "B"), ("D2", "B"), ("B", "W1"), ("B", "W2"), ("D1", "SP"), ("SP", "R")])
    g.add_edges_from([("SP", "Rdel"), ("M", "Rep"), ("Rep", "W3")])
    for n in ("D1", "D2"):
        g.nodes[n].update(roles=["dismantler"], **LICENSED)
    g.nodes["R"].update(roles=["recycler"], **LICENSED)
    g.nodes["Rdel"].update(roles=["recycler"], licensed=False, ever_licensed=True)
    g.nodes["M"].update(roles=["battery_maker"], licensed=False, ever_licensed=False)
    for n, role in (("B", "recycler"), ("W1", "recycler"), ("W2", "second_life"), ("W3", "recycler")):
        g.nodes[n].update(roles=[role], licensed=False, ever_licensed=False)
    g.nodes["SP"].update(roles=["service_point"], licensed=False, ever_licensed=False)
    g.nodes["Rep"].update(roles=["repairer"], licensed=False, ever_licensed=False)
    return g


def test_informal_brokerage_counts_routes_from_used_pack_holders_to_never_licensed_sinks() -> None:
    g = _graph()
    scale = 1 / ((11 - 1) * (11 - 2))  # directed, normalised like metrics.betweenness
    ranked = dict(informal_brokers(g))
    # B: D1->W1, D1->W2, D2->W1, D2->W2. SP only reaches listed recyclers; the route M -> Rep -> W3
    # starts at a maker (new stock), so it joins two different packs and does not count.
    assert ranked == pytest.approx({"B": 4 * scale, "SP": 0.0, "Rep": 0.0})
    assert informal_brokers(g)[0][0] == "B"
    # Judged by today's licence alone, the delisted recycler would make SP an informal broker.
    for _, data in g.nodes(data=True):
        data.pop("ever_licensed", None)
    assert dict(informal_brokers(g))["SP"] == pytest.approx(1 * scale)
    assert informal_brokers(nx.DiGraph()) == []


def test_read_planted_keeps_the_summaries_and_skips_other_kinds(tmp_path: Path) -> None:
    labels = [
        {"kind": "broker_route", "battery": "X"},
        {"kind": "dark_after_handover", "battery": "Y"},
        {"pattern": "no kind at all"},
        {"kind": "broker", "company": "B", "sources": [], "buyers": [], "batteries": 0},
        {"kind": "ring", "companies": ["A", "B", "C"], "batteries": ["P"]},
    ]
    (tmp_path / "ground_truth.jsonl").write_text("".join(json.dumps(x) + "\n" for x in labels))
    planted = read_planted(tmp_path)
    assert planted.broker is not None and planted.broker["company"] == "B"
    assert planted.ring is not None and planted.ring["companies"] == ["A", "B", "C"]
    assert read_planted(tmp_path / "nowhere").broker is None


def test_verdict_needs_the_broker_first_by_the_chosen_ranking_and_the_whole_ring() -> None:
    informal = Ranked("informal", 1, 5, [], 0.0)
    plain = Ranked("plain", 3, 5, [], 0.0)
    ring = RingCheck(["A", "B", "C"], ["A", "B", "C"], ["A", "B", "C"], ["P1", "P2"], ["P2", "P1"])
    result = Evaluation(nx.DiGraph(), 0.0, BrokerCheck("B", informal, plain), ring)
    assert verdict(result, "informal") == (True, True)
    assert verdict(result, "all") == (False, True)
    ring.found_batteries = ["P1"]
    assert verdict(result, "informal") == (True, False)
    ring.found_batteries, ring.component = ["P1", "P2"], ["A", "B", "C", "D"]
    assert not ring.exact_component and verdict(result, "informal") == (True, False)
    assert verdict(Evaluation(nx.DiGraph(), 0.0), "informal") == (False, False)
