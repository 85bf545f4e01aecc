"""Request-level guards: body size, and the audit trail of writes and single-battery reads."""

from __future__ import annotations

import re
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.security import AuditLog

# Reads of single batteries or vehicles: their own routes, and the lists of one vehicle's or
# station's rows (the vehicle-battery graph, a station's swaps).
_AUDITED_READ = re.compile(
    r"^/v1/(?:(batteries|vehicles)/([^/]+)(/.*)?|analytics/vehicle-batteries|stations/[^/]+/swaps)$"
)
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


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


async def audit_requests(request: Request, call_next: Any) -> Response:
    """Record who wrote, and who looked at which battery or vehicle, once the answer is known."""
    response: Response = await call_next(request)
    who = getattr(request.state, "principal", None)
    if who is None:
        return response
    audit: AuditLog = request.app.state.audit
    match = _AUDITED_READ.match(request.url.path)
    entry = {
        "key_id": who.key_id,
        "role": who.role,
        "company": who.company,
        "method": request.method,
        "path": request.url.path,
        "status": response.status_code,
        "battery": match.group(2) if match and match.group(1) == "batteries" else None,
        "events": None,
        "note": getattr(request.state, "audit_note", None),
    }
    if request.method in _WRITES:
        await run_in_threadpool(audit.record, entry, wait=True)
    elif match:
        audit.record(entry, wait=False)
    return response
