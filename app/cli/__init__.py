"""``batterytrace``: the one command line of the project, one subcommand group per module.

Each module adds its subcommands to the parser and attaches a ``handler`` (parsed arguments in,
exit status out), so ``main`` only parses and dispatches. Also runnable as ``python -m app.cli``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from app.cli import analytics, evaluate, integrity, keys, load, server, synth

#: The groups in the order ``batterytrace --help`` lists them: from a server to the checks.
GROUPS = (server, synth, load, keys, integrity, analytics, evaluate)


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree; every leaf sets ``handler``."""
    parser = argparse.ArgumentParser(
        prog="batterytrace",
        description="Provenance for EV batteries: local Neo4j, worlds, loading, keys, tamper evidence, analyses.",
    )
    sub = parser.add_subparsers(dest="group", required=True, metavar="COMMAND")
    for group in GROUPS:
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default: the process's arguments) and run the chosen command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    status: int = args.handler(args)
    return status
