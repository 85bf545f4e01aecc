"""Queries that can do nothing with an empty list are not sent; those that still act are."""

from __future__ import annotations

from typing import Any

import pytest

from app.db import run
from app.queries import get_query, parse_query_file

HEADER = "// A query.\n// mode: write\n// params: rows: list[map]{extra}\n// returns: {returns}\n"


def parsed(body: str, returns: str = "nothing", extra: str = "") -> str | None:
    return parse_query_file("t.q", HEADER.format(extra=extra, returns=returns) + body).unwinds


def test_a_plain_unwind_that_returns_nothing_is_skippable() -> None:
    assert parsed("UNWIND $rows AS row\nMATCH (n {id: row.id})\nSET n.x = row.x") == "rows"


def test_an_aggregation_after_the_unwind_still_acts_on_no_rows() -> None:
    body = "UNWIND $rows AS row\nMATCH (n {id: row.id})\nWITH count(*) AS n\nMATCH (l:Log)\nSET l.size = $size"
    assert parsed(body, extra=", size: int") is None


def test_a_query_that_answers_per_row_is_skippable_too() -> None:
    # No row to unwind, no row to answer: what a merge or a link returns per row is empty.
    assert parsed("UNWIND $rows AS row\nMERGE (n {id: row.id})\nRETURN row.id AS id", returns="id") == "rows"


def test_an_aggregated_answer_or_another_start_is_always_sent() -> None:
    assert parsed("UNWIND $rows AS row\nRETURN count(*) AS n", returns="n") is None
    union = "UNWIND $rows AS row\nRETURN row.id AS id\nUNION\nMATCH (l:Log) RETURN l.id AS id"
    assert parsed(union, returns="id") is None
    assert parsed("MATCH (l:Log)\nUNWIND $rows AS row\nSET l.x = row.x") is None


def test_the_registry_keeps_the_logs_append_and_the_chain_heads_always_sent() -> None:
    assert get_query("log.append").unwinds is None
    assert get_query("ingest.extend_chains").unwinds is None
    assert get_query("ingest.link_stations").unwinds == "rows"
    assert get_query("ingest.merge_vehicles").unwinds == "vins"
    assert get_query("ingest.link_corrections").unwinds == "rows"


class _NoRoundTrips:
    """A transaction that fails the test if anything is sent."""

    def run(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a query was sent")


def test_run_sends_nothing_for_an_empty_list_and_sends_a_full_one() -> None:
    tx: Any = _NoRoundTrips()
    assert run(tx, "ingest.link_stations", rows=[]) == []
    with pytest.raises(AssertionError, match="was sent"):
        run(tx, "ingest.link_stations", rows=[{"event_id": "e", "station": "s"}])
    with pytest.raises(AssertionError, match="was sent"):
        run(tx, "log.append", tiles=[], entries=[], size=0, root="")
