"""The audit trail: every audited request sealed into its process's hash chain, written ahead to a
local file before the answer leaves, then shipped to Neo4j with a signed chain head.

Rooms: ``audit_chain`` (hashes, the signed head's bytes), ``audit_wal`` (the write-ahead files and
their group commit), this file (the shipper and the recovery of other writers' files).
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.config import Settings
from app.db import Database
from app.ledger.signing import Signer
from app.repositories import audit as repo
from app.schemas.admin import AuditEntry
from app.security.audit_chain import head_message, timestamp
from app.security.audit_wal import Wal, orphan_segments, read_segment

log = logging.getLogger(__name__)

#: Entries per shipping transaction.
SHIP_BATCH = 1000


class AuditLog:
    """Append-only trail of writes and single-battery or vehicle reads, hash-chained per writer.

    ``record`` returns once the entry is on disk (a crash after that loses nothing); a thread ships
    what is on disk to Neo4j every ``audit_ship_s`` and, every ``audit_recover_s`` (first at
    start-up), ships and deletes the files of writers that are gone."""

    def __init__(self, db: Database, settings: Settings, signer: Signer) -> None:
        self.db = db
        self.signer = signer
        self.wal = Wal(settings.audit_dir, settings.audit_segment_bytes)
        self._ship_s = settings.audit_ship_s
        self._recover_s = settings.audit_recover_s
        self._stop = threading.Event()
        self._shipped_path: Path | None = None
        self._shipped = 0
        self._reader: int | None = None
        self._ship_lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="audit-shipper", daemon=True)
        self._thread.start()

    @property
    def writer(self) -> str:
        return self.wal.writer

    def record(self, entry: dict[str, Any], *, store: bool = False) -> dict[str, Any]:
        """Seal an entry and return it once it is on disk; ``AuditUnavailable`` if it cannot be.

        With ``store`` (writes) everything on disk so far, this entry included, is shipped before
        returning, so the trail lists a write as soon as it is answered and what is stored stays
        each chain's prefix up to its signed head."""
        sealed = self.wal.append({"id": uuid.uuid4().hex, "at": timestamp(datetime.now(UTC)), **entry})
        if store:
            try:
                self._ship_own()
            except Exception as exc:
                # Neo4j is away (the write itself most likely got a 503): the entry is on disk,
                # and the shipper stores it once Neo4j is back.
                log.warning("audit entry %s left to the shipper: %s", sealed["id"], exc)
        return sealed

    def ready(self) -> None:
        """``AuditUnavailable`` now if an entry could not be written (before a write is carried out)."""
        self.wal.ready()

    # --- shipping ------------------------------------------------------------------------------

    def ship(self, entries: Sequence[dict[str, Any]]) -> None:
        """Store entries (those not stored yet) with a signed head per writer, batch by batch."""
        for start in range(0, len(entries), SHIP_BATCH):
            batch = entries[start : start + SHIP_BATCH]
            last: dict[str, dict[str, Any]] = {}
            for entry in batch:
                if entry["writer"] not in last or entry["seq"] > last[entry["writer"]]["seq"]:
                    last[entry["writer"]] = entry
            at = timestamp(datetime.now(UTC))
            heads = [
                {
                    "writer": writer,
                    "seq": e["seq"],
                    "hash": e["hash"],
                    "at": at,
                    "signature": self.signer.sign(head_message(writer, e["seq"], e["hash"], at)),
                    "key_id": self.signer.key_id,
                }
                for writer, e in last.items()
            ]
            repo.append_signed(self.db, batch, heads)

    def _ship_own(self) -> None:
        with self._ship_lock:  # the thread, and writes storing their entry before they answer
            self._ship_own_locked()

    def _ship_own_locked(self) -> None:
        path, durable = self.wal.position()
        if path != self._shipped_path:
            # A new segment: the last one was rotated (all shipped) or ended by a failure
            # (its rest is another file for recovery now).
            if self._reader is not None:
                os.close(self._reader)
            self._reader = os.open(path, os.O_RDONLY) if path is not None else None
            self._shipped_path, self._shipped = path, 0
        if path is None or self._reader is None:
            return
        if durable > self._shipped:
            data = os.pread(self._reader, durable - self._shipped, self._shipped)
            self.ship(read_segment(data, path.name))
            self._shipped = durable
        self.wal.rotate_if_shipped(path, self._shipped)

    def recover(self) -> int:
        """Ship the files no live writer holds (dead processes', ended chains') and delete them."""
        shipped = 0
        for path, entries in orphan_segments(self.wal.directory):
            self.ship(entries)
            shipped += len(entries)
            log.info("audit: recovered %d entries from %s", len(entries), path.name)
        return shipped

    def _run(self) -> None:
        next_recovery = 0.0
        while True:
            stopping = self._stop.is_set()
            try:
                if time.monotonic() >= next_recovery:
                    next_recovery = time.monotonic() + self._recover_s
                    self.recover()
                self._ship_own()
            except Exception as exc:
                # Neo4j away (or a file that cannot be read): everything stays on disk; next round.
                log.warning("audit shipping failed, will retry: %s", exc)
            if stopping:
                return
            self._stop.wait(self._ship_s)

    def close(self) -> None:
        """Ship what is on disk and stop; the file stays for recovery when Neo4j did not take it all."""
        self._stop.set()
        self._thread.join(timeout=30)
        path, durable = self.wal.position()
        self.wal.close(self._shipped if path == self._shipped_path and self._shipped == durable else None)
        if self._reader is not None:
            os.close(self._reader)
            self._reader = None


def list_audit(
    db: Database, since: datetime, until: datetime, key_id: str | None, battery: str | None, limit: int
) -> list[AuditEntry]:
    """Entries in [since, until), optionally of one key or one battery, newest first."""
    return repo.list_entries(db, since=since, until=until, key_id=key_id, battery=battery, limit=limit)
