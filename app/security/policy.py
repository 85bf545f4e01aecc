"""Who may call which route: the one declared table, read by the routes' admission check.

Every route of the API has an entry here under its method and path template. The admission
dependency (``app.api.auth.admitted``) looks the request's route up and refuses a role the entry
does not name (403 naming the role); a route without an entry refuses everyone, and
``tests/security/test_route_table.py`` walks the app's routes, fails on a route without an entry
and calls every route as every role to hold the answers to this table.

Beyond the roles, an entry says how a route treats the narrower keys:

- ``provinces``: what a regulator key limited to provinces sees. ``all``: the same as any
  regulator (registry records, the rule catalogue). ``filter``: lists, findings, summaries and
  networks are narrowed to its provinces, and a ``province=`` outside them is 403. ``hide``: one
  battery, vehicle or station outside its provinces answers 404, as if unknown (so the key does
  not learn it exists).
- ``analyst``: ``refused`` (not in ``roles``), ``aggregates`` (admitted, answered without a single
  battery's code or vehicle's VIN), or ``same``.
- ``reporter``: ``own`` when a reporter sees only what concerns its own company.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.errors import Forbidden
from app.security.access import Principal, Role, check_role

ProvinceScope = Literal["all", "filter", "hide"]
AnalystView = Literal["same", "aggregates"]

ANY: tuple[Role, ...] = ("reporter", "investigator", "regulator", "analyst", "admin")
READERS: tuple[Role, ...] = ("investigator", "regulator", "admin")
NETWORKS: tuple[Role, ...] = ("analyst", "regulator", "investigator", "admin")
WRITERS: tuple[Role, ...] = ("reporter", "admin")
ADMIN: tuple[Role, ...] = ("admin",)


@dataclass(frozen=True)
class Access:
    """The roles a route admits and how it narrows what the narrower keys see."""

    roles: tuple[Role, ...]
    provinces: ProvinceScope = "all"
    analyst: AnalystView = "same"
    reporter_own: bool = False
    public: bool = False  # no key at all (health checks, the UI redirect)
    #: Public answers from the data: charged to the client address's bucket, audited as ``public:<address>``.
    per_client: bool = False


PUBLIC = Access((), public=True)
#: The public answers (``/public/...``, docs/public.md): read-only, rate-limited per client address.
PUBLIC_ANSWER = Access((), public=True, per_client=True)

ROUTES: dict[tuple[str, str], Access] = {
    ("GET", "/"): PUBLIC,
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/readyz"): PUBLIC,
    # a battery's Digital Link (its QR code): a redirect decided from the code alone, the same for
    # known and unknown batteries; what it leads to asks for a key
    ("GET", "/battery/{code}"): PUBLIC,
    # the API's documentation: what /openapi.json already says to anyone
    ("GET", "/docs"): PUBLIC,
    ("GET", "/docs/oauth2-redirect"): PUBLIC,
    ("GET", "/redoc"): PUBLIC,
    # the public answers for vehicle owners: the white list, one company's licence, what a code says
    # (a stage and advice, never holders, vehicles or dates); no listing route
    ("GET", "/public/recyclers"): PUBLIC_ANSWER,
    ("GET", "/public/companies/{uscc}/licence"): PUBLIC_ANSWER,
    ("GET", "/public/batteries/{code}"): PUBLIC_ANSWER,
    # capture
    ("POST", "/v1/events"): Access(WRITERS, reporter_own=True),
    ("POST", "/v1/epcis/capture"): Access(WRITERS, reporter_own=True),
    # EPCIS out: events as GS1 writes them (a reporter: its own; a province-limited key: its provinces)
    ("GET", "/v1/epcis/events"): Access((*READERS, "reporter"), provinces="filter", reporter_own=True),
    # registries: companies and stations are public records for every key; vehicles are not
    ("PUT", "/v1/registry/companies"): Access(ADMIN),
    ("PUT", "/v1/registry/stations"): Access(ADMIN),
    ("PUT", "/v1/registry/vehicles"): Access(ADMIN),
    ("GET", "/v1/companies"): Access(ANY),
    ("GET", "/v1/companies/{uscc}"): Access(ANY),
    # a reporter's own compliance view (an admin names the company)
    ("GET", "/v1/companies/me/findings"): Access(WRITERS, reporter_own=True),
    # its own latest submissions, their receipts and warnings
    ("GET", "/v1/companies/me/events"): Access(WRITERS, reporter_own=True),
    ("GET", "/v1/stations"): Access(ANY),
    ("GET", "/v1/stations/{station_id}"): Access(ANY),
    ("GET", "/v1/vehicles/{vin}"): Access(READERS, provinces="hide"),
    # single batteries, vehicles, stations' swaps
    ("GET", "/v1/batteries"): Access((*READERS, "reporter"), provinces="filter", reporter_own=True),
    ("GET", "/v1/batteries/{code}"): Access((*READERS, "reporter"), provinces="hide", reporter_own=True),
    ("GET", "/v1/batteries/{code}/trace"): Access((*READERS, "reporter"), provinces="hide", reporter_own=True),
    ("GET", "/v1/batteries/{code}/epcis"): Access((*READERS, "reporter"), provinces="hide", reporter_own=True),
    ("GET", "/v1/batteries/{code}/provenance"): Access((*READERS, "reporter"), provinces="hide", reporter_own=True),
    ("GET", "/v1/batteries/{code}/verify"): Access((*READERS, "reporter"), provinces="hide", reporter_own=True),
    # the investigator's dossier: as the trace; a reporter's holds only the findings naming its company
    ("GET", "/v1/batteries/{code}/dossier.pdf"): Access((*READERS, "reporter"), provinces="hide", reporter_own=True),
    ("GET", "/v1/batteries/{code}/components"): Access((*READERS, "reporter"), provinces="hide", reporter_own=True),
    ("GET", "/v1/batteries/{code}/passport"): Access((*READERS, "reporter"), provinces="hide", reporter_own=True),
    ("GET", "/v1/batteries/{code}/qr"): Access((*READERS, "reporter"), provinces="hide", reporter_own=True),
    ("GET", "/v1/vehicles/{vin}/batteries"): Access(READERS, provinces="hide"),
    ("GET", "/v1/stations/{station_id}/swaps"): Access(READERS, provinces="hide"),
    # search: each kind as the key reads it (a reporter: its own batteries; a province-limited key:
    # its provinces; an analyst: companies and stations, never a code or VIN)
    ("GET", "/v1/search"): Access(ANY, provinces="filter", analyst="aggregates", reporter_own=True),
    # administration
    ("POST", "/v1/admin/checkpoints"): Access(ADMIN),
    ("GET", "/v1/admin/checkpoints"): Access(ADMIN),
    ("GET", "/v1/admin/audit"): Access(ADMIN),
    ("GET", "/v1/admin/audit/verify"): Access(ADMIN),
    ("GET", "/v1/admin/keys"): Access(ADMIN),
    # networks: company and station nodes are aggregates; battery codes and VINs are not
    ("GET", "/v1/analytics/vehicle-batteries"): Access(READERS, provinces="filter"),
    ("GET", "/v1/analytics/health/fade"): Access(NETWORKS, provinces="filter"),
    ("GET", "/v1/analytics/custody/sinks"): Access(NETWORKS, provinces="filter"),
    ("GET", "/v1/analytics/custody/rings"): Access(NETWORKS, provinces="filter", analyst="aggregates"),
    ("GET", "/v1/analytics/custody/path"): Access(NETWORKS, provinces="filter", analyst="aggregates"),
    ("GET", "/v1/analytics/{network}/graph"): Access(NETWORKS, provinces="filter"),
    ("GET", "/v1/analytics/{network}/metrics"): Access(NETWORKS, provinces="filter"),
    ("GET", "/v1/analytics/{network}/brokers"): Access(NETWORKS, provinces="filter"),
    ("GET", "/v1/analytics/{network}/export"): Access(NETWORKS, provinces="filter"),
    ("GET", "/v1/analytics/{network}/plot"): Access(NETWORKS, provinces="filter"),
    # leakage: findings name single batteries; the summary is aggregate figures
    ("GET", "/v1/leakage/rules"): Access(("investigator", "regulator", "analyst", "admin")),
    ("GET", "/v1/leakage/summary"): Access(("regulator", "analyst", "admin"), provinces="filter"),
    ("GET", "/v1/leakage/recovery"): Access(("regulator", "analyst", "admin"), provinces="filter"),
    ("GET", "/v1/leakage/{rule}"): Access(READERS, provinces="filter"),
    ("GET", "/v1/leakage/{rule}/export"): Access(READERS, provinces="filter"),
    # stored findings as cases: regulators work them, the company named answers them
    ("GET", "/v1/findings"): Access((*READERS, "reporter"), provinces="filter", reporter_own=True),
    ("GET", "/v1/findings/export"): Access((*READERS, "reporter"), provinces="filter", reporter_own=True),
    ("GET", "/v1/findings/changes"): Access((*READERS, "reporter"), provinces="filter", reporter_own=True),
    ("GET", "/v1/findings/daily"): Access(("regulator", "analyst", "admin"), provinces="filter"),
    ("POST", "/v1/findings/sweep"): Access(ADMIN),
    ("GET", "/v1/findings/{finding_id}"): Access((*READERS, "reporter"), provinces="hide", reporter_own=True),
    ("PATCH", "/v1/findings/{finding_id}"): Access(("regulator", "admin"), provinces="hide"),
    ("POST", "/v1/findings/{finding_id}/answer"): Access(("reporter",), reporter_own=True),
    ("GET", "/v1/companies/me/duties"): Access(WRITERS, reporter_own=True),
    ("GET", "/v1/vocabularies"): Access(ANY),
    # the verifiable log: heads and consistency for every key, the public key for anyone; an event's
    # inclusion and a battery's bundle as its reads (a reporter's own only)
    ("GET", "/v1/log/head"): Access(ANY),
    ("GET", "/v1/log/public-key"): PUBLIC,
    ("GET", "/v1/log/proof/inclusion"): Access((*READERS, "reporter"), reporter_own=True),
    ("GET", "/v1/log/proof/consistency"): Access(ANY),
    ("GET", "/v1/batteries/{code}/proof"): Access((*READERS, "reporter"), provinces="hide", reporter_own=True),
}


def access_for(method: str, template: str) -> Access | None:
    """The entry of a route by its method and path template (``/v1/batteries/{code}``); None when undeclared."""
    return ROUTES.get((method.upper(), template))


def check_route(who: Principal, method: str, template: str, path: str) -> Access:
    """The route's entry once the key's role is admitted; 403 naming the role otherwise, and for
    a route nobody declared (it fails closed)."""
    access = access_for(method, template)
    if access is None or access.public:
        raise Forbidden(f"{method} {template} has no entry in the route table; no key may call it")
    check_role(who, access.roles, method, path)
    return access
