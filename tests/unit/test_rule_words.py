"""Every leakage rule of the catalogue has its Chinese words in the UI (ui/src/rules_zh.ts)."""

from __future__ import annotations

import re
from pathlib import Path

from app.services.leakage import RULES

WORDS = Path(__file__).resolve().parents[2] / "ui" / "src" / "rules_zh.ts"


def test_every_rule_has_chinese_words_in_the_ui() -> None:
    keys = set(re.findall(r"^  ([a-z_]+): \{$", WORDS.read_text(encoding="utf-8"), re.MULTILINE))
    assert keys == set(RULES)
    assert len(RULES) == 16
