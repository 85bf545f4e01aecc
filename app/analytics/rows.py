"""The rows the graph builders read: one type per ``analytics.*`` query's answer, defined once.

The repositories (``app.repositories.analytics``) make them from the database; tests and
notebooks make them by hand. A unit test holds each type's fields against its query's
``returns`` header. Frozen and slotted, built with positional arguments: the custody projection
streams many of them per request, so no validation per row (the query's header is the contract).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class CustodyFlowRow:
    """How custody intervals from one company ended (``analytics.custody_flows``), one outcome."""

    source: str
    target: str | None  # set only when outcome == "handover"
    outcome: str  # handover, kept, installed, recycled, ended
    batteries: int
    distinct_batteries: int
    unconfirmed: int
    kg: float


@dataclass(frozen=True, slots=True)
class CompanyRow:
    """Registry attributes of one company in a graph (``analytics.companies``)."""

    uscc: str
    name: str | None
    roles: list[str] | None
    province: str | None
    scopes: list[str]  # of the licences valid on the day asked about; empty = unlicensed


@dataclass(frozen=True, slots=True)
class SwapFlowRow:
    """Batteries moved from one swap station to another (``analytics.swap_flows``)."""

    source: str
    target: str
    batteries: int
    carried: int
    transferred: int
    distinct_batteries: int
    kg: float


@dataclass(frozen=True, slots=True)
class StationRow:
    """Registry attributes of one swap station in a graph (``analytics.stations``)."""

    id: str
    name: str | None
    operator: str | None
    province: str | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class InstallationRow:
    """A vehicle-battery pair and its installations (``analytics.installations``)."""

    vin: str
    code: str
    installations: int
    first_since: datetime
    last_until: datetime | None  # None while installed
    model: str | None = None
    category: str | None = None
    level: str | None = None
    chemistry: str | None = None
    status: str | None = None


@dataclass(frozen=True, slots=True)
class CustodyChainRow:
    """One battery's holders in time order (``analytics.custody_chains_between``, ``custody_revisits``).

    ``handover[i]`` tells whether ``holders[i]`` handed it to ``holders[i + 1]``.
    """

    code: str
    mass_kg: float | None
    holders: list[str]
    handover: list[bool]
