"""``batterytrace neo4j start|stop|status|logs|env|fetch``: the local server, through its launcher."""

from __future__ import annotations

from app.cli.common import Subparsers
from neo4j_runtime import launcher


def register(sub: Subparsers) -> None:
    """The launcher's own command and flags, so both spellings take the same options."""
    parser = sub.add_parser("neo4j", help="the local Neo4j server (start, stop, status, logs, env)")
    launcher.add_arguments(parser)
    parser.set_defaults(handler=launcher.run)
