"""``batterytrace synth --batteries N --seed S --out DIR [--as-of DATE] [--set NAME=VALUE]``."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from app.cli.common import Subparsers
from loaders.synth import SynthConfig, generate_world


def _override(text: str) -> tuple[str, Any]:
    """``NAME=VALUE`` with VALUE as JSON (numbers, lists), so any scalar field can be set."""
    name, sep, raw = text.partition("=")
    fields = {f.name for f in dataclasses.fields(SynthConfig)}
    if not sep or name not in fields or name in ("batteries", "seed", "as_of"):
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE with a SynthConfig field: {text}")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise argparse.ArgumentTypeError(f"{name}: value is not JSON: {raw}") from exc
    return name, tuple(value) if isinstance(value, list) else value


def register(sub: Subparsers) -> None:
    """``synth``: a deterministic synthetic world as JSONL files."""
    parser = sub.add_parser(
        "synth",
        help="write a deterministic synthetic world",
        description="Write a deterministic synthetic battery world as JSONL files.",
    )
    parser.add_argument("--batteries", type=int, required=True, help="traction packs (N)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="cut-off day (default 2026-11-01)")
    parser.add_argument(
        "--set",
        dest="overrides",
        type=_override,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a SynthConfig parameter (repeatable)",
    )
    parser.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    parser.set_defaults(handler=partial(_run, parser))


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """Generate the world and print a summary on stderr; bad parameters are usage errors."""
    if args.batteries < 1:
        parser.error("--batteries must be at least 1")
    try:
        manifest = generate_world(
            args.out,
            args.batteries,
            args.seed,
            args.as_of,
            progress=False if args.no_progress else None,
            **dict(args.overrides),
        )
    except (TypeError, ValueError) as exc:
        parser.error(str(exc))
    elapsed = manifest["elapsed_seconds"]
    rate = args.batteries / elapsed if elapsed else 0.0
    print(
        f"wrote {args.out}: {json.dumps(manifest['counts'])} in {elapsed:.1f} s ({rate:,.0f} packs/s)",
        file=sys.stderr,
    )
    return 0
