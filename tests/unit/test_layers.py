"""Arrows point down: the security rules, identifier types and time checks know nothing of HTTP."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

WEB = ("fastapi", "starlette")
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("module", ["app.security", "app.errors", "app.identifiers.types", "app.schemas.time"])
def test_module_imports_no_web_framework(module: str) -> None:
    # A fresh interpreter: this test process has long imported FastAPI for other tests.
    probe = f"import sys, {module}; print(sorted(m for m in sys.modules if m.split('.')[0] in {WEB!r}))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"
