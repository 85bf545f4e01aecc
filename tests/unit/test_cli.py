"""The ``batterytrace`` parser wires every subcommand to a handler, with the options each had
before it joined the one command line. No database needed: nothing here runs a handler that
opens one."""

from __future__ import annotations

import argparse
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import analytics, evaluate, findings, integrity, keys, load, main, synth
from app.cli import build_parser as cli_parser
from neo4j_runtime import launcher

ROOT = Path(__file__).resolve().parents[2]


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command path that ends without further subcommands, e.g. ("keys", "create")."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path
        return
    for name, child in subs[0].choices.items():
        yield from _leaves(child, (*path, name))


#: One valid command line per leaf, and the handler it must reach.
WIRING = {
    ("neo4j",): (["neo4j", "status"], launcher.run),
    ("synth",): (["synth", "--batteries", "10", "--out", "w"], None),  # a partial of synth._run
    ("load",): (["load", "w"], load._files),
    ("registry",): (["registry", "w"], load._files),
    ("events",): (["events", "e.jsonl"], load._files),
    ("epcis",): (["epcis", "a.json", "b.json"], load._epcis),
    ("reproject",): (["reproject"], load._reproject),
    ("keys", "create"): (["keys", "create", "--role", "admin", "--name", "n"], keys._create),
    ("keys", "list"): (["keys", "list"], keys._list),
    ("keys", "revoke"): (["keys", "revoke", "k1"], keys._revoke),
    ("keys", "demo"): (["keys", "demo"], keys._demo),
    ("checkpoint",): (["checkpoint", "--out", "cp.jsonl"], integrity._checkpoint),
    ("verify",): (["verify", "cp.jsonl"], integrity._verify),
    ("ledger", "upgrade"): (["ledger", "upgrade"], integrity._upgrade),
    ("ledger", "audit"): (["ledger", "audit", "--head", "h.json"], integrity._audit),
    ("verify-proof",): (["verify-proof"], integrity._verify_proof),
    ("analytics", "metrics"): (["analytics", "metrics"], analytics._main),
    ("analytics", "brokers"): (["analytics", "brokers"], analytics._main),
    ("analytics", "sinks"): (["analytics", "sinks"], analytics._main),
    ("analytics", "rings"): (["analytics", "rings"], analytics._main),
    ("analytics", "path"): (["analytics", "path", "A", "B"], analytics._main),
    ("analytics", "export"): (["analytics", "export", "custody", "--out", "g.graphml"], analytics._main),
    ("analytics", "plot"): (["analytics", "plot", "swaps", "--out", "p.png"], analytics._main),
    ("analytics", "vehicles"): (["analytics", "vehicles"], analytics._main),
    ("findings", "sweep"): (["findings", "sweep", "--as-of", "2026-06-30T00:00:00+08:00"], findings._sweep),
    ("findings", "rebuild"): (["findings", "rebuild", "--check"], findings._rebuild),
    ("eval", "leakage"): (["eval", "leakage"], evaluate._leakage),
    ("eval", "analytics"): (["eval", "analytics"], evaluate._analytics),
    ("eval", "fade"): (["eval", "fade"], evaluate._fade),
}


def test_every_leaf_is_listed_here() -> None:
    """A new subcommand needs a line in WIRING, so it cannot go unwired."""
    assert set(_leaves(cli_parser())) == set(WIRING)


@pytest.mark.parametrize("leaf", sorted(WIRING), ids=" ".join)
def test_every_leaf_reaches_its_handler(leaf: tuple[str, ...]) -> None:
    argv, handler = WIRING[leaf]
    args = cli_parser().parse_args(argv)
    if handler is None:
        assert args.handler.func is synth._run
    else:
        assert args.handler is handler


def test_the_neo4j_group_takes_the_launchers_flags(tmp_path: Path) -> None:
    args = cli_parser().parse_args(
        ["neo4j", "start", "--home", str(tmp_path), "--port", "7742", "--heap", "1g", "--pagecache", "512m"]
    )
    assert (args.command, args.home, args.port, args.heap, args.pagecache) == ("start", tmp_path, 7742, "1g", "512m")
    assert cli_parser().parse_args(["neo4j", "logs", "--lines", "5"]).lines == 5
    with pytest.raises(SystemExit):
        cli_parser().parse_args(["neo4j", "restart"])


def test_neo4j_status_runs_through_the_launcher(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["neo4j", "status", "--home", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == f"stopped ({tmp_path.resolve()})"


def test_loader_options() -> None:
    args = cli_parser().parse_args(
        ["events", "e.jsonl", "--restart", "--import-history", "--batch-size", "7", "--api", "http://x", "--key", "k"]
    )
    assert (args.restart, args.import_history, args.batch_size, args.api, args.key) == (True, True, 7, "http://x", "k")
    assert cli_parser().parse_args(["load", "w", "--quiet"]).batch_size == 5_000
    assert cli_parser().parse_args(["reproject"]).batch_size == 2_000


def test_keys_options() -> None:
    args = cli_parser().parse_args(["keys", "create", "--role", "reporter", "--company", "C", "--name", "Acme"])
    assert (args.role, args.company, args.name) == ("reporter", "C", "Acme")
    assert cli_parser().parse_args(["keys", "demo"]).out == "var/demo-keys.json"
    with pytest.raises(SystemExit):
        cli_parser().parse_args(["keys", "create", "--role", "nobody", "--name", "n"])


def test_verify_takes_a_file_or_one_battery() -> None:
    assert cli_parser().parse_args(["verify", "cp.jsonl"]).file == Path("cp.jsonl")
    assert cli_parser().parse_args(["verify", "--battery", "CODE"]).battery == "CODE"
    for argv in (["verify"], ["verify", "cp.jsonl", "--battery", "CODE"]):
        with pytest.raises(SystemExit):
            cli_parser().parse_args(argv)


def test_analytics_parses_the_same_alone_and_under_batterytrace() -> None:
    """Tests drive ``analytics.run`` with ``analytics.build_parser``; both trees must agree."""
    argv = ["brokers", "--province", "440000", "--sample", "200", "--routes", "informal"]
    alone = vars(analytics.build_parser().parse_args(argv))
    nested = vars(cli_parser().parse_args(["analytics", *argv]))
    assert {k: v for k, v in nested.items() if k not in ("group", "handler")} == alone


def test_evaluations_keep_their_own_servers_apart() -> None:
    leakage = cli_parser().parse_args(["eval", "leakage", "--neo4j-home", "var/neo4j-leval"])
    network = cli_parser().parse_args(["eval", "analytics", "--neo4j-home", "var/neo4j-eval", "--criterion", "all"])
    assert (leakage.port, leakage.batteries, leakage.seed) == (7722, 100_000, 7)
    assert (network.port, network.criterion, network.top) == (7721, "all", 10)
    assert (
        evaluate._server(leakage) is not None and evaluate._server(cli_parser().parse_args(["eval", "leakage"])) is None
    )


def test_the_console_script_and_module_run_main() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["batterytrace"] == "app.cli:main"
    proc = subprocess.run(
        [sys.executable, "-m", "app.cli", "--help"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    for group in ("neo4j", "synth", "load", "reproject", "keys", "checkpoint", "verify", "analytics", "eval"):
        assert f"    {group}" in proc.stdout


def test_each_command_is_found_in_the_group_that_registers_it() -> None:
    """``main`` imports only the chosen command's group; the table must name the right one."""
    from app.cli import COMMANDS, GROUPS

    everything = {name for parser in [cli_parser()] for name in _leaves_top(parser)}
    assert set(COMMANDS) == everything
    for name, group in COMMANDS.items():
        assert name in _leaves_top(cli_parser((group,))), name
    assert len(GROUPS) == len(set(COMMANDS.values()))


def _leaves_top(parser: argparse.ArgumentParser) -> set[str]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return set(subs[0].choices)


def test_a_load_does_not_import_the_analyses() -> None:
    code = (
        "import sys; from app.cli import build_parser, COMMANDS; "
        "build_parser((COMMANDS['load'],)); print('networkx' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
