"""Answers of the analytics endpoints (analysts' view of the custody and swap networks)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

Network = Literal["custody", "swaps"]
#: Which routes broker betweenness counts: every route, or used packs to never-listed companies.
BrokerRoutes = Literal["all", "informal"]


class Filters(BaseModel):
    """Which flows a projection keeps; every field optional (None = no restriction)."""

    since: datetime | None = Field(None, description="flows at or after (RFC 3339 with offset)")
    until: datetime | None = Field(None, description="flows before (RFC 3339 with offset)")
    province: str | None = Field(None, description="GB/T 2260 code of either party")
    chemistry: str | None = Field(None, description="battery chemistry, e.g. LFP")
    as_of: date | None = Field(None, description="day on which licences must be valid (default today)")
    provinces: list[str] | None = Field(
        None, description="a province-limited key's provinces: flows with either party in one of them"
    )


class NodeRef(BaseModel):
    id: str
    name: str | None = None


class Score(BaseModel):
    id: str
    name: str | None = None
    value: float


class Degree(BaseModel):
    id: str
    name: str | None = None
    in_weight: float
    out_weight: float
    in_edges: int
    out_edges: int


class Flow(BaseModel):
    source: str
    target: str
    batteries: int
    kg: float


class Community(BaseModel):
    index: int
    size: int
    members: list[NodeRef]


class NetworkSummary(BaseModel):
    network: Network
    filters: Filters
    nodes: int
    edges: int
    total_batteries: float
    total_kg: float


class NetworkMetrics(BaseModel):
    """Degrees, centralities and communities of one network; lists are the top entries."""

    summary: NetworkSummary
    top_flows: list[Flow]
    degrees: list[Degree]
    pagerank: list[Score]
    betweenness: list[Score]
    communities: list[Community]
    modularity: float


class Brokers(BaseModel):
    """Intermediaries (nodes with in- and out-flows) by betweenness, highest first."""

    summary: NetworkSummary
    sampled: int | None = Field(None, description="sources sampled for the estimate; None = exact")
    routes: BrokerRoutes = Field(
        "all", description="all: every route; informal: from holders of used packs to never-listed companies"
    )
    brokers: list[Score]


class SinkShare(BaseModel):
    """Where a source company's outflow ends (shares of its outflow, summing to 1)."""

    id: str
    name: str | None = None
    roles: list[str]
    licensed: bool
    outflow: float
    unlicensed: float = Field(description="retained by companies without a valid licence (not makers/automakers)")
    other_sinks: float = Field(description="retained by licensed companies, or new stock upstream")
    vehicles: float = Field(description="put back into vehicles")
    top_unlicensed_sinks: list[Score]


class SinkShares(BaseModel):
    summary: NetworkSummary
    method: str
    sources: list[SinkShare]


class Ring(BaseModel):
    """A custody cycle and the batteries that actually went round it."""

    companies: list[NodeRef]
    bottleneck: float = Field(description="smallest hand-over count on the cycle's edges")
    batteries: int
    kg: float
    codes: list[str] = Field(description="up to 100 of the batteries' codes; empty for analyst keys (aggregates only)")


class Rings(BaseModel):
    summary: NetworkSummary
    components: list[list[NodeRef]] = Field(description="strongly connected components of 2+ companies")
    rings: list[Ring]
    truncated: bool = Field(description="more cycles exist than were listed (raise limit or lower max_length)")


class CustodyPath(BaseModel):
    """The shortest chain of custody flows between two companies, and who really travelled it."""

    source: NodeRef
    target: NodeRef
    connected: bool
    path: list[NodeRef]
    hops: int | None
    batteries: int = Field(description="batteries handed over along the whole path, step by step")
    kg: float
    codes: list[str] = Field(description="up to 100 of the batteries' codes; empty for analyst keys (aggregates only)")


FadeBy = Literal["chemistry", "maker", "use"]


class FadeCell(BaseModel):
    """One group's health readings in one band of pack age."""

    group: str = Field(description="the chemistry, the maker's code, or the use: swap, vehicle, not_installed")
    group_name: str | None = Field(None, description="the maker's registered name (by=maker)")
    band: str = Field(description="the pack's age at the reading, in years: 0-2, 2-4, ... 10+")
    readings: int = Field(description="uncorrected health_measured readings")
    batteries: int = Field(description="distinct packs those readings are of")
    mean_soh_pct: float = Field(description="mean state of health of the readings, in % (one decimal)")
    min_soh_pct: float = Field(description="lowest reading, in %")
    max_soh_pct: float = Field(description="highest reading, in %")


class FadeTable(BaseModel):
    """Mean state of health by age band per chemistry, maker or use: how the fleet's packs fade."""

    by: FadeBy = Field(description="what the readings are grouped by")
    bands: list[str] = Field(description="every age band, youngest first (a group may lack some)")
    readings: int = Field(description="readings counted in all")
    cells: list[FadeCell] = Field(description="one per group and age band with readings, groups in name order")
    filters: Filters = Field(description="the filters applied, a province-limited key's provinces among them")
