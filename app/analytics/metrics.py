"""Network measures over the custody and swap graphs: who is central, who brokers, who clusters.

Pure functions over networkx graphs, no I/O. Edge weights are flow sizes (``batteries`` or
``kg``), so where an algorithm wants a *distance* (betweenness, shortest paths) a heavy flow is
made short: ``distance = 1 / weight``. By default those two use hop counts, the classic reading
of brokerage ("how many routes pass through you"), which a handful of large flows cannot swamp.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

Node = Hashable
_DISTANCE = "_distance"


def _sort_key(node: Node) -> str:
    return str(node)


def _with_distance(graph: nx.Graph, weight: str) -> nx.Graph:
    """A view-free copy whose ``_distance`` is ``1 / weight``; edges without flow are dropped."""
    out = graph.__class__()
    out.add_nodes_from(graph.nodes)
    for u, v, data in graph.edges(data=True):
        w = float(data.get(weight, 0) or 0)
        if w > 0:
            out.add_edge(u, v, **{_DISTANCE: 1.0 / w})
    return out


def weighted_degrees(graph: nx.Graph, weight: str = "batteries") -> dict[Node, dict[str, float]]:
    """Weighted in- and out-degree (flow in, flow out) and the number of partners each way.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        Undirected graphs report the same value for in and out.
    weight : str
        Edge attribute summed; a missing attribute counts as 1.

    Returns
    -------
    dict
        ``node -> {"in": float, "out": float, "in_edges": int, "out_edges": int}``.
    """
    out: dict[Node, dict[str, float]] = {}
    for node in graph.nodes:
        if graph.is_directed():
            w_in, w_out = graph.in_degree(node, weight=weight), graph.out_degree(node, weight=weight)
            n_in, n_out = graph.in_degree(node), graph.out_degree(node)
        else:
            w_in = w_out = graph.degree(node, weight=weight)
            n_in = n_out = graph.degree(node)
        out[node] = {"in": float(w_in), "out": float(w_out), "in_edges": n_in, "out_edges": n_out}
    return out


def betweenness(
    graph: nx.Graph,
    *,
    weight: str | None = None,
    k: int | None = None,
    seed: int = 0,
    normalized: bool = True,
) -> dict[Node, float]:
    """Betweenness centrality: the share of shortest routes between others that pass through a node.

    Parameters
    ----------
    weight : str, optional
        Flow attribute; when given, routes are shortest in ``1 / weight`` (heavy flows are
        short). None counts hops.
    k : int, optional
        Sample ``k`` source nodes (seeded) instead of all: an estimate for large graphs.
    seed : int
        Seed of the sample, so runs repeat.
    normalized : bool
        Divide by the number of ordered pairs, ``(n - 1)(n - 2)`` on a directed graph.
    """
    if graph.number_of_nodes() == 0:
        return {}
    target = _with_distance(graph, weight) if weight else graph
    if k is not None and k >= graph.number_of_nodes():
        k = None
    scores: dict[Node, float] = nx.betweenness_centrality(
        target, k=k, normalized=normalized, weight=_DISTANCE if weight else None, seed=seed
    )
    return scores


def intermediaries(graph: nx.Graph) -> list[Node]:
    """Nodes that both receive and pass on (in and out edges to others); on an undirected graph,
    nodes with two or more neighbours. Only these can broker."""
    if graph.is_directed():
        found = [
            n
            for n in graph.nodes
            if any(p != n for p in graph.predecessors(n)) and any(s != n for s in graph.successors(n))
        ]
    else:
        found = [n for n in graph.nodes if sum(1 for m in graph.neighbors(n) if m != n) >= 2]
    return sorted(found, key=_sort_key)


def rank_brokers(
    graph: nx.Graph,
    *,
    top: int | None = None,
    weight: str | None = None,
    k: int | None = None,
    seed: int = 0,
) -> list[tuple[Node, float]]:
    """Intermediaries ranked by betweenness, highest first (ties by node id).

    A broker routes batteries between parties that have no direct tie: on a custody graph, a
    company in the middle of many dismantler-to-buyer routes ranks first here.
    """
    scores = betweenness(graph, weight=weight, k=k, seed=seed)
    ranked = sorted(((n, scores[n]) for n in intermediaries(graph)), key=lambda p: (-p[1], _sort_key(p[0])))
    return ranked[:top] if top is not None else ranked


def pagerank(graph: nx.Graph, *, weight: str = "batteries", alpha: float = 0.85) -> dict[Node, float]:
    """PageRank on flow weights: a node ranks high when much flows to it from nodes that rank high.

    Scores sum to 1. Nodes without outflow spread their score evenly (networkx's dangling rule),
    so a sink does not swallow the ranking.
    """
    if graph.number_of_nodes() == 0:
        return {}
    scores: dict[Node, float] = nx.pagerank(graph, alpha=alpha, weight=weight)
    return scores


def communities(
    graph: nx.Graph, *, weight: str = "batteries", seed: int = 0, resolution: float = 1.0
) -> list[set[Node]]:
    """Louvain communities (networkx's ``louvain_communities``, seeded so runs repeat).

    Returns
    -------
    list of set
        Largest first, ties by smallest member id; use :func:`community_index` for a
        node -> community number mapping.
    """
    if graph.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(graph, weight=weight, resolution=resolution, seed=seed)
    return sorted((set(c) for c in found), key=lambda c: (-len(c), min(_sort_key(n) for n in c)))


def community_index(groups: list[set[Node]]) -> dict[Node, int]:
    """``node -> position of its community`` in ``groups``."""
    return {node: i for i, group in enumerate(groups) for node in group}


def modularity(graph: nx.Graph, groups: list[set[Node]], *, weight: str = "batteries") -> float:
    """How much denser the ties inside the communities are than chance (networkx's modularity)."""
    if graph.number_of_edges() == 0:
        return 0.0
    return float(nx.community.modularity(graph, groups, weight=weight))


def strongly_connected(graph: nx.DiGraph, *, min_size: int = 2) -> list[set[Node]]:
    """Strongly connected components of at least ``min_size`` nodes: where batteries can come back.

    Largest first. Every custody ring lies inside one of them.
    """
    found = [set(c) for c in nx.strongly_connected_components(graph) if len(c) >= min_size]
    return sorted(found, key=lambda c: (-len(c), min(_sort_key(n) for n in c)))


@dataclass(frozen=True)
class Cycle:
    """A directed cycle, rotated to start at its smallest node id.

    ``bottleneck`` is the smallest edge weight on it: at most that many hand-overs can have gone
    all the way round.
    """

    nodes: tuple[Node, ...]
    bottleneck: float

    @property
    def edges(self) -> list[tuple[Node, Node]]:
        return list(itertools.pairwise((*self.nodes, self.nodes[0])))


def canonical_cycle(nodes: Sequence[Node]) -> tuple[Node, ...]:
    """Rotate a cycle to start at its smallest node id, so one ring has one name."""
    seq = tuple(nodes)
    start = min(range(len(seq)), key=lambda i: _sort_key(seq[i]))
    return seq[start:] + seq[:start]


def cycles(graph: nx.DiGraph, *, max_length: int = 5, limit: int = 1000, weight: str = "batteries") -> list[Cycle]:
    """Simple directed cycles of 2 to ``max_length`` nodes (no self-loops), at most ``limit``.

    The count of cycles grows exponentially with their length, so the search is bounded both
    ways: ``nx.simple_cycles`` with a length bound, inside the strongly connected components only,
    stopped after ``limit`` finds. Sorted by bottleneck (largest first), then length.
    """
    inside = set().union(*strongly_connected(graph)) if graph.number_of_nodes() else set()
    sub = graph.subgraph(inside)
    found = []
    for nodes in itertools.islice(nx.simple_cycles(sub, length_bound=max_length), limit):
        if len(nodes) < 2:
            continue
        ring = canonical_cycle(nodes)
        pairs = itertools.pairwise((*ring, ring[0]))
        bottleneck = min(float(graph.edges[u, v].get(weight, 1) or 0) for u, v in pairs)
        found.append(Cycle(ring, bottleneck))
    return sorted(found, key=lambda c: (-c.bottleneck, len(c.nodes), [_sort_key(n) for n in c.nodes]))


def custody_path(graph: nx.DiGraph, source: Node, target: Node, *, weight: str | None = None) -> list[Node]:
    """A shortest route of flows from ``source`` to ``target``.

    Parameters
    ----------
    weight : str, optional
        None: fewest hand-overs. A flow attribute: shortest in ``1 / weight``, i.e. along the
        heaviest flows.

    Raises
    ------
    networkx.NodeNotFound
        Either party has no flow in the graph.
    networkx.NetworkXNoPath
        No chain of flows leads from one to the other.
    """
    target_graph = _with_distance(graph, weight) if weight else graph
    path: list[Node] = nx.shortest_path(target_graph, source, target, weight=_DISTANCE if weight else None)
    return path


def top_flows(graph: nx.Graph, *, n: int = 20, weight: str = "batteries") -> list[tuple[Node, Node, float]]:
    """The ``n`` heaviest edges, largest first (ties by endpoints)."""
    edges = [(u, v, float(d.get(weight, 0) or 0)) for u, v, d in graph.edges(data=True)]
    edges.sort(key=lambda e: (-e[2], _sort_key(e[0]), _sort_key(e[1])))
    return edges[:n]


def summary(graph: nx.Graph, *, weight: str = "batteries") -> dict[str, Any]:
    """Size of the graph and its total flow: the first line of any report."""
    total = sum(float(d.get(weight, 0) or 0) for _, _, d in graph.edges(data=True))
    kg = sum(float(d.get("kg", 0) or 0) for _, _, d in graph.edges(data=True))
    return {
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "weight": weight,
        "total_weight": total,
        "total_kg": kg,
    }
