"""Where a loader sends what it reads: straight into the services (local, with database
credentials) or through the HTTP API with an API key, like any other client.

Both take the same batches and raise the same InvalidInput, so the file-reading code (and its
line-numbered error messages, checkpoints and progress) is one.
"""

from __future__ import annotations

import http.client
import json
import os
import time
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel

from app.db import Database
from app.errors import FieldProblem, InvalidInput
from app.schemas.events import IngestResult
from app.schemas.registry import Company, Station, UpsertResult, Vehicle
from app.services import registry
from app.services.ingest import ingest_raw


class Target(Protocol):
    def merge(self, kind: str, records: Sequence[BaseModel]) -> UpsertResult: ...

    def ingest(self, rows: list[Any], allow_recorded_at: bool) -> IngestResult: ...


class LocalTarget:
    """The services themselves, on this process's driver; registry versions name ``changed_by``
    ("loader" for ``batterytrace load``, "cli" for ``batterytrace registry``)."""

    def __init__(self, db: Database, changed_by: str = "loader") -> None:
        self.db = db
        self.changed_by = changed_by

    def merge(self, kind: str, records: Sequence[BaseModel]) -> UpsertResult:
        by = self.changed_by
        if kind == "companies":
            return registry.merge_companies(self.db, [r for r in records if isinstance(r, Company)], changed_by=by)
        if kind == "stations":
            return registry.merge_stations(self.db, [r for r in records if isinstance(r, Station)], changed_by=by)
        return registry.merge_vehicles(self.db, [r for r in records if isinstance(r, Vehicle)], changed_by=by)

    def ingest(self, rows: list[Any], allow_recorded_at: bool) -> IngestResult:
        return ingest_raw(self.db, rows, allow_recorded_at=allow_recorded_at)


class HttpError(RuntimeError):
    """An answer the loader cannot act on (401, 403, 409, a 503 that outlasts the retries)."""


class HttpTarget:
    """The API, with a key: 503 and 429 are retried after their Retry-After; 422 maps back."""

    def __init__(self, base_url: str, key: str, retries: int = 60, receipts: Path | None = None) -> None:
        parsed = urllib.parse.urlsplit(base_url)
        self.receipts = receipts  # each answer's signed receipt is appended here, one JSON line per batch
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self.prefix = parsed.path.rstrip("/")
        self.key = key
        self.retries = retries
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=300)

    def _send(self, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        data = json.dumps(body, default=str)
        headers = {"X-API-Key": self.key, "content-type": "application/json"}
        for _ in range(self.retries):
            try:
                self.conn.request(method, self.prefix + path, body=data, headers=headers)
                res = self.conn.getresponse()
                payload = res.read()
            except OSError:
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=300)
                time.sleep(1.0)
                continue
            if res.status in (429, 503):
                time.sleep(float(res.getheader("Retry-After") or "1"))
                continue
            answer: dict[str, Any] = json.loads(payload or b"{}")
            if res.status == 422:
                problems = [
                    FieldProblem(e.get("field", "?"), e.get("reason", "?"), e.get("index"), e.get("event_id"))
                    for e in answer.get("errors", [])
                ]
                raise InvalidInput(problems, str(answer.get("detail", "invalid input")))
            if res.status != 200:
                raise HttpError(f"{method} {path} answered {res.status}: {answer.get('detail', answer)}")
            return answer
        raise HttpError(f"{method} {path}: the API stayed unavailable after {self.retries} tries")

    def merge(self, kind: str, records: Sequence[BaseModel]) -> UpsertResult:
        body = {kind: [r.model_dump(mode="json", exclude_none=True) for r in records]}
        return UpsertResult.model_validate(self._send("PUT", f"/v1/registry/{kind}", body))

    def ingest(self, rows: list[Any], allow_recorded_at: bool) -> IngestResult:
        if allow_recorded_at:
            raise HttpError("importing history with recorded_at is an admin path outside the public API")
        result = IngestResult.model_validate(self._send("POST", "/v1/events", {"events": rows}))
        if self.receipts is not None and result.receipt is not None:
            with self.receipts.open("a", encoding="utf-8") as out:
                out.write(result.receipt.model_dump_json() + "\n")
                out.flush()
                os.fsync(out.fileno())
        return result


def as_target(where: Database | Target) -> Target:
    return LocalTarget(where) if isinstance(where, Database) else where
