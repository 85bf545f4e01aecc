"""Bulk loading of registry and event files through the same services as the API.

Files are streamed line by line (memory stays flat whatever their size) and sent in batches.
Progress is checkpointed after every committed batch (the byte offset of the next line), so a
stopped run resumes where it stopped; because ingestion is idempotent on event_id, a batch
that was committed just before a crash is simply counted as duplicates on the rerun.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from tqdm import tqdm

from app.db import Database
from app.errors import InvalidInput, validation_problems
from app.schemas.events import IngestResult
from app.schemas.registry import Company, Station, UpsertResult, Vehicle
from loaders import workers as workers_
from loaders.targets import HttpTarget, LocalTarget, Target, as_target

M = TypeVar("M", bound=BaseModel)


class LoadError(RuntimeError):
    """A file the loader cannot take; the message names the file, line, field and reason."""


@dataclass
class LoadReport:
    companies: int = 0
    stations: int = 0
    vehicles: int = 0
    accepted: int = 0
    duplicates: int = 0
    batches: int = 0
    seconds: float = 0.0
    resumed_from_line: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    #: What the registry upserts did, per file (companies, stations, vehicles): created, changed, unchanged.
    registry: dict[str, UpsertResult] = field(default_factory=dict)

    def registry_counts(self) -> str:
        """Over the registry files, for the command's counts line: a changed record is news."""
        total = sum(self.registry.values(), UpsertResult.of({}))
        return f"registry_created={total.created} registry_changed={total.changed} registry_unchanged={total.unchanged}"

    @property
    def events_per_s(self) -> float:
        return (self.accepted + self.duplicates) / self.seconds if self.seconds else 0.0


# CSV cells that hold more than one value: lists are ';'-separated, maps are 'k=v;k=v', and
# licences (a list of records) are a JSON array in one cell.
_CSV_LISTS = frozenset({"components", "corrective_event_ids", "roles"})
_CSV_MAPS = frozenset({"recovered"})
_CSV_JSON = frozenset({"licences"})


def _csv_row(columns: list[str], raw: bytes) -> dict[str, Any]:
    """One CSV record per physical line (no embedded newlines), empty cells omitted."""
    values = next(csv.reader([raw.decode("utf-8")]))
    if len(values) != len(columns):
        raise ValueError(f"{len(values)} cells for {len(columns)} columns")
    row: dict[str, Any] = {}
    for column, value in zip(columns, values, strict=True):
        if value == "":
            continue
        if column in _CSV_LISTS:
            row[column] = [v.strip() for v in value.split(";") if v.strip()]
        elif column in _CSV_MAPS:
            pairs = (item.split("=", 1) for item in value.split(";") if item.strip())
            row[column] = {k.strip(): float(v) for k, v in pairs}
        elif column in _CSV_JSON:
            row[column] = json.loads(value)
        else:
            row[column] = value
    return row


def read_batches(path: Path, size: int, start_offset: int = 0) -> Iterator[tuple[int, int, list[Any]]]:
    """Yield (first line number, byte offset after the batch, parsed objects) per batch.

    JSONL: one object per line. CSV: a header line naming the contract's fields, then one
    record per line; resuming from an offset re-reads the header first."""
    decode: Callable[[bytes], Any] = json.loads
    if path.suffix.lower() == ".csv":
        with path.open("rb") as head:
            columns = next(csv.reader([head.readline().decode("utf-8-sig")]))
            start_offset = max(start_offset, head.tell())
        decode = partial(_csv_row, [c.strip() for c in columns])
    with path.open("rb") as fh:
        fh.seek(start_offset)
        line_no = 0
        first = 1
        batch: list[Any] = []
        for raw in fh:
            line_no += 1
            if not raw.strip():
                continue
            try:
                batch.append(decode(raw))
            except (ValueError, csv.Error) as err:
                raise LoadError(
                    f"{path.name}: line {line_no} (after offset {start_offset}): unreadable: {err}"
                ) from None
            if len(batch) >= size:
                yield first, fh.tell(), batch
                batch, first = [], line_no + 1
        if batch:
            yield first, fh.tell(), batch


def _models(cls: type[M], rows: Sequence[Any], path: Path, first_line: int) -> list[M]:
    out: list[M] = []
    problems: list[str] = []
    for i, row in enumerate(rows):
        try:
            out.append(cls.model_validate(row))
        except ValidationError as err:
            for p in validation_problems(list(err.errors())):
                problems.append(f"line {first_line + i}: {p.field}: {p.reason}")
    if problems:
        raise LoadError(f"{path.name}: {len(problems)} problem(s): " + "; ".join(problems[:20]))
    return out


def load_registry(where: Database | Target, directory: Path, batch_size: int = 5_000) -> LoadReport:
    """Companies first (stations and vehicles refer to them), then stations, then vehicles."""
    target = as_target(where)
    report = LoadReport()
    steps: list[tuple[str, type[BaseModel]]] = [("companies", Company), ("stations", Station), ("vehicles", Vehicle)]
    for stem, cls in steps:
        path = _find(directory, stem)
        if path is None:
            continue
        name = path.name
        total = UpsertResult.of({})
        for first, _, rows in read_batches(path, batch_size):
            try:
                total += target.merge(stem, _models(cls, rows, path, first))
            except InvalidInput as err:
                details = "; ".join(f"line {first + (p.index or 0)}: {p.field}: {p.reason}" for p in err.problems[:20])
                raise LoadError(f"{name}: {err.message}: {details}") from None
        setattr(report, stem, total.upserted)
        report.registry[stem] = total
    return report


def _find(directory: Path, stem: str) -> Path | None:
    for suffix in (".jsonl", ".csv"):
        if (directory / (stem + suffix)).exists():
            return directory / (stem + suffix)
    return None


def _checkpoint_path(path: Path) -> Path:
    return path.with_name(path.name + ".progress")


def load_events(
    where: Database | Target,
    path: Path,
    batch_size: int = 5_000,
    *,
    resume: bool = True,
    allow_recorded_at: bool = False,
    progress: bool = True,
    workers: int = 1,
) -> LoadReport:
    """Stream an events JSONL file through the ingest service, checkpointing each batch.

    With ``workers`` > 1 (a local target) that many worker processes ingest batches at once, each
    its own transaction (concurrent ingest is safe: locks in one order, exactly once), so the
    Python half of a load runs on every core (``loaders.workers``). The checkpoint only ever moves
    past a batch when it and every batch before it have committed, so a resumed run never skips
    one."""
    target = as_target(where)
    report = LoadReport()
    checkpoint = _checkpoint_path(path)
    offset = 0
    if resume and checkpoint.exists():
        state = json.loads(checkpoint.read_text())
        if state.get("size") == path.stat().st_size:
            offset = int(state["offset"])
            report.resumed_from_line = int(state.get("lines", 0))
    size = path.stat().st_size
    bar = tqdm(
        total=size,
        initial=offset,
        unit="B",
        unit_scale=True,
        desc=path.name,
        disable=not progress,
        file=sys.stderr,
        mininterval=1.0,
    )
    lines_done = report.resumed_from_line
    began = time.perf_counter()
    in_flight: deque[_Batch] = deque()
    pool = _pool(target, workers)

    def send(rows: list[Any]) -> Future[IngestResult | workers_.Refused]:
        if isinstance(pool, ProcessPoolExecutor):
            return pool.submit(workers_.ingest, rows, allow_recorded_at)
        return pool.submit(workers_.through, target, rows, allow_recorded_at)

    def settle() -> None:
        """Wait for the oldest batch in flight, count it and move the checkpoint past it."""
        nonlocal lines_done, offset
        batch = in_flight.popleft()
        result = batch.future.result()
        if isinstance(result, workers_.Refused) and batch.waited_on_earlier(result):
            # A correction whose event was in a batch still in flight when this one went: every
            # earlier batch has committed now, so the same batch, sent again, finds it.
            result = send(batch.rows).result()
        if isinstance(result, workers_.Refused):
            details = "; ".join(
                f"line {report.resumed_from_line + batch.first + (p.index or 0)}: {p.field}: {p.reason}"
                for p in result.problems[:20]
            )
            raise LoadError(f"{path.name}: {result.message}: {details}")
        report.accepted += result.accepted
        report.duplicates += result.duplicates
        report.batches += 1
        lines_done += len(batch.rows)
        checkpoint.write_text(json.dumps({"offset": batch.end_offset, "size": size, "lines": lines_done}))
        bar.update(batch.end_offset - offset)
        bar.set_postfix(events=lines_done, refresh=False)
        offset = batch.end_offset

    with pool:
        try:
            for first, end_offset, rows in read_batches(path, batch_size, offset):
                earlier = frozenset(str(r.get("event_id")) for b in in_flight for r in b.rows if isinstance(r, dict))
                named = frozenset(c for b in in_flight for r in b.rows if isinstance(r, dict) for c in _codes(r))
                in_flight.append(_Batch(first, end_offset, rows, send(rows), earlier, named))
                if len(in_flight) >= max(1, workers):
                    settle()
            while in_flight:
                settle()
        finally:
            for batch in in_flight:  # a failed batch: let the others finish or stop, count none
                batch.future.cancel()
            bar.close()
    report.seconds = time.perf_counter() - began
    checkpoint.unlink(missing_ok=True)
    return report


@dataclass
class _Batch:
    """A batch sent and not yet counted, with the ids of the batches in flight when it was sent."""

    first: int
    end_offset: int
    rows: list[Any]
    future: Future[IngestResult | workers_.Refused]
    earlier: frozenset[str]
    named: frozenset[str] = frozenset()  # battery codes the batches then in flight name

    def waited_on_earlier(self, refused: workers_.Refused) -> bool:
        """Was it refused only for what batches then in flight would settle: corrections of their
        events, or health readings by a company one of their events links to the battery?"""
        if not refused.problems:
            return False
        for p in refused.problems:
            if p.field == "corrects":
                if self._corrects(p.index) not in self.earlier:
                    return False
            elif p.field == "reporter":
                row = self.rows[p.index] if p.index is not None and p.index < len(self.rows) else None
                if not (
                    isinstance(row, dict) and row.get("type") == "health_measured" and row.get("battery") in self.named
                ):
                    return False
            else:
                return False
        return True

    def _corrects(self, index: int | None) -> str | None:
        row = self.rows[index] if index is not None and index < len(self.rows) else None
        return str(row.get("corrects")) if isinstance(row, dict) else None


def _codes(row: dict[str, Any]) -> list[str]:
    """The battery codes an event row names (what a health reading's link may come from)."""
    found = [str(row[k]) for k in ("battery", "battery_in", "battery_out", "new_code") if row.get(k)]
    found.extend(str(c) for c in row.get("components", ()) or ())
    return found


def _pool(target: Target, workers: int) -> Executor:
    """Worker processes for a local target; threads for another (one for HTTP: one connection)."""
    if workers > 1 and isinstance(target, LocalTarget):
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),  # a fresh interpreter: no driver state forked
            initializer=workers_.start,
            initargs=(target.db.settings,),
        )
    return ThreadPoolExecutor(max_workers=1 if isinstance(target, HttpTarget) else workers, thread_name_prefix="load")


def carries_history(directory: Path) -> bool:
    """Does the directory's manifest say its events carry recorded_at (a synthetic world)?"""
    manifest = directory / "manifest.json"
    if not manifest.exists():
        return False
    return bool(json.loads(manifest.read_text()).get("events_carry_recorded_at", False))


def load_directory(
    where: Database | Target,
    directory: Path,
    batch_size: int = 5_000,
    *,
    progress: bool = True,
    allow_recorded_at: bool | None = None,
    workers: int = 1,
) -> LoadReport:
    """A world as the synthetic generator writes it (JSONL or CSV): registries, then events.

    ``allow_recorded_at`` None: import the events' recorded_at when the manifest says they carry
    it (generated histories, whose reporting delays the late_report rule judges); that is the
    admin import path, so such a world loads into a database, not through the public API.
    """
    if allow_recorded_at is None:
        allow_recorded_at = carries_history(directory)
    report = load_registry(where, directory)
    events = _find(directory, "events")
    if events is not None:
        ev = load_events(
            where, events, batch_size, progress=progress, allow_recorded_at=allow_recorded_at, workers=workers
        )
        report.accepted, report.duplicates, report.batches = ev.accepted, ev.duplicates, ev.batches
        report.seconds, report.resumed_from_line = ev.seconds, ev.resumed_from_line
    return report
