"""Analysts' questions about the networks: projections out of Neo4j, then networkx.

The I/O half of ``app.analytics``: each projection is one read transaction that streams its
query's typed rows (``app.repositories.analytics``) straight into the graph builder (the queries
aggregate per company or station pair, so what crosses the wire is one row per edge, never one per
event), then reads the registry attributes of the nodes it found. A managed transaction may be retried, so the graph is
built afresh inside each attempt; nothing else happens in there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any, Literal, TypeVar

import networkx as nx
from neo4j import ManagedTransaction

from app.analytics import export as exports
from app.analytics import flows, graphs, metrics, plots
from app.analytics.fade import band_labels
from app.config import Settings, get_settings
from app.db import Database
from app.errors import FieldProblem, InvalidInput
from app.repositories import analytics as queries
from app.schemas.analytics import (
    BrokerRoutes,
    Brokers,
    Community,
    CustodyPath,
    Degree,
    FadeBy,
    FadeCell,
    FadeTable,
    Filters,
    Flow,
    Network,
    NetworkMetrics,
    NetworkSummary,
    NodeRef,
    Ring,
    Rings,
    Score,
    SinkShare,
    SinkShares,
)
from app.schemas.time import check_aware
from app.services import kept_flows
from app.services.store import require_current

T = TypeVar("T")
Weight = Literal["batteries", "kg"]
PlotKind = Literal["flows", "communities"]
# Licence lists are published by Chinese ministries: "today" is the day in China.
CHINA = timezone(timedelta(hours=8))
SINK_METHOD = (
    "absorbing Markov chain on the custody graph: at each company a battery moves on along an "
    "out-edge in proportion to its hand-overs, or ends there in proportion to what the projection "
    "saw end there (kept, recycled, lost in transit, reinstalled in a vehicle); shares start from "
    "the source's out-edges. Unlicensed sink: no licence valid on as_of, and not a battery maker, "
    "automaker or importer."
)


def connect(settings: Settings | None = None) -> Database:
    """A Database for notebooks and scripts (environment settings by default); close it when done."""
    return Database(settings or get_settings())


def _check_filters(filters: Filters) -> None:
    problems: list[FieldProblem] = []
    for name, value in (("since", filters.since), ("until", filters.until)):
        if value is not None:
            try:
                check_aware(value)
            except ValueError as err:
                problems.append(FieldProblem(name, str(err)))
    if filters.since and filters.until and not problems and filters.since >= filters.until:
        problems.append(FieldProblem("until", "must be after since"))
    if problems:
        raise InvalidInput(problems, "invalid filters")


def _flow_params(filters: Filters) -> dict[str, Any]:
    _check_filters(filters)
    return {
        "since": filters.since,
        "until": filters.until,
        "province": filters.province,
        "provinces": filters.provinces,
        "chemistry": filters.chemistry,
    }


def _as_of(filters: Filters) -> date:
    return filters.as_of or datetime.now(CHINA).date()


def _graph_attrs(filters: Filters) -> dict[str, Any]:
    """The filters as graph attributes, so an export says what it shows (lists joined: GraphML keeps scalars)."""
    values = {k: v for k, v in filters.model_dump().items() if v is not None}
    if "provinces" in values:
        values["provinces"] = ",".join(values["provinces"])
    return values


# --- projections --------------------------------------------------------------------------------


def project_custody(db: Database, filters: Filters) -> nx.DiGraph:
    """The custody flow graph for ``filters`` (see ``app.analytics.graphs``): over all time from the
    kept flows (``app.services.kept_flows``), a window or a chemistry by aggregating every stay."""
    params = _flow_params(filters)
    require_current(db, "the custody network")  # it reads how each stay ended, stored since revision 4
    as_of = _as_of(filters)
    attrs = _graph_attrs(filters) | {"as_of": as_of}

    all_time = filters.since is None and filters.until is None and filters.chemistry is None

    def work(tx: ManagedTransaction) -> nx.DiGraph:
        rows = kept_flows.rows(tx, filters.province, filters.provinces) if all_time else None
        if rows is None:
            rows = queries.custody_flows(tx, **params)
        graph = graphs.custody_graph_from_rows(rows, **attrs)
        graphs.add_company_attributes(graph, queries.companies(tx, list(graph.nodes), as_of))
        return graph

    return db.read_unit("analytics.custody_flows", work)


def project_swaps(db: Database, filters: Filters) -> nx.DiGraph:
    """The station-to-station swap network for ``filters``."""
    params = _flow_params(filters)
    require_current(db, "the swap network")  # it reads each swap's previous station, stored since revision 4
    attrs = {k: v for k, v in _graph_attrs(filters).items() if k != "as_of"}

    def work(tx: ManagedTransaction) -> nx.DiGraph:
        graph = graphs.swap_graph_from_rows(queries.swap_flows(tx, **params), **attrs)
        graphs.add_station_attributes(graph, queries.stations(tx, list(graph.nodes)))
        return graph

    return db.read_unit("analytics.swap_flows", work)


def project(db: Database, network: Network, filters: Filters) -> nx.DiGraph:
    """Either network by name."""
    return project_custody(db, filters) if network == "custody" else project_swaps(db, filters)


def custody_graph(
    db: Database,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    province: str | None = None,
    chemistry: str | None = None,
    as_of: date | None = None,
) -> nx.DiGraph:
    """Company -> company custody flows (weights ``batteries``, ``kg``), for notebooks."""
    filters = Filters(since=since, until=until, province=province, chemistry=chemistry, as_of=as_of)
    return project_custody(db, filters)


def swap_graph(
    db: Database,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    province: str | None = None,
    chemistry: str | None = None,
) -> nx.DiGraph:
    """Station -> station battery movements (weights ``batteries``, ``carried``, ``transferred``, ``kg``)."""
    return project_swaps(db, Filters(since=since, until=until, province=province, chemistry=chemistry))


def vehicle_battery_graph(
    db: Database, *, vins: Sequence[str] = (), codes: Sequence[str] = (), provinces: list[str] | None = None
) -> nx.Graph:
    """Bipartite graph of the chosen vehicles and batteries and everything installed between them
    (only batteries within ``provinces``, for a province-limited key)."""
    vin_list, code_list = sorted(set(vins)), sorted(set(codes))

    def work(tx: ManagedTransaction) -> nx.Graph:
        rows = queries.installations(tx, vin_list, code_list, provinces)
        return graphs.vehicle_battery_graph_from_rows(
            rows, vin_list, code_list, chosen_vehicles=len(vin_list), chosen_batteries=len(code_list)
        )

    return db.read_unit("analytics.installations", work)


def vehicle_battery_json(
    db: Database, vins: Sequence[str], codes: Sequence[str], provinces: list[str] | None = None
) -> dict[str, Any]:
    """The vehicle-battery graph of a selection as node-link JSON."""
    return exports.to_node_link(vehicle_battery_graph(db, vins=vins, codes=codes, provinces=provinces))


# --- analyses as answers ------------------------------------------------------------------------


def _ref(graph: nx.Graph, node: Any) -> NodeRef:
    name = graph.nodes[node].get("name") if node in graph else None
    return NodeRef(id=str(node), name=name)


def _scores(graph: nx.Graph, values: Iterable[tuple[Any, float]], top: int) -> list[Score]:
    ranked = sorted(values, key=lambda p: (-p[1], str(p[0])))[:top]
    return [Score(id=str(n), name=graph.nodes[n].get("name"), value=v) for n, v in ranked]


def _summary(graph: nx.Graph, network: Network, filters: Filters) -> NetworkSummary:
    info = metrics.summary(graph, weight="batteries")
    return NetworkSummary(
        network=network,
        filters=filters,
        nodes=info["nodes"],
        edges=info["edges"],
        total_batteries=info["total_weight"],
        total_kg=info["total_kg"],
    )


def network_metrics(
    db: Database, network: Network, filters: Filters, *, top: int = 20, weight: Weight = "batteries", seed: int = 0
) -> NetworkMetrics:
    """Flows, degrees, PageRank, betweenness and Louvain communities of one network."""
    graph = project(db, network, filters)
    degrees = metrics.weighted_degrees(graph, weight=weight)
    by_flow = sorted(degrees.items(), key=lambda p: (-(p[1]["in"] + p[1]["out"]), str(p[0])))[:top]
    groups = metrics.communities(graph, weight=weight, seed=seed)
    return NetworkMetrics(
        summary=_summary(graph, network, filters),
        top_flows=[
            Flow(source=str(u), target=str(v), batteries=graph.edges[u, v]["batteries"], kg=graph.edges[u, v]["kg"])
            for u, v, _ in metrics.top_flows(graph, n=top, weight=weight)
        ],
        degrees=[
            Degree(
                id=str(n),
                name=graph.nodes[n].get("name"),
                in_weight=d["in"],
                out_weight=d["out"],
                in_edges=int(d["in_edges"]),
                out_edges=int(d["out_edges"]),
            )
            for n, d in by_flow
        ],
        pagerank=_scores(graph, metrics.pagerank(graph, weight=weight).items(), top),
        betweenness=_scores(graph, metrics.betweenness(graph).items(), top),
        communities=[
            Community(index=i, size=len(g), members=[_ref(graph, n) for n in sorted(g, key=str)])
            for i, g in enumerate(groups[:top])
        ],
        modularity=metrics.modularity(graph, groups, weight=weight),
    )


def mark_licence_history(db: Database, graph: nx.DiGraph) -> None:
    """Set ``ever_licensed`` on every company node: has it held any licence, whatever its dates."""
    holders = set(queries.licence_holders(db, [str(n) for n in graph]))
    for node, data in graph.nodes(data=True):
        data["ever_licensed"] = str(node) in holders


def brokers(
    db: Database,
    filters: Filters,
    *,
    network: Network = "custody",
    top: int = 20,
    sample: int | None = None,
    routes: BrokerRoutes = "all",
) -> Brokers:
    """Intermediaries ranked by betweenness: who sits on the routes between others.

    ``routes="informal"`` counts only routes from holders of used packs to companies never on
    the white list (``flows.informal_brokers``): the formal channel's hubs (makers' service
    points gathering packs for listed recyclers) then score nothing, and a trader feeding
    unlicensed buyers stands out. Custody network only; exact (no sampling).
    """
    if routes == "informal":
        if network != "custody":
            raise InvalidInput([FieldProblem("routes", "informal routes exist on the custody network only")])
        graph = project_custody(db, filters)
        mark_licence_history(db, graph)
        ranked = flows.informal_brokers(graph)[:top]
        return Brokers(
            summary=_summary(graph, network, filters), sampled=None, routes=routes, brokers=_scores(graph, ranked, top)
        )
    graph = project(db, network, filters)
    k = sample if sample is not None and sample < graph.number_of_nodes() else None
    ranked = metrics.rank_brokers(graph, top=top, k=k)
    return Brokers(
        summary=_summary(graph, network, filters), sampled=k, routes=routes, brokers=_scores(graph, ranked, top)
    )


def sink_shares(
    db: Database,
    filters: Filters,
    *,
    top: int = 50,
    weight: Weight = "batteries",
    roles: Sequence[str] = (),
    sinks_per_source: int = 5,
) -> SinkShares:
    """For each source company, the share of its outflow that ends at unlicensed sinks."""
    graph = project_custody(db, filters)
    chain = flows.AbsorbingFlow(graph, weight=weight)
    wanted = set(roles)
    candidates = [
        n
        for n in graph.nodes
        if chain.out_w[chain.index[n]] > 0 and (not wanted or wanted & set(graph.nodes[n].get("roles") or []))
    ]
    shares = sorted((chain.shares(n) for n in candidates), key=lambda s: (-s.unlicensed, -s.outflow, str(s.source)))[
        :top
    ]
    sources = []
    for share in shares:
        data = graph.nodes[share.source]
        ends = chain.distribution(share.source)
        bad = [(n, p) for n, p in ends.items() if n != flows.VEHICLES and chain.bad[chain.index[n]]]
        sources.append(
            SinkShare(
                id=str(share.source),
                name=data.get("name"),
                roles=list(data.get("roles") or []),
                licensed=bool(data.get("licensed")),
                outflow=share.outflow,
                unlicensed=share.unlicensed,
                other_sinks=share.other_sinks,
                vehicles=share.vehicles,
                top_unlicensed_sinks=_scores(graph, bad, sinks_per_source),
            )
        )
    return SinkShares(summary=_summary(graph, "custody", filters), method=SINK_METHOD, sources=sources)


def find_rings(
    db: Database, filters: Filters, *, max_length: int = 5, limit: int = 200, codes_per_ring: int = 100
) -> Rings:
    """Strongly connected components, bounded cycles, and the batteries that went round each cycle.

    The batteries come from their whole custody history (the window selects the cycles, not the
    laps), so a ring seen this month lists the batteries that ever went round it.
    """
    graph = project_custody(db, filters)
    components = metrics.strongly_connected(graph)
    found = metrics.cycles(graph, max_length=max_length, limit=limit + 1)
    truncated = len(found) > limit
    found = found[:limit]
    members = sorted({str(n) for c in found for n in c.nodes})

    def work(tx: ManagedTransaction) -> dict[tuple[str, ...], flows.Travelled]:
        rows = queries.custody_revisits(tx, members)
        return flows.batteries_round_cycles(rows, [[str(n) for n in c.nodes] for c in found], limit=codes_per_ring)

    travelled = db.read_unit("analytics.custody_revisits", work) if found else {}
    rings = []
    for cycle in found:
        went = travelled.get(tuple(str(n) for n in cycle.nodes), flows.Travelled())
        rings.append(
            Ring(
                companies=[_ref(graph, n) for n in cycle.nodes],
                bottleneck=cycle.bottleneck,
                batteries=went.batteries,
                kg=went.kg,
                codes=went.codes,
            )
        )
    rings.sort(key=lambda r: (-r.batteries, -r.bottleneck, [c.id for c in r.companies]))
    return Rings(
        summary=_summary(graph, "custody", filters),
        components=[[_ref(graph, n) for n in sorted(c, key=str)] for c in components],
        rings=rings,
        truncated=truncated,
    )


def custody_path(
    db: Database, source: str, target: str, filters: Filters, *, by_flow: bool = False, codes_limit: int = 100
) -> CustodyPath:
    """Shortest chain of custody flows from one company to another, and the batteries that took it.

    ``by_flow`` prefers heavy flows (distance = 1 / batteries) over few hand-overs.
    """
    if source == target:
        raise InvalidInput([FieldProblem("target", "must differ from source")], "invalid path")
    graph = project_custody(db, filters)
    ends = (_ref(graph, source), _ref(graph, target))
    try:
        path = [str(n) for n in metrics.custody_path(graph, source, target, weight="batteries" if by_flow else None)]
    except (nx.NodeNotFound, nx.NetworkXNoPath):
        return CustodyPath(
            source=ends[0], target=ends[1], connected=False, path=[], hops=None, batteries=0, kg=0.0, codes=[]
        )

    def work(tx: ManagedTransaction) -> flows.Travelled:
        rows = queries.custody_chains_between(tx, source, target)
        return flows.batteries_on_path(rows, path, limit=codes_limit)

    went = db.read_unit("analytics.custody_chains_between", work)
    return CustodyPath(
        source=ends[0],
        target=ends[1],
        connected=True,
        path=[_ref(graph, n) for n in path],
        hops=len(path) - 1,
        batteries=went.batteries,
        kg=went.kg,
        codes=went.codes,
    )


def graph_json(db: Database, network: Network, filters: Filters) -> dict[str, Any]:
    """The network as node-link JSON."""
    return exports.to_node_link(project(db, network, filters))


def export_graph(db: Database, network: Network, fmt: exports.ExportFormat, filters: Filters) -> bytes:
    """The network as a GraphML, GEXF, node-link JSON or CSV (one row per flow) file."""
    return exports.serialize(project(db, network, filters), fmt)


def plot(db: Database, network: Network, kind: PlotKind, filters: Filters, *, top: int = 20, seed: int = 0) -> bytes:
    """A PNG of the network: its heaviest flows, or its community map."""
    graph = project(db, network, filters)
    if kind == "flows":
        return plots.plot_top_flows(graph, top=top, seed=seed)
    return plots.plot_communities(graph, seed=seed)


def health_fade(db: Database, filters: Filters, by: FadeBy = "chemistry") -> FadeTable:
    """Mean state of health by age band per chemistry, maker or use, aggregated in the database
    (only the table crosses the wire); bands as ``app.analytics.fade`` draws them."""
    labels = band_labels()
    rows = queries.health_fade(db, by, _flow_params(filters))
    cells = [
        FadeCell(
            group=str(r["group"]),
            group_name=r["group_name"],
            band=labels[min(int(r["band"]), len(labels) - 1)],
            readings=int(r["readings"]),
            batteries=int(r["batteries"]),
            mean_soh_pct=round(float(r["mean_soh"]), 1),
            min_soh_pct=float(r["min_soh"]),
            max_soh_pct=float(r["max_soh"]),
        )
        for r in rows
    ]
    return FadeTable(by=by, bands=labels, readings=sum(c.readings for c in cells), cells=cells, filters=filters)
