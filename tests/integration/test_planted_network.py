"""The analyses find what the generator planted: a small world through the real ingest path.

The broker must rank first among intermediaries by betweenness (both the informal-brokerage
ranking of ``evaluation.analytics`` and, at this size, plain ``rank_brokers``), and the ring
must be found with exactly the packs that went round it. The 100,000-pack version of the same
check is ``make analytics-eval``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.analytics import flows
from app.db import Database
from evaluation.analytics import evaluate, read_planted, verdict
from loaders.files import load_directory
from loaders.synth import generate_world

BATTERIES = 2000
SEED = 7


def test_planted_broker_ranks_first_and_the_ring_is_found(db: Database, tmp_path: Path) -> None:
    manifest = generate_world(tmp_path, BATTERIES, SEED, plant_broker=True, plant_ring=True)
    load_directory(db, tmp_path, progress=False)
    planted = read_planted(tmp_path)
    assert planted.broker is not None and planted.ring is not None
    assert len(planted.broker["sources"]) >= 4 and len(planted.broker["buyers"]) >= 3
    assert len(planted.ring["companies"]) >= 3 and planted.ring["batteries"]

    result = evaluate(db, planted, date.fromisoformat(manifest["as_of"]))

    broker = result.broker
    assert broker is not None
    assert broker.informal.rank == 1, broker.informal.top
    assert broker.plain.rank == 1, broker.plain.top
    graph = result.graph
    data = graph.nodes[broker.company]
    assert not data["licensed"] and flows.is_unlicensed_sink(data)
    # Every seller's tie and every buyer's tie is in the projected graph.
    for seller in planted.broker["sources"]:
        assert graph.has_edge(seller, broker.company), seller
    for buyer in planted.broker["buyers"]:
        assert graph.has_edge(broker.company, buyer), buyer
        assert set(graph.predecessors(buyer)) == {broker.company}, "only the broker supplies its buyers"

    ring = result.ring
    assert ring is not None
    assert ring.exact_component, ring.component
    assert ring.cycle is not None and set(ring.cycle) == set(planted.ring["companies"])
    assert sorted(ring.found_batteries) == sorted(planted.ring["batteries"])
    assert verdict(result, "informal") == (True, True)
    assert verdict(result, "all") == (True, True)
