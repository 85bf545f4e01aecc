"""The network analyses: ``batterytrace analytics COMMAND [filters]``.

Answers are JSON on stdout (the same documents as ``/v1/analytics/...``); files (exports, PNGs)
go to ``--out``. Examples::

    batterytrace analytics metrics --network custody --top 10
    batterytrace analytics brokers --province 440000 --sample 200
    batterytrace analytics sinks --role dismantler --role repairer
    batterytrace analytics rings --max-length 4
    batterytrace analytics path 91310104A00000040X 91310106A00000060Y
    batterytrace analytics export custody --format gexf --out custody.gexf
    batterytrace analytics plot custody --kind communities --out communities.png
    batterytrace analytics vehicles --vin LSV00001... --out selection.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from app.analytics.export import MEDIA_TYPES
from app.cli.common import Subparsers, aware_datetime, database
from app.db import Database
from app.errors import InvalidInput
from app.schemas.analytics import Filters
from app.services import analytics

DESCRIPTION = "Network analyses of custody and swaps."


def register(sub: Subparsers) -> None:
    """``analytics``: one subcommand per analysis, answers as JSON on stdout."""
    parser = sub.add_parser("analytics", help="network analyses of custody and swaps", description=DESCRIPTION)
    add_commands(parser)
    parser.set_defaults(handler=_main)


def build_parser() -> argparse.ArgumentParser:
    """The analyses on a parser of their own, for callers that hold a database already (tests)."""
    parser = argparse.ArgumentParser(prog="batterytrace analytics", description=DESCRIPTION)
    add_commands(parser)
    return parser


def add_commands(parser: argparse.ArgumentParser) -> None:
    """The analysis subcommands and their filters, under ``parser``."""
    filters = argparse.ArgumentParser(add_help=False)
    group = filters.add_argument_group("filters")
    group.add_argument("--since", type=aware_datetime, help="flows at or after (RFC 3339 with offset)")
    group.add_argument("--until", type=aware_datetime, help="flows before (RFC 3339 with offset)")
    group.add_argument("--province", help="GB/T 2260 code of either party")
    group.add_argument("--chemistry", help="battery chemistry, e.g. LFP")
    group.add_argument("--as-of", type=date.fromisoformat, help="day licences must be valid on (default today)")

    sub = parser.add_subparsers(dest="command", required=True)
    networks = ("custody", "swaps")

    p = sub.add_parser("metrics", parents=[filters], help="flows, degrees, PageRank, betweenness, communities")
    p.add_argument("--network", choices=networks, default="custody")
    p.add_argument("--top", type=int, default=20)
    p.add_argument("--weight", choices=("batteries", "kg"), default="batteries")

    p = sub.add_parser("brokers", parents=[filters], help="intermediaries ranked by betweenness")
    p.add_argument("--network", choices=networks, default="custody")
    p.add_argument("--top", type=int, default=20)
    p.add_argument("--sample", type=int, help="estimate from this many sampled sources (large graphs)")
    p.add_argument(
        "--routes",
        choices=("all", "informal"),
        default="all",
        help="informal: only routes from holders of used packs to never-listed companies (custody)",
    )

    p = sub.add_parser("sinks", parents=[filters], help="share of each source's outflow ending at unlicensed sinks")
    p.add_argument("--top", type=int, default=50)
    p.add_argument("--weight", choices=("batteries", "kg"), default="batteries")
    p.add_argument("--role", action="append", default=[], help="only sources with this role (repeatable)")

    p = sub.add_parser("rings", parents=[filters], help="components, custody cycles and the batteries going round")
    p.add_argument("--max-length", type=int, default=5)
    p.add_argument("--limit", type=int, default=200)

    p = sub.add_parser("path", parents=[filters], help="custody path between two companies and who travelled it")
    p.add_argument("source", help="USCC")
    p.add_argument("target", help="USCC")
    p.add_argument("--by-flow", action="store_true", help="prefer heavy flows over few hand-overs")

    p = sub.add_parser("export", parents=[filters], help="the network as GraphML, GEXF or node-link JSON")
    p.add_argument("network", choices=networks)
    p.add_argument("--format", choices=tuple(MEDIA_TYPES), default="graphml")
    p.add_argument("--out", type=Path, required=True)

    p = sub.add_parser("plot", parents=[filters], help="PNG of the top flows or the community map")
    p.add_argument("network", choices=networks)
    p.add_argument("--kind", choices=("flows", "communities"), default="flows")
    p.add_argument("--top", type=int, default=20)
    p.add_argument("--out", type=Path, required=True)

    p = sub.add_parser("vehicles", help="vehicle-battery bipartite graph of a selection (node-link JSON)")
    p.add_argument("--vin", action="append", default=[])
    p.add_argument("--code", action="append", default=[])
    p.add_argument("--out", type=Path, help="write here instead of stdout")


def _print(answer: BaseModel | dict[str, Any]) -> None:
    if isinstance(answer, BaseModel):
        print(answer.model_dump_json(indent=2))
    else:
        print(json.dumps(answer, indent=2, ensure_ascii=False))


def run(db: Database, args: argparse.Namespace) -> None:
    """One command; answers on stdout, files to ``--out``, timings on stderr."""
    filters = Filters(
        since=getattr(args, "since", None),
        until=getattr(args, "until", None),
        province=getattr(args, "province", None),
        chemistry=getattr(args, "chemistry", None),
        as_of=getattr(args, "as_of", None),
    )
    started = time.perf_counter()
    command = args.command
    if command == "metrics":
        _print(analytics.network_metrics(db, args.network, filters, top=args.top, weight=args.weight))
    elif command == "brokers":
        _print(
            analytics.brokers(db, filters, network=args.network, top=args.top, sample=args.sample, routes=args.routes)
        )
    elif command == "sinks":
        _print(analytics.sink_shares(db, filters, top=args.top, weight=args.weight, roles=args.role))
    elif command == "rings":
        _print(analytics.find_rings(db, filters, max_length=args.max_length, limit=args.limit))
    elif command == "path":
        _print(analytics.custody_path(db, args.source, args.target, filters, by_flow=args.by_flow))
    elif command == "export":
        args.out.write_bytes(analytics.export_graph(db, args.network, args.format, filters))
        print(f"wrote {args.out}")
    elif command == "plot":
        args.out.write_bytes(analytics.plot(db, args.network, args.kind, filters, top=args.top))
        print(f"wrote {args.out}")
    elif command == "vehicles":
        data = analytics.vehicle_battery_json(db, args.vin, args.code)
        if args.out:
            args.out.write_text(json.dumps(data, ensure_ascii=False))
            print(f"wrote {args.out}")
        else:
            _print(data)
    print(f"{command}: {time.perf_counter() - started:.2f} s", file=sys.stderr)


def _main(args: argparse.Namespace) -> int:
    """Run one analysis on the configured database; invalid filters are exit 2, one line each."""
    with database() as db:
        try:
            run(db, args)
        except InvalidInput as err:
            for problem in err.problems:
                print(f"{problem.field}: {problem.reason}", file=sys.stderr)
            return 2
    return 0
