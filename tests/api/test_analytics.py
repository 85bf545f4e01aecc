"""Network analyses through the HTTP API, on a small world posted through /v1/events.

The custody world (days from T0; masses chosen so every kg sum is distinct):

- p1 (400 kg): maker -> automaker, installed in v1; removed by the dismantler on day 100,
  sold to broker K (101/102), who sells it to the unlicensed workshop W (103/104): kept there.
- p2 (500 kg): the same to K, then K -> licensed recycler R (103/104), recycled on day 110.
- p3 (300 kg): maker -> automaker, installed in v3; removed by repairer P on day 100 and shipped
  to K on day 101, never received (unconfirmed; counted as in transit at K).
- p4 (420 kg): maker -> automaker, kept in stock there.
- p5 (250 kg, NMC): maker -> K (1/2), K -> W (3/4), W -> P (5/6), P -> K (7/8): a lap of the ring
  K -> W -> P -> K, kept by K.

Expected custody edges (hand-overs, kg):
  maker->automaker 4, 1620 (p1-p4) | maker->K 1, 250 | dismantler->K 2, 900 | K->W 2, 650
  K->R 1, 500 | P->K 2, 550 (1 unconfirmed) | W->P 1, 250
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from app.cli.analytics import build_parser, run
from app.db import Database
from app.schemas.registry import Company
from app.services import analytics, registry
from tests.factories import (
    AUTOMAKER,
    DISMANTLER,
    MAKER,
    RECYCLER,
    REPAIRER,
    STATION_A,
    STATION_B,
    SWAP_OP,
    WORKSHOP,
    Events,
    day,
    pack,
    seed_registry,
    uscc,
    vin,
)

BROKER = uscc(9)
PNG = b"\x89PNG\r\n\x1a\n"


def post(client: TestClient, events: list[dict[str, Any]]) -> None:
    res = client.post("/v1/events", json={"events": events})
    assert res.status_code == 200, res.text


def hand_over(
    ev: Events, battery: str, sender: str, receiver: str, shipped: int, received: int | None
) -> list[dict[str, Any]]:
    out = [ev.shipped(battery, receiver, day(shipped), sender)]
    if received is not None:
        out.append(ev.received(battery, sender, day(received), receiver))
    return out


def custody_world(client: TestClient, db: Database) -> dict[str, str]:
    seed_registry(db)
    registry.merge_companies(
        db, [Company(uscc=BROKER, name="Middle Man", roles=["repairer"], province="440000")], changed_by="test"
    )
    ev = Events()
    p = {i: pack(i, chemistry="E" if i == 5 else "B") for i in range(1, 6)}
    events: list[dict[str, Any]] = []
    for i, mass, v in ((1, 400.0, vin(1)), (2, 500.0, vin(2)), (3, 300.0, vin(3))):
        events += [
            ev.produced(p[i], day(0), mass_kg=mass),
            *hand_over(ev, p[i], MAKER, AUTOMAKER, 1, 3),
            ev.installed(p[i], v, day(10)),
        ]
    events += [ev.produced(p[4], day(0), mass_kg=420.0), *hand_over(ev, p[4], MAKER, AUTOMAKER, 1, 3)]
    events += [
        ev.removed(p[1], vin(1), day(100), DISMANTLER, "scrapping"),
        *hand_over(ev, p[1], DISMANTLER, BROKER, 101, 102),
        *hand_over(ev, p[1], BROKER, WORKSHOP, 103, 104),
        ev.removed(p[2], vin(2), day(100), DISMANTLER, "scrapping"),
        *hand_over(ev, p[2], DISMANTLER, BROKER, 101, 102),
        *hand_over(ev, p[2], BROKER, RECYCLER, 103, 104),
        ev.recycled(p[2], day(110)),
        ev.removed(p[3], vin(3), day(100), REPAIRER, "replacement"),
        *hand_over(ev, p[3], REPAIRER, BROKER, 101, None),
        ev.produced(p[5], day(0), mass_kg=250.0, chemistry="NCM"),  # stored as its family, ternary
        *hand_over(ev, p[5], MAKER, BROKER, 1, 2),
        *hand_over(ev, p[5], BROKER, WORKSHOP, 3, 4),
        *hand_over(ev, p[5], WORKSHOP, REPAIRER, 5, 6),
        *hand_over(ev, p[5], REPAIRER, BROKER, 7, 8),
    ]
    post(client, events)
    return {f"p{i}": code for i, code in p.items()}


def edges(graph: nx.DiGraph) -> dict[tuple[str, str], tuple[int, float]]:
    return {(u, v): (d["batteries"], d["kg"]) for u, v, d in graph.edges(data=True)}


def test_custody_graph_edges_and_weights(client: TestClient, db: Database) -> None:
    custody_world(client, db)
    g = analytics.custody_graph(db)
    assert edges(g) == {
        (MAKER, AUTOMAKER): (4, 1620.0),
        (MAKER, BROKER): (1, 250.0),
        (DISMANTLER, BROKER): (2, 900.0),
        (BROKER, WORKSHOP): (2, 650.0),
        (BROKER, RECYCLER): (1, 500.0),
        (REPAIRER, BROKER): (2, 550.0),
        (WORKSHOP, REPAIRER): (1, 250.0),
    }
    assert g.edges[REPAIRER, BROKER]["unconfirmed"] == 1
    assert g.edges[BROKER, WORKSHOP]["distinct_batteries"] == 2
    # How custody ended at each company.
    automaker, broker, workshop, recycler = (g.nodes[c] for c in (AUTOMAKER, BROKER, WORKSHOP, RECYCLER))
    assert (automaker["installed"], automaker["kept"]) == (3, 1)
    assert (broker["kept"], broker["in_transit"], broker["retained_batteries"]) == (1, 1, 2)
    assert (workshop["kept"], recycler["recycled"]) == (1, 1)
    # Registry attributes, licences valid today.
    assert g.nodes[WORKSHOP]["name"] == "Back Alley Batteries" and g.nodes[WORKSHOP]["licensed"] is False
    assert g.nodes[RECYCLER]["licensed"] is True and g.nodes[RECYCLER]["scopes"] == ["recycling"]
    assert g.nodes[DISMANTLER]["licensed"] is True and g.nodes[BROKER]["province"] == "440000"
    assert g.nodes[MAKER]["roles"] == ["battery_maker"]


def test_custody_graph_filters(client: TestClient, db: Database) -> None:
    custody_world(client, db)
    # Window [day 100, day 200): hand-overs whose sender let go inside it.
    window = analytics.custody_graph(db, since=day(100), until=day(200))
    assert edges(window) == {
        (DISMANTLER, BROKER): (2, 900.0),
        (BROKER, WORKSHOP): (1, 400.0),
        (BROKER, RECYCLER): (1, 500.0),
        (REPAIRER, BROKER): (1, 300.0),
    }
    # Only p1 reached W inside the window, and only p2 was recycled in it.
    assert window.nodes[WORKSHOP]["kept"] == 1 and window.nodes[RECYCLER]["recycled"] == 1
    assert window.nodes[BROKER]["kept"] == 0  # p5 has been with K since day 8
    # Window ending on day 50: p1's custody at the workshop has not begun; K holds p5 at the end.
    early = analytics.custody_graph(db, until=day(50))
    assert set(early.edges) == {
        (MAKER, AUTOMAKER),
        (MAKER, BROKER),
        (BROKER, WORKSHOP),
        (WORKSHOP, REPAIRER),
        (REPAIRER, BROKER),
    }
    assert early.nodes[BROKER]["kept"] == 1
    # Province of either party: everything touching Guangdong (K and W are there).
    guangdong = analytics.custody_graph(db, province="440000")
    assert set(guangdong.edges) == set(analytics.custody_graph(db).edges) - {(MAKER, AUTOMAKER)}
    # Chemistry: only p5 is ternary.
    nmc = analytics.custody_graph(db, chemistry="ternary")
    assert edges(nmc) == {
        (MAKER, BROKER): (1, 250.0),
        (BROKER, WORKSHOP): (1, 250.0),
        (WORKSHOP, REPAIRER): (1, 250.0),
        (REPAIRER, BROKER): (1, 250.0),
    }


def test_custody_analyses_over_http(client: TestClient, db: Database) -> None:
    codes = custody_world(client, db)

    brokers = client.get("/v1/analytics/custody/brokers").json()
    # Hand count on the 7 companies: K lies on 9 of the shortest routes, W on 3, P on 2;
    # normalised by (7 - 1)(7 - 2) = 30.
    assert [(b["id"], b["value"]) for b in brokers["brokers"]] == [
        (BROKER, pytest.approx(9 / 30)),
        (WORKSHOP, pytest.approx(3 / 30)),
        (REPAIRER, pytest.approx(2 / 30)),
    ]
    assert brokers["brokers"][0]["name"] == "Middle Man"
    assert brokers["summary"]["nodes"] == 7 and brokers["summary"]["edges"] == 7
    assert brokers["routes"] == "all"

    informal = client.get("/v1/analytics/custody/brokers", params={"routes": "informal"}).json()
    # Only routes from holders of used packs (D, K, W, R, P: not the maker or automaker) to
    # companies never listed (K, W, P; R and D hold licences). Shortest: D->K->W, D->K->W->P,
    # K->W->P, W->P->K, P->K->W. K lies on 3, W on 2, P on 1; normalised by 30 as above.
    assert informal["routes"] == "informal"
    assert [(b["id"], b["value"]) for b in informal["brokers"]] == [
        (BROKER, pytest.approx(3 / 30)),
        (WORKSHOP, pytest.approx(2 / 30)),
        (REPAIRER, pytest.approx(1 / 30)),
    ]
    refused = client.get("/v1/analytics/swaps/brokers", params={"routes": "informal"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "routes"

    sinks = {s["id"]: s for s in client.get("/v1/analytics/custody/sinks").json()["sources"]}
    # Dismantler -> K. At K (T = 3 out + 2 retained): W 2/5, R 1/5, kept 2/5; at W (T = 2):
    # P 1/2, kept 1/2; P passes all back to K. x_K = 2/5 + 2/5 x_W, x_W = 1/2 + 1/2 x_K
    # => x_K = 3/4.
    assert sinks[DISMANTLER]["unlicensed"] == pytest.approx(0.75)
    assert sinks[DISMANTLER]["other_sinks"] == pytest.approx(0.25)
    # Maker: 4/5 to the automaker (installs 3 of 4, keeps 1 as stock: not leakage), 1/5 to K.
    assert sinks[MAKER]["unlicensed"] == pytest.approx(0.15)
    assert sinks[MAKER]["vehicles"] == pytest.approx(0.6)
    assert sinks[MAKER]["other_sinks"] == pytest.approx(0.25)
    assert [s["id"] for s in sinks[DISMANTLER]["top_unlicensed_sinks"]][:1] == [BROKER]
    only = client.get("/v1/analytics/custody/sinks", params={"role": "dismantler"}).json()["sources"]
    assert [s["id"] for s in only] == [DISMANTLER]

    rings = client.get("/v1/analytics/custody/rings").json()
    assert [[c["id"] for c in comp] for comp in rings["components"]] == [sorted([BROKER, WORKSHOP, REPAIRER])]
    (ring,) = rings["rings"]
    assert {c["id"] for c in ring["companies"]} == {BROKER, WORKSHOP, REPAIRER}
    assert ring["bottleneck"] == 1 and ring["codes"] == [codes["p5"]] and ring["kg"] == 250.0
    assert rings["truncated"] is False

    path = client.get("/v1/analytics/custody/path", params={"source": DISMANTLER, "target": WORKSHOP}).json()
    assert [n["id"] for n in path["path"]] == [DISMANTLER, BROKER, WORKSHOP] and path["hops"] == 2
    assert (path["batteries"], path["kg"], path["codes"]) == (1, 400.0, [codes["p1"]])  # p2 went on to R
    longer = client.get("/v1/analytics/custody/path", params={"source": DISMANTLER, "target": REPAIRER}).json()
    assert [n["id"] for n in longer["path"]] == [DISMANTLER, BROKER, WORKSHOP, REPAIRER]
    assert longer["batteries"] == 0  # the route exists in the network, but no battery took all of it
    none = client.get("/v1/analytics/custody/path", params={"source": RECYCLER, "target": MAKER}).json()
    assert none["connected"] is False and none["path"] == []
    bad = client.get("/v1/analytics/custody/path", params={"source": "nonsense", "target": MAKER})
    assert bad.status_code == 422

    metrics = client.get("/v1/analytics/custody/metrics", params={"top": 3}).json()
    assert metrics["top_flows"][0] == {"source": MAKER, "target": AUTOMAKER, "batteries": 4, "kg": 1620.0}
    assert sum(1 for _ in metrics["degrees"]) == 3
    broker_degree = next(d for d in metrics["degrees"] if d["id"] == BROKER)
    assert (broker_degree["in_weight"], broker_degree["out_weight"]) == (5.0, 3.0)
    assert metrics["pagerank"][0]["value"] >= metrics["pagerank"][1]["value"]
    assert sum(c["size"] for c in client.get("/v1/analytics/custody/metrics").json()["communities"]) == 7


def test_analysts_get_aggregates_only(
    client: TestClient, app_client: TestClient, db: Database, key_for: Callable[..., str]
) -> None:
    """Rings and paths count the batteries for an analyst but do not name them; the vehicle-battery
    graph (VINs and codes) is refused, naming the role; reading it as an investigator is audited."""
    codes = custody_world(client, db)
    analyst = {"X-API-Key": key_for("analyst")}
    (ring,) = app_client.get("/v1/analytics/custody/rings", headers=analyst).json()["rings"]
    assert (ring["batteries"], ring["kg"], ring["codes"]) == (1, 250.0, [])
    path = app_client.get(
        "/v1/analytics/custody/path", params={"source": DISMANTLER, "target": WORKSHOP}, headers=analyst
    ).json()
    assert (path["batteries"], path["kg"], path["codes"]) == (1, 400.0, [])
    refused = app_client.get("/v1/analytics/vehicle-batteries", params={"vin": vin(1)}, headers=analyst)
    assert refused.status_code == 403 and "role analyst" in refused.json()["detail"]
    investigator = {"X-API-Key": key_for("investigator")}
    seen = app_client.get("/v1/analytics/vehicle-batteries", params={"vin": vin(1)}, headers=investigator)
    assert seen.status_code == 200 and codes
    app_client.app.state.audit.close()  # type: ignore[attr-defined]  # flush the queued read entries
    trail = client.get("/v1/admin/audit", params={"limit": 1000}).json()
    assert any(e["path"] == "/v1/analytics/vehicle-batteries" and e["role"] == "investigator" for e in trail)


def test_graph_json_exports_and_plots_over_http(client: TestClient, db: Database) -> None:
    custody_world(client, db)
    data = client.get("/v1/analytics/custody/graph", params={"chemistry": "ternary"}).json()
    g = nx.node_link_graph(data, edges="edges")
    assert g.is_directed() and g.number_of_edges() == 4
    assert g.graph["chemistry"] == "ternary"
    assert g.nodes[WORKSHOP]["licensed"] is False

    res = client.get("/v1/analytics/custody/export", params={"format": "graphml"})
    assert res.status_code == 200 and res.headers["content-type"].startswith("application/graphml+xml")
    assert 'filename="custody.graphml"' in res.headers["content-disposition"]
    back = nx.read_graphml(io.BytesIO(res.content))
    assert back.edges[DISMANTLER, BROKER]["batteries"] == 2 and back.edges[DISMANTLER, BROKER]["kg"] == 900.0
    assert back.nodes[MAKER]["roles"] == "battery_maker"
    gexf = nx.read_gexf(io.BytesIO(client.get("/v1/analytics/custody/export", params={"format": "gexf"}).content))
    assert gexf.number_of_edges() == 7
    js = json.loads(client.get("/v1/analytics/custody/export", params={"format": "json"}).content)
    assert len(js["edges"]) == 7
    table = client.get("/v1/analytics/custody/export", params={"format": "csv"})
    assert (
        table.headers["content-type"].startswith("text/csv")
        and 'filename="custody.csv"' in table.headers["content-disposition"]
    )
    rows = list(csv.DictReader(io.StringIO(table.content.decode("utf-8-sig"))))
    assert len(rows) == 7 and rows[0]["batteries"] >= rows[-1]["batteries"]
    flow = next(r for r in rows if (r["source"], r["target"]) == (DISMANTLER, BROKER))
    assert (flow["batteries"], flow["kg"], flow["source_name"]) == ("2", "900.0", "Scrap Co")
    assert flow["source_province"] == "310000" and flow["target_name"]

    for kind in ("flows", "communities"):
        png = client.get("/v1/analytics/custody/plot", params={"kind": kind})
        assert png.status_code == 200 and png.headers["content-type"] == "image/png"
        assert png.content.startswith(PNG)

    assert client.get("/v1/analytics/custody/graph", params={"since": "2024-01-01T00:00:00"}).status_code == 422
    swapped = {"since": day(10).isoformat(), "until": day(5).isoformat()}
    assert client.get("/v1/analytics/custody/graph", params=swapped).status_code == 422
    assert client.get("/v1/analytics/nowhere/graph").status_code == 422


def test_swap_network(client: TestClient, db: Database) -> None:
    """One swap-capable vehicle, three packs, five swaps:

    day 30 A: out s1, in s2 | day 40 B: out s2, in s3 | day 50 A: out s3, in s1
    day 60 B: out s1, in s2 | day 80 A: out s2, in s1
    s1: out@A, in@A, out@B, in@A -> A->B carried, B->A transferred
    s2: in@A, out@B, in@B, out@A -> A->B carried, B->A carried
    s3: in@B, out@A              -> B->A carried
    """
    seed_registry(db)
    ev = Events()
    car = vin(2)
    s1, s2, s3 = pack(11), pack(12), pack(13)
    events = [
        ev.produced(s1, day(0), mass_kg=500.0),
        ev.produced(s2, day(0), mass_kg=510.0),
        ev.produced(s3, day(0), mass_kg=520.0),
        *hand_over(ev, s1, MAKER, AUTOMAKER, 1, 2),
        ev.installed(s1, car, day(10)),
        *hand_over(ev, s2, MAKER, SWAP_OP, 1, 2),
        *hand_over(ev, s3, MAKER, SWAP_OP, 1, 2),
        ev.swapped(car, STATION_A, s1, s2, day(30)),
        ev.swapped(car, STATION_B, s2, s3, day(40)),
        ev.swapped(car, STATION_A, s3, s1, day(50)),
        ev.swapped(car, STATION_B, s1, s2, day(60)),
        ev.swapped(car, STATION_A, s2, s1, day(80)),
    ]
    post(client, events)
    g = analytics.swap_graph(db)
    assert {(u, v): (d["batteries"], d["carried"], d["transferred"], d["kg"]) for u, v, d in g.edges(data=True)} == {
        (STATION_A, STATION_B): (2, 2, 0, 1010.0),
        (STATION_B, STATION_A): (3, 2, 1, 1530.0),
    }
    assert g.nodes[STATION_A]["operator"] == SWAP_OP and g.nodes[STATION_A]["lat"] == pytest.approx(39.9)
    # Dated by the second swap: up to day 55 only s2's A->B (day 40) and s3's B->A (day 50).
    early = analytics.swap_graph(db, until=day(55))
    assert {(u, v): d["batteries"] for u, v, d in early.edges(data=True)} == {
        (STATION_A, STATION_B): 1,
        (STATION_B, STATION_A): 1,
    }

    data = client.get("/v1/analytics/swaps/graph").json()
    assert sorted((e["source"], e["target"], e["batteries"]) for e in data["edges"]) == [
        (STATION_A, STATION_B, 2),
        (STATION_B, STATION_A, 3),
    ]
    metrics = client.get("/v1/analytics/swaps/metrics").json()
    assert metrics["summary"]["total_batteries"] == 5
    assert client.get("/v1/analytics/swaps/export", params={"format": "gexf"}).status_code == 200
    png = client.get("/v1/analytics/swaps/plot", params={"kind": "communities"})
    assert png.content.startswith(PNG)


def test_analytics_need_a_key_of_an_analysing_role(
    app_client: TestClient, db: Database, key_for: Callable[..., str]
) -> None:
    assert app_client.get("/v1/analytics/custody/graph").status_code == 401
    seed_registry(db)  # reporter keys are issued only for registered companies
    reporter = {"X-API-Key": key_for("reporter", MAKER)}
    assert app_client.get("/v1/analytics/custody/graph", headers=reporter).status_code == 403
    analyst = {"X-API-Key": key_for("analyst")}
    res = app_client.get("/v1/analytics/custody/graph", headers=analyst)
    assert res.status_code == 200 and res.json()["edges"] == []


def test_vehicle_battery_graph(client: TestClient, db: Database) -> None:
    seed_registry(db)
    ev = Events()
    a, b = pack(21), pack(22)
    post(
        client,
        [
            ev.produced(a, day(0)),
            ev.produced(b, day(0)),
            ev.installed(a, vin(1), day(10)),
            ev.removed(a, vin(1), day(20), AUTOMAKER, "replacement"),
            ev.installed(b, vin(1), day(21)),
            ev.installed(a, vin(3), day(30)),
        ],
    )
    data = client.get("/v1/analytics/vehicle-batteries", params={"vin": vin(1)}).json()
    g = nx.node_link_graph(data, edges="edges")
    # One hop from the chosen vehicle: v1 carried a, then b (a's later life in v3 is not fetched).
    assert {frozenset(e) for e in g.edges} == {frozenset((vin(1), a)), frozenset((vin(1), b))}
    assert g.nodes[vin(1)]["bipartite"] == 0 and g.nodes[vin(1)]["chosen"] is True
    assert g.nodes[a]["bipartite"] == 1 and g.nodes[a]["chosen"] is False
    assert g.edges[vin(1), a]["last_until"].startswith("2024-03-21")
    assert g.edges[vin(1), b].get("last_until") is None  # still installed
    # From a battery: every vehicle it was in.
    params = {"code": a, "vin": vin(2)}
    by_code = nx.node_link_graph(client.get("/v1/analytics/vehicle-batteries", params=params).json(), edges="edges")
    assert {frozenset(e) for e in by_code.edges} == {frozenset((vin(1), a)), frozenset((vin(3), a))}
    assert by_code.degree(vin(2)) == 0  # chosen, never carried anything
    assert client.get("/v1/analytics/vehicle-batteries").status_code == 422
    assert client.get("/v1/analytics/vehicle-batteries", params={"vin": "LSV000010R0000001"}).status_code == 422


def test_cli(client: TestClient, db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    codes = custody_world(client, db)

    def cli(*argv: str) -> Any:
        run(db, build_parser().parse_args(list(argv)))
        out = capsys.readouterr().out
        return json.loads(out) if out.startswith(("{", "[")) else out

    assert cli("brokers", "--top", "1")["brokers"][0]["id"] == BROKER
    assert cli("brokers", "--routes", "informal")["routes"] == "informal"
    sinks = cli("sinks", "--role", "dismantler")["sources"]
    assert sinks[0]["id"] == DISMANTLER and sinks[0]["unlicensed"] == pytest.approx(0.75)
    assert cli("rings")["rings"][0]["codes"] == [codes["p5"]]
    assert cli("path", DISMANTLER, WORKSHOP)["codes"] == [codes["p1"]]
    assert cli("metrics", "--network", "swaps")["summary"]["edges"] == 0
    window = cli("metrics", "--since", day(100).isoformat(), "--until", day(200).isoformat())
    assert window["summary"]["edges"] == 4
    cli("export", "custody", "--format", "graphml", "--out", str(tmp_path / "c.graphml"))
    assert nx.read_graphml(tmp_path / "c.graphml").number_of_edges() == 7
    cli("plot", "custody", "--kind", "communities", "--out", str(tmp_path / "c.png"))
    assert (tmp_path / "c.png").read_bytes().startswith(PNG)
    assert cli("vehicles", "--code", codes["p1"])["nodes"]
    with pytest.raises(SystemExit):
        build_parser().parse_args(["metrics", "--since", "2024-01-01T00:00:00"])  # no offset
