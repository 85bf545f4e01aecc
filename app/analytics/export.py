"""Graphs out to files: GraphML and GEXF for Gephi and yEd, node-link JSON for notebooks and the web,
CSV (one row per flow, both parties named) for spreadsheets.

GraphML and GEXF know only scalars, so attribute values are flattened first: lists become
``;``-joined text, datetimes ISO 8601 text, ``None`` is left out. Node-link JSON keeps lists.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Hashable
from datetime import date, datetime
from typing import Any, Literal

import networkx as nx

ExportFormat = Literal["graphml", "gexf", "json", "csv"]
MEDIA_TYPES: dict[str, str] = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
}
#: The parties' columns of a CSV row, before the flow's own attributes.
PARTY_COLUMNS = ("name", "province")


def _value(value: Any, *, keep_lists: bool) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        items = [_value(v, keep_lists=keep_lists) for v in value]
        return items if keep_lists else ";".join(str(v) for v in items)
    if isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


def _attrs(data: dict[str, Any], *, keep_lists: bool) -> dict[str, Any]:
    return {k: _value(v, keep_lists=keep_lists) for k, v in data.items() if v is not None and not k.startswith("_")}


def plain(graph: nx.Graph, *, keep_lists: bool = False) -> nx.Graph:
    """A copy with only file-safe attribute values (see the module docstring)."""
    out = graph.__class__()
    out.graph.update(_attrs(dict(graph.graph), keep_lists=keep_lists))
    for node, data in graph.nodes(data=True):
        out.add_node(node, **_attrs(data, keep_lists=keep_lists))
    for u, v, data in graph.edges(data=True):
        out.add_edge(u, v, **_attrs(data, keep_lists=keep_lists))
    return out


def to_graphml(graph: nx.Graph) -> bytes:
    """GraphML (UTF-8), readable back with ``nx.read_graphml``."""
    return "\n".join(nx.generate_graphml(plain(graph))).encode("utf-8")


def to_gexf(graph: nx.Graph) -> bytes:
    """GEXF 1.2 (UTF-8), Gephi's own format."""
    buffer = io.BytesIO()
    nx.write_gexf(plain(graph), buffer)
    return buffer.getvalue()


def to_csv(graph: nx.Graph) -> bytes:
    """The flows as CSV: source and target with their name and province, then every attribute the
    flows carry (batteries, kg, ...), heaviest first; a byte-order mark so spreadsheets read UTF-8."""
    flat = plain(graph)
    attrs = sorted({k for _, _, data in flat.edges(data=True) for k in data})
    party = [f"{side}_{col}" for side in ("source", "target") for col in PARTY_COLUMNS]
    header = ["source", "target", *party, *attrs]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    edges = sorted(flat.edges(data=True), key=lambda e: (-float(e[2].get("batteries", 0) or 0), str(e[0]), str(e[1])))
    for u, v, data in edges:
        names = [flat.nodes[n].get(col, "") for n in (u, v) for col in PARTY_COLUMNS]
        writer.writerow([u, v, *names, *(data.get(a, "") for a in attrs)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_node_link(graph: nx.Graph) -> dict[str, Any]:
    """Node-link data (``nodes``, ``edges``), JSON-ready; ``nx.node_link_graph(data, edges="edges")``
    reads it back."""
    data: dict[str, Any] = nx.node_link_data(plain(graph, keep_lists=True), edges="edges")
    return data


def serialize(graph: nx.Graph, fmt: ExportFormat) -> bytes:
    """The graph as a file in ``fmt``."""
    if fmt == "graphml":
        return to_graphml(graph)
    if fmt == "gexf":
        return to_gexf(graph)
    if fmt == "csv":
        return to_csv(graph)
    import json

    return json.dumps(to_node_link(graph), ensure_ascii=False).encode("utf-8")


def node_label(graph: nx.Graph, node: Hashable) -> str:
    """A company's or station's name when known, else its id."""
    name = graph.nodes[node].get("name")
    return str(name) if name else str(node)
