"""A rule's findings for inspectors: CSV or a JSON array, streamed chunk by chunk.

Parameters are checked and the query started before the first byte, so a bad parameter is a 422
and an unreachable database a 503, never a cut download.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from app.db import Database
from app.schemas.leakage import Finding
from app.services.leakage.running import iter_findings
from app.services.leakage.workdays import WorkdayCalendar, cst_date

CSV_COLUMNS = ("rule", "battery", "since", "company", "company_name", "province", "missing", "evidence", "details")


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__}")


def _csv_lines(findings: Iterator[Finding]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in findings:
        writer.writerow(
            [
                f.rule,
                f.battery or "",
                f.since.isoformat(),
                f.company or "",
                f.company_name or "",
                f.province or "",
                f.missing,
                " ".join(f.evidence),
                json.dumps(f.details, sort_keys=True, ensure_ascii=False, default=_json_default),
            ]
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()


def _json_lines(findings: Iterator[Finding]) -> Iterator[str]:
    yield "["
    first = True
    for f in findings:
        yield ("\n" if first else ",\n") + f.model_dump_json()
        first = False
    yield "\n]\n"


@dataclass
class Export:
    """What a route streams: the media type, the file name, the chunks, and how to stop early."""

    media_type: str
    filename: str
    chunks: Iterator[str]
    close: Callable[[], None]


def export(
    db: Database,
    rule_id: str,
    raw_params: Iterable[tuple[str, Any]] | Mapping[str, Any],
    calendar: WorkdayCalendar,
    fmt: Literal["csv", "json"],
    provinces: Collection[str] | None = None,
) -> Export:
    """All findings of a rule (within ``provinces``, when given) as CSV or a JSON array, streamed;
    parameters are checked before the first byte."""
    findings = iter_findings(db, rule_id, raw_params, calendar, provinces)
    stamp = cst_date(findings.params.as_of).strftime("%Y%m%d")
    if fmt == "csv":
        return Export(
            "text/csv; charset=utf-8", f"leakage-{rule_id}-{stamp}.csv", _csv_lines(iter(findings)), findings.close
        )
    return Export("application/json", f"leakage-{rule_id}-{stamp}.json", _json_lines(iter(findings)), findings.close)
