"""``batterytrace eval leakage|analytics``: the ground-truth evaluations of ``evaluation/``.

Each loads a generated world into a Neo4j of its own (with ``--neo4j-home``) and exits 0 only
when the rules or analyses find exactly what was planted.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import Subparsers
from evaluation import analytics, fade, leakage
from evaluation.common import ServerOptions


def register(sub: Subparsers) -> None:
    """``eval``: one subcommand per evaluation, with the flags they had as modules."""
    group = sub.add_parser("eval", help="ground-truth evaluations (leakage rules, network analyses)")
    evals = group.add_subparsers(dest="command", required=True)

    p = evals.add_parser(
        "leakage",
        help="precision and recall of every leakage rule against planted ground truth",
        description="Do the leakage rules find exactly what the generator planted?",
    )
    p.add_argument("--batteries", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--world", type=Path, default=None, help="world directory (default var/leakage-world-N-S)")
    p.add_argument("--regenerate", action="store_true", help="generate the world even if it exists")
    p.add_argument("--neo4j-home", type=Path, default=None, help="start a dedicated Neo4j here on a fresh store")
    p.add_argument("--port", type=int, default=7722)
    p.add_argument("--heap", default="3g")
    p.add_argument("--pagecache", default="3g")
    p.add_argument("--keep-running", action="store_true", help="leave the dedicated Neo4j running")
    p.add_argument("--report", type=Path, default=leakage.DEFAULT_REPORT)
    p.set_defaults(handler=_leakage)

    p = evals.add_parser(
        "analytics",
        help="do the analyses find the planted broker and ring?",
        description="Load a synthetic world and check that the analyses find its planted broker and ring.",
    )
    p.add_argument("--batteries", type=int, default=100_000, help="packs in the world (default 100,000)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--world", type=Path, help="world directory (default var/eval-world-N-SEED)")
    p.add_argument("--regenerate", action="store_true", help="generate even when the directory holds the world")
    p.add_argument("--neo4j-home", type=Path, help="start a dedicated Neo4j in this home on a fresh store")
    p.add_argument("--port", type=int, default=7721, help="Bolt port of the dedicated Neo4j")
    p.add_argument("--heap", default="2g")
    p.add_argument("--pagecache", default="1g")
    p.add_argument("--keep-running", action="store_true", help="leave the dedicated Neo4j running")
    p.add_argument("--clear", action="store_true", help="wipe the settings' database first")
    p.add_argument("--criterion", choices=("informal", "all"), default="informal", help="ranking the broker check uses")
    p.add_argument("--top", type=int, default=10, help="intermediaries listed per ranking")
    p.set_defaults(handler=_analytics)

    p = evals.add_parser(
        "fade",
        help="mean state of health by age band and chemistry in a synthetic world (table and PNG)",
        description="Print mean SoH by age band per chemistry from a synthetic world's readings and draw them.",
    )
    p.add_argument("--batteries", type=int, default=50_000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--world", type=Path, default=None, help="world directory (default var/fade-world-N-S)")
    p.add_argument("--regenerate", action="store_true", help="generate the world even if it exists")
    p.add_argument("--png", type=Path, default=Path("docs/fade_by_chemistry.png"))
    p.set_defaults(handler=_fade)


def _fade(args: argparse.Namespace) -> int:
    rows = fade.run(args.batteries, args.seed, args.world, args.png, regenerate=args.regenerate)
    return 0 if rows else 1


def _server(args: argparse.Namespace) -> ServerOptions | None:
    """A dedicated server when ``--neo4j-home`` is given, else None (the usual settings)."""
    if args.neo4j_home is None:
        return None
    return ServerOptions(args.neo4j_home, args.port, args.heap, args.pagecache, keep_running=args.keep_running)


def _leakage(args: argparse.Namespace) -> int:
    return leakage.run(
        batteries=args.batteries,
        seed=args.seed,
        world=args.world,
        regenerate=args.regenerate,
        server=_server(args),
        report=args.report,
    )


def _analytics(args: argparse.Namespace) -> int:
    return analytics.run(
        batteries=args.batteries,
        seed=args.seed,
        world=args.world,
        regenerate=args.regenerate,
        server=_server(args),
        clear=args.clear,
        criterion=args.criterion,
        top=args.top,
    )
