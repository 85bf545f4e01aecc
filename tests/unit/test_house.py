"""The house's size rule: a file under app/ does one job, which fits in 500 lines.

(The import layers are held by the contracts in pyproject.toml, which ``make lint`` checks.)"""

from __future__ import annotations

from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
LIMIT = 500


def test_no_python_file_under_app_is_longer_than_the_limit() -> None:
    sizes = {str(p.relative_to(APP)): len(p.read_text(encoding="utf-8").splitlines()) for p in APP.rglob("*.py")}
    assert sizes, "app/ has Python files"
    assert {name: n for name, n in sizes.items() if n > LIMIT} == {}
