"""Following flows downstream: where a company's outflow ends up, and which batteries went where.

Sink shares: an absorbing Markov chain on the custody graph
------------------------------------------------------------
A battery at company ``v`` either moves on along an out-edge ``v -> u`` (with probability
``w(v, u) / T(v)``), stays at ``v`` for good (``retained(v) / T(v)``: still held, recycled there,
lost in transit to it) or goes back into a vehicle (``reinstalled(v) / T(v)``), where
``T(v) = out(v) + retained(v) + reinstalled(v)``. These are exactly the outcomes counted by the
projection (see :mod:`app.analytics.graphs`), so the chain reproduces the observed flows; on a
hand-built graph without those counts, ``retained(v) = max(0, in(v) - out(v))`` (what came in and
did not go out stayed). With ``Q`` the transitions between companies and ``R`` the absorption
probabilities, ``B = (I - Q)^-1 R`` gives, for a battery at each company, where it ends. The share
of source ``s``'s *outflow* that ends at unlicensed sinks starts from ``s``'s out-edges (weighted),
not from ``s`` itself, so what ``s`` keeps does not count; a flow that comes back to ``s`` goes on
by ``s``'s own proportions. Companies from which nothing can ever leave a closed ring are treated
as retaining what reaches them.

The chain is memoryless: a battery reaching ``v`` from ``a`` leaves like one from ``b``. Per-battery
tracing (:func:`batteries_on_path`) answers the questions where memory matters.

Unlicensed sink: a company without a valid licence, unless it is a battery maker, automaker or
importer (new stock at the start of the chain is not leakage). Pass ``unlicensed=`` to change that.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
from scipy.sparse import csc_matrix, identity  # type: ignore[import-untyped]
from scipy.sparse.linalg import splu  # type: ignore[import-untyped]

from app.analytics.metrics import canonical_cycle, intermediaries
from app.analytics.rows import CustodyChainRow

Node = Hashable
VEHICLES = "vehicles"
#: Roles whose stock is new batteries at the start of the chain, not a leak.
UPSTREAM_ROLES = frozenset({"battery_maker", "automaker", "importer"})


def is_unlicensed_sink(attrs: Mapping[str, Any]) -> bool:
    """Default test for a leaky sink: no valid licence and not an upstream (new-battery) company."""
    if attrs.get("licensed", False):
        return False
    return not (set(attrs.get("roles") or []) & UPSTREAM_ROLES)


@dataclass(frozen=True)
class SinkShare:
    """Where a source's outflow ends: shares that sum to 1 (when it has outflow).

    ``unlicensed``: retained by unlicensed sinks; ``other_sinks``: retained anywhere else
    (licensed companies, new stock upstream); ``vehicles``: put back into vehicles.
    """

    source: Node
    outflow: float
    unlicensed: float
    other_sinks: float
    vehicles: float


class AbsorbingFlow:
    """The absorbing chain of a flow graph, factorised once, asked about many sources.

    Parameters
    ----------
    graph : networkx.DiGraph
        Flow graph; node attributes ``retained_<weight>`` and ``reinstalled_<weight>`` are used
        when present (the custody projection sets them), else flow conservation.
    weight : str
        Edge attribute of the flow (``batteries`` or ``kg``).
    unlicensed : callable
        ``attrs -> bool``: which sinks count as unlicensed.
    """

    def __init__(
        self,
        graph: nx.DiGraph,
        *,
        weight: str = "batteries",
        unlicensed: Callable[[Mapping[str, Any]], bool] = is_unlicensed_sink,
    ) -> None:
        self.graph = graph
        self.weight = weight
        self.nodes: list[Node] = list(graph.nodes)
        self.index = {n: i for i, n in enumerate(self.nodes)}
        n = len(self.nodes)
        out_w = np.zeros(n)
        in_w = np.zeros(n)
        edges: list[tuple[int, int, float]] = []
        for u, v, data in graph.edges(data=True):
            w = float(data.get(weight, 0) or 0)
            if u == v or w <= 0:
                continue
            i, j = self.index[u], self.index[v]
            edges.append((i, j, w))
            out_w[i] += w
            in_w[j] += w
        retained = np.zeros(n)
        reinstalled = np.zeros(n)
        for i, node in enumerate(self.nodes):
            attrs = graph.nodes[node]
            r, q = attrs.get(f"retained_{weight}"), attrs.get(f"reinstalled_{weight}")
            if r is None and q is None:
                retained[i] = max(0.0, in_w[i] - out_w[i])
            else:
                retained[i], reinstalled[i] = float(r or 0), float(q or 0)
        # Nodes from which no battery can ever end anywhere (a closed ring with nothing retained
        # in it) would make I - Q singular: they keep what reaches them instead. A dead end
        # (no outflow, nothing counted) keeps everything that reaches it.
        absorbs = ((retained + reinstalled) > 0) | (out_w <= 0)
        moves = np.array(self._can_reach(absorbs, edges, n), dtype=bool)
        retained = np.where(moves, retained, 1.0)
        reinstalled = np.where(moves, reinstalled, 0.0)
        total = np.where(moves, out_w, 0.0) + retained + reinstalled
        dead = total <= 0
        retained[dead], total[dead] = 1.0, 1.0
        kept = [(i, j, w / total[i]) for i, j, w in edges if moves[i]]
        q_matrix = csc_matrix(
            ([w for _, _, w in kept], ([i for i, _, _ in kept], [j for _, j, _ in kept])), shape=(n, n)
        )
        self._lu = splu((identity(n, format="csc") - q_matrix).tocsc()) if n else None
        self.out_w = out_w
        self.retain_p = retained / total
        self.vehicle_p = reinstalled / total
        self.bad = np.array([bool(unlicensed(graph.nodes[node])) for node in self.nodes], dtype=bool)
        self._classes: np.ndarray[Any, np.dtype[np.float64]] | None = None

    @staticmethod
    def _can_reach(
        absorbs: np.ndarray[Any, np.dtype[np.bool_]], edges: list[tuple[int, int, float]], n: int
    ) -> list[bool]:
        reverse: list[list[int]] = [[] for _ in range(n)]
        for i, j, _ in edges:
            reverse[j].append(i)
        seen = [bool(a) for a in absorbs]
        stack = [i for i in range(n) if seen[i]]
        while stack:
            j = stack.pop()
            for i in reverse[j]:
                if not seen[i]:
                    seen[i] = True
                    stack.append(i)
        return seen

    def _start(self, source: Node) -> np.ndarray[Any, np.dtype[np.float64]]:
        """The source's outflow as a distribution over its receivers."""
        start = np.zeros(len(self.nodes))
        for _, v, data in self.graph.out_edges(source, data=True):
            w = float(data.get(self.weight, 0) or 0)
            if v != source and w > 0:
                start[self.index[v]] += w
        total = start.sum()
        return start / total if total > 0 else start

    def _absorption_classes(self) -> np.ndarray[Any, np.dtype[np.float64]]:
        """For a battery at each node: probability it ends at an unlicensed sink, another sink, a vehicle."""
        if self._classes is None:
            rhs = np.column_stack(
                [
                    np.where(self.bad, self.retain_p, 0.0),
                    np.where(self.bad, 0.0, self.retain_p),
                    self.vehicle_p,
                ]
            )
            self._classes = self._lu.solve(rhs) if self._lu is not None else rhs
        return self._classes

    def shares(self, source: Node) -> SinkShare:
        """Where the outflow of ``source`` ends, as shares of it (all 0 when it has no outflow)."""
        start = self._start(source)
        outflow = float(self.out_w[self.index[source]])
        if not start.any():
            return SinkShare(source, 0.0, 0.0, 0.0, 0.0)
        unlicensed, other, vehicles = (float(x) for x in start @ self._absorption_classes())
        return SinkShare(source, outflow, unlicensed, other, vehicles)

    def distribution(self, source: Node) -> dict[Node, float]:
        """Where the outflow of ``source`` ends, node by node (plus ``"vehicles"``); sums to 1."""
        start = self._start(source)
        if not start.any() or self._lu is None:
            return {}
        visits = self._lu.solve(start, trans="T")  # expected visits to each node
        ends = visits * self.retain_p
        out = {self.nodes[i]: float(p) for i, p in enumerate(ends) if p > 1e-12}
        vehicles = float(visits @ self.vehicle_p)
        if vehicles > 1e-12:
            out[VEHICLES] = vehicles
        return out


def sink_shares(
    graph: nx.DiGraph,
    *,
    weight: str = "batteries",
    sources: Iterable[Node] | None = None,
    unlicensed: Callable[[Mapping[str, Any]], bool] = is_unlicensed_sink,
) -> dict[Node, SinkShare]:
    """For each source with outflow, the shares of that outflow ending at unlicensed sinks, at
    other sinks and back in vehicles (see the module docstring for the method).

    Parameters
    ----------
    sources : iterable, optional
        Default: every node with outflow.
    """
    chain = AbsorbingFlow(graph, weight=weight, unlicensed=unlicensed)
    chosen = list(sources) if sources is not None else [n for n in graph.nodes if chain.out_w[chain.index[n]] > 0]
    return {s: chain.shares(s) for s in chosen if s in chain.index}


def unlicensed_sink_share(graph: nx.DiGraph, *, weight: str = "batteries") -> dict[Node, float]:
    """``source -> share of its outflow that ends at unlicensed sinks``, for every source."""
    return {s: share.unlicensed for s, share in sink_shares(graph, weight=weight).items()}


def sink_distribution(graph: nx.DiGraph, source: Node, *, weight: str = "batteries") -> dict[Node, float]:
    """Where ``source``'s outflow ends, node by node (``"vehicles"`` for reinstallation)."""
    return AbsorbingFlow(graph, weight=weight).distribution(source)


# --- per-battery tracing ------------------------------------------------------------------------


def handover_chains(holders: Sequence[str], handover: Sequence[bool]) -> list[list[str]]:
    """Split a battery's holders (in time order) into runs linked by hand-overs.

    ``handover[i]`` tells whether ``holders[i]`` handed the battery to ``holders[i + 1]``; where it
    did not (a spell in a vehicle, recycling), a new run starts. Runs of one holder are dropped:
    they moved nothing.
    """
    if not holders:
        return []
    runs = [[holders[0]]]
    for i, linked in enumerate(handover[: len(holders) - 1]):
        if linked:
            runs[-1].append(holders[i + 1])
        else:
            runs.append([holders[i + 1]])
    return [run for run in runs if len(run) >= 2]


def contains_path(chain: Sequence[str], path: Sequence[str]) -> bool:
    """Whether ``path`` occurs in ``chain`` as consecutive hand-overs."""
    k = len(path)
    return k > 0 and any(list(chain[i : i + k]) == list(path) for i in range(len(chain) - k + 1))


def loops(chain: Sequence[str]) -> list[tuple[str, ...]]:
    """The simple cycles a custody chain went round (loop erasure), each rotated canonically.

    Walking the chain with a stack, a company seen again closes a loop, which is popped off:
    ``A B C B A`` went round ``(B, C)`` and then ``(A, B)``.
    """
    stack: list[str] = []
    found: list[tuple[str, ...]] = []
    for node in chain:
        if node in stack:
            i = stack.index(node)
            loop = stack[i:]
            if len(loop) >= 2:
                found.append(tuple(str(x) for x in canonical_cycle(loop)))
            del stack[i + 1 :]
        else:
            stack.append(node)
    return found


@dataclass
class Travelled:
    """Batteries that went along a route: how many, their mass, and their codes (up to a limit)."""

    batteries: int = 0
    kg: float = 0.0
    codes: list[str] = field(default_factory=list)

    def add(self, code: str, mass_kg: float | None, limit: int) -> None:
        self.batteries += 1
        self.kg += float(mass_kg or 0.0)
        if len(self.codes) < limit:
            self.codes.append(code)


def batteries_on_path(rows: Iterable[CustodyChainRow], path: Sequence[str], *, limit: int = 100) -> Travelled:
    """Batteries whose custody went along ``path`` hand-over by hand-over.

    ``rows`` come from ``analytics.custody_chains_between``;
    consumed as they come, so a stream of many batteries is never held whole.
    """
    out = Travelled()
    for row in rows:
        if any(contains_path(c, path) for c in handover_chains(row.holders, row.handover)):
            out.add(row.code, row.mass_kg, limit)
    return out


def batteries_round_cycles(
    rows: Iterable[CustodyChainRow], rings: Iterable[Sequence[str]], *, limit: int = 100
) -> dict[tuple[str, ...], Travelled]:
    """For each ring (a cycle of companies), the batteries whose custody actually went round it.

    ``rows`` as for :func:`batteries_on_path` (``analytics.custody_revisits``). A battery counts
    once per ring, however many laps it made.
    """
    wanted = {tuple(str(x) for x in canonical_cycle(list(r))): Travelled() for r in rings}
    for row in rows:
        seen: set[tuple[str, ...]] = set()
        for chain in handover_chains(row.holders, row.handover):
            seen.update(loop for loop in loops(chain) if loop in wanted)
        for loop in sorted(seen):
            wanted[loop].add(row.code, row.mass_kg, limit)
    return wanted


# --- informal brokerage: routes from holders of used packs to never-listed companies ---------------


def holds_used_packs(attrs: Mapping[str, Any]) -> bool:
    """A route start for informal brokerage: any company but makers, automakers and importers.

    Their stock is new packs; a route maker -> repairer -> workshop joins two different packs
    (the new one goes into the car, the old one to the workshop), so it is no route at all.
    """
    return not set(attrs.get("roles") or []) & UPSTREAM_ROLES


def informal_sink(attrs: Mapping[str, Any]) -> bool:
    """A route end for informal brokerage: never on the white list, and not an upstream company.

    ``licensed`` (valid on as_of) would make a recycler delisted last year a sink for the packs it
    took while listed, and the service points that supplied it informal brokers; the projection
    has no licence per hand-over, so ``ever_licensed`` (see ``mark_licence_history``) is used, or
    ``licensed`` on graphs without it.
    """
    ever = attrs.get("ever_licensed", attrs.get("licensed", False))
    return not ever and not set(attrs.get("roles") or []) & UPSTREAM_ROLES


def informal_brokers(
    graph: nx.DiGraph,
    *,
    unlicensed: Callable[[Mapping[str, Any]], bool] = informal_sink,
) -> list[tuple[Node, float]]:
    """Intermediaries ranked by betweenness on routes from holders of used packs to unlicensed sinks.

    ``networkx.betweenness_centrality_subset`` (hop counts, normalised like ``metrics.betweenness``)
    with those sources and targets; highest first, ties by id. A service point that passes packs
    to listed recyclers brokers the formal channel and scores nothing here.
    """
    if graph.number_of_nodes() == 0:
        return []
    nodes = graph.nodes
    sources = [n for n in graph if holds_used_packs(nodes[n])]
    targets = [n for n in graph if unlicensed(nodes[n])]
    scores: dict[Node, float] = nx.betweenness_centrality_subset(graph, sources, targets, normalized=True)
    ranked = [(n, float(scores[n])) for n in intermediaries(graph)]
    return sorted(ranked, key=lambda p: (-p[1], str(p[0])))
