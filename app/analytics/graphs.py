"""Building networkx graphs from the rows of the ``analytics.*`` queries.

Pure functions: they take any iterable of typed rows (``app.analytics.rows``), so the service can
feed them straight from a repository stream inside its read transaction (the rows are aggregates,
one per company pair or station pair, never one per event), and tests can feed them lists written
by hand.

Custody graph (``nx.DiGraph``, company -> company), one edge per pair with hand-overs:
``batteries`` (hand-overs, each moving one battery; a battery going round counts each time),
``distinct_batteries``, ``kg`` (mass moved, summed per hand-over) and ``unconfirmed`` (shipped but
never received: the edge goes to the shipment's ``to`` company). Nodes carry how custody ended
there, which the sink analysis needs: ``kept`` (still held, or held at the end of the window),
``installed`` (put into a vehicle), ``recycled``, ``ended`` (custody ended without a known
successor), ``in_transit`` (shipped to it, never received), rolled up as ``retained_batteries``
and ``retained_kg`` (ended here) and ``reinstalled_batteries`` and ``reinstalled_kg`` (back into
a vehicle).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from app.analytics.rows import CompanyRow, CustodyFlowRow, InstallationRow, StationRow, SwapFlowRow

#: How a custody interval can end, besides a hand-over (see cypher/analytics/custody_flows.cypher).
TERMINAL_OUTCOMES = ("kept", "installed", "recycled", "ended")
#: Outcomes where the battery stays with (or is destroyed by) the holder: what a sink retains.
RETAINED_OUTCOMES = ("kept", "recycled", "ended", "in_transit")

#: Masses are summed in floating point; grams are plenty, and rounding keeps exports readable.
KG_DECIMALS = 3


def _company_node(graph: nx.DiGraph, uscc: str) -> dict[str, Any]:
    if uscc not in graph:
        graph.add_node(
            uscc,
            kind="company",
            **dict.fromkeys((*TERMINAL_OUTCOMES, "in_transit"), 0),
            kept_kg=0.0,
            installed_kg=0.0,
            recycled_kg=0.0,
            ended_kg=0.0,
            in_transit_kg=0.0,
        )
    data: dict[str, Any] = graph.nodes[uscc]
    return data


def custody_graph_from_rows(rows: Iterable[CustodyFlowRow], **graph_attrs: Any) -> nx.DiGraph:
    """Company-to-company custody flows from ``analytics.custody_flows`` rows.

    Parameters
    ----------
    rows : iterable of CustodyFlowRow
        ``target`` is only read when ``outcome == "handover"``; consumed as they come.
    **graph_attrs
        Stored on the graph (e.g. the filters it was built with), so an export says what it shows.

    Returns
    -------
    networkx.DiGraph
        Edge and node attributes as described in the module docstring.
    """
    graph = nx.DiGraph(network="custody", **graph_attrs)
    for row in rows:
        source, outcome = row.source, row.outcome
        count, kg = int(row.batteries), float(row.kg or 0.0)
        holder = _company_node(graph, source)
        if outcome == "handover":
            target = row.target
            if target is None:
                raise ValueError(f"hand-over from {source} without a target")
            _company_node(graph, target)
            if not graph.has_edge(source, target):
                graph.add_edge(source, target, batteries=0, distinct_batteries=0, unconfirmed=0, kg=0.0)
            edge = graph.edges[source, target]
            edge["batteries"] += count
            edge["distinct_batteries"] += int(row.distinct_batteries)
            edge["kg"] += kg
            unconfirmed = int(row.unconfirmed or 0)
            if unconfirmed:
                # The sender's word only: the battery is counted as sitting at the destination.
                edge["unconfirmed"] += unconfirmed
                share = kg * unconfirmed / count if count else 0.0
                graph.nodes[target]["in_transit"] += unconfirmed
                graph.nodes[target]["in_transit_kg"] += share
        elif outcome in TERMINAL_OUTCOMES:
            holder[outcome] += count
            holder[f"{outcome}_kg"] += kg
        else:
            raise ValueError(f"unknown custody outcome {outcome!r} from {source}")
    for _, data in graph.nodes(data=True):
        data["retained_batteries"] = sum(data[o] for o in RETAINED_OUTCOMES)
        data["retained_kg"] = sum(data[f"{o}_kg"] for o in RETAINED_OUTCOMES)
        data["reinstalled_batteries"] = data["installed"]
        data["reinstalled_kg"] = data["installed_kg"]
        for key in [k for k in data if k.endswith("_kg")]:
            data[key] = round(data[key], KG_DECIMALS)
    for _, _, data in graph.edges(data=True):
        data["kg"] = round(data["kg"], KG_DECIMALS)
    return graph


def add_company_attributes(graph: nx.Graph, rows: Iterable[CompanyRow]) -> nx.Graph:
    """Name, roles, province and licence state from ``analytics.companies`` rows.

    ``licensed`` is true when any licence (dismantling, second life, recycling) is valid on the
    day the rows were read for; ``scopes`` lists which. Companies missing from the registry keep
    ``licensed = False`` and no name, so they show up rather than vanish.
    """
    for _, data in graph.nodes(data=True):
        data.setdefault("name", None)
        data.setdefault("roles", [])
        data.setdefault("province", None)
        data.setdefault("scopes", [])
        data.setdefault("licensed", False)
        data.setdefault("registered", False)
    for row in rows:
        if row.uscc not in graph:
            continue
        data = graph.nodes[row.uscc]
        scopes = sorted(row.scopes or [])
        data.update(
            name=row.name,
            roles=sorted(row.roles or []),
            province=row.province,
            scopes=scopes,
            licensed=bool(scopes),
            registered=True,
        )
    return graph


def swap_graph_from_rows(rows: Iterable[SwapFlowRow], **graph_attrs: Any) -> nx.DiGraph:
    """Station-to-station battery movements from ``analytics.swap_flows`` rows.

    An edge A -> B counts consecutive swaps of one battery at A and then at B (A != B):
    ``carried`` when it went into a vehicle at A and came out of one at B (the drivers moved
    it), ``transferred`` when it came out at A and went into a vehicle at B (the operator moved
    it between pools); ``batteries`` counts all moves, including pairs with a swap missing in
    between (in, in or out, out), ``kg`` their mass.
    """
    graph = nx.DiGraph(network="swaps", **graph_attrs)
    for row in rows:
        source, target = row.source, row.target
        for station in (source, target):
            if station not in graph:
                graph.add_node(station, kind="station")
        graph.add_edge(
            source,
            target,
            batteries=int(row.batteries),
            carried=int(row.carried),
            transferred=int(row.transferred),
            distinct_batteries=int(row.distinct_batteries),
            kg=round(float(row.kg or 0.0), KG_DECIMALS),
        )
    return graph


def add_station_attributes(graph: nx.Graph, rows: Iterable[StationRow]) -> nx.Graph:
    """Name, operator, province and position from ``analytics.stations`` rows."""
    for row in rows:
        if row.id in graph:
            graph.nodes[row.id].update(
                name=row.name, operator=row.operator, province=row.province, lat=row.lat, lon=row.lon
            )
    return graph


def vehicle_battery_graph_from_rows(
    rows: Iterable[InstallationRow], vins: Iterable[str] = (), codes: Iterable[str] = (), **graph_attrs: Any
) -> nx.Graph:
    """Bipartite vehicle-battery graph from ``analytics.installations`` rows.

    Vehicles are ``bipartite=0``, batteries ``bipartite=1`` (networkx's convention), each with a
    ``kind``. One edge per pair: ``installations`` (how many times that battery went into that
    vehicle), ``first_since`` and ``last_until`` (None while installed). The chosen identifiers
    are nodes even when they have no installation, so "nothing known" is visible.
    """
    graph = nx.Graph(network="vehicle_battery", **graph_attrs)
    for vin in vins:
        graph.add_node(vin, kind="vehicle", bipartite=0, chosen=True)
    for code in codes:
        graph.add_node(code, kind="battery", bipartite=1, chosen=True)
    for row in rows:
        vin, code = row.vin, row.code
        graph.add_node(vin, kind="vehicle", bipartite=0, model=row.model, category=row.category)
        graph.add_node(code, kind="battery", bipartite=1, level=row.level, chemistry=row.chemistry, status=row.status)
        graph.add_edge(
            vin, code, installations=int(row.installations), first_since=row.first_since, last_until=row.last_until
        )
    for _, data in graph.nodes(data=True):
        data.setdefault("chosen", False)
    return graph
