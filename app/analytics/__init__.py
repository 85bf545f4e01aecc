"""Network analyses of custody and swaps with networkx, for notebooks, the API and the CLI.

In a notebook::

    from app.analytics import connect, custody_graph, rank_brokers, sink_shares, plot_top_flows
    db = connect()                                   # settings from the environment / .env
    g = custody_graph(db, province="440000")         # nx.DiGraph, weights "batteries" and "kg"
    rank_brokers(g, top=10)
    {s: x.unlicensed for s, x in sink_shares(g).items()}
    open("flows.png", "wb").write(plot_top_flows(g))

The submodules are pure (rows in, graphs out; graphs in, numbers out): ``graphs``, ``metrics``,
``flows``, ``export``, ``plots``. The projections that read Neo4j (``custody_graph``,
``swap_graph``, ``vehicle_battery_graph``, ``connect``) live in ``app.services.analytics`` and are
re-exported here lazily, because that module imports this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.analytics.export import serialize, to_gexf, to_graphml, to_node_link
from app.analytics.flows import (
    AbsorbingFlow,
    SinkShare,
    batteries_on_path,
    batteries_round_cycles,
    handover_chains,
    holds_used_packs,
    informal_brokers,
    informal_sink,
    is_unlicensed_sink,
    loops,
    sink_distribution,
    sink_shares,
    unlicensed_sink_share,
)
from app.analytics.graphs import custody_graph_from_rows, swap_graph_from_rows, vehicle_battery_graph_from_rows
from app.analytics.metrics import (
    Cycle,
    betweenness,
    communities,
    community_index,
    custody_path,
    cycles,
    intermediaries,
    modularity,
    pagerank,
    rank_brokers,
    strongly_connected,
    summary,
    top_flows,
    weighted_degrees,
)

if TYPE_CHECKING:
    from app.analytics.plots import plot_communities, plot_top_flows
    from app.services.analytics import (
        connect,
        custody_graph,
        mark_licence_history,
        swap_graph,
        vehicle_battery_graph,
    )

_LAZY = {
    "connect": "app.services.analytics",
    "mark_licence_history": "app.services.analytics",
    "custody_graph": "app.services.analytics",
    "swap_graph": "app.services.analytics",
    "vehicle_battery_graph": "app.services.analytics",
    # matplotlib is only imported by whoever draws.
    "plot_top_flows": "app.analytics.plots",
    "plot_communities": "app.analytics.plots",
}

__all__ = [
    "AbsorbingFlow",
    "Cycle",
    "SinkShare",
    "batteries_on_path",
    "batteries_round_cycles",
    "betweenness",
    "communities",
    "community_index",
    "connect",
    "custody_graph",
    "custody_graph_from_rows",
    "custody_path",
    "cycles",
    "handover_chains",
    "holds_used_packs",
    "informal_brokers",
    "informal_sink",
    "intermediaries",
    "is_unlicensed_sink",
    "loops",
    "mark_licence_history",
    "modularity",
    "pagerank",
    "plot_communities",
    "plot_top_flows",
    "rank_brokers",
    "serialize",
    "sink_distribution",
    "sink_shares",
    "strongly_connected",
    "summary",
    "swap_graph",
    "swap_graph_from_rows",
    "to_gexf",
    "to_graphml",
    "to_node_link",
    "top_flows",
    "unlicensed_sink_share",
    "vehicle_battery_graph",
    "vehicle_battery_graph_from_rows",
    "weighted_degrees",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
