"""EPCIS 2.0 for companies that already keep GS1 event data: capture in, the query interface out."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import Response

from app.api.auth import Admitted, actor_of, note_for_audit
from app.api.deps import DbDep, JsonLdBody, LinkBaseDep, SettingsDep, SigningDep
from app.api.params import AwareQuery
from app.schemas.epcis import EpcisCaptureResult
from app.schemas.examples import EPCIS_EXAMPLES
from app.security import check_reporter_events, province_scope
from app.services import epcis_query, passport
from app.services.epcis import capture_document

JSON_LD = "application/ld+json"
# What GS1's REST binding has every answer say of itself.
VERSIONS = {"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"}

router = APIRouter(prefix="/v1/epcis", tags=["epcis"])


@router.post(
    "/capture",
    responses={
        415: {"description": "a body that is not sent as application/ld+json or application/json"},
        422: {"description": "every problem, by EPCIS event index, field and reason; nothing stored"},
    },
)
def capture(
    document: Annotated[
        dict[str, Any],
        Body(description="an EPCISDocument (JSON-LD); see docs/epcis.md", openapi_examples=EPCIS_EXAMPLES),
    ],
    db: DbDep,
    settings: SettingsDep,
    signing: SigningDep,
    request: Request,
    who: Admitted,
    link_base: LinkBaseDep,
    _json: JsonLdBody,
) -> EpcisCaptureResult:
    """Map CBV business steps onto v1 events and store them atomically; resending is safe."""
    result = capture_document(
        db,
        document,
        settings.max_batch_events,
        authorize=lambda r: check_reporter_events(who, r),
        actor=actor_of(who),
        signing=signing,
        battery_prefixes=(passport.digital_link_prefix(link_base),),
    )
    note_for_audit(request, result.voided_for_others)
    return result


@router.get(
    "/events",
    response_class=Response,
    responses={
        200: {
            "description": 'an EPCISQueryDocument (JSON-LD); a `Link` header with rel="next" when more follow',
            "content": {JSON_LD: {"schema": {"type": "object"}}},
        },
        422: {"description": "a parameter that cannot be read, named with the reason"},
    },
)
def query_events(
    db: DbDep,
    settings: SettingsDep,
    who: Admitted,
    request: Request,
    match_epc: Annotated[
        list[str],
        Query(
            alias="MATCH_epc",
            description="batteries (urn:gbt34014:battery:<code>) or vehicles (urn:vin:<VIN>); "
            "repeat the parameter or separate with |",
        ),
    ] = [],  # noqa: B006  (FastAPI copies list defaults)
    bizstep: Annotated[
        str | None, Query(alias="EQ_bizStep", description="a CBV step (bare, URN or web URI) or bt:repurposing")
    ] = None,
    since: Annotated[datetime | None, AwareQuery("GE_eventTime", "events at or after this moment (RFC 3339)")] = None,
    before: Annotated[datetime | None, AwareQuery("LT_eventTime", "events before this moment (RFC 3339)")] = None,
    location: Annotated[
        str | None, Query(alias="EQ_bizLocation", description="a swap station, urn:batterytrace:station:<id>")
    ] = None,
    per_page: Annotated[int | None, Query(alias="perPage", ge=1, description="events per page")] = None,
    token: Annotated[
        str | None, Query(alias="nextPageToken", max_length=32, description="from the previous page's Link header")
    ] = None,
) -> Response:
    """EPCIS 2.0 events query: the stored events as GS1 writes them, in the order the verifiable log
    holds them (a reporter key: its company's own events); capture them elsewhere and they map back
    to the same events (docs/epcis.md)."""
    size = min(per_page or settings.default_page_size, settings.max_page_size)
    query = epcis_query.read_query(
        epcs=match_epc, bizstep=bizstep, since=since, before=before, location=location, token=token, per_page=size
    )
    page = epcis_query.run_query(
        db,
        query,
        reporter=who.company if who.role == "reporter" else None,
        provinces=province_scope(who),
    )
    headers = dict(VERSIONS)
    if page.next_token is not None:
        kept = [(k, v) for k, v in request.query_params.multi_items() if k != "nextPageToken"]
        link = f"{request.url.path}?{urlencode([*kept, ('nextPageToken', page.next_token)])}"
        headers["Link"] = f'<{link}>; rel="next"'
    return Response(json.dumps(page.document, ensure_ascii=False), media_type=JSON_LD, headers=headers)
