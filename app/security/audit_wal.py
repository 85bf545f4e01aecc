"""The audit trail's write-ahead files: an entry is on disk before its answer leaves.

Each API process is one writer with its own hash chain and its own files in ``audit_dir``,
``<writer>.<n>.jsonl``: one sealed entry per line, appended and fsync'ed in groups (whoever finds
no flush running writes every waiting line and syncs once; the others wait for that flush), so
concurrent requests share an fsync. The open file is held with ``flock``: a file nobody holds
belongs to a writer that died (``kill -9`` releases the lock) or let it go, and any process may ship
it to Neo4j and delete it (``orphan_segments``).

A flush that fails (disk full, the file removed, the directory gone) ends the chain: the lines
that did not reach the disk are cut off, the file is let go for recovery, and the next entry
starts a new writer. Every request waiting on the failed flush gets ``AuditUnavailable``.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import logging
import os
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import AuditUnavailable
from app.security.audit_chain import GENESIS, entry_hash

log = logging.getLogger(__name__)

SUFFIX = ".jsonl"


@dataclass
class _Segment:
    path: Path
    fd: int
    ino: int
    size: int = 0  # bytes known to be on disk


def _sync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _open_segment(directory: Path, writer: str, number: int) -> _Segment:
    """A new segment, locked before it gets the name other processes look for."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{writer}.{number}{SUFFIX}"
    tmp = directory / f".{writer}.{number}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.rename(tmp, path)
        _sync_directory(directory)
    except OSError:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    return _Segment(path, fd, os.fstat(fd).st_ino)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _check_linked(segment: _Segment) -> None:
    """An entry written to a file no longer in the directory would be lost with the process."""
    try:
        ino = os.stat(segment.path).st_ino
    except FileNotFoundError:
        ino = -1
    if ino != segment.ino:
        raise OSError(errno.ENOENT, "the audit write-ahead file was removed or replaced", str(segment.path))


_sync = getattr(os, "fdatasync", os.fsync)


class Wal:
    """This process's audit chain and its write-ahead files; ``append`` returns once the entry is on disk."""

    def __init__(self, directory: Path, segment_bytes: int) -> None:
        self.directory = directory
        self.segment_bytes = segment_bytes
        self.writer = ""
        self.fsyncs = 0  # flushes done: entries / fsyncs is the group-commit factor
        self._cond = threading.Condition()
        self._segment: _Segment | None = None
        self._number = 0
        self._seq = 0
        self._prev = GENESIS
        self._pending: list[bytes] = []
        self._issued = 0
        self._durable = 0
        self._flushing = False
        self._generation = 0
        self._closed = False

    # --- writing ---------------------------------------------------------------------------

    def append(self, entry: dict[str, Any]) -> dict[str, Any]:
        """Seal ``entry`` into the chain and return it sealed once it is on disk."""
        with self._cond:
            self._ensure_segment()
            self._seq += 1
            sealed = {**entry, "writer": self.writer, "seq": self._seq, "prev": self._prev}
            sealed["hash"] = self._prev = entry_hash(sealed)
            self._pending.append((json.dumps(sealed, separators=(",", ":"), default=str) + "\n").encode())
            self._issued += 1
            ticket, generation = self._issued, self._generation
            while True:
                if self._generation != generation:
                    raise AuditUnavailable("the audit trail could not be written; nothing was answered unaudited")
                if self._durable >= ticket:
                    return sealed
                if self._flushing:
                    self._cond.wait()
                else:
                    self._flush()

    def ready(self) -> None:
        """Raise ``AuditUnavailable`` now if an entry could not be written (checked before a write runs)."""
        with self._cond:
            if self._segment is not None and not self._flushing:
                try:
                    _check_linked(self._segment)
                except OSError as exc:
                    self._break(exc)
            self._ensure_segment()

    def _ensure_segment(self) -> None:
        if self._closed:
            raise AuditUnavailable("the audit trail is closed (the process is stopping)")
        if self._segment is not None:
            return
        writer = uuid.uuid4().hex[:12]
        try:
            segment = _open_segment(self.directory, writer, 1)
        except OSError as exc:
            log.error("audit write-ahead file cannot be created in %s: %s", self.directory, exc)
            raise AuditUnavailable("the audit trail cannot be written; nothing was answered unaudited") from exc
        self._segment, self.writer, self._number, self._seq, self._prev = segment, writer, 1, 0, GENESIS

    def _flush(self) -> None:
        """Write and sync every pending line (called holding the lock, which it lets go meanwhile)."""
        segment = self._segment
        assert segment is not None
        data, upto = b"".join(self._pending), self._issued
        self._pending = []
        self._flushing = True
        self._cond.release()
        error: OSError | None = None
        try:
            _check_linked(segment)
            _write_all(segment.fd, data)
            _sync(segment.fd)
        except OSError as exc:
            error = exc
        finally:
            self._cond.acquire()
            self._flushing = False
        if error is None:
            segment.size += len(data)
            self._durable = upto
            self.fsyncs += 1
        else:
            self._break(error)
        self._cond.notify_all()

    def _break(self, error: OSError) -> None:
        """End this chain: cut what did not reach the disk, let the file go for recovery."""
        segment = self._segment
        log.error("audit write-ahead file failed (%s); the chain of writer %s ends here", error, self.writer)
        if segment is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(segment.fd, segment.size)
            os.close(segment.fd)
        self._segment = None
        self._generation += 1
        self._pending = []
        self._issued = self._durable
        self._cond.notify_all()

    # --- what the shipper needs --------------------------------------------------------------

    def position(self) -> tuple[Path | None, int]:
        """The open segment and how many of its bytes are on disk."""
        with self._cond:
            return (self._segment.path, self._segment.size) if self._segment else (None, 0)

    def rotate_if_shipped(self, path: Path, shipped: int) -> None:
        """Start a new segment when this one is large and every byte of it is stored in Neo4j."""
        with self._cond:
            segment = self._segment
            if segment is None or segment.path != path or segment.size != shipped or segment.size < self.segment_bytes:
                return
            if self._flushing or self._pending:
                return
            try:
                self._segment = _open_segment(self.directory, self.writer, self._number + 1)
            except OSError as exc:
                log.warning("audit segment not rotated: %s", exc)
                return
            self._number += 1
            segment.path.unlink(missing_ok=True)
            os.close(segment.fd)

    def close(self, shipped: int | None) -> None:
        """Stop taking entries; delete the open segment when ``shipped`` covers all of it."""
        with self._cond:
            self._closed = True
            segment, self._segment = self._segment, None
            if segment is None:
                return
            if shipped == segment.size and not self._pending:
                segment.path.unlink(missing_ok=True)
            os.close(segment.fd)


def read_segment(data: bytes, name: str) -> list[dict[str, Any]]:
    """The entries of a segment's bytes; a torn last line (the process died mid-write) is left out."""
    entries = []
    for line in data.splitlines(keepends=True):
        try:
            if not line.endswith(b"\n"):
                raise ValueError("no line end")
            entries.append(json.loads(line))
        except ValueError:
            log.warning("audit file %s: a torn line at its end was left out", name)
            break
    return entries


def orphan_segments(directory: Path) -> Iterator[tuple[Path, list[dict[str, Any]]]]:
    """Segments no live writer holds, with their entries; each is deleted when the caller asks
    for the next one (so only after it was shipped), and kept if the caller stops on an error."""
    if not directory.is_dir():
        return
    for path in sorted(directory.glob(f"*{SUFFIX}")):
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            continue  # another process shipped and deleted it meanwhile
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live writer's (perhaps this process's own)
            if not path.exists():
                continue
            size = os.fstat(fd).st_size
            yield path, read_segment(os.pread(fd, size, 0) if size else b"", path.name)
            path.unlink(missing_ok=True)
        finally:
            os.close(fd)
