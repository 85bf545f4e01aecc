"""The OpenAPI document, with every answer an operation can give derived from the code that gives it.

FastAPI documents a route's own answers. The refusals around it come from elsewhere: the key and
the route table (401, 403, 429), the body guards (413 from ``app.middleware.BodyLimit``, 415 from
the media check of ``app.api.deps``), validation and the bookmark header (422), path identifiers
(404) and the database or the audit trail (503). Writing them on each route would drift from the
code; this module reads the route table and each route's dependencies once, when the document is
first asked for, and adds what applies. What a route declares itself is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts

from app.api.deps import get_db
from app.config import Settings
from app.errors import BOOKMARK_HEADER, PROBLEM_SCHEMA
from app.security.access import ROLES
from app.security.policy import Access, access_for

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
RETRY_AFTER = {
    "Retry-After": {
        "description": "seconds to wait before sending the request again",
        "schema": {"type": "integer"},
    }
}
#: FastAPI's wording of its own 422, replaced by ours.
_DEFAULT_422 = "Validation Error"

Operation = dict[str, Any]


def install_openapi(app: FastAPI, settings: Settings) -> None:
    """Build the document once, on first request, with the derived answers of every operation."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components["Problem"] = PROBLEM_SCHEMA
            components.pop("HTTPValidationError", None)
            components.pop("ValidationError", None)
            dependants = {
                (m, str(c.path)): getattr(c, "dependant", c.original_route.dependant)
                for c in iter_route_contexts(app.routes)
                if isinstance(c.original_route, APIRoute)
                for m in c.original_route.methods or ()
            }
            for method, path, op in operations(schema):
                dependant = dependants.get((method.upper(), path))
                document_answers(op, method, path, _calls(dependant) if dependant else [], settings)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _calls(dependant: Dependant) -> list[Callable[..., Any]]:
    """Every dependency a route runs, however deeply nested."""
    out: list[Callable[..., Any]] = []
    for dep in dependant.dependencies:
        if dep.call is not None:
            out.append(dep.call)
        out.extend(_calls(dep))
    return out


def document_answers(
    op: Operation, method: str, path: str, calls: list[Callable[..., Any]], settings: Settings
) -> None:
    """Add to ``op`` the answers the guards around its route give, as the route table and its dependencies say."""
    access = access_for(method, path)
    keyed = access is None or not access.public  # an undeclared route refuses every key (403)
    per_client = access is not None and access.per_client
    has_body = "requestBody" in op
    media = [m for call in calls for m in getattr(call, "media_types", ())]
    responses: dict[str, Any] = op.setdefault("responses", {})

    def add(status: int, description: str, example: dict[str, Any], retry: bool = False) -> None:
        answer = responses.setdefault(str(status), {"description": description})
        if status == 422 and answer.get("description") == _DEFAULT_422:
            answer["description"] = description
        answer["content"] = {"application/json": {"schema": PROBLEM_REF, "example": example}}
        if retry:
            answer["headers"] = RETRY_AFTER

    if keyed:
        add(
            401,
            "no `X-API-Key`, or one that is malformed, unknown, revoked or expired",
            _detail("missing API key: send it in the X-API-Key header"),
        )
        refusal, example = _forbidden(access, method.upper(), path)
        if refusal or "403" in responses:
            add(403, refusal, _detail(example))
    parameters = [p for p in op.get("parameters", []) if p.get("in") == "path"]
    if parameters and not per_client:  # the public answers say "unknown" in a 200, never 404
        hidden = access is not None and access.provinces == "hide"
        named = ", ".join(f"`{p['name']}`" for p in parameters if "enum" not in p.get("schema", {}))
        if named or "404" in responses:
            add(
                404,
                f"nothing is stored under this {named}"
                + ("; also one outside a province-limited key's provinces, as if unknown" if hidden else ""),
                _detail(f"{parameters[0]['name']} ... is not known"),
            )
    if has_body:
        add(
            413,
            f"the body is over {settings.max_body_bytes} bytes (setting MAX_BODY_BYTES): split it",
            _detail(f"request body over {settings.max_body_bytes} bytes; split the batch"),
        )
        _accept(op, media)
    if media:
        add(
            415,
            f"a body sent as another media type than {' or '.join(media)}",
            _detail(f"unsupported media type: a body of media type 'text/plain'; send it as {' or '.join(media)}"),
        )
    add(422, _invalid(op, has_body), _invalid_example(op, has_body, path))
    if keyed:
        add(
            429,
            "over the key's rate limit (RATE_LIMIT_PER_MINUTE, bursts up to RATE_LIMIT_BURST): "
            "wait `Retry-After` seconds",
            _detail(f"rate limit of {settings.rate_limit_per_minute} requests per minute for this key"),
            retry=True,
        )
    if per_client:
        add(
            429,
            "over the client address's rate limit (PUBLIC_RATE_LIMIT_PER_MINUTE, bursts up to "
            "PUBLIC_RATE_LIMIT_BURST; IPv6 addresses share one per /64): wait `Retry-After` seconds",
            _detail(
                f"rate limit of {settings.public_rate_limit_per_minute} requests per minute for this client address"
            ),
            retry=True,
        )
    if keyed or get_db in calls:
        add(
            503,
            "Neo4j is unavailable, or the audit trail cannot be written: nothing was stored; "
            "retry after `Retry-After` seconds",
            _detail("the graph database is unavailable; retry later"),
            retry=True,
        )
    for status, answer in responses.items():
        if status[0] in "45" and not answer.get("content"):
            answer["content"] = {"application/json": {"schema": PROBLEM_REF}}


def _detail(text: str) -> dict[str, Any]:
    return {"detail": text}


def _forbidden(access: Access | None, method: str, path: str) -> tuple[str, str]:
    """Why a known key may be refused here, as the route table says, and one refusal in the API's
    words; empty when every key is admitted."""
    if access is None:
        said = f"{method} {path} has no entry in the route table; no key may call it"
        return "no key may call a route the route table does not declare", said
    reasons, examples = [], []
    refused = [r for r in ROLES if r not in access.roles]
    if refused:
        reasons.append(f"a key whose role may not call this route (admitted: {', '.join(access.roles)})")
        examples.append(f"role {refused[0]} may not {method} {path}; allowed: {', '.join(access.roles)}")
    if access.provinces == "filter":
        reasons.append("a `province` outside a province-limited key's provinces")
        examples.append("this regulator key is limited to provinces 440000; province 110000 is outside them")
    if access.reporter_own and "reporter" in access.roles:
        reasons.append("a reporter key reaching beyond its own company's records")
    return "; ".join(reasons), (examples or ["a reporter key may only reach its own company's records"])[0]


def _invalid(op: Operation, has_body: bool) -> str:
    what = []
    if op.get("parameters"):
        what.append("a parameter")
    if has_body:
        what.append("a body value")
    said = (
        f"{' or '.join(what)} that cannot be accepted: `errors` names every field and the reason "
        "(events of a batch also by `index` and `event_id`); nothing is stored"
        if what
        else "no parameter of its own"
    )
    return f"{said}; and on every route an `{BOOKMARK_HEADER}` header that is not a bookmark this API gave out"


def _invalid_example(op: Operation, has_body: bool, path: str) -> dict[str, Any]:
    if path == "/v1/events":
        problem = {
            "index": 0,
            "event_id": "EV-0001",
            "field": "vehicle",
            "reason": "not a valid VIN: position 9 should be '4' for the other 16 characters, found '0'",
        }
        return {"detail": "1 invalid event(s); nothing was stored", "errors": [problem]}
    names = [p["name"] for p in op.get("parameters", [])]
    field = names[0] if names else "body" if has_body else BOOKMARK_HEADER
    return {"detail": "invalid input", "errors": [{"field": field, "reason": "what the value must be"}]}


def _accept(op: Operation, media: list[str]) -> None:
    """A body the route's media check accepts in several types is documented under each of them."""
    content: dict[str, Any] = op["requestBody"].setdefault("content", {})
    if not content:
        return
    first = next(iter(content.values()))
    for kind in media:
        content.setdefault(kind, first)


def operations(schema: dict[str, Any]) -> Iterator[tuple[str, str, Operation]]:
    """Every (method, path, operation) of a document."""
    for path, item in schema.get("paths", {}).items():
        for method, op in item.items():
            yield method, path, op
