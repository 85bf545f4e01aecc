"""Group commit: concurrent small batches of one process coalesced into one write transaction.

A small batch's cost is mostly fixed (two dozen round trips, a commit and its fsync, the log's
lock held until that commit), so batches that arrive together are written together: the first to
arrive opens a group and leads it, later ones join while it is open (``window_s``, or longer while
every slot is busy), and the leader commits the group on behalf of all. Each member is answered
only after that commit, with its own result or its own error; what the group does with a member
that fails (retry without it) is the commit function's business (``app.services.ingest``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass(eq=False)
class Member(Generic[T, R]):
    """One batch waiting in a group: what it asks, and (once ``done``) its answer or its error."""

    item: T
    size: int
    done: threading.Event = field(default_factory=threading.Event)
    result: R | None = None
    error: BaseException | None = None


class Coalescer(Generic[T, R]):
    """Collects members into groups and has one thread per group commit them.

    ``commit`` receives the group in arrival order and must give every member a result or an error.
    At most ``slots`` groups are being committed at once; a group stays open to newcomers until its
    window has passed and a slot is free, and holds at most ``max_size`` (by member size)."""

    def __init__(
        self, window_s: float, max_size: int, slots: int, commit: Callable[[list[Member[T, R]]], None]
    ) -> None:
        self.window_s = window_s
        self.max_size = max_size
        self.slots = slots
        self._commit = commit
        self._cond = threading.Condition()
        self._open: list[Member[T, R]] | None = None
        self._open_size = 0
        self._running = 0
        self.groups = 0  # committed groups and their members, this process (for benchmarks)
        self.members = 0

    def submit(self, item: T, size: int) -> R:
        """Wait for the group holding ``item`` to commit; its result, or the error meant for it."""
        member: Member[T, R] = Member(item, size)
        with self._cond:
            group = self._open
            leader = group is None or self._open_size + size > self.max_size
            if leader:
                group = self._open = [member]
                self._open_size = size
            else:
                assert group is not None
                group.append(member)
                self._open_size += size
        if leader:
            assert group is not None
            self._lead(group)
        else:
            member.done.wait()
        if member.error is not None:
            raise member.error
        return member.result  # type: ignore[return-value]  # set whenever error is not

    def _lead(self, group: list[Member[T, R]]) -> None:
        deadline = time.monotonic() + self.window_s
        with self._cond:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0 and self._running < self.slots:
                    break
                self._cond.wait(timeout=remaining if remaining > 0 else None)
            if self._open is group:
                self._open = None
            self._running += 1
            self.groups += 1
            self.members += len(group)
        try:
            self._commit(group)
        except BaseException as exc:  # the commit function's own failure: every member hears of it
            for m in group:
                if m.error is None and m.result is None:
                    m.error = exc
        finally:
            with self._cond:
                self._running -= 1
                self._cond.notify_all()
            for m in group:
                m.done.set()
