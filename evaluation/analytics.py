"""Do the network analyses find what the generator planted? ``batterytrace eval analytics``.

Generates (or reuses) a synthetic world, loads it through the ingest path, projects the custody
graph and checks the two patterns ``loaders.synth.plant`` planted in it:

- **broker**: its rank among intermediaries by betweenness. Two rankings are printed. Plain
  betweenness (``metrics.rank_brokers``, every route) is led by the makers' service points and
  by repairers, which really are the biggest hubs of the formal channel: at 100,000 packs the
  planted broker comes about 4th to 8th there. The check uses betweenness on the routes that
  informal brokerage is about, from companies holding used packs to companies never on the
  white list (``informal_brokers``); ``--criterion all`` checks the plain ranking instead.
- **ring**: the strongly connected component holding the planted companies must be exactly
  them, ``find_rings`` must report their cycle, and the packs it says went round must be the
  planted ones.

Exit status 0 when both are found, 1 when not, 2 on a usage or setup error. Example::

    batterytrace eval analytics --batteries 100000 --seed 7 --neo4j-home var/neo4j-eval

With ``--neo4j-home`` a dedicated server is started on a fresh store (``--port``, default 7721)
and stopped at the end; without it, the database of the usual settings (``NEO4J_URI``...) is
used, and it must be empty unless ``--clear`` says it may be wiped.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from app.analytics import metrics
from app.analytics.flows import informal_brokers
from app.config import Settings, get_settings
from app.db import Database
from app.schemas.analytics import Filters
from app.services import analytics
from app.services.analytics import mark_licence_history
from app.services.store import apply_schema, clear_store
from evaluation.common import ROOT, ServerOptions, dedicated_server, ensure_world
from loaders.files import LoadError, load_directory
from neo4j_runtime import launcher

Node = Hashable


# --- ground truth ------------------------------------------------------------------------------


@dataclass
class Planted:
    """The ``broker`` and ``ring`` labels of a world's ground_truth.jsonl (None when absent)."""

    broker: dict[str, Any] | None = None
    ring: dict[str, Any] | None = None


def read_planted(directory: Path) -> Planted:
    """Stream ground_truth.jsonl, keeping only the summaries (other planters' labels are skipped)."""
    planted = Planted()
    path = directory / "ground_truth.jsonl"
    if not path.exists():
        return planted
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            label = json.loads(line)
            if label.get("kind") == "broker":
                planted.broker = label
            elif label.get("kind") == "ring":
                planted.ring = label
    return planted


# --- checks --------------------------------------------------------------------------------


@dataclass
class Ranked:
    """One ranking of intermediaries and where the planted broker is in it (1 = first)."""

    name: str
    rank: int | None
    intermediaries: int
    top: list[tuple[str, float]]
    seconds: float


@dataclass
class BrokerCheck:
    company: str
    informal: Ranked
    plain: Ranked


@dataclass
class RingCheck:
    companies: list[str]
    component: list[str] | None  # the strongly connected component holding the first company
    cycle: list[str] | None  # the reported cycle through exactly the planted companies
    planted_batteries: list[str]
    found_batteries: list[str]
    components: int = 0
    cycles: int = 0
    seconds: float = 0.0

    @property
    def exact_component(self) -> bool:
        return self.component is not None and set(self.component) == set(self.companies)

    @property
    def found(self) -> bool:
        """The component is exactly the ring, its cycle is reported, the same packs went round."""
        same = sorted(self.found_batteries) == sorted(self.planted_batteries)
        return self.exact_component and self.cycle is not None and same


@dataclass
class Evaluation:
    graph: nx.DiGraph
    projection_seconds: float
    broker: BrokerCheck | None = None
    ring: RingCheck | None = None
    notes: list[str] = field(default_factory=list)


def _ranked(name: str, ranking: list[tuple[Node, float]], company: str, top: int, seconds: float) -> Ranked:
    ids = [str(n) for n, _ in ranking]
    rank = ids.index(company) + 1 if company in ids else None
    return Ranked(name, rank, len(ids), [(str(n), s) for n, s in ranking[:top]], seconds)


def check_broker(graph: nx.DiGraph, company: str, *, top: int = 10) -> BrokerCheck:
    """Where the planted broker ranks by informal brokerage and by plain betweenness."""
    began = time.perf_counter()
    informal = informal_brokers(graph)
    middle = time.perf_counter()
    plain = metrics.rank_brokers(graph)
    done = time.perf_counter()
    return BrokerCheck(
        company,
        _ranked("betweenness from used-pack holders to never-licensed sinks", informal, company, top, middle - began),
        _ranked("betweenness, all routes (rank_brokers)", plain, company, top, done - middle),
    )


def check_ring(db: Database, filters: Filters, ring: Mapping[str, Any]) -> RingCheck:
    """Run ``find_rings`` and compare its components, cycles and packs with the planted ring."""
    companies = [str(c) for c in ring["companies"]]
    began = time.perf_counter()
    answer = analytics.find_rings(db, filters, max_length=max(5, len(companies)), limit=200, codes_per_ring=1000)
    seconds = time.perf_counter() - began
    component = next(([c.id for c in comp] for comp in answer.components if companies[0] in {c.id for c in comp}), None)
    wanted = metrics.canonical_cycle(companies)
    match = next((r for r in answer.rings if tuple(c.id for c in r.companies) == wanted), None)
    return RingCheck(
        companies=companies,
        component=component,
        cycle=[c.id for c in match.companies] if match else None,
        planted_batteries=[str(b) for b in ring["batteries"]],
        found_batteries=list(match.codes) if match else [],
        components=len(answer.components),
        cycles=len(answer.rings),
        seconds=seconds,
    )


def evaluate(db: Database, planted: Planted, as_of: date, *, top: int = 10) -> Evaluation:
    """Project the custody graph (licences as of ``as_of``) and check both planted patterns."""
    filters = Filters(as_of=as_of)
    began = time.perf_counter()
    graph = analytics.project_custody(db, filters)
    mark_licence_history(db, graph)
    result = Evaluation(graph, time.perf_counter() - began)
    if planted.broker is not None:
        result.broker = check_broker(graph, str(planted.broker["company"]), top=top)
    else:
        result.notes.append("no broker was planted (ground_truth.jsonl has no 'broker' label)")
    if planted.ring is not None and planted.ring["batteries"]:
        result.ring = check_ring(db, filters, planted.ring)
    else:
        result.notes.append("no ring was planted (no 'ring' label, or no pack went round)")
    return result


# --- report ------------------------------------------------------------------------------------


def _who(graph: nx.DiGraph, node: str) -> str:
    data = graph.nodes[node] if node in graph else {}
    roles = ",".join(data.get("roles") or []) or "?"
    licence = "licensed" if data.get("licensed") else "unlicensed"
    return f"{node} {data.get('name') or '?'} ({roles}, {licence})"


def report(result: Evaluation, planted: Planted, criterion: str) -> list[str]:
    """The evaluation as text lines."""
    g = result.graph
    lines = [
        f"custody graph: {g.number_of_nodes()} companies, {g.number_of_edges()} flows, "
        f"projected in {result.projection_seconds:.1f} s"
    ]
    if result.broker is not None and planted.broker is not None:
        b = planted.broker
        lines.append("")
        lines.append(
            f"planted broker: {_who(g, result.broker.company)}: {len(b['sources'])} sellers, "
            f"{len(b['buyers'])} buyers, {b['batteries']} packs"
        )
        for ranked in (result.broker.informal, result.broker.plain):
            chosen = " [checked]" if (ranked is result.broker.informal) == (criterion == "informal") else ""
            place = f"rank {ranked.rank}" if ranked.rank else "not an intermediary"
            lines.append(
                f"  {ranked.name}: {place} of {ranked.intermediaries} intermediaries ({ranked.seconds:.2f} s){chosen}"
            )
            for i, (node, score) in enumerate(ranked.top, 1):
                mark = "  <- planted broker" if node == result.broker.company else ""
                lines.append(f"    {i:2d}. {score:.5f} {_who(g, node)}{mark}")
    if result.ring is not None:
        r = result.ring
        lines.append("")
        lines.append(f"planted ring: {' -> '.join(r.companies)} -> {r.companies[0]}, {len(r.planted_batteries)} packs")
        lines.append(
            f"  find_rings: {r.components} strongly connected component(s), {r.cycles} cycle(s) ({r.seconds:.1f} s)"
        )
        lines.append(
            f"  component holding the ring: {sorted(r.component) if r.component else None}; "
            f"exactly the planted companies: {'yes' if r.exact_component else 'no'}"
        )
        lines.append(f"  cycle reported: {' -> '.join(r.cycle) if r.cycle else 'no'}")
        lines.append(f"  packs that went round: {sorted(r.found_batteries)}")
        lines.append(f"  planted packs:         {sorted(r.planted_batteries)}")
    lines.extend(f"note: {n}" for n in result.notes)
    return lines


def verdict(result: Evaluation, criterion: str) -> tuple[bool, bool]:
    """(broker first by the chosen ranking, ring found)."""
    broker = result.broker
    ranked = None if broker is None else broker.informal if criterion == "informal" else broker.plain
    return (ranked is not None and ranked.rank == 1, result.ring is not None and result.ring.found)


# --- the run ------------------------------------------------------------------------------


def _is_empty(db: Database) -> bool:
    with db.driver.session(database=db.name) as session:
        record = session.run("MATCH (n) WHERE n:Event OR n:Battery OR n:Company RETURN count(n) > 0 AS any").single()
    return record is None or not record["any"]


def _run(settings: Settings, world: Path, manifest: dict[str, Any], *, clear: bool, criterion: str, top: int) -> int:
    db = Database(settings)
    try:
        if not _is_empty(db):
            if not clear:
                print(f"{settings.neo4j_uri} holds data: pass --clear to wipe it, or use --neo4j-home", file=sys.stderr)
                return 2
            clear_store(db)
        apply_schema(db)
        began = time.perf_counter()
        loaded = load_directory(db, world, progress=sys.stderr.isatty())
        seconds = time.perf_counter() - began
        print(
            f"loaded into {settings.neo4j_uri}: {loaded.accepted:,} events ({loaded.duplicates:,} duplicates) "
            f"in {seconds:.0f} s ({loaded.events_per_s:,.0f} events/s)"
        )
        planted = read_planted(world)
        result = evaluate(db, planted, date.fromisoformat(manifest["as_of"]), top=top)
    finally:
        db.close()
    for line in report(result, planted, criterion):
        print(line)
    broker_first, ring_found = verdict(result, criterion)
    print()
    print(
        f"RESULT: broker first ({criterion}): {'yes' if broker_first else 'NO'}; "
        f"ring found: {'yes' if ring_found else 'NO'}"
    )
    return 0 if broker_first and ring_found else 1


def run(
    *,
    batteries: int,
    seed: int,
    world: Path | None = None,
    regenerate: bool = False,
    server: ServerOptions | None = None,
    clear: bool = False,
    criterion: str = "informal",
    top: int = 10,
) -> int:
    """Generate or reuse the world, load it, evaluate, print; the exit status is the verdict.

    With ``server`` a dedicated Neo4j is started on a fresh store; without it the usual settings'
    database is used, and it must be empty unless ``clear``.
    """
    if batteries < 1:
        print("--batteries must be at least 1", file=sys.stderr)
        return 2
    directory = world or ROOT / "var" / f"eval-world-{batteries}-{seed}"
    began = time.perf_counter()
    manifest, generated = ensure_world(directory, batteries, seed, regenerate=regenerate)
    events = manifest["counts"]["events.jsonl"]
    how = f"generated in {time.perf_counter() - began:.0f} s" if generated else "reused"
    print(f"world: {directory} ({batteries:,} packs, seed {seed}, {events:,} events; {how})")
    try:
        if server is not None:
            home = server.home if server.home.is_absolute() else ROOT / server.home
            with dedicated_server(replace(server, home=home), world=directory) as settings:
                return _run(settings, directory, manifest, clear=clear, criterion=criterion, top=top)
        return _run(get_settings(), directory, manifest, clear=clear, criterion=criterion, top=top)
    except (launcher.LauncherError, LoadError) as err:
        print(f"eval analytics: {err}", file=sys.stderr)
        return 2
