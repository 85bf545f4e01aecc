"""The typed rows of the analytics and integrity queries are what those queries return.

Each row type's fields must be its query's ``returns`` columns, in order; each repository
converter must put every column in the field of the same name (they build rows positionally, so a
swapped pair would otherwise pass silently).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields
from typing import Any

import pytest

from app.analytics.rows import CompanyRow, CustodyChainRow, CustodyFlowRow, InstallationRow, StationRow, SwapFlowRow
from app.db import Row
from app.queries import get_query
from app.repositories import analytics, integrity
from app.repositories.integrity import ChainHeadRow, ChainLinkRow
from app.schemas.dossier import CompanyName
from app.schemas.integrity import Checkpoint


def _returns(name: str) -> list[str]:
    """The column names of a query's ``returns`` header, without their parenthesised notes."""
    text = re.sub(r"\([^)]*\)", "", get_query(name).returns)
    return [column.strip() for column in text.split(",")]


ROWS: list[tuple[str, type, Callable[[Row], Any]]] = [
    ("analytics.custody_flows", CustodyFlowRow, analytics.custody_flow_row),
    ("analytics.companies", CompanyRow, analytics.company_row),
    ("analytics.swap_flows", SwapFlowRow, analytics.swap_flow_row),
    ("analytics.stations", StationRow, analytics.station_row),
    ("analytics.installations", InstallationRow, analytics.installation_row),
    ("analytics.custody_chains_between", CustodyChainRow, analytics.custody_chain_row),
    ("analytics.custody_revisits", CustodyChainRow, analytics.custody_chain_row),
    ("integrity.battery_chain", ChainLinkRow, integrity.chain_link_row),
    ("integrity.chain_heads_page", ChainHeadRow, integrity.chain_head_row),
]


@pytest.mark.parametrize(("query", "row_type", "convert"), ROWS, ids=[q for q, _, _ in ROWS])
def test_the_rows_are_what_their_queries_return(query: str, row_type: type, convert: Callable[[Row], Any]) -> None:
    columns = _returns(query)
    assert [f.name for f in fields(row_type)] == columns
    row = convert({c: f"<{c}>" for c in columns})
    assert {c: getattr(row, c) for c in columns} == {c: f"<{c}>" for c in columns}


def test_the_single_column_and_model_answers_are_what_their_queries_return() -> None:
    assert _returns("analytics.licence_holders") == ["uscc"]
    assert _returns("analytics.sample_vehicles") == ["vin"]
    assert _returns("integrity.list_checkpoints") == list(Checkpoint.model_fields)
    assert _returns("integrity.record_checkpoint") == ["id"]
    assert _returns("dossier.company_names") == list(CompanyName.model_fields)
