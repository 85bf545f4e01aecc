"""The findings keeper has every rule's query planned when the API starts (``leakage.plan_all``):
each rule is planned for a whole-store run and for a scoped one, against the real server, so a
query the planner refuses fails here rather than in the keeper's log."""

from __future__ import annotations

from typing import Any

import pytest

from app.db import Database
from app.queries import get_query
from app.services import leakage


def test_every_rule_is_planned_whole_and_scoped(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, Any, Any]] = []
    explain = db.explain

    def spy(name: str, /, **params: Any) -> None:
        calls.append((name, params.get("batteries"), params.get("vehicles")))
        explain(name, **params)

    monkeypatch.setattr(db, "explain", spy)
    leakage.plan_all(db, leakage.calendar_for(db.settings))

    queries = {rule.query for rule in leakage.RULES.values()}
    assert {name for name, _, _ in calls} == queries
    for query in queries:
        forms = [batteries for name, batteries, _ in calls if name == query]
        assert None in forms, query  # the whole store
        assert any(isinstance(b, list) and b for b in forms), query  # scoped: a list of codes
        if "vehicles" in get_query(query).params:
            assert any(isinstance(v, list) and v for name, _, v in calls if name == query), query
