"""Domain exceptions and the one place that maps them, and Neo4j's, to HTTP answers.

The exceptions are raised by services and the security package, which know nothing of HTTP, so
the web framework is imported only inside the functions that install the mapping.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConstraintError,
    DriverError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from app.schemas.events import EVENT_TYPES

if TYPE_CHECKING:
    from fastapi import FastAPI, Request

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FieldProblem:
    """One bad value: which event (index in the batch, when in a batch), which field, and why."""

    field: str
    reason: str
    index: int | None = None
    event_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"field": self.field, "reason": self.reason}
        if self.index is not None:
            out["index"] = self.index
        if self.event_id is not None:
            out["event_id"] = self.event_id
        return out


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def body(self) -> dict[str, Any]:
        return {"detail": self.message}


class NotFound(DomainError):
    status_code = 404


class UnknownRule(NotFound):
    """A 404 that lists the valid rule ids, so a client can correct itself."""

    def __init__(self, rule: str, valid: list[str]) -> None:
        super().__init__(f"no leakage rule {rule!r}; valid rules: {', '.join(valid)}")
        self.valid = valid

    def body(self) -> dict[str, Any]:
        return {"detail": self.message, "rules": self.valid}


class Conflict(DomainError):
    status_code = 409

    def __init__(self, message: str, event_ids: list[str] | None = None) -> None:
        super().__init__(message)
        self.event_ids = event_ids or []

    def body(self) -> dict[str, Any]:
        return {"detail": self.message, "event_ids": self.event_ids}


class Unauthorized(DomainError):
    """No key, a malformed, unknown or revoked one."""

    status_code = 401


class Forbidden(DomainError):
    """A known key whose role (or company) may not do this."""

    status_code = 403


class ClaimRefused(Forbidden):
    """Events their reporter may not claim, whatever their shape (``docs/claims.md``); each
    problem names the event, the field and why; nothing of the batch was stored."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        count = len({p.index for p in problems})
        super().__init__(f"{count} event(s) claim what their reporter may not; nothing was stored")
        self.problems = problems

    def body(self) -> dict[str, Any]:
        return {"detail": self.message, "errors": [p.as_dict() for p in self.problems]}


class RateLimited(DomainError):
    """Over the key's rate limit; the answer says when to come back."""

    status_code = 429

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class AuditUnavailable(DomainError):
    """The audit trail cannot be written: the request fails rather than answer unaudited."""

    status_code = 503


class FontMissing(DomainError):
    """A document that must print Chinese names cannot be made without its font: 503, naming the setting."""

    status_code = 503


class Contended(DomainError):
    """Concurrent batches kept creating what this batch names, pass after pass; nothing was stored."""

    status_code = 503

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class StoreOutdated(DomainError):
    """The store's derived state predates what a query needs: answering would silently miss findings."""

    status_code = 409


class LogDamaged(DomainError):
    """The stored log does not hold what its own record says: the platform refuses to sign over it."""

    status_code = 409


class UnsupportedMediaType(DomainError):
    """A body sent as something other than the JSON the route reads."""

    status_code = 415


class InvalidInput(DomainError):
    """Rejected input, listing every problem so the sender can fix them all at once."""

    status_code = 422

    def __init__(self, problems: list[FieldProblem], message: str = "invalid input") -> None:
        super().__init__(message)
        self.problems = problems

    def body(self) -> dict[str, Any]:
        return {"detail": self.message, "errors": [p.as_dict() for p in self.problems]}


_NAMED = re.compile(r"^([a-z_]+(?:\[\d+\])?): (.+)$", re.DOTALL)


def _loc_to_problem(loc: tuple[Any, ...], msg: str) -> FieldProblem:
    parts = [p for p in loc if p != "body"]
    index: int | None = None
    if len(parts) >= 2 and parts[0] == "events" and isinstance(parts[1], int):
        index = parts[1]
        # pydantic puts the union's tag (the event type) before the field; drop it.
        parts = parts[3:] if len(parts) > 2 and parts[2] in EVENT_TYPES else parts[2:]
        field = ".".join(str(p) for p in parts)
        if not field:
            # A check across fields names the field it blames first: "occurred_at: ...".
            named = _NAMED.match(msg)
            field, msg = (named.group(1), named.group(2)) if named else ("event", msg)
        return FieldProblem(field=field, reason=msg, index=index)
    field = ".".join(str(p) for p in parts) or "body"
    return FieldProblem(field=field, reason=msg, index=index)


#: pydantic's ``*_type`` errors (and the failed parses of lax mode), as the JSON type the field wants.
_WANTED = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "decimal_type": "a number",
    "decimal_parsing": "a number",
    "bool_type": "a boolean",
    "bool_parsing": "a boolean",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "list_type": "an array",
    "tuple_type": "an array",
    "set_type": "an array",
}


def json_kind(value: object) -> str:
    """The JSON type of a parsed value, as a sender names it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "a non-JSON body" if isinstance(value, bytes) else type(value).__name__


def _not_json(err: dict[str, Any], body: object) -> FieldProblem:
    """Where the body stops being JSON, by line and column (FastAPI reports a character offset)."""
    loc = err.get("loc", ())
    pos = loc[-1] if loc and isinstance(loc[-1], int) else None
    why = str(err.get("ctx", {}).get("error", "malformed"))
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    if isinstance(body, str) and pos is not None:
        at = json.JSONDecodeError(why, body, pos)
        why = f"{why} at line {at.lineno}, column {at.colno}"
    elif pos is not None:
        why = f"{why} at character {pos}"
    return FieldProblem(field="body", reason=f"body is not valid JSON: {why}")


def _reason(err: dict[str, Any]) -> str:
    kind = str(err.get("type", ""))
    value = err.get("input")
    if kind == "finite_number":
        return "must be a finite number"
    if kind in _WANTED:
        loc = tuple(err.get("loc", ()))
        if loc and loc[0] in ("query", "path", "header", "cookie"):  # always text: show it
            shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
            return f"must be {_WANTED[kind]}, got {shown}"
        return f"must be {_WANTED[kind]}, got {json_kind(value)}"
    if kind == "int_from_float":
        return "must be an integer, got a number with a fraction"
    if kind == "missing" and tuple(err.get("loc", ())) == ("body",):
        return "missing: send a JSON body"
    return str(err.get("msg", "invalid")).removeprefix("Value error, ")


def validation_problems(errors: list[Any], body: object = None) -> list[FieldProblem]:
    """Every pydantic error as a field and a reason that says what the field must be."""
    out = []
    for err in errors:
        if err.get("type") == "json_invalid":
            out.append(_not_json(err, body))
            continue
        out.append(_loc_to_problem(tuple(err.get("loc", ())), _reason(err)))
    return out


#: The request and response header carrying Neo4j bookmarks (read-your-writes; app.middleware).
BOOKMARK_HEADER = "X-Neo4j-Bookmark"


def install_error_handlers(app: FastAPI, retry_after_s: int) -> None:
    """Map every domain exception, and Neo4j's, to its HTTP answer (a subclass's handler wins)."""
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse

    @app.exception_handler(DomainError)
    async def domain_error(_: Request, exc: DomainError) -> JSONResponse:
        retry_after = getattr(exc, "retry_after_s", None)
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        return JSONResponse(exc.body(), status_code=exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def request_invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = validation_problems(list(exc.errors()), exc.body)
        body = {"detail": "invalid input", "errors": [p.as_dict() for p in problems]}
        return JSONResponse(body, status_code=422)

    async def unavailable(_: Request, exc: Exception) -> JSONResponse:
        log.warning("database unavailable: %s", exc)
        return JSONResponse(
            {"detail": "the graph database is unavailable; retry later"},
            status_code=503,
            headers={"Retry-After": str(retry_after_s)},
        )

    for exc_type in (ServiceUnavailable, SessionExpired, TransientError, DriverError, OSError):
        app.add_exception_handler(exc_type, unavailable)

    async def refused_value(_: Request, exc: Exception) -> JSONResponse:
        # Queries are static files, EXPLAINed by the test suite; what the database still refuses
        # at run time is a parameter value outside its range (a UTC offset beyond 18 hours, say).
        if getattr(exc, "code", None) == "Neo.ClientError.Transaction.InvalidBookmark":
            problem = {"field": BOOKMARK_HEADER, "reason": "not a bookmark this database gave out"}
            return JSONResponse({"detail": "invalid bookmark", "errors": [problem]}, status_code=422)
        log.error("database refused a parameter value: %s", exc)
        message = getattr(exc, "message", None) or str(exc)
        body = {"detail": "a value was refused by the database", "errors": [{"field": "query", "reason": message}]}
        return JSONResponse(body, status_code=422)

    async def conflicting_write(_: Request, exc: Exception) -> JSONResponse:
        # Uniqueness comes from constraints: a write that would break one conflicts with what is stored.
        log.warning("a uniqueness constraint refused a write: %s", exc)
        message = getattr(exc, "message", None) or str(exc)
        return JSONResponse({"detail": f"conflicts with a stored record: {message}"}, status_code=409)

    app.add_exception_handler(ClientError, refused_value)
    app.add_exception_handler(ConstraintError, conflicting_write)
    app.add_exception_handler(AuthError, unavailable)  # our own credentials: an outage, not bad input


#: Every refusal's body, as the handlers above and the middleware write it (documented by app.openapi).
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "Every refusal (4xx, 5xx) answers this body: what went wrong in words, and for bad "
    "values each field and the reason.",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "what went wrong, in words"},
        "errors": {
            "type": "array",
            "description": "every bad value: field, reason, and for batches the index and event_id",
            "items": {
                "type": "object",
                "required": ["field", "reason"],
                "properties": {
                    "field": {
                        "type": "string",
                        "description": "the field, parameter or header refused (dotted for nested: `recovered.li`)",
                    },
                    "reason": {"type": "string", "description": "why, in words that say what the value must be"},
                    "index": {"type": "integer", "description": "the event's position in the batch (from 0)"},
                    "event_id": {"type": "string", "description": "the refused event's id, when it has one"},
                },
            },
        },
        "event_ids": {
            "type": "array",
            "items": {"type": "string"},
            "description": "409: the events already stored with other content",
        },
        "rules": {
            "type": "array",
            "items": {"type": "string"},
            "description": "404 of an unknown leakage rule: the valid rule ids",
        },
    },
}
