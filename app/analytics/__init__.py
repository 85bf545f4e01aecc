"""Network analyses of custody and swaps with networkx, for notebooks, the API and the CLI.

A pure package: rows in, graphs out; graphs in, numbers out. The submodules are ``rows`` (the
typed query rows the builders read), ``graphs``, ``metrics``, ``flows``, ``export`` and ``plots``;
nothing here reads Neo4j. The projections that do (``connect``, ``custody_graph``, ``swap_graph``,
``vehicle_battery_graph``, ``mark_licence_history``) live in ``app.services.analytics``, which
builds on this package and reads through ``app.repositories.analytics``. The drawings stay in
``app.analytics.plots``, so only whoever draws imports matplotlib.

In a notebook::

    from app.analytics import rank_brokers, sink_shares
    from app.analytics.plots import plot_top_flows
    from app.services.analytics import connect, custody_graph
    db = connect()                                   # settings from the environment / .env
    g = custody_graph(db, province="440000")         # nx.DiGraph, weights "batteries" and "kg"
    rank_brokers(g, top=10)
    {s: x.unlicensed for s, x in sink_shares(g).items()}
    open("flows.png", "wb").write(plot_top_flows(g))
"""

from __future__ import annotations

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
from app.analytics.rows import (
    CompanyRow,
    CustodyChainRow,
    CustodyFlowRow,
    InstallationRow,
    StationRow,
    SwapFlowRow,
)

__all__ = [
    "AbsorbingFlow",
    "CompanyRow",
    "CustodyChainRow",
    "CustodyFlowRow",
    "Cycle",
    "InstallationRow",
    "SinkShare",
    "StationRow",
    "SwapFlowRow",
    "batteries_on_path",
    "batteries_round_cycles",
    "betweenness",
    "communities",
    "community_index",
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
    "modularity",
    "pagerank",
    "rank_brokers",
    "serialize",
    "sink_distribution",
    "sink_shares",
    "strongly_connected",
    "summary",
    "swap_graph_from_rows",
    "to_gexf",
    "to_graphml",
    "to_node_link",
    "top_flows",
    "unlicensed_sink_share",
    "vehicle_battery_graph_from_rows",
    "weighted_degrees",
]
