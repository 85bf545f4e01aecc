"""Typed rows are held against the ``returns`` headers of the queries that produce them."""

from __future__ import annotations

import re
from dataclasses import fields

from app.queries import registry
from app.repositories.leakage import RuleRow


def columns(returns: str) -> list[str]:
    """Column names of a ``returns`` header, without notes in parentheses or braces."""
    text = re.sub(r"\([^)]*\)|\{[^}]*\}", "", returns)
    return [c.strip() for c in text.split(",")]


def test_every_leakage_rule_returns_the_rule_row() -> None:
    rules = {name: q for name, q in registry().items() if name.startswith("leakage.") and ".stats." not in name}
    assert len(rules) == 16
    expected = [f.name for f in fields(RuleRow)]
    assert {name: columns(q.returns) for name, q in rules.items() if columns(q.returns) != expected} == {}
