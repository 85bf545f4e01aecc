"""The append-only audit trail: entries sealed into a hash chain per writer, and reading it back."""

from __future__ import annotations

import hashlib
import json
import logging
import queue
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from app.db import Database
from app.repositories import audit as repo
from app.schemas.admin import AuditEntry

log = logging.getLogger(__name__)


class AuditLog:
    """Append-only trail of writes and single-battery reads, hash-chained per writer.

    Writes are recorded before their answer leaves; reads are queued and written in batches
    by one thread, so an investigator's look-up does not wait for its own audit entry."""

    def __init__(self, db: Database, flush_s: float = 0.5) -> None:
        self.db = db
        self.writer = uuid.uuid4().hex[:12]
        self.seq = 0
        self.prev = "0" * 64
        self._lock = threading.Lock()
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue(maxsize=100_000)
        self._flush_s = flush_s
        self._thread = threading.Thread(target=self._run, name="audit-writer", daemon=True)
        self._thread.start()

    def _seal(self, entry: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.seq += 1
            entry = {**entry, "writer": self.writer, "seq": self.seq, "prev": self.prev}
            canonical = json.dumps(entry, sort_keys=True, separators=(",", ":"), default=str)
            entry["hash"] = hashlib.sha256(canonical.encode()).hexdigest()
            self.prev = entry["hash"]
        return entry

    def record(self, entry: dict[str, Any], *, wait: bool) -> None:
        """Seal an entry and store it now (``wait``) or through the writer thread."""
        sealed = self._seal({"id": uuid.uuid4().hex, "at": datetime.now(UTC).isoformat(), **entry})
        if wait:
            try:
                repo.append(self.db, [sealed])
                return
            except Exception as exc:
                # Neo4j is away (the request itself most likely got a 503): the writer thread
                # keeps retrying the entry until it is back.
                log.warning("audit entry queued for retry: %s", exc)
        try:
            self._queue.put_nowait(sealed)
        except queue.Full:
            log.error("audit queue full; entry %s dropped", sealed["id"])

    def _run(self) -> None:
        stop = False
        while not stop:
            batch: list[dict[str, Any]] = []
            try:
                item = self._queue.get(timeout=self._flush_s)
                if item is None:
                    stop = True
                else:
                    batch.append(item)
                while len(batch) < 1000:
                    item = self._queue.get_nowait()
                    if item is None:
                        stop = True
                        break
                    batch.append(item)
            except queue.Empty:
                pass
            if batch:
                self._write(batch)

    def _write(self, batch: list[dict[str, Any]]) -> None:
        for attempt in range(30):
            try:
                repo.append(self.db, batch)
                return
            except Exception as exc:
                log.warning("audit write failed (%s), attempt %d", exc, attempt + 1)
                time.sleep(1.0)
        log.error("dropped %d audit entries after repeated failures", len(batch))

    def close(self) -> None:
        """Flush what is queued and stop the writer thread."""
        self._queue.put(None)
        self._thread.join(timeout=10)


def list_audit(
    db: Database, since: datetime, until: datetime, key_id: str | None, battery: str | None, limit: int
) -> list[AuditEntry]:
    """Entries in [since, until), optionally of one key or one battery, newest first."""
    return repo.list_entries(db, since=since, until=until, key_id=key_id, battery=battery, limit=limit)
