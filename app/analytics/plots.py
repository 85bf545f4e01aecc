"""PNG pictures of the networks for people who would rather look than read.

Drawn on a bare ``matplotlib.figure.Figure`` with the Agg canvas: no pyplot figure registry, no
display, safe in a server's worker threads. networkx's drawing helpers import pyplot, so the
Agg backend is chosen before they do.
"""

from __future__ import annotations

import io
from collections.abc import Hashable
from typing import Any

import matplotlib

matplotlib.use("Agg")

import networkx as nx
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from app.analytics.metrics import communities as find_communities
from app.analytics.metrics import top_flows

Node = Hashable
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_LICENSED, _UNLICENSED, _OTHER = "#2e7d32", "#c62828", "#78909c"


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def _label(graph: nx.Graph, node: Node, width: int = 22) -> str:
    name = graph.nodes[node].get("name") or str(node)
    text = str(name)
    return text if len(text) <= width else text[: width - 1] + "…"


def _positions(graph: nx.Graph, seed: int) -> dict[Node, Any]:
    """Longitude/latitude when every node has them (stations on a map), else a seeded spring layout."""
    coords = {n: (d.get("lon"), d.get("lat")) for n, d in graph.nodes(data=True)}
    if coords and all(x is not None and y is not None for x, y in coords.values()):
        return {n: (float(x), float(y)) for n, (x, y) in coords.items()}
    if graph.number_of_nodes() == 0:
        return {}
    positions: dict[Node, Any] = nx.spring_layout(graph, seed=seed, weight=None)
    return positions


def _node_colour(data: dict[str, Any]) -> str:
    if data.get("kind") != "company":
        return _OTHER
    return _LICENSED if data.get("licensed") else _UNLICENSED


def plot_top_flows(
    graph: nx.Graph, *, top: int = 20, weight: str = "batteries", seed: int = 0, title: str | None = None
) -> bytes:
    """The ``top`` heaviest flows as a network: edge width by weight, labelled with it.

    Companies are green when licensed, red when not; stations and others grey.
    """
    flows = top_flows(graph, n=top, weight=weight)
    sub = graph.__class__()
    for u, v, w in flows:
        sub.add_node(u, **graph.nodes[u])
        sub.add_node(v, **graph.nodes[v])
        sub.add_edge(u, v, w=w)
    fig = Figure(figsize=(11, 8))
    ax = fig.add_subplot()
    ax.set_axis_off()
    heading = title or f"Top {len(flows)} {graph.graph.get('network', '')} flows by {weight}"
    ax.set_title(heading.replace("  ", " "))
    if flows:
        pos = _positions(sub, seed)
        biggest = max(w for _, _, w in flows) or 1.0
        widths = [1.0 + 7.0 * d["w"] / biggest for _, _, d in sub.edges(data=True)]
        colours = [_node_colour(d) for _, d in sub.nodes(data=True)]
        nx.draw_networkx_nodes(sub, pos, ax=ax, node_color=colours, node_size=420, alpha=0.9)
        edge_style: dict[str, Any] = {"arrows": True, "arrowsize": 14, "connectionstyle": "arc3,rad=0.12"}
        if not sub.is_directed():
            edge_style = {}
        nx.draw_networkx_edges(sub, pos, ax=ax, width=widths, edge_color="#455a64", alpha=0.7, **edge_style)
        nx.draw_networkx_labels(sub, pos, ax=ax, labels={n: _label(sub, n) for n in sub.nodes}, font_size=8)
        edge_labels = {(u, v): f"{d['w']:g}" for u, v, d in sub.edges(data=True)}
        nx.draw_networkx_edge_labels(sub, pos, ax=ax, edge_labels=edge_labels, font_size=7)
        if graph.graph.get("network") == "custody":
            handles = [
                Line2D([], [], marker="o", linestyle="", color=_LICENSED, label="licensed"),
                Line2D([], [], marker="o", linestyle="", color=_UNLICENSED, label="no valid licence"),
            ]
            ax.legend(handles=handles, loc="lower right", fontsize=8)
    else:
        ax.text(0.5, 0.5, "no flows in this selection", ha="center", va="center", transform=ax.transAxes)
    return _png(fig)


def plot_communities(
    graph: nx.Graph,
    groups: list[set[Node]] | None = None,
    *,
    weight: str = "batteries",
    max_nodes: int = 300,
    seed: int = 0,
) -> bytes:
    """The community map: nodes coloured by Louvain community, sized by flow through them.

    Beyond ``max_nodes`` only the nodes with the most flow are drawn (a hairball helps nobody);
    communities are computed on the whole graph first.
    """
    groups = groups if groups is not None else find_communities(graph, weight=weight, seed=seed)
    member = {n: i for i, g in enumerate(groups) for n in g}
    flow = {n: float(graph.degree(n, weight=weight)) for n in graph.nodes}
    keep = sorted(graph.nodes, key=lambda n: (-flow[n], str(n)))[:max_nodes]
    sub = graph.subgraph(keep)
    fig = Figure(figsize=(11, 9))
    ax = fig.add_subplot()
    ax.set_axis_off()
    shown = f"{sub.number_of_nodes()} of {graph.number_of_nodes()} nodes"
    ax.set_title(f"{len(groups)} communities ({graph.graph.get('network', 'network')}, {shown})")
    if sub.number_of_nodes():
        pos = _positions(sub, seed)
        biggest = max(flow[n] for n in sub.nodes) or 1.0
        cmap = matplotlib.colormaps["tab20"]
        colours = [cmap(member.get(n, 0) % 20) for n in sub.nodes]
        sizes = [60.0 + 600.0 * flow[n] / biggest for n in sub.nodes]
        nx.draw_networkx_edges(sub, pos, ax=ax, edge_color="#b0bec5", alpha=0.5, arrows=False)
        nx.draw_networkx_nodes(sub, pos, ax=ax, node_color=colours, node_size=sizes, alpha=0.9)
        if sub.number_of_nodes() <= 40:
            nx.draw_networkx_labels(sub, pos, ax=ax, labels={n: _label(sub, n) for n in sub.nodes}, font_size=7)
        handles = [
            Line2D([], [], marker="o", linestyle="", color=cmap(i % 20), label=f"#{i} ({len(g)})")
            for i, g in enumerate(groups[:10])
        ]
        ax.legend(handles=handles, loc="lower right", fontsize=8, title="community (size)")
    else:
        ax.text(0.5, 0.5, "empty graph", ha="center", va="center", transform=ax.transAxes)
    return _png(fig)
