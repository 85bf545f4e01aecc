"""Network analyses on small hand-built graphs, each checked against values worked out by hand."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import networkx as nx
import pytest

from app.analytics import (
    AbsorbingFlow,
    CompanyRow,
    CustodyChainRow,
    CustodyFlowRow,
    InstallationRow,
    SwapFlowRow,
    batteries_on_path,
    batteries_round_cycles,
    betweenness,
    communities,
    community_index,
    custody_graph_from_rows,
    custody_path,
    cycles,
    handover_chains,
    intermediaries,
    loops,
    modularity,
    pagerank,
    rank_brokers,
    sink_distribution,
    sink_shares,
    strongly_connected,
    swap_graph_from_rows,
    to_gexf,
    to_graphml,
    to_node_link,
    top_flows,
    unlicensed_sink_share,
    vehicle_battery_graph_from_rows,
    weighted_degrees,
)
from app.analytics.graphs import add_company_attributes
from app.analytics.plots import PNG_SIGNATURE, plot_communities, plot_top_flows


def flow_graph(edges: list[tuple[str, str, float]], **node_attrs: dict[str, object]) -> nx.DiGraph:
    graph = nx.DiGraph()
    for u, v, w in edges:
        graph.add_edge(u, v, batteries=w, kg=10.0 * w)
    for node, attrs in node_attrs.items():
        graph.nodes[node].update(attrs)
    return graph


# --- degrees --------------------------------------------------------------------------------------


def test_weighted_degrees() -> None:
    g = flow_graph([("A", "B", 3), ("A", "C", 2), ("B", "C", 4), ("C", "D", 5)])
    deg = weighted_degrees(g)
    # A sends 3 + 2; C receives 2 (from A) + 4 (from B) and sends 5 to D.
    assert deg["A"] == {"in": 0.0, "out": 5.0, "in_edges": 0, "out_edges": 2}
    assert deg["B"] == {"in": 3.0, "out": 4.0, "in_edges": 1, "out_edges": 1}
    assert deg["C"] == {"in": 6.0, "out": 5.0, "in_edges": 2, "out_edges": 1}
    assert deg["D"] == {"in": 5.0, "out": 0.0, "in_edges": 1, "out_edges": 0}
    # By mass: C receives 20 + 40 kg.
    assert weighted_degrees(g, weight="kg")["C"]["in"] == 60.0


def test_weighted_degrees_undirected_are_symmetric() -> None:
    g = nx.Graph()
    g.add_edge("v", "b1", installations=2)
    g.add_edge("v", "b2", installations=1)
    assert weighted_degrees(g, weight="installations")["v"] == {"in": 3.0, "out": 3.0, "in_edges": 2, "out_edges": 2}


# --- betweenness and brokers ----------------------------------------------------------------------


def broker_world() -> nx.DiGraph:
    # Three dismantlers D1-D3 sell only through broker K to buyers U1, U2; D1 also reaches U1
    # through a second middleman X.
    edges = [(f"D{i}", "K", 1.0) for i in (1, 2, 3)] + [("K", "U1", 2.0), ("K", "U2", 1.0)]
    return flow_graph([*edges, ("D1", "X", 1.0), ("X", "U1", 1.0)])


def test_betweenness_of_a_known_broker() -> None:
    scores = betweenness(broker_world())
    # n = 7, ordered pairs with an intermediate: Di -> Uj (6 pairs). Five go only through K;
    # D1 -> U1 has two shortest routes (via K, via X), each carrying half.
    # K: 5 + 0.5 = 5.5, X: 0.5; normalised by (n - 1)(n - 2) = 30.
    assert scores["K"] == pytest.approx(5.5 / 30)
    assert scores["X"] == pytest.approx(0.5 / 30)
    assert all(scores[n] == 0 for n in ("D1", "D2", "D3", "U1", "U2"))
    unnormalised = betweenness(broker_world(), normalized=False)
    assert unnormalised["K"] == pytest.approx(5.5)


def test_brokers_are_ranked_among_intermediaries_only() -> None:
    g = broker_world()
    assert intermediaries(g) == ["K", "X"]
    ranked = rank_brokers(g)
    assert [n for n, _ in ranked] == ["K", "X"]
    assert ranked[0][1] == pytest.approx(5.5 / 30)
    assert rank_brokers(g, top=1) == ranked[:1]
    # Weighted by flow (distance 1 / batteries): K -> U1 weighs 2 (distance 0.5), so D1 -> U1
    # via K costs 1 + 0.5 = 1.5 < via X 1 + 1 = 2: all six routes go through K now.
    weighted = dict(rank_brokers(g, weight="batteries"))
    assert weighted["K"] == pytest.approx(6 / 30)
    assert weighted["X"] == 0


def test_betweenness_sampling_is_repeatable() -> None:
    g = nx.gnp_random_graph(40, 0.1, seed=3, directed=True)
    assert betweenness(g, k=10, seed=5) == betweenness(g, k=10, seed=5)


# --- PageRank -------------------------------------------------------------------------------------


def test_pagerank_two_nodes_by_hand() -> None:
    # A -> B, alpha 0.85, B dangling (spreads evenly):
    # p_A = 0.15/2 + 0.85 * p_B/2 and p_A + p_B = 1  =>  p_A = 0.5 / 1.425 = 20/57.
    scores = pagerank(flow_graph([("A", "B", 1)]))
    assert scores["A"] == pytest.approx(20 / 57, abs=1e-6)
    assert scores["B"] == pytest.approx(37 / 57, abs=1e-6)


def test_pagerank_sums_to_one_and_orders_by_inflow() -> None:
    g = flow_graph([("A", "H", 1), ("B", "H", 1), ("C", "H", 1), ("A", "B", 1)])
    scores = pagerank(g)
    assert sum(scores.values()) == pytest.approx(1.0)
    assert scores["H"] > scores["B"] > scores["A"]
    assert scores["A"] == pytest.approx(scores["C"])  # same position: nothing flows in
    assert pagerank(nx.DiGraph()) == {}


# --- communities ----------------------------------------------------------------------------------


def test_louvain_finds_two_obvious_cliques() -> None:
    left, right = ["a1", "a2", "a3", "a4"], ["b1", "b2", "b3", "b4"]
    edges = [(u, v, 5.0) for side in (left, right) for u in side for v in side if u != v]
    g = flow_graph([*edges, ("a1", "b1", 1.0)])
    groups = communities(g, seed=1)
    assert groups == [set(left), set(right)]
    assert communities(g, seed=1) == groups  # seeded: the same every time
    index = community_index(groups)
    assert index["a3"] == 0 and index["b2"] == 1
    # Almost all weight is inside the cliques: modularity close to its two-group maximum of 0.5.
    assert 0.45 < modularity(g, groups) <= 0.5


# --- components and cycles ------------------------------------------------------------------------


def test_cycles_in_a_ring() -> None:
    # Ring A -> B -> C -> A (3, 2, 4 hand-overs), a tail D -> A, and a two-way tie B <-> E.
    g = flow_graph([("A", "B", 3), ("B", "C", 2), ("C", "A", 4), ("D", "A", 1), ("B", "E", 5), ("E", "B", 5)])
    assert strongly_connected(g) == [{"A", "B", "C", "E"}]
    found = cycles(g)
    # Sorted by bottleneck: B <-> E (min 5), then the ring (min of 3, 2, 4 = 2).
    assert [(c.nodes, c.bottleneck) for c in found] == [(("B", "E"), 5.0), (("A", "B", "C"), 2.0)]
    assert found[1].edges == [("A", "B"), ("B", "C"), ("C", "A")]
    assert [c.nodes for c in cycles(g, max_length=2)] == [("B", "E")]
    assert len(cycles(g, limit=1)) == 1
    assert cycles(flow_graph([("A", "B", 1), ("B", "C", 1)])) == []


def test_loops_and_batteries_round_a_ring() -> None:
    # Loop erasure: A B C B A went round (B, C), then (A, B).
    assert loops(["A", "B", "C", "B", "A"]) == [("B", "C"), ("A", "B")]
    assert loops(["C", "A", "B", "C"]) == [("A", "B", "C")]
    rows = [
        CustodyChainRow("r1", 250.0, ["A", "B", "C", "A", "B"], [True] * 4),
        CustodyChainRow("r2", 300.0, ["A", "B", "C"], [True, True]),
        # Came back to A only after a spell in a vehicle: not a lap.
        CustodyChainRow("r3", 400.0, ["A", "B", "C", "A"], [True, True, False]),
        CustodyChainRow("r4", 100.0, ["B", "C", "A", "B", "C", "A", "B"], [True] * 6),
    ]
    went = batteries_round_cycles(rows, [("B", "C", "A")])
    ring = went[("A", "B", "C")]
    assert (ring.batteries, ring.kg, ring.codes) == (2, 350.0, ["r1", "r4"])  # r4 counted once for two laps


# --- following flows to their sinks ---------------------------------------------------------------


def test_unlicensed_sink_share_by_hand() -> None:
    # Dismantler S sends 10 to broker K and 10 to licensed recycler R. K passes 6 to unlicensed
    # workshop U and 2 to R and keeps 2 (10 in, 8 out: conservation).
    g = flow_graph(
        [("S", "K", 10), ("S", "R", 10), ("K", "U", 6), ("K", "R", 2)],
        S={"licensed": True, "roles": ["dismantler"]},
        K={"licensed": False, "roles": ["repairer"]},
        U={"licensed": False, "roles": ["recycler"]},
        R={"licensed": True, "roles": ["recycler"]},
    )
    shares = sink_shares(g)
    # From K: 6/10 to U + 2/10 kept by K = 0.8 unlicensed, 0.2 to R.
    # S: half its outflow to K (0.5 * 0.8 = 0.4 unlicensed), half straight to R.
    assert shares["S"].outflow == 20
    assert shares["S"].unlicensed == pytest.approx(0.4)
    assert shares["S"].other_sinks == pytest.approx(0.6)
    assert shares["S"].vehicles == pytest.approx(0.0)
    # K's own outflow (8): 6 to U, 2 to R; what K keeps is not its outflow.
    assert shares["K"].unlicensed == pytest.approx(0.75)
    assert set(shares) == {"S", "K"}  # only nodes with outflow are sources
    assert unlicensed_sink_share(g) == {"S": pytest.approx(0.4), "K": pytest.approx(0.75)}
    # Node by node: U gets 0.5 * 0.6 = 0.3, K keeps 0.5 * 0.2 = 0.1, R 0.5 + 0.5 * 0.2 = 0.6.
    assert sink_distribution(g, "S") == {"U": pytest.approx(0.3), "K": pytest.approx(0.1), "R": pytest.approx(0.6)}


def test_sink_share_with_a_return_flow_and_reinstallation() -> None:
    # S -> K 10; K sends 4 back to S and 6 to U. Counted outcomes: S put 4 back into vehicles,
    # U kept 6, K kept none. From S: T = 10 + 4 -> K w.p. 10/14, vehicles 4/14.
    # x_K = 0.6 + 0.4 x_S, x_S = (10/14) x_K  =>  x_K (10/14) = 0.6  =>  x_K = 0.84.
    # v_K = 0.4 v_S, v_S = 4/14 + (10/14) v_K  =>  v_K = 0.16.
    g = flow_graph(
        [("S", "K", 10), ("K", "S", 4), ("K", "U", 6)],
        S={"licensed": True, "retained_batteries": 0, "reinstalled_batteries": 4},
        K={"licensed": False, "retained_batteries": 0, "reinstalled_batteries": 0},
        U={"licensed": False, "retained_batteries": 6, "reinstalled_batteries": 0},
    )
    share = sink_shares(g)["S"]
    assert share.unlicensed == pytest.approx(0.84)
    assert share.vehicles == pytest.approx(0.16)
    assert share.other_sinks == pytest.approx(0.0)


def test_new_stock_upstream_is_not_an_unlicensed_sink() -> None:
    # Maker M ships 10 to automaker A, which installs 8 and keeps 2 in stock.
    g = flow_graph(
        [("M", "A", 10)],
        M={"roles": ["battery_maker"]},
        A={"roles": ["automaker"], "retained_batteries": 2, "reinstalled_batteries": 8},
    )
    share = sink_shares(g)["M"]
    assert (share.unlicensed, share.other_sinks, share.vehicles) == pytest.approx((0.0, 0.2, 0.8))


def test_a_closed_ring_keeps_what_enters_it() -> None:
    # Nothing ever leaves A -> B -> A and nothing is counted as ending there: the chain treats
    # each as keeping what reaches it, so S's outflow ends where it enters the ring (A).
    g = flow_graph([("S", "A", 1), ("A", "B", 1), ("B", "A", 1)])
    assert AbsorbingFlow(g).distribution("S") == {"A": pytest.approx(1.0)}
    assert sink_shares(g)["S"].unlicensed == pytest.approx(1.0)


# --- custody path ---------------------------------------------------------------------------------


def test_custody_path_fewest_hops_or_heaviest_flows() -> None:
    g = flow_graph([("A", "B", 1), ("B", "C", 1), ("A", "D", 10), ("D", "E", 10), ("E", "C", 10)])
    assert custody_path(g, "A", "C") == ["A", "B", "C"]
    # Distances 1/w: A-B-C = 1 + 1 = 2; A-D-E-C = 0.1 * 3 = 0.3.
    assert custody_path(g, "A", "C", weight="batteries") == ["A", "D", "E", "C"]
    with pytest.raises(nx.NetworkXNoPath):
        custody_path(g, "C", "A")
    with pytest.raises(nx.NodeNotFound):
        custody_path(g, "A", "Z")


def test_batteries_that_travelled_a_path() -> None:
    assert handover_chains(["A", "B", "C", "D"], [True, False, True]) == [["A", "B"], ["C", "D"]]
    assert handover_chains(["A"], []) == []
    rows = [
        CustodyChainRow("b1", 400.0, ["A", "B", "C"], [True, True]),
        CustodyChainRow("b2", 500.0, ["A", "B", "X", "C"], [True, True, True]),
        CustodyChainRow("b3", 300.0, ["A", "B", "C"], [True, False]),
        CustodyChainRow("b4", 250.0, ["Z", "A", "B", "C", "D"], [True] * 4),
    ]
    went = batteries_on_path(rows, ["A", "B", "C"])
    # b2 took a detour through X; b3 reached C only after a spell in a vehicle.
    assert (went.batteries, went.kg, went.codes) == (2, 650.0, ["b1", "b4"])
    assert batteries_on_path(rows, ["A", "B", "C"], limit=1).codes == ["b1"]


def test_top_flows() -> None:
    g = flow_graph([("A", "B", 3), ("A", "C", 5), ("B", "C", 3)])
    assert top_flows(g, n=2) == [("A", "C", 5.0), ("A", "B", 3.0)]


# --- building graphs from query rows --------------------------------------------------------------


def custody_row(
    source: str, target: str | None, outcome: str, n: int, kg: float, unconfirmed: int = 0
) -> CustodyFlowRow:
    return CustodyFlowRow(source, target, outcome, n, n, unconfirmed, kg)


def test_custody_graph_from_rows() -> None:
    rows = [
        custody_row("M", "A", "handover", 4, 1600.0),
        custody_row("P", "K", "handover", 2, 550.0, unconfirmed=1),
        custody_row("A", None, "installed", 3, 1200.0),
        custody_row("A", None, "kept", 1, 400.0),
        custody_row("K", None, "recycled", 1, 300.0),
    ]
    g = custody_graph_from_rows(rows, province="440000")
    assert g.graph == {"network": "custody", "province": "440000"}
    assert sorted(g.edges(data="batteries")) == [("M", "A", 4), ("P", "K", 2)]
    assert g.edges["P", "K"]["unconfirmed"] == 1 and g.edges["P", "K"]["kg"] == 550.0
    a, k = g.nodes["A"], g.nodes["K"]
    assert (a["installed"], a["kept"], a["retained_batteries"], a["reinstalled_batteries"]) == (3, 1, 1, 3)
    assert a["reinstalled_kg"] == 1200.0 and a["retained_kg"] == 400.0
    # K: recycled 1, plus 1 shipped to it and never received (550 kg over 2 hand-overs -> 275).
    assert (k["recycled"], k["in_transit"], k["retained_batteries"]) == (1, 1, 2)
    assert k["retained_kg"] == pytest.approx(575.0)
    with pytest.raises(ValueError, match="unknown custody outcome"):
        custody_graph_from_rows([CustodyFlowRow("A", None, "lost", 1, 1, 0, 0.0)])

    add_company_attributes(
        g, [CompanyRow(uscc="K", name="Broker", roles=["repairer"], province="440000", scopes=[]),
            CompanyRow(uscc="M", name="Maker", roles=["battery_maker"], province="320000", scopes=["recycling"])],
    )  # fmt: skip
    assert g.nodes["K"]["name"] == "Broker" and g.nodes["K"]["licensed"] is False
    assert g.nodes["M"]["licensed"] is True and g.nodes["M"]["scopes"] == ["recycling"]
    assert g.nodes["P"]["registered"] is False and g.nodes["P"]["name"] is None


def test_swap_and_bipartite_graphs_from_rows() -> None:
    swaps = swap_graph_from_rows(
        [SwapFlowRow(source="S1", target="S2", batteries=3, carried=2, transferred=1, distinct_batteries=3, kg=1500.0)]
    )
    assert swaps.edges["S1", "S2"] == {
        "batteries": 3,
        "carried": 2,
        "transferred": 1,
        "distinct_batteries": 3,
        "kg": 1500.0,
    }
    t = datetime(2024, 1, 1, tzinfo=UTC)
    g = vehicle_battery_graph_from_rows(
        [
            InstallationRow(vin="V1", code="B1", installations=2, first_since=t, last_until=None),
            InstallationRow(vin="V2", code="B1", installations=1, first_since=t, last_until=t),
        ],
        vins=["V1", "V9"],
    )
    assert nx.is_bipartite(g)
    assert {n for n, d in g.nodes(data=True) if d["bipartite"] == 0} == {"V1", "V2", "V9"}
    assert g.nodes["V9"]["chosen"] is True and g.degree("V9") == 0  # chosen, nothing known
    assert g.nodes["V2"]["chosen"] is False
    assert g.edges["V1", "B1"]["installations"] == 2


# --- exports and plots ----------------------------------------------------------------------------


def export_sample() -> nx.DiGraph:
    g = flow_graph([("A", "B", 3)], A={"name": "Alpha", "roles": ["dismantler", "repairer"], "licensed": True})
    g.graph["since"] = datetime(2024, 1, 1, tzinfo=UTC)
    g.nodes["B"]["name"] = None  # None is left out of files
    return g


def test_exports_parse_back() -> None:
    g = export_sample()
    back = nx.read_graphml(io.BytesIO(to_graphml(g)))
    assert back.is_directed() and list(back.edges(data="batteries")) == [("A", "B", 3.0)]
    assert back.nodes["A"]["roles"] == "dismantler;repairer" and back.nodes["A"]["licensed"] is True
    assert "name" not in back.nodes["B"]
    assert back.graph["since"] == "2024-01-01T00:00:00+00:00"
    gexf = nx.read_gexf(io.BytesIO(to_gexf(g)))
    assert gexf.edges["A", "B"]["batteries"] == 3.0
    data = json.loads(json.dumps(to_node_link(g)))
    again = nx.node_link_graph(data, edges="edges")
    assert again.nodes["A"]["roles"] == ["dismantler", "repairer"]  # JSON keeps lists
    assert again.edges["A", "B"]["kg"] == 30.0


def test_plots_are_png() -> None:
    g = export_sample()
    g.graph["network"] = "custody"
    for node in g.nodes:
        g.nodes[node]["kind"] = "company"
    assert plot_top_flows(g, top=5).startswith(PNG_SIGNATURE)
    assert plot_communities(g).startswith(PNG_SIGNATURE)
    assert plot_top_flows(nx.DiGraph()).startswith(PNG_SIGNATURE)
    assert plot_communities(nx.DiGraph()).startswith(PNG_SIGNATURE)
