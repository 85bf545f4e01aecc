"""``batterytrace``: the one command line of the project, one subcommand group per module.

Each module adds its subcommands to the parser and attaches a ``handler`` (parsed arguments in,
exit status out), so ``main`` only parses and dispatches. Also runnable as ``python -m app.cli``.
A run imports only the module of its command: ``batterytrace load`` does not pay for networkx,
scipy and matplotlib (about 80 MB of memory and a second at start), which only the analyses need.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

#: The groups (modules of this package) in the order ``batterytrace --help`` lists them.
GROUPS: tuple[str, ...] = ("server", "synth", "load", "keys", "integrity", "analytics", "findings", "evaluate")

#: Which group registers each top-level command.
COMMANDS: dict[str, str] = {
    "neo4j": "server",
    "synth": "synth",
    "load": "load",
    "registry": "load",
    "events": "load",
    "epcis": "load",
    "reproject": "load",
    "keys": "keys",
    "checkpoint": "integrity",
    "verify": "integrity",
    "ledger": "integrity",
    "verify-proof": "integrity",
    "analytics": "analytics",
    "findings": "findings",
    "eval": "evaluate",
}


#: Commands that parse their own arguments (the offline verifier has its own command line).
PASSTHROUGH = frozenset({"verify-proof"})


def _group(name: str) -> ModuleType:
    """Import one group on demand (its own imports are static, so the layer contracts see them)."""
    return importlib.import_module(f"{__name__}.{name}")


def build_parser(groups: Sequence[str] = GROUPS) -> argparse.ArgumentParser:
    """The command tree of ``groups`` (all of them by default); every leaf sets ``handler``."""
    parser = argparse.ArgumentParser(
        prog="batterytrace",
        description="Provenance for EV batteries: local Neo4j, worlds, loading, keys, tamper evidence, analyses.",
    )
    sub = parser.add_subparsers(dest="group", required=True, metavar="COMMAND")
    for group in groups:
        _group(group).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default: the process's arguments) and run the chosen command."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    chosen = COMMANDS.get(args_list[0]) if args_list else None
    if chosen is not None and args_list[0] in PASSTHROUGH:
        status_of: int = _group(chosen).passthrough(args_list[0], args_list[1:])
        return status_of
    parser = build_parser((chosen,) if chosen is not None else GROUPS)
    args = parser.parse_args(args_list)
    status: int = args.handler(args)
    return status
