"""Every route against the route table (``app.security.policy.ROUTES``), as every kind of key.

The routes are walked from the app itself: a route without an entry fails here, so a new route
cannot ship without saying who may call it. Each route is then called for real, against the test
Neo4j and a small world, by a reporter (the maker, which produced the sample battery), an
investigator, a regulator, a regulator limited to a province the world never touches (Xinjiang),
an analyst, an admin and no key, and must answer what the table says: 200 for an admitted role
(404 for a limited regulator on a route that hides what lies outside its provinces), 403 for the
others, 401 without a key, and a success for the public routes whoever asks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from app.api.auth import admitted
from app.config import Settings
from app.db import Database
from app.main import create_app
from app.security import ROUTES, Access, issue_key
from tests.factories import (
    AUTOMAKER,
    MAKER,
    STATION_A,
    SWAP_OP,
    Events,
    day,
    first_life,
    pack,
    seed_registry,
    vin,
)

CODE, VIN = pack(1), vin(1)
OUTSIDE = ["650000"]  # Xinjiang: no company, station or event of the world is there
COLUMNS = ("reporter", "investigator", "regulator", "regulator-limited", "analyst", "admin", None)
FINDING = "<the maker's stored finding>"  # replaced by the id the world's first sweep stores
REPAIR = Events("table").repaired(CODE, day(40), reporter=MAKER)
EPCIS = {
    "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
    "type": "EPCISDocument",
    "schemaVersion": "2.0",
    "creationDate": "2024-05-01T09:00:00+08:00",
    "epcisBody": {
        "eventList": [
            {
                "type": "ObjectEvent",
                "eventID": "urn:uuid:5b0e8f6c-1d2a-4e7b-9c3d-00000000a001",
                "eventTime": "2024-04-20T09:00:00+08:00",
                "eventTimeZoneOffset": "+08:00",
                "epcList": [f"urn:gbt34014:battery:{CODE}"],
                "action": "OBSERVE",
                "bizStep": "repairing",
                "readPoint": {"id": f"urn:gbt32100:uscc:{MAKER}"},
            }
        ]
    },
}


@dataclass(frozen=True)
class Sample:
    """A real request for a route template: its path, query and body."""

    path: str
    params: dict[str, Any] = field(default_factory=dict)
    json: Any = None


SAMPLES: dict[tuple[str, str], Sample] = {
    ("GET", "/"): Sample("/"),
    ("GET", "/healthz"): Sample("/healthz"),
    ("GET", "/readyz"): Sample("/readyz"),
    ("GET", "/battery/{code}"): Sample(f"/battery/{CODE}"),
    # the public answers: 7 columns x 3 routes stay within one address's burst (PUBLIC_RATE_LIMIT_BURST)
    ("GET", "/public/recyclers"): Sample("/public/recyclers", {"province": "320000"}),
    ("GET", "/public/companies/{uscc}/licence"): Sample(f"/public/companies/{MAKER}/licence"),
    ("GET", "/public/batteries/{code}"): Sample(f"/public/batteries/{CODE}"),
    ("GET", "/docs"): Sample("/docs"),
    ("GET", "/docs/oauth2-redirect"): Sample("/docs/oauth2-redirect"),
    ("GET", "/redoc"): Sample("/redoc"),
    ("POST", "/v1/events"): Sample("/v1/events", json={"events": [REPAIR]}),
    ("POST", "/v1/epcis/capture"): Sample("/v1/epcis/capture", json=EPCIS),
    ("GET", "/v1/epcis/events"): Sample("/v1/epcis/events", {"MATCH_epc": f"urn:gbt34014:battery:{CODE}"}),
    ("PUT", "/v1/registry/companies"): Sample(
        "/v1/registry/companies",
        json={"companies": [{"uscc": AUTOMAKER, "name": "Lotus Motors", "roles": ["automaker"], "province": "310000"}]},
    ),
    ("PUT", "/v1/registry/stations"): Sample(
        "/v1/registry/stations",
        json={"stations": [{"id": STATION_A, "operator": SWAP_OP, "province": "110000", "name": "A"}]},
    ),
    ("PUT", "/v1/registry/vehicles"): Sample(
        "/v1/registry/vehicles",
        json={"vehicles": [{"vin": VIN, "maker": AUTOMAKER, "model": "L1", "category": "passenger_bev"}]},
    ),
    ("GET", "/v1/companies"): Sample("/v1/companies"),
    ("GET", "/v1/companies/{uscc}"): Sample(f"/v1/companies/{MAKER}"),
    ("GET", "/v1/companies/me/findings"): Sample(
        "/v1/companies/me/findings", {"company": MAKER, "rule": "silent_battery"}
    ),
    ("GET", "/v1/companies/me/events"): Sample("/v1/companies/me/events", {"company": MAKER}),
    ("GET", "/v1/stations"): Sample("/v1/stations"),
    ("GET", "/v1/stations/{station_id}"): Sample(f"/v1/stations/{STATION_A}"),
    ("GET", "/v1/vehicles/{vin}"): Sample(f"/v1/vehicles/{VIN}"),
    ("GET", "/v1/batteries"): Sample("/v1/batteries"),
    ("GET", "/v1/batteries/{code}"): Sample(f"/v1/batteries/{CODE}"),
    ("GET", "/v1/batteries/{code}/trace"): Sample(f"/v1/batteries/{CODE}/trace"),
    ("GET", "/v1/batteries/{code}/epcis"): Sample(f"/v1/batteries/{CODE}/epcis"),
    ("GET", "/v1/batteries/{code}/provenance"): Sample(f"/v1/batteries/{CODE}/provenance", {"format": "prov-o"}),
    ("GET", "/v1/batteries/{code}/dossier.pdf"): Sample(f"/v1/batteries/{CODE}/dossier.pdf"),
    ("GET", "/v1/batteries/{code}/verify"): Sample(f"/v1/batteries/{CODE}/verify"),
    ("GET", "/v1/batteries/{code}/components"): Sample(f"/v1/batteries/{CODE}/components"),
    ("GET", "/v1/batteries/{code}/passport"): Sample(f"/v1/batteries/{CODE}/passport"),
    ("GET", "/v1/batteries/{code}/qr"): Sample(f"/v1/batteries/{CODE}/qr", {"format": "png"}),
    ("GET", "/v1/vehicles/{vin}/batteries"): Sample(f"/v1/vehicles/{VIN}/batteries"),
    ("GET", "/v1/stations/{station_id}/swaps"): Sample(f"/v1/stations/{STATION_A}/swaps"),
    ("GET", "/v1/search"): Sample("/v1/search", {"q": CODE[-8:]}),
    ("POST", "/v1/admin/checkpoints"): Sample("/v1/admin/checkpoints"),
    ("GET", "/v1/admin/checkpoints"): Sample("/v1/admin/checkpoints"),
    ("GET", "/v1/admin/audit"): Sample("/v1/admin/audit"),
    ("GET", "/v1/admin/audit/verify"): Sample("/v1/admin/audit/verify"),
    ("GET", "/v1/admin/keys"): Sample("/v1/admin/keys"),
    ("GET", "/v1/analytics/vehicle-batteries"): Sample("/v1/analytics/vehicle-batteries", {"vin": VIN}),
    ("GET", "/v1/analytics/health/fade"): Sample("/v1/analytics/health/fade", {"by": "maker"}),
    ("GET", "/v1/analytics/custody/sinks"): Sample("/v1/analytics/custody/sinks"),
    ("GET", "/v1/analytics/custody/rings"): Sample("/v1/analytics/custody/rings"),
    ("GET", "/v1/analytics/custody/path"): Sample("/v1/analytics/custody/path", {"source": MAKER, "target": AUTOMAKER}),
    ("GET", "/v1/analytics/{network}/graph"): Sample("/v1/analytics/custody/graph"),
    ("GET", "/v1/analytics/{network}/metrics"): Sample("/v1/analytics/custody/metrics"),
    ("GET", "/v1/analytics/{network}/brokers"): Sample("/v1/analytics/swaps/brokers"),
    ("GET", "/v1/analytics/{network}/export"): Sample("/v1/analytics/custody/export"),
    ("GET", "/v1/analytics/{network}/plot"): Sample("/v1/analytics/custody/plot"),
    ("GET", "/v1/leakage/rules"): Sample("/v1/leakage/rules"),
    ("GET", "/v1/leakage/summary"): Sample("/v1/leakage/summary"),
    ("GET", "/v1/leakage/recovery"): Sample("/v1/leakage/recovery", {"format": "csv"}),
    ("GET", "/v1/leakage/{rule}"): Sample("/v1/leakage/silent_battery"),
    ("GET", "/v1/leakage/{rule}/export"): Sample("/v1/leakage/silent_battery/export", {"format": "json"}),
    ("GET", "/v1/findings"): Sample("/v1/findings"),
    ("GET", "/v1/findings/export"): Sample("/v1/findings/export"),
    ("GET", "/v1/findings/changes"): Sample("/v1/findings/changes"),
    ("GET", "/v1/findings/daily"): Sample("/v1/findings/daily"),
    ("POST", "/v1/findings/sweep"): Sample("/v1/findings/sweep"),
    ("GET", "/v1/findings/{finding_id}"): Sample(f"/v1/findings/{FINDING}"),
    ("PATCH", "/v1/findings/{finding_id}"): Sample(f"/v1/findings/{FINDING}", json={"note": "seen"}),
    ("POST", "/v1/findings/{finding_id}/answer"): Sample(f"/v1/findings/{FINDING}/answer", json={"note": "on it"}),
    ("GET", "/v1/companies/me/duties"): Sample("/v1/companies/me/duties", {"company": MAKER}),
    ("GET", "/v1/vocabularies"): Sample("/v1/vocabularies"),
    ("GET", "/v1/log/head"): Sample("/v1/log/head"),
    ("GET", "/v1/log/public-key"): Sample("/v1/log/public-key"),
    ("GET", "/v1/log/proof/inclusion"): Sample("/v1/log/proof/inclusion", {"event_id": "world-0001"}),  # MAKER's
    ("GET", "/v1/log/proof/consistency"): Sample("/v1/log/proof/consistency", {"from": 1}),
    ("GET", "/v1/batteries/{code}/proof"): Sample(f"/v1/batteries/{CODE}/proof"),
}


def api_routes(app: FastAPI) -> Iterator[tuple[str, str, APIRoute]]:
    """(method, path template, route) of every APIRoute the app serves, however routers nest."""
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            for method in sorted(route.methods):
                yield method, str(context.path), route


def _depends_on(dependant: Dependant, call: Callable[..., Any]) -> bool:
    return dependant.call is call or any(_depends_on(d, call) for d in dependant.dependencies)


def expected(access: Access, column: str | None) -> int:
    """The status the table promises this kind of key."""
    if access.public:
        return 200
    if column is None:
        return 401
    role = "regulator" if column == "regulator-limited" else column
    if role not in access.roles:
        return 403
    if column == "regulator-limited" and access.provinces == "hide":
        return 404
    return 200


@pytest.fixture(scope="module")
def served(settings: Settings) -> FastAPI:
    return create_app(settings)


def test_every_route_has_an_entry_and_goes_through_it(served: FastAPI) -> None:
    routes = list(api_routes(served))
    assert routes
    missing = sorted((m, p) for m, p, _ in routes if (m, p) not in ROUTES)
    assert missing == [], "routes without an entry in app.security.policy.ROUTES"
    unadmitted = sorted(
        (m, p) for m, p, r in routes if not ROUTES[(m, p)].public and not _depends_on(r.dependant, admitted)
    )
    assert unadmitted == [], "routes that do not check the route table (depend on app.api.auth.admitted)"
    served_keys = {(m, p) for m, p, _ in routes}
    stale = sorted(k for k in ROUTES if k not in served_keys and k != ("GET", "/"))  # "/": only with a UI build
    assert stale == [], "entries for routes that no longer exist"
    assert sorted(k for k in served_keys if k not in SAMPLES) == [], "routes without a sample request in this test"


def test_every_route_answers_every_role_as_the_table_says(
    client: TestClient, app_client: TestClient, db: Database, key_for: Callable[..., str]
) -> None:
    seed_registry(db)
    ev = Events("world")
    world = [*first_life(ev, CODE, VIN), ev.produced(pack(2), day(0)), ev.shipped(pack(2), AUTOMAKER, day(1), MAKER)]
    assert client.post("/v1/events", json={"events": world}).status_code == 200
    # A stored finding naming the reporter: pack 2, shipped and never received (lost in transit).
    assert client.post("/v1/findings/sweep").status_code == 200
    makers = client.get("/v1/findings", params={"company": MAKER}).json()["items"]
    assert makers, "the world's sweep stores a finding naming the maker"
    finding = makers[0]["id"]
    keys: dict[str | None, str | None] = {
        "reporter": key_for("reporter", MAKER),
        "investigator": key_for("investigator"),
        "regulator": key_for("regulator"),
        "regulator-limited": issue_key(db, "regulator", "test limited regulator", provinces=OUTSIDE).key,
        "analyst": key_for("analyst"),
        "admin": key_for("admin"),
        None: None,
    }
    app_client.headers.pop("X-API-Key", None)  # ``client`` shares this TestClient; each request names its key
    wrong: list[str] = []
    for method, template, _ in api_routes(app_client.app):  # type: ignore[arg-type]
        access, sample = ROUTES.get((method, template)), SAMPLES.get((method, template))
        if access is None or sample is None:
            wrong.append(f"{method} {template}: no entry in the route table or no sample here")
            continue
        for column in COLUMNS:
            key = keys[column]
            res = app_client.request(
                method,
                sample.path.replace(FINDING, finding),
                params=sample.params,
                json=sample.json,
                headers={"X-API-Key": key} if key else {},
                follow_redirects=False,
            )
            want = expected(access, column)
            got = res.status_code
            if got != want and not (want == 200 and access.public and got < 400):
                wrong.append(f"{method} {template} as {column or 'no key'}: {got}, table says {want}: {res.text[:200]}")
    assert wrong == []
