"""The claims table in the code and in docs/claims.md say the same; the vocabularies behave."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.identifiers.chemistry import chemistry_conflict, normalise_chemistry
from app.identifiers.provinces import PROVINCES, check_province
from app.lifecycle.claims import ACTS

DOC = Path(__file__).parents[2] / "docs" / "claims.md"


def test_docs_table_lists_the_roles_the_code_checks() -> None:
    rows = re.findall(r"^\| `([a-z_]+)` \| [^|]+ \| ([^|]+) \|$", DOC.read_text(encoding="utf-8"), re.MULTILINE)
    documented = {kind: roles.strip() for kind, roles in rows}
    assert set(documented) == set(ACTS)
    for kind, act in ACTS.items():
        roles = set(documented[kind].split(", ")) if documented[kind] != "any" else set()
        assert roles == set(act.roles), kind


@pytest.mark.parametrize(
    ("given", "stored"),
    [("B", "LFP"), ("lfp", "LFP"), ("磷酸铁锂", "LFP"), ("E", "ternary"), ("NCM", "ternary"), (" nca ", "ternary")],
)
def test_chemistry_spellings_normalise(given: str, stored: str) -> None:
    assert normalise_chemistry(given) == stored


def test_only_a_confirmed_letter_decides_a_conflict() -> None:
    assert chemistry_conflict("B", "ternary") is not None  # B is confirmed LFP
    assert chemistry_conflict("C", "LFP") is not None  # LFP's letter B is confirmed
    assert chemistry_conflict("C", "LCO") is None  # two unconfirmed readings: not ours to refuse
    assert chemistry_conflict("E", "ternary") is None
    with pytest.raises(ValueError, match="not a known chemistry"):
        normalise_chemistry("unobtainium")


def test_provinces_are_the_34_province_level_divisions() -> None:
    assert len(PROVINCES) == 34 and PROVINCES["650000"].zh == "新疆维吾尔自治区"
    assert check_province("440000") == "440000"
    with pytest.raises(ValueError, match="prefecture or county"):
        check_province("440300")
    with pytest.raises(ValueError, match="unknown"):
        check_province("999999")
