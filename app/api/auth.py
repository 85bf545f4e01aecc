"""The HTTP side of security: reading the key header, charging the rate limit, admitting roles.

Every route but the public ones depends on ``admitted``, which admits the roles the route's entry
in the route table (``app.security.policy.ROUTES``) names: the table is the one place to read who
may call what.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader
from starlette.concurrency import run_in_threadpool

from app.security import KeyStore, Principal, RateLimiter, check_route
from app.services.claims import Actor

api_key_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="An API key from `batterytrace keys create`; its role decides what it may do.",
)


async def principal(request: Request, presented: Annotated[str | None, Security(api_key_header)]) -> Principal:
    """Authenticate the request's key and charge its rate limit. On the event loop (a sync
    dependency is a thread hop of its own on every request); only a key the cache does not
    hold, or holds no longer, is looked up in Neo4j, in a worker thread."""
    keys: KeyStore = request.app.state.keys
    who = keys.authenticate_cached(presented)
    if who is None:
        who = await run_in_threadpool(keys.authenticate, presented)
    request.state.principal = who
    limiter: RateLimiter = request.app.state.rate_limiter
    limiter.take(who.key_id)
    return who


async def admitted(request: Request, who: Annotated[Principal, Depends(principal)]) -> Principal:
    """The principal, once the route table admits its role for this route (403 naming the role)."""
    route = request.scope.get("route")
    template = str(getattr(route, "path", request.url.path))
    check_route(who, request.method, template, request.url.path)
    return who


#: The admitted principal, for routes that narrow their answer by it.
Admitted = Annotated[Principal, Depends(admitted)]
#: For routers: every route of the router goes through the route table.
ADMITTED = [Depends(admitted)]


def actor_of(who: Principal) -> Actor:
    """The sender of a batch as the claim checks see it: only an admin may void others' events."""
    return Actor(who.name, admin=who.role == "admin", key_id=who.key_id)


def note_for_audit(request: Request, voided_for_others: list[str]) -> None:
    """What the audit entry of this write must name beyond who and where: others' events voided."""
    if voided_for_others:
        request.state.audit_note = "admin voided " + "; ".join(voided_for_others)
