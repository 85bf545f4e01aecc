"""The HTTP side of security: reading the key header, charging the rate limit, admitting roles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from app.security import KeyStore, Principal, RateLimiter, Role, check_role
from app.services.claims import Actor

api_key_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="An API key from `batterytrace keys create`; its role decides what it may do.",
)


def principal(request: Request, presented: Annotated[str | None, Security(api_key_header)]) -> Principal:
    """Authenticate the request's key and charge its rate limit."""
    keys: KeyStore = request.app.state.keys
    who = keys.authenticate(presented)
    request.state.principal = who
    limiter: RateLimiter = request.app.state.rate_limiter
    limiter.take(who.key_id)
    return who


def require(*roles: Role) -> Callable[..., Principal]:
    """A dependency admitting only the given roles (403 names the role and what it may not do)."""

    def check(request: Request, who: Annotated[Principal, Depends(principal)]) -> Principal:
        check_role(who, roles, request.method, request.url.path)
        return who

    return check


PrincipalDep = Annotated[Principal, Depends(principal)]


def actor_of(who: Principal) -> Actor:
    """The sender of a batch as the claim checks see it: only an admin may void others' events."""
    return Actor(who.name, admin=who.role == "admin", key_id=who.key_id)


def note_for_audit(request: Request, voided_for_others: list[str]) -> None:
    """What the audit entry of this write must name beyond who and where: others' events voided."""
    if voided_for_others:
        request.state.audit_note = "admin voided " + "; ".join(voided_for_others)
