"""Request-level guards: body size, and the audit trail of writes and single-battery or vehicle reads."""

from __future__ import annotations

import re
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.db import causal_scope
from app.errors import BOOKMARK_HEADER, AuditUnavailable
from app.security import AuditLog

# Reads of single batteries or vehicles: their own routes, and the lists of one vehicle's or
# station's rows (the vehicle-battery graph, a station's swaps).
_AUDITED_READ = re.compile(
    r"^/v1/(?:(batteries|vehicles)/([^/]+)(/.*)?|analytics/vehicle-batteries|stations/[^/]+/swaps)$"
)
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The public answers (no key): every call, whatever its answer, under the caller's address.
_PUBLIC = re.compile(r"^/public(?:/batteries/([^/]+))?(?:/.*)?$")


class BodyLimit:
    """413 for bodies over the limit, whether announced by Content-Length or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        too_large = JSONResponse(
            {"detail": f"request body over {self.max_bytes} bytes; split the batch"}, status_code=413
        )
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await too_large(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await too_large(scope, receive, send)


class _TooLarge(Exception):
    pass


_BOOKMARK = re.compile(r"^[A-Za-z0-9:+/=_.-]{1,512}$")
_BOOKMARKS_MAX = 16


class CausalReads:
    """Read-your-writes on any API process and any cluster member.

    A response to a request that wrote carries the write's bookmarks in ``X-Neo4j-Bookmark``; a
    request that sends them back in that header is served only once the database it reads from
    has those writes (Neo4j waits for them: 503 after its own timeout)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = b",".join(v for k, v in scope.get("headers", []) if k == BOOKMARK_HEADER.lower().encode())
        after = [b.strip() for b in raw.decode("latin-1").split(",") if b.strip()]
        bad = len(after) > _BOOKMARKS_MAX or not all(_BOOKMARK.match(b) for b in after)
        if bad:
            reason = f"at most {_BOOKMARKS_MAX} bookmarks, as given in an earlier response's {BOOKMARK_HEADER}"
            body = {"detail": "invalid bookmark", "errors": [{"field": BOOKMARK_HEADER, "reason": reason}]}
            await JSONResponse(body, status_code=422)(scope, receive, send)
            return
        with causal_scope(after) as causality:

            async def with_bookmarks(message: Message) -> None:
                if message["type"] == "http.response.start" and causality.written:
                    headers = list(message.get("headers", []))
                    headers.append((BOOKMARK_HEADER.lower().encode(), ",".join(causality.written).encode()))
                    message = {**message, "headers": headers}
                await send(message)

            await self.app(scope, receive, with_bookmarks)


class AuditRequests:
    """Record who wrote, and who looked at which battery or vehicle, before the answer leaves.

    The entry is on disk (the audit trail's write-ahead file) when the answer's first bytes are
    sent, and its id is the answer's ``X-Audit-Id``; when it cannot be written the answer is 503,
    never an unaudited one. A write is refused up front when the trail is already failing, so it is
    not carried out unaudited. Plain ASGI rather than ``BaseHTTPMiddleware``: every trace passes
    here, and a task with memory streams per request cost the API a large share of its CPU."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        audit: AuditLog = request.app.state.audit
        write = request.method in _WRITES
        if write:
            try:
                await run_in_threadpool(audit.ready)
            except AuditUnavailable as exc:
                await _unavailable(request, exc)(scope, receive, send)
                return
        refused = False

        async def audited(message: Message) -> None:
            nonlocal refused
            if refused:
                return  # the answer was replaced by a 503: nothing of it leaves
            if message["type"] == "http.response.start":
                entry = _entry(request, write, message["status"])
                if entry is not None:
                    try:
                        sealed = await run_in_threadpool(lambda: audit.record(entry, store=write))
                    except AuditUnavailable as exc:
                        refused = True
                        await _unavailable(request, exc)(scope, receive, send)
                        return
                    headers = [*message.get("headers", []), (b"x-audit-id", sealed["id"].encode())]
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, audited)


def _unavailable(request: Request, exc: AuditUnavailable) -> Response:
    retry_after = request.app.state.settings.retry_after_s
    return JSONResponse(exc.body(), status_code=503, headers={"Retry-After": str(retry_after)})


def _entry(request: Request, write: bool, status: int) -> dict[str, Any] | None:
    """The audit entry of an answer, or None for one the trail does not record."""
    who = getattr(request.state, "principal", None)
    match = _AUDITED_READ.match(request.url.path)
    public = _PUBLIC.match(request.url.path) if who is None else None
    if public is not None:
        return _public_entry(request, public.group(1), status)
    if who is None or not (write or match):
        return None
    return {
        "key_id": who.key_id,
        "role": who.role,
        "company": who.company,
        "method": request.method,
        "path": request.url.path,
        "status": status,
        "battery": match.group(2) if match and match.group(1) == "batteries" else None,
        "events": None,
        "note": getattr(request.state, "audit_note", None),
    }


def _public_entry(request: Request, battery: str | None, status: int) -> dict[str, Any]:
    """A public call's entry: no key, so the caller is its address (``public:<address>``)."""
    host = request.client.host if request.client else "unknown"
    return {
        "key_id": f"public:{host}",
        "role": "public",
        "company": None,
        "method": request.method,
        "path": request.url.path,
        "status": status,
        "battery": battery[:64] if battery else None,
        "events": None,
        "note": None,
    }
