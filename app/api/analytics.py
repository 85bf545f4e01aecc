"""Analysts' view: custody and swap networks, their measures, exports and pictures.

Sync routes on purpose: FastAPI runs them in its threadpool, so the networkx work (seconds on a
large graph) never blocks the event loop. Reporter keys are refused: the networks show every
company's flows, not only the reporter's own. Analysts get aggregates only: no vehicle-battery
graph (it lists VINs and codes), and rings and paths without the codes of the batteries that went
round (see the route table, ``app.security.policy``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response

from app.analytics.export import MEDIA_TYPES, ExportFormat
from app.api.auth import ADMITTED, Admitted
from app.api.deps import DbDep
from app.api.params import UsccQuery, check_each
from app.errors import FieldProblem, InvalidInput
from app.identifiers.types import check_battery_code, check_vin
from app.schemas.analytics import (
    BrokerRoutes,
    Brokers,
    CustodyPath,
    FadeBy,
    FadeTable,
    Filters,
    Network,
    NetworkMetrics,
    Rings,
    SinkShares,
)
from app.schemas.registry import Role
from app.security import check_province_param, province_scope, shows_single_batteries
from app.services import analytics

router = APIRouter(
    prefix="/v1/analytics",
    tags=["analytics"],
    dependencies=ADMITTED,
)
Weight = Literal["batteries", "kg"]
MAX_SELECTION = 500
#: Codes of the batteries that went round a ring or along a path, listed for those who may see them.
CODES_LISTED = 100


def _filters(
    who: Admitted,
    since: Annotated[datetime | None, Query(description="flows at or after (RFC 3339 with offset)")] = None,
    until: Annotated[datetime | None, Query(description="flows before (RFC 3339 with offset)")] = None,
    province: Annotated[str | None, Query(pattern=r"^\d{6}$", description="GB/T 2260 code of either party")] = None,
    chemistry: Annotated[str | None, Query(max_length=32, description="e.g. LFP, NMC, ternary")] = None,
    as_of: Annotated[date | None, Query(description="day licences must be valid on (default: today)")] = None,
) -> Filters:
    """The query's filters, narrowed to a province-limited key's provinces (403 for a province outside)."""
    check_province_param(who, province)
    scope = province_scope(who)
    return Filters(since=since, until=until, province=province, chemistry=chemistry, as_of=as_of, provinces=scope)


FiltersDep = Annotated[Filters, Depends(_filters)]
Top = Annotated[int, Query(ge=1, le=1000, description="how many entries per list")]


@router.get("/vehicle-batteries")
def vehicle_batteries(
    db: DbDep,
    who: Admitted,
    vin: Annotated[list[str], Query(max_length=MAX_SELECTION, description="VINs (repeat the parameter)")] = [],  # noqa: B006
    code: Annotated[list[str], Query(max_length=MAX_SELECTION, description="battery codes (repeat)")] = [],  # noqa: B006
) -> dict[str, Any]:
    """Bipartite vehicle-battery graph (node-link JSON) of the chosen vehicles and batteries."""
    problems: list[FieldProblem] = []
    vins = check_each(vin, check_vin, "vin", problems)
    codes = check_each(code, check_battery_code, "code", problems)
    if not vin and not code:
        problems.append(FieldProblem("vin", "name at least one vin or code"))
    if problems:
        raise InvalidInput(problems, "invalid selection")
    return analytics.vehicle_battery_json(db, vins, codes, province_scope(who))


@router.get("/health/fade")
def health_fade(
    db: DbDep,
    filters: FiltersDep,
    by: Annotated[FadeBy, Query(description="group the readings by chemistry, maker or use")] = "chemistry",
) -> FadeTable:
    """How packs fade: mean, lowest and highest state of health of the health readings by age band
    (two years; since and until bound the readings, province is the measuring company's)."""
    return analytics.health_fade(db, filters, by)


@router.get("/custody/sinks")
def custody_sinks(
    db: DbDep,
    filters: FiltersDep,
    top: Top = 50,
    weight: Weight = "batteries",
    role: Annotated[list[Role], Query(description="only sources with one of these roles (repeat)")] = [],  # noqa: B006
) -> SinkShares:
    """Each source company's share of outflow ending at unlicensed sinks, highest first."""
    return analytics.sink_shares(db, filters, top=top, weight=weight, roles=role)


@router.get("/custody/rings")
def custody_rings(
    db: DbDep,
    who: Admitted,
    filters: FiltersDep,
    max_length: Annotated[int, Query(ge=2, le=8, description="longest cycle searched, in companies")] = 5,
    limit: Annotated[int, Query(ge=1, le=5000, description="most cycles listed")] = 200,
) -> Rings:
    """Strongly connected components, custody cycles, and the batteries that went round them."""
    codes = CODES_LISTED if shows_single_batteries(who) else 0
    return analytics.find_rings(db, filters, max_length=max_length, limit=limit, codes_per_ring=codes)


@router.get("/custody/path")
def custody_path(
    db: DbDep,
    who: Admitted,
    filters: FiltersDep,
    source: Annotated[str, UsccQuery("source", "USCC of the first party")],
    target: Annotated[str, UsccQuery("target", "USCC of the second party")],
    by_flow: Annotated[bool, Query(description="prefer heavy flows over few hand-overs")] = False,
) -> CustodyPath:
    """Shortest chain of custody flows between two companies, and the batteries that took it."""
    codes = CODES_LISTED if shows_single_batteries(who) else 0
    return analytics.custody_path(db, source, target, filters, by_flow=by_flow, codes_limit=codes)


@router.get("/{network}/graph")
def network_graph(network: Network, db: DbDep, filters: FiltersDep) -> dict[str, Any]:
    """The network as node-link JSON (networkx's ``node_link_data``, edges under ``edges``)."""
    return analytics.graph_json(db, network, filters)


@router.get("/{network}/metrics")
def network_metrics(
    network: Network, db: DbDep, filters: FiltersDep, top: Top = 20, weight: Weight = "batteries"
) -> NetworkMetrics:
    """Top flows, weighted degrees, PageRank, betweenness and Louvain communities."""
    return analytics.network_metrics(db, network, filters, top=top, weight=weight)


@router.get("/{network}/brokers")
def network_brokers(
    network: Network,
    db: DbDep,
    filters: FiltersDep,
    top: Top = 20,
    sample: Annotated[int | None, Query(ge=10, description="estimate from this many sampled sources")] = None,
    routes: Annotated[
        BrokerRoutes,
        Query(description="all routes, or informal ones: used packs to companies never on the white list (custody)"),
    ] = "all",
) -> Brokers:
    """Intermediaries (both receiving and passing on) ranked by betweenness."""
    return analytics.brokers(db, filters, network=network, top=top, sample=sample, routes=routes)


@router.get(
    "/{network}/export",
    response_class=Response,
    responses={200: {"content": {media: {} for media in MEDIA_TYPES.values()}}},
)
def network_export(network: Network, db: DbDep, filters: FiltersDep, format: ExportFormat = "graphml") -> Response:
    """The network as a file for Gephi (GEXF), yEd and others (GraphML), notebooks (JSON) or
    spreadsheets (CSV: a row per flow, both parties with name and province)."""
    body = analytics.export_graph(db, network, format, filters)
    filename = f"{network}.{format}"
    return Response(
        body, media_type=MEDIA_TYPES[format], headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.get("/{network}/plot", response_class=Response, responses={200: {"content": {"image/png": {}}}})
def network_plot(
    network: Network,
    db: DbDep,
    filters: FiltersDep,
    kind: Literal["flows", "communities"] = "flows",
    top: Annotated[int, Query(ge=1, le=200, description="flows drawn (kind=flows)")] = 20,
) -> Response:
    """A PNG: the heaviest flows, or the community map."""
    return Response(analytics.plot(db, network, kind, filters, top=top), media_type="image/png")
