"""``batterytrace``: the one command line of the project, one subcommand group per module.

Each module adds its subcommands to the parser and attaches a ``handler`` (parsed arguments in,
exit status out), so ``main`` only parses and dispatches. Also runnable as ``python -m app.cli``.
A run imports only the module of its command: ``batterytrace load`` does not pay for networkx,
scipy and matplotlib (about 80 MB of memory and a second at start), which only the analyses need.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from types import ModuleType


def _server() -> ModuleType:
    from app.cli import server

    return server


def _synth() -> ModuleType:
    from app.cli import synth

    return synth


def _load() -> ModuleType:
    from app.cli import load

    return load


def _keys() -> ModuleType:
    from app.cli import keys

    return keys


def _integrity() -> ModuleType:
    from app.cli import integrity

    return integrity


def _analytics() -> ModuleType:
    from app.cli import analytics

    return analytics


def _evaluate() -> ModuleType:
    from app.cli import evaluate

    return evaluate


#: The groups in the order ``batterytrace --help`` lists them: from a server to the checks.
GROUPS: tuple[Callable[[], ModuleType], ...] = (_server, _synth, _load, _keys, _integrity, _analytics, _evaluate)

#: Which group registers each top-level command.
COMMANDS: dict[str, Callable[[], ModuleType]] = {
    "neo4j": _server,
    "synth": _synth,
    "load": _load,
    "registry": _load,
    "events": _load,
    "epcis": _load,
    "reproject": _load,
    "keys": _keys,
    "checkpoint": _integrity,
    "verify": _integrity,
    "analytics": _analytics,
    "eval": _evaluate,
}


def build_parser(groups: Sequence[Callable[[], ModuleType]] = GROUPS) -> argparse.ArgumentParser:
    """The command tree of ``groups`` (all of them by default); every leaf sets ``handler``."""
    parser = argparse.ArgumentParser(
        prog="batterytrace",
        description="Provenance for EV batteries: local Neo4j, worlds, loading, keys, tamper evidence, analyses.",
    )
    sub = parser.add_subparsers(dest="group", required=True, metavar="COMMAND")
    for group in groups:
        group().register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default: the process's arguments) and run the chosen command."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    chosen = COMMANDS.get(args_list[0]) if args_list else None
    parser = build_parser((chosen,) if chosen is not None else GROUPS)
    args = parser.parse_args(args_list)
    status: int = args.handler(args)
    return status
