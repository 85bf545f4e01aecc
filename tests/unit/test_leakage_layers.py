"""The leakage package's rooms import only the rooms below them, so no import can go in a circle."""

from __future__ import annotations

import ast
from pathlib import Path

import app.services.leakage as package

#: Lowest first: each module may import only modules earlier in this list.
ORDER = ["workdays", "param_types", "params", "catalogue", "running", "exports", "summaries"]


def _imported_rooms(path: Path) -> set[str]:
    rooms: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app.services.leakage."):
            rooms.add(node.module.removeprefix("app.services.leakage.").split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path.name}: relative import; name the module in full")
        elif isinstance(node, ast.Import):
            rooms |= {a.name.split(".")[3] for a in node.names if a.name.startswith("app.services.leakage.")}
    return rooms


def test_every_room_imports_only_rooms_below_it() -> None:
    folder = Path(package.__file__).parent
    assert sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__") == sorted(ORDER)
    for i, room in enumerate(ORDER):
        allowed = set(ORDER[:i])
        assert _imported_rooms(folder / f"{room}.py") <= allowed, room


def test_each_room_is_under_400_lines() -> None:
    for path in Path(package.__file__).parent.glob("*.py"):
        assert len(path.read_text().splitlines()) < 400, path.name
