"""The UI in a real browser against the real server: what an investigator, a regulator and an
analyst would click, with screenshots kept in tests/e2e/artifacts/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Request, expect

from tests.e2e.conftest import Server, World, shot, use_key

pytestmark = [pytest.mark.e2e, pytest.mark.neo4j]

TIMEOUT_MS = 90_000  # leakage rules run over the whole graph; a busy machine makes that slow


def open_ui(page: Page, server: Server, hash_route: str = "#/battery", key: str | None = None) -> None:
    if key is not None:
        use_key(page, key)
    page.goto(f"{server.url}/ui/{hash_route}")
    ready(page, hash_route)


def ready(page: Page, hash_route: str) -> None:
    """The router marks #app with the hash it finished rendering, once the page has its data."""
    app = page.locator("#app")
    expect(app).to_have_attribute("data-rendered", hash_route, timeout=TIMEOUT_MS)
    expect(app).to_have_attribute("aria-busy", "false", timeout=TIMEOUT_MS)


def search(page: Page, text: str) -> str:
    """Type into the search box as a person would; returns the page's new hash."""
    page.locator("#search").fill(text)
    page.locator("#search").press("Enter")
    q = text.strip().upper()
    target = f"#/vehicle/{q}" if re.fullmatch(r"[A-HJ-NPR-Z0-9]{17}", q) else f"#/battery/{q}"
    ready(page, target)
    return target


def graph_ready(page: Page, testid: str) -> int:
    """Wait until the graph has drawn; returns its node count."""
    graph = page.get_by_test_id(testid)
    expect(graph).to_have_attribute("data-nodes", re.compile(r"^\d+$"), timeout=TIMEOUT_MS)
    return int(graph.get_attribute("data-nodes") or 0)


def node_position(page: Page, graph: str, node_id: str) -> tuple[float, float]:
    """Viewport coordinates of a cytoscape node, to click it with the real mouse."""
    pos: dict[str, float] | None = page.evaluate(
        """async ([graph, id]) => {
            const cy = window.batterytrace && window.batterytrace.graphs[graph];
            if (!cy) return null;
            const n = cy.getElementById(id);
            if (n.empty()) return null;
            cy.container().scrollIntoView({block: "center"});
            // cytoscape caches where its canvas is and refreshes that on the scroll event, which
            // fires on a later frame: click before it and the click lands on the old spot.
            await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
            const box = cy.container().getBoundingClientRect();
            const p = n.renderedPosition();
            return {x: box.left + p.x, y: box.top + p.y};
        }""",
        [graph, node_id],
    )
    assert pos is not None, f"node {node_id} not in graph {graph}"
    return pos["x"], pos["y"]


def graph_nodes(page: Page, graph: str, kind: str) -> list[str]:
    ids: list[str] = page.evaluate(
        "([graph, kind]) => window.batterytrace.graphs[graph].nodes(`[kind = '${kind}']`).map(n => n.id())",
        [graph, kind],
    )
    return ids


def test_search_a_battery_shows_identity_timeline_and_graph(
    page: Page, server: Server, world: World, api_keys: dict[str, str]
) -> None:
    code = world.swap_battery
    trace = server.get(f"/v1/batteries/{code}/trace")
    detail = server.get(f"/v1/batteries/{code}")
    open_ui(page, server, key=api_keys["investigator"])
    search(page, code)

    expect(page.get_by_test_id("battery-code")).to_have_text(code)
    expect(page.get_by_test_id("status")).to_have_text(detail["status"].replace("_", " "))
    identity = page.get_by_test_id("identity")
    expect(identity).to_contain_text(detail["identity"]["maker_code"])
    expect(identity).to_contain_text(detail["identity"]["production_date"])

    # One marker per event; lanes for the maker, transit, the swap operator and the vehicles.
    timeline = page.locator("svg.timeline")
    expect(timeline).to_have_attribute("data-markers", str(len(trace["events"])))
    vins = {e["details"]["vehicle"] for e in trace["events"] if e["type"] == "swapped" and e["role"] == "in"}
    assert int(timeline.get_attribute("data-lanes") or 0) >= 2 + len(vins)
    expect(timeline.locator("[data-kind=swap]").first).to_be_visible()
    for vin in list(vins)[:3]:
        expect(timeline.locator(f"[data-lane='v:{vin}']")).to_be_visible()

    # The neighbourhood graph holds the battery, its vehicles and the station.
    assert graph_ready(page, "neighbourhood-graph") >= 2 + len(vins)
    assert set(graph_nodes(page, "neighbourhood", "vehicle")) >= {f"v:{v}" for v in vins}
    assert graph_nodes(page, "neighbourhood", "station")
    # The leakage card fills in on its own once every rule has answered.
    expect(page.get_by_test_id("leakage-flags")).to_have_attribute("data-state", "done", timeout=TIMEOUT_MS)
    path = shot(page, "battery-page")
    assert path.stat().st_size > 10_000


def test_timeline_strikes_corrected_events(page: Page, server: Server, world: World, api_keys: dict[str, str]) -> None:
    open_ui(page, server, f"#/battery/{world.corrected_battery}", key=api_keys["investigator"])
    marker = page.locator(f"svg.timeline g.voided-mark[data-event='{world.corrected_event}']")
    expect(marker).to_have_count(1)
    row = page.locator(f"tr[data-event='{world.corrected_event}']")
    expect(row).to_have_class("voided")
    assert (
        page.evaluate("el => getComputedStyle(el.querySelector('td')).textDecorationLine", row.element_handle())
        == "line-through"
    )
    expect(row).to_contain_text("voided by")
    marker.click()  # clicking a marker brings its event row into view, highlighted
    expect(row).to_have_class("voided highlight")
    shot(page, "battery-corrected")


def test_repair_is_marked_on_the_timeline(page: Page, server: Server, world: World, api_keys: dict[str, str]) -> None:
    open_ui(page, server, f"#/battery/{world.repaired_battery}", key=api_keys["investigator"])
    expect(page.locator("svg.timeline [data-kind=repair]").first).to_be_visible()
    expect(page.get_by_test_id("journey")).to_contain_text("1 repairs")


def test_the_repaired_pack_shows_its_health_reading(
    page: Page, server: Server, world: World, api_keys: dict[str, str]
) -> None:
    # The repairer reads the pack's BMS when it takes the pack out (the synthetic world's readout).
    open_ui(page, server, f"#/battery/{world.repaired_battery}", key=api_keys["investigator"])
    readings = page.get_by_test_id("health-readings")
    expect(readings).to_be_visible()
    expect(readings).to_contain_text(re.compile(r"BMS readout|bms_readout"))
    expect(readings).to_contain_text("%")


def test_the_vehicles_own_events_are_marked(page: Page, server: Server, world: World, api_keys: dict[str, str]) -> None:
    # The repaired pack's car was sold while the pack was in it: the sale is on its trace.
    open_ui(page, server, f"#/battery/{world.repaired_battery}", key=api_keys["investigator"])
    row = page.locator("tr[data-role=vehicle][data-type=vehicle_sold]")
    expect(row).to_have_count(1)
    expect(row).to_have_class(re.compile(r"vehicle-event"))
    expect(row.locator(".badge.vehicle-event")).to_have_text("vehicle")
    sale = row.get_attribute("data-event")
    expect(page.locator(f"svg.timeline [data-kind=vehicle][data-event='{sale}']")).to_be_visible()


def test_graph_click_through_vehicle_then_battery(
    page: Page, server: Server, world: World, api_keys: dict[str, str]
) -> None:
    code = world.swap_battery
    open_ui(page, server, f"#/battery/{code}", key=api_keys["investigator"])
    before = graph_ready(page, "neighbourhood-graph")

    vehicle = graph_nodes(page, "neighbourhood", "vehicle")[0]
    page.mouse.click(*node_position(page, "neighbourhood", vehicle))
    panel = page.get_by_test_id("vehicle-batteries-panel")
    expect(panel).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("graph-info")).to_contain_text(vehicle.removeprefix("v:"))
    page.wait_for_function(
        "n => Number(document.querySelector('[data-testid=neighbourhood-graph]').dataset.nodes) > n", arg=before
    )
    shot(page, "graph-vehicle-expanded")

    others = [b for b in graph_nodes(page, "neighbourhood", "battery") if b != f"b:{code}"]
    assert others, "the vehicle carried no other battery"
    page.mouse.click(*node_position(page, "neighbourhood", others[0]))
    ready(page, f"#/battery/{others[0].removeprefix('b:')}")
    expect(page.get_by_test_id("battery-code")).to_have_text(others[0].removeprefix("b:"))


def test_search_by_vin_lists_its_batteries(page: Page, server: Server, world: World, api_keys: dict[str, str]) -> None:
    carried = server.get(f"/v1/vehicles/{world.vin}/batteries")["batteries"]
    use_key(page, api_keys["investigator"])
    page.goto(server.url + "/")  # the API's root sends people to the UI
    ready(page, "#/battery")
    assert page.url == f"{server.url}/ui/", page.url
    search(page, world.vin.lower())  # typed in lower case: still a VIN
    table = page.get_by_test_id("vehicle-batteries")
    expect(table.locator("tbody tr")).to_have_count(len(carried))
    table.locator("a[data-battery]").first.click()
    ready(page, f"#/battery/{carried[0]['code']}")
    expect(page.get_by_test_id("battery-code")).to_have_text(carried[0]["code"])


def test_pack_lists_its_modules(page: Page, server: Server, world: World, api_keys: dict[str, str]) -> None:
    components = server.get(f"/v1/batteries/{world.pack_with_modules}/components")["components"]
    open_ui(page, server, f"#/battery/{world.pack_with_modules}", key=api_keys["investigator"])
    card = page.get_by_test_id("components")
    expect(card.locator("a[data-battery]")).to_have_count(len(components))
    shot(page, "battery-modules")


def test_unknown_battery_says_so(page: Page, server: Server, world: World, api_keys: dict[str, str]) -> None:
    open_ui(page, server, "#/battery/NOT-A-CODE", key=api_keys["investigator"])
    expect(page.get_by_test_id("load-error")).to_contain_text("battery code")


def test_api_key_from_the_settings_box_is_sent_and_roles_apply(
    page: Page, server: Server, world: World, api_keys: dict[str, str]
) -> None:
    # No key: the API answers 401 and the page says what to do.
    open_ui(page, server, f"#/battery/{world.swap_battery}")
    expect(page.get_by_test_id("load-error")).to_contain_text("needs a key")

    # A key pasted into the settings box is kept and sent with every request.
    seen: list[Request] = []
    page.on("request", lambda r: seen.append(r) if "/v1/" in r.url else None)
    page.locator("#settings summary").click()
    page.locator("#api-key").fill(api_keys["investigator"])
    page.locator("#key-form button[type=submit]").click()
    expect(page.locator("#key-state")).to_contain_text(api_keys["investigator"][-4:])
    ready(page, f"#/battery/{world.swap_battery}")
    expect(page.get_by_test_id("battery-code")).to_have_text(world.swap_battery)
    assert seen, "no API request made"
    assert all(r.headers.get("x-api-key") == api_keys["investigator"] for r in seen), [r.url for r in seen]
    page.reload()
    ready(page, f"#/battery/{world.swap_battery}")
    expect(page.get_by_test_id("battery-code")).to_have_text(world.swap_battery)

    # Same roles as the API: an analyst key sees networks, not single batteries.
    page.locator("#settings summary").click()
    page.locator("#api-key").fill(api_keys["analyst"])
    page.locator("#key-form button[type=submit]").click()
    expect(page.get_by_test_id("load-error")).to_contain_text("role may not see this")
    shot(page, "battery-analyst-key-refused")


def test_regulator_opens_a_leakage_finding(page: Page, server: Server, world: World, api_keys: dict[str, str]) -> None:
    open_ui(page, server, "#/regulator", key=api_keys["regulator"])
    if not server.has_path("/v1/leakage"):
        # The leakage API (issue 3) is not merged yet: the page must say so, not break.
        expect(page.get_by_test_id("leakage-unavailable")).to_be_visible()
        shot(page, "regulator-unavailable")
        pytest.xfail("the leakage API is not served yet; the page shows its not-available state")

    rules = server.get("/v1/leakage/rules")["rules"]
    expect(page.get_by_test_id("rules").locator("li[data-rule]")).to_have_count(len(rules))
    by_rule = page.get_by_test_id("summary-rule").locator("tbody tr")
    expect(by_rule).to_have_count(len(rules))
    shot(page, "regulator-summary")

    # Drill down: the battery rule with most findings, then the first battery it names.
    battery_rules = {r["id"] for r in rules if r["level"] == "battery"}
    rows = [(r.get_attribute("data-key"), int(r.get_attribute("data-count") or 0)) for r in by_rule.all()]
    rule = next(key for key, count in rows if key in battery_rules and count > 0)
    page.get_by_test_id("summary-rule").locator(f"tr[data-key='{rule}'] a").click()
    ready(page, f"#/regulator/{rule}")
    findings = page.get_by_test_id("findings").locator("tbody tr")
    expect(findings.first).to_be_visible()
    code = findings.first.get_attribute("data-battery")
    assert code
    shot(page, "regulator-findings")
    findings.first.locator("a[data-battery]").click()
    ready(page, f"#/battery/{code}")
    expect(page.get_by_test_id("battery-code")).to_have_text(code)

    # The battery page shows the same finding, with its evidence on the event list.
    flags = page.get_by_test_id("leakage-flags")
    expect(flags).to_have_attribute("data-state", "done", timeout=TIMEOUT_MS)
    flag = flags.locator(f"li.finding[data-rule='{rule}']")
    expect(flag.first).to_be_visible()
    evidence = flag.first.locator("a.evidence")
    assert evidence.count() > 0
    first_event = evidence.first.get_attribute("data-event")
    expect(page.locator(f"tr[data-event='{first_event}']")).to_have_class(re.compile(r"\bflagged\b"))
    evidence.first.click()
    expect(page.locator(f"tr[data-event='{first_event}']")).to_have_class(re.compile(r"\bhighlight\b"))
    shot(page, "battery-leakage-finding")

    # Narrow the regulator's view to the finding's province.
    page.goto(f"{server.url}/ui/#/regulator/{rule}")
    ready(page, f"#/regulator/{rule}")
    province = page.get_by_test_id("summary-province").locator("tbody tr:not([data-key=''])").first
    key = province.get_attribute("data-key")
    province.locator("a").click()
    ready(page, f"#/regulator/{rule}?province={key}")
    expect(page.get_by_test_id("filters")).to_contain_text(f"({key})")
    for row in page.get_by_test_id("findings").locator("tbody tr").all():
        expect(row.locator("td[data-province]")).to_have_attribute("data-province", str(key))


def test_analyst_flow_network(page: Page, server: Server, world: World, api_keys: dict[str, str]) -> None:
    open_ui(page, server, "#/analyst?top=all", key=api_keys["analyst"])  # every flow (the default: the top 50)
    if not server.has_path("/v1/analytics"):
        expect(page.get_by_test_id("analytics-unavailable")).to_be_visible()
        shot(page, "analyst-unavailable")
        pytest.xfail("the analytics API is not served yet; the page shows its not-available state")
    graph = server.get("/v1/analytics/custody/graph")
    assert graph_ready(page, "flow-graph") == len(graph["nodes"])
    brokers = server.get("/v1/analytics/custody/brokers?top=5")["brokers"]
    metrics = server.get("/v1/analytics/custody/metrics")
    expect(page.get_by_test_id("communities").locator("span.swatch")).to_have_count(
        min(20, len(metrics["communities"]))
    )
    stars: list[str] = page.evaluate("() => window.batterytrace.graphs.flow.nodes('[?broker]').map(n => n.id())")
    assert sorted(stars) == sorted(b["id"] for b in brokers)
    if brokers:
        # Click the top broker on the canvas: its figures show beside the graph.
        page.mouse.click(*node_position(page, "flow", brokers[0]["id"]))
        expect(page.get_by_test_id("flow-selected")).to_have_text(brokers[0]["name"] or brokers[0]["id"])
    shot(page, "analyst-flow")

    # The swap network, through the form.
    page.locator("select[name=network]").select_option("swaps")
    page.locator("form.controls button").click()
    ready(page, "#/analyst?network=swaps&weight=batteries&top=all")
    assert graph_ready(page, "flow-graph") == len(server.get("/v1/analytics/swaps/graph")["nodes"])
