"""Benchmarks, as ratios measured in one run on one machine: ``make bench`` / ``make bench-quick``.

Steps: a synthetic world is generated (or reused), loaded into a dedicated Neo4j instance
(var/neo4j-bench) through the bulk loader in a child process (its peak RSS is the loader's
memory), a sample of the same events goes through the naive path (one transaction per event,
same driver and Cypher), then trace latency is measured over HTTP against a real uvicorn
process and, for the same batteries, through the bare driver running the same query. Leakage
rules and analytics projections are timed when those modules are present.

Writes bench/results.json, each step's figures as soon as it has them (a run stopped part way
keeps what it measured; ``run.completed`` is true only at the end), and prints a table. The
``--*-only`` modes re-measure one part on the store the last run left. Wall-clock figures are
only compared with each other inside one run; tests never assert on them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.config import Settings  # noqa: E402
from app.db import Database  # noqa: E402
from app.security import issue_key  # noqa: E402
from app.services.ingest import ingest_events, validate_raw  # noqa: E402
from app.services.store import apply_schema, clear_store  # noqa: E402
from bench.concurrency import concurrency  # noqa: E402
from bench.findings_cost import findings_cost  # noqa: E402
from bench.ledger_cost import ledger_cost  # noqa: E402
from bench.load import run_load  # noqa: E402
from bench.samples import pack_codes, repair_sample  # noqa: E402
from bench.server import api_process  # noqa: E402
from bench.store_breakdown import breakdown, index_directories, results_keys  # noqa: E402
from loaders.files import load_registry, read_batches  # noqa: E402
from loaders.synth.writer import generator_fingerprint  # noqa: E402
from neo4j_runtime import launcher  # noqa: E402

BENCH_HOME = ROOT / "var" / "neo4j-bench"
BENCH_PORT = 7699


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def generate(world: Path, batteries: int, seed: int) -> dict[str, Any]:
    manifest = world / "manifest.json"
    if manifest.exists():
        data: dict[str, Any] = json.loads(manifest.read_text())
        same_code = data.get("generator_fingerprint") == generator_fingerprint()
        if data.get("batteries", data.get("parameters", {}).get("batteries")) == batteries and same_code:
            print(f"bench: reusing {world}", file=sys.stderr)
            return data
    subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "synth",
            "--batteries",
            str(batteries),
            "--seed",
            str(seed),
            "--out",
            str(world),
        ],
        cwd=ROOT,
        check=True,
    )
    result: dict[str, Any] = json.loads(manifest.read_text())
    return result


def naive_rate(db: Database, world: Path, sample: int) -> float:
    """One transaction per event through the same ingest service: the baseline."""
    clear_store(db)
    load_registry(db, world)
    rows = next(iter(read_batches(world / "events.jsonl", sample)))[2]
    models = validate_raw(rows)
    began = time.perf_counter()
    for model in models:
        ingest_events(db, [model], allow_recorded_at=True)
    rate = len(models) / (time.perf_counter() - began)
    clear_store(db)
    return rate


def bulk_load(world: Path, env: dict[str, str]) -> dict[str, float]:
    """The loader in a child process, so its peak RSS is its own."""
    began = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "app.cli", "load", str(world), "--quiet", "--batch-size", "5000"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - began
    if proc.returncode != 0:
        raise SystemExit(f"bench: loader failed: {proc.stderr[-2000:]}")
    fields = dict(kv.split("=", 1) for kv in proc.stdout.split() if "=" in kv)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    events = int(fields["accepted"]) + int(fields["duplicates"])
    return {
        "events": events,
        "seconds": float(fields["seconds"]),
        "wall_s": elapsed,
        "events_per_s": events / float(fields["seconds"]),
        "peak_rss_mb": peak_kb / 1024,
    }


def _time_calls(fn: Callable[[str], Any], codes: list[str]) -> list[float]:
    out = []
    for code in codes:
        began = time.perf_counter()
        fn(code)
        out.append((time.perf_counter() - began) * 1000)
    return out


def trace_latency(db: Database, env: dict[str, str], samples: int, seed: int, load_s: float) -> dict[str, Any]:
    # The stdlib client on one keep-alive connection: the figure is the API's cost, not a client
    # library's (httpx added ~1.5 ms per request here, more than the whole API overhead).
    import http.client

    codes = pack_codes(db, seed, samples)
    headers = {"X-API-Key": issue_key(db, "investigator", "bench").key}

    def get(conn: http.client.HTTPConnection, path: str) -> int:
        conn.request("GET", path, headers=headers)
        res = conn.getresponse()
        res.read()
        return res.status

    def via_driver(code: str) -> None:
        db.read("trace.battery_timeline", code=code)

    with api_process(env) as api:
        client = http.client.HTTPConnection("127.0.0.1", api.port, timeout=30)
        rss_before = _rss_mb(api.pid)

        def via_api(code: str) -> None:
            status = get(client, f"/v1/batteries/{code}/trace")
            if status != 200:
                raise SystemExit(f"bench: trace of {code} answered {status}")

        _time_calls(via_api, codes[:50])  # warm both paths
        _time_calls(via_driver, codes[:50])
        api_ms: list[float] = []
        driver_ms: list[float] = []
        for code in codes:  # interleaved, so load on the machine hits both alike
            api_ms += _time_calls(via_api, [code])
            driver_ms += _time_calls(via_driver, [code])
        rss_after = _rss_mb(api.pid)
        reporter = db.read("registry.list_companies", after="", limit=1, role=None, province=None)[0]["uscc"]
        admin = issue_key(db, "admin", "bench load").key
        load = run_load(api.port, api.pid, admin, codes, reporter, duration_s=load_s, clients=4).summary()
    return {
        "api_p50_ms": statistics.median(api_ms),
        "api_p99_ms": _percentile(api_ms, 0.99),
        "driver_p50_ms": statistics.median(driver_ms),
        "driver_p99_ms": _percentile(driver_ms, 0.99),
        "overhead_ratio_p50": statistics.median(api_ms) / statistics.median(driver_ms),
        "api_rss_mb_before": rss_before,
        "api_rss_mb": rss_after,
        **load,
    }


def concurrency_figures(db: Database, env: dict[str, str], seed: int, seconds: float, workers: int) -> dict[str, Any]:
    """Reads, the mixed load and small batches at 8-16 clients against an API with ``workers``."""
    codes, reporter = repair_sample(db, seed)
    reader = issue_key(db, "investigator", "bench concurrency").key
    writer = issue_key(db, "admin", "bench concurrency").key
    with api_process(env, workers=workers) as api:
        return concurrency(db, api.port, reader, writer, codes, reporter, seconds, workers)


def _timed(out: dict[str, float], key: str, fn: Callable[[], Any]) -> Any:
    began = time.perf_counter()
    value = fn()
    out[key] = time.perf_counter() - began
    return value


def analytics_timings(db: Database) -> dict[str, float]:
    """The projections of issue 4 from Neo4j into networkx and every analysis on them."""
    from app.analytics import flows, metrics
    from app.repositories.analytics import sample_vehicles
    from app.schemas.analytics import Filters
    from app.services import analytics, kept_flows

    out: dict[str, float] = {}
    # The custody network over all time three ways: aggregating every stay (what a store with no
    # kept flows, or a window, costs), building the kept flows whole, then reading them.
    kept_flows.forget(db)
    _timed(out, "analytics.projection_scan_s", lambda: analytics.custody_graph(db))
    refreshed = _timed(out, "analytics.flows_refresh_full_s", lambda: kept_flows.refresh(db))
    out["analytics.flows_kept_rows"] = float(refreshed.rows)
    graph = _timed(out, "analytics.projection_s", lambda: analytics.custody_graph(db))
    out["analytics.custody_nodes"] = float(graph.number_of_nodes())
    out["analytics.custody_edges"] = float(graph.number_of_edges())
    swaps = _timed(out, "analytics.swap_projection_s", lambda: analytics.swap_graph(db))
    out["analytics.swap_nodes"] = float(swaps.number_of_nodes())
    out["analytics.swap_edges"] = float(swaps.number_of_edges())
    vins = sample_vehicles(db, 1000)
    bipartite = _timed(
        out, "analytics.vehicle_battery_projection_s", lambda: analytics.vehicle_battery_graph(db, vins=vins)
    )
    out["analytics.vehicle_battery_edges"] = float(bipartite.number_of_edges())
    _timed(out, "analytics.degrees_s", lambda: metrics.weighted_degrees(graph))
    _timed(out, "analytics.brokers_s", lambda: metrics.rank_brokers(graph, top=10))
    _timed(out, "analytics.pagerank_s", lambda: metrics.pagerank(graph))
    _timed(out, "analytics.louvain_s", lambda: metrics.communities(graph))
    _timed(out, "analytics.scc_s", lambda: metrics.strongly_connected(graph))
    _timed(out, "analytics.cycles_s", lambda: metrics.cycles(graph))
    _timed(out, "analytics.unlicensed_share_s", lambda: flows.unlicensed_sink_share(graph))
    _timed(out, "analytics.swap_pagerank_s", lambda: metrics.pagerank(swaps))
    _timed(out, "analytics.rings_with_batteries_s", lambda: analytics.find_rings(db, Filters()))
    return out


def findings_figures(db: Database, calls: int = 21) -> dict[str, float]:
    """The stored findings: the first sweep (every rule, every finding written; cold under
    --queries-only, which starts the server first; the rules planned before, as the API does at
    start), a second (rules again, nothing to write), and the summary read from the stored set."""
    try:
        from app.services import findings, leakage
    except ImportError:
        return {}
    calendar = leakage.calendar_for(db.settings)
    workers = db.settings.leakage_workers
    # The API's findings keeper has the rules planned when it starts (leakage.plan_all), so its first
    # sweep does not plan them; the planning is timed apart, and the sum is the CLI's cold rebuild.
    planned = leakage.plan_all(db, calendar)
    first = findings.sweep(db, calendar, workers=workers)
    second = findings.sweep(db, calendar, as_of=first.as_of, workers=workers)
    times = []
    for _ in range(calls):
        began = time.perf_counter()
        findings.stored_summary(db, calendar, None)
        times.append((time.perf_counter() - began) * 1000)
    return {
        "findings.rebuild_cold_s": first.seconds,
        "findings.plan_rules_s": planned,
        "findings.rebuild_cold_with_planning_s": planned + first.seconds,
        "findings.stored": float(first.open),
        "findings.resweep_s": second.seconds,
        "findings.resweep_changes": float(second.opened + second.reopened + second.resolved),
        "findings.summary_p50_ms": _percentile(times, 0.5),
        "findings.summary_p99_ms": _percentile(times, 0.99),
    }


def optional_sections(db: Database) -> dict[str, float]:
    """Leakage rules and analytics projections, when their modules exist in this checkout."""
    out: dict[str, float] = {}
    try:
        from app.services import leakage
    except ImportError:
        leakage = None  # type: ignore[assignment]
    if leakage is not None and hasattr(leakage, "run_all"):
        out.update(findings_figures(db))
        calendar = leakage.calendar_for(db.settings)
        # The sweep a regulator runs: every rule, on as many threads as the summary uses.
        workers = db.settings.leakage_workers
        seconds: dict[str, float] = {}
        began = time.perf_counter()
        findings = leakage.run_all(db, calendar, workers=workers, seconds=seconds)
        out["leakage.all_rules_s"] = time.perf_counter() - began
        out["leakage.workers"] = float(workers)
        out["leakage.rules_sum_s"] = sum(seconds.values())
        for rule_id, elapsed in seconds.items():
            out[f"leakage.rule_s.{rule_id}"] = elapsed
        out["leakage.findings"] = float(sum(len(v) for v in findings.values()))
        for rule_id, rows in findings.items():
            out[f"leakage.findings.{rule_id}"] = float(len(rows))
    try:
        from app.services import analytics
    except ImportError:
        analytics = None  # type: ignore[assignment]
    if analytics is not None:
        out.update(analytics_timings(db))
    return out


def admin_import_sections(world: Path, n_events: int, bulk_events_per_s: float) -> dict[str, Any]:
    """neo4j-admin import of the same world, with the bench's store stopped (it needs the memory)."""
    from bench.admin_import import admin_import

    try:
        found = admin_import(world, n_events)
    except (RuntimeError, OSError) as err:  # the upper bound is optional: record why it is missing
        print(f"bench: admin import failed: {err}", file=sys.stderr)
        return {"ingest.admin_import_error": str(err)[-500:]}
    found["ingest.admin_import_over_bulk"] = found["ingest.admin_import_events_per_s"] / bulk_events_per_s
    found["ingest.bulk_over_admin"] = bulk_events_per_s / found["ingest.admin_import_events_per_s"]
    return found


def admin_import_only(args: argparse.Namespace) -> int:
    """Add the neo4j-admin upper bound to the results of the last full run (same world)."""
    results: dict[str, Any] = json.loads(args.out.read_text())
    world = ROOT / "var" / f"bench-world-{args.batteries}-{args.seed}"
    if results.get("n_batteries") != args.batteries or not (world / "events.jsonl").exists():
        raise SystemExit(f"bench: --admin-import-only needs {args.out} and {world} from a full run")
    launcher.stop(BENCH_HOME)
    results.update(
        admin_import_sections(world, results["n_events"], results["ingest.bulk_events_per_s"]),
    )
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    _print_table(results, args.out)
    return 0


def queries_only(args: argparse.Namespace) -> int:
    """Leakage and analytics again on the loaded store, after a change to their queries.

    The load, the naive sample and the trace figures of the last full run stay as they were;
    ``queries_remeasured_at`` says when the leakage.* and analytics.* figures were replaced.
    """
    if not args.out.exists() or not (BENCH_HOME / "data").exists():
        raise SystemExit(f"bench: --queries-only needs {args.out} and the store of a full run in {BENCH_HOME}")
    results: dict[str, Any] = json.loads(args.out.read_text())
    if results.get("n_batteries") != args.batteries:
        raise SystemExit(f"bench: {args.out} holds a run of {results.get('n_batteries')} packs, not {args.batteries}")
    instance = launcher.start(BENCH_HOME, BENCH_PORT, args.heap, args.pagecache)
    from pydantic import SecretStr

    db = Database(Settings(neo4j_uri=instance.uri, neo4j_password=SecretStr(instance.password)))
    try:
        apply_schema(db)  # indexes added since the load are built (and awaited) before timing
        extra = optional_sections(db)
    finally:
        db.close()
        launcher.stop(BENCH_HOME)
    results = {k: v for k, v in results.items() if not k.startswith(("leakage.", "analytics.", "findings."))}
    results.update(extra)
    results["queries_remeasured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    results["queries_neo4j.heap"], results["queries_neo4j.pagecache"] = args.heap, args.pagecache
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    _print_table(results, args.out)
    return 0


def concurrency_only(args: argparse.Namespace) -> int:
    """The concurrency figures again on the store the last full run left (writes add to it)."""
    if not args.out.exists() or not (BENCH_HOME / "data").exists():
        raise SystemExit(f"bench: --concurrency-only needs {args.out} and the store of a full run in {BENCH_HOME}")
    instance = launcher.start(BENCH_HOME, BENCH_PORT, args.heap, args.pagecache)
    env = _api_env(instance)
    from pydantic import SecretStr

    db = Database(Settings(neo4j_uri=instance.uri, neo4j_password=SecretStr(instance.password)))
    try:
        figures = concurrency_figures(db, env, args.seed, args.load_seconds, args.api_workers)
    finally:
        db.close()
        launcher.stop(BENCH_HOME)
    _update(args.out, {**figures, "concurrency_measured_at": datetime.now(UTC).isoformat(timespec="seconds")})
    return 0


def findings_only(args: argparse.Namespace) -> int:
    """The stored findings' figures again on the store the last full run left (writes add to it)."""
    if not args.out.exists() or not (BENCH_HOME / "data").exists():
        raise SystemExit(f"bench: --findings-only needs {args.out} and the store of a full run in {BENCH_HOME}")
    instance = launcher.start(BENCH_HOME, BENCH_PORT, args.heap, args.pagecache)
    from pydantic import SecretStr

    db = Database(Settings(neo4j_uri=instance.uri, neo4j_password=SecretStr(instance.password)))
    try:
        apply_schema(db)
        figures = findings_figures(db)  # first: the sweep finds a cold page cache
        figures.update(findings_cost(db, *repair_sample(db, args.seed)))
    finally:
        db.close()
        launcher.stop(BENCH_HOME)
    _update(args.out, {**figures, "findings_measured_at": datetime.now(UTC).isoformat(timespec="seconds")})
    return 0


def _api_env(instance: launcher.Instance) -> dict[str, str]:
    return dict(
        os.environ,
        NEO4J_URI=instance.uri,
        NEO4J_USER=instance.user,
        NEO4J_PASSWORD=instance.password,
        NEO4J_PASSWORD_FILE=str(instance.home / "password"),
        # The kept custody flows' refresh is timed on its own (analytics_timings); a keeper in the
        # API would spend the read and write phases' cores rebuilding them after the bulk load.
        FLOWS_REFRESH_S="0",
    )


def _print_table(results: dict[str, Any], out: Path) -> None:
    width = max(len(k) for k in results)
    for key, value in results.items():
        shown = f"{value:,.2f}" if isinstance(value, float) else str(value)
        print(f"{key:<{width}}  {shown}")
    print(f"written: {out}")


def _commit() -> str:
    """The checkout's commit, so that figures name the code they measured."""
    command = ["git", "rev-parse", "--short", "HEAD"]
    found = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    return found.stdout.strip() or "unknown"


def _update(out: Path, figures: dict[str, Any]) -> None:
    """Merge figures into an existing results file (or start one), and print them."""
    results = json.loads(out.read_text()) if out.exists() else {}
    results.update(figures)
    written = out.with_name(out.name + ".tmp")
    written.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    written.replace(out)  # whole or not at all, even when the run is stopped while writing
    print(json.dumps(figures, indent=2))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batteries", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--naive-sample", type=int, default=2_000)
    parser.add_argument("--trace-samples", type=int, default=1_000)
    parser.add_argument("--load-seconds", type=float, default=30.0, help="the mixed read/write load run")
    parser.add_argument("--api-workers", type=int, default=os.cpu_count() or 1, help="API processes")
    parser.add_argument("--heap", default="6g")
    parser.add_argument("--pagecache", default="8g")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="re-time the leakage rules and analytics on the store the last full run left, updating --out",
    )
    parser.add_argument(
        "--no-admin-import",
        dest="admin_import",
        action="store_false",
        help="skip the neo4j-admin import upper bound",
    )
    parser.add_argument(
        "--admin-import-only",
        action="store_true",
        help="add the neo4j-admin import upper bound to --out, on the world of the last full run",
    )
    parser.add_argument(
        "--ledger-only",
        action="store_true",
        help="measure only what the verifiable log costs at capture (fresh store), updating --out",
    )
    parser.add_argument(
        "--concurrency-only",
        action="store_true",
        help="re-measure reads, the mixed load and small batches on the store of the last full run",
    )
    parser.add_argument(
        "--findings-only",
        action="store_true",
        help="re-measure the stored findings (sweeps, summary, ingest cost) on the store of the last full run",
    )
    args = parser.parse_args()
    if args.findings_only:
        return findings_only(args)
    if args.concurrency_only:
        return concurrency_only(args)
    if args.queries_only:
        return queries_only(args)
    if args.admin_import_only:
        return admin_import_only(args)

    world = ROOT / "var" / f"bench-world-{args.batteries}-{args.seed}"
    manifest = generate(world, args.batteries, args.seed)
    # A fresh store each run: the same starting point, and no time spent deleting the last one.
    launcher.stop(BENCH_HOME)
    shutil.rmtree(BENCH_HOME, ignore_errors=True)
    instance = launcher.start(BENCH_HOME, BENCH_PORT, args.heap, args.pagecache)
    env = _api_env(instance)
    from pydantic import SecretStr

    db = Database(Settings(neo4j_uri=instance.uri, neo4j_password=SecretStr(instance.password)))
    out = args.out
    try:
        apply_schema(db)
        ledger = ledger_cost(db, world)
        if args.ledger_only:
            _update(out, {**ledger, "ledger_measured_at": datetime.now(UTC).isoformat(timespec="seconds")})
            return 0
        # A run starts its results afresh and saves each step's figures as soon as it has them, so a
        # long run stopped part way keeps what it measured (``run.completed`` says whether it ended).
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("{}\n")
        with db.driver.session(database=db.name) as s:
            rec = s.run("CALL dbms.components() YIELD versions RETURN versions[0] AS v").single()
        _update(
            out,
            {
                "n_batteries": args.batteries,
                "machine.cores": os.cpu_count(),
                "machine.python": platform.python_version(),
                "neo4j.version": rec["v"] if rec else "unknown",
                "neo4j.heap": args.heap,
                "neo4j.pagecache": args.pagecache,
                "world.generated_events": manifest.get("counts", {}).get("events.jsonl"),
                "run.started_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "run.commit": _commit(),
                "run.completed": False,
                **ledger,
            },
        )
        naive = naive_rate(db, world, args.naive_sample)
        bulk = bulk_load(world, env)
        loaded = sum(f.stat().st_size for f in (BENCH_HOME / "data").rglob("*") if f.is_file())
        _update(
            out,
            {
                "n_events": bulk["events"],
                "ingest.bulk_events_per_s": bulk["events_per_s"],
                "ingest.naive_events_per_s": naive,
                "ingest.ratio": bulk["events_per_s"] / naive,
                "ingest.bulk_seconds": bulk["seconds"],
                "memory.loader_peak_rss_mb": bulk["peak_rss_mb"],
                "store.bytes_after_load": loaded,
                "store.bytes_per_event_after_load": loaded / bulk["events"],
            },
        )
        # The store-wide passes first (findings, rules, projections), then the reads and writes over HTTP.
        _update(out, optional_sections(db))
        _update(out, findings_cost(db, *repair_sample(db, args.seed)))
        trace = trace_latency(db, env, args.trace_samples, args.seed, args.load_seconds)
        _update(
            out,
            {
                **{f"trace.{k}": trace[k] for k in ("api_p50_ms", "api_p99_ms", "driver_p50_ms", "driver_p99_ms")},
                "trace.overhead_ratio_p50": trace["overhead_ratio_p50"],
                "memory.api_rss_mb": trace["api_rss_mb"],
                "memory.api_rss_mb_before_trace": trace["api_rss_mb_before"],
                **{k: v for k, v in trace.items() if k.startswith("load.")},
            },
        )
        _update(out, concurrency_figures(db, env, args.seed, args.load_seconds, args.api_workers))
        indexes = index_directories(db)
    finally:
        db.close()
        launcher.stop(BENCH_HOME)
    store_bytes = sum(f.stat().st_size for f in (BENCH_HOME / "data").rglob("*") if f.is_file())
    _update(
        out,
        {
            "store.bytes": store_bytes,
            "store.bytes_per_event": store_bytes / bulk["events"],
            **results_keys(breakdown(BENCH_HOME, indexes)),
        },
    )
    if args.admin_import:
        _update(out, admin_import_sections(world, int(bulk["events"]), bulk["events_per_s"]))
    _update(out, {"measured_at": datetime.now(UTC).isoformat(timespec="seconds"), "run.completed": True})
    _print_table(json.loads(out.read_text()), out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
