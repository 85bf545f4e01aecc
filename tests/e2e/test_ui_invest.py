"""The investigator's, analyst's and company's pages in a browser: search by a part of a code, VIN
or company name, the battery list's filters, the event table's filter and CSV export, the vehicle's
timeline, the custody network's top flows, community and exports, and a reporter's company view;
each in Chinese and English and on a 390 px phone. Screenshots: tests/e2e/artifacts/invest-*.png."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from app.db import Database
from app.security import issue_key
from tests.e2e.conftest import Server, World, shot
from tests.e2e.test_ui import TIMEOUT_MS, open_ui, ready

pytestmark = [pytest.mark.e2e, pytest.mark.neo4j]

LANGS = [pytest.param("en-US", id="en"), pytest.param("zh-CN", id="zh")]
PHONE = {"width": 390, "height": 844}
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(params=["desktop", "phone"])
def screen(request: pytest.FixtureRequest, page: Page) -> Iterator[str]:
    """Each test at the fixture's 1400 px and again on a 390 px phone."""
    if request.param == "phone":
        page.set_viewport_size(PHONE)
    yield str(request.param)


def lang_of(page: Page) -> str:
    return str(page.evaluate("() => document.documentElement.lang"))


def tag(page: Page, screen: str) -> str:
    return f"{'zh' if lang_of(page) == 'zh-CN' else 'en'}-{screen}"


def no_sideways_scroll(page: Page) -> None:
    """Nothing wider than the window: the page itself never scrolls sideways."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    inner = page.evaluate("() => window.innerWidth")
    if width > inner:
        wide = page.evaluate(
            """() => {
                const clipped = el => {
                    for (let p = el.parentElement; p; p = p.parentElement) {
                        if (['auto', 'hidden', 'scroll'].includes(getComputedStyle(p).overflowX)) return true;
                    }
                    return false;
                };
                return [...document.querySelectorAll('body *')]
                  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1 && !clipped(el))
                  .slice(0, 8)
                  .map(el => `${el.tagName.toLowerCase()}.${el.getAttribute('class')}: `
                             + Math.round(el.getBoundingClientRect().right));
            }"""
        )
        raise AssertionError(f"the page is {width} px wide in a {inner} px window; too wide: {wide}")


def in_language(page: Page, zh: str, en: str) -> str:
    return zh if lang_of(page) == "zh-CN" else en


# --- search ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", LANGS, indirect=True)
def test_search_by_a_part_of_a_code(
    page: Page, server: Server, world: World, api_keys: dict[str, str], screen: str
) -> None:
    code = world.swap_battery
    part = code[-7:].lower()  # the serial's end, typed in lower case
    expected = server.get(f"/v1/search?q={part}&kind=battery&limit=20")
    assert code in [h["id"] for h in expected["hits"]]
    open_ui(page, server, "#/battery", key=api_keys["investigator"])
    page.locator("#search").fill(part)
    page.locator("#search").press("Enter")
    ready(page, f"#/search?q={part}")
    hits = page.get_by_test_id("hits-battery").locator("li.hit")
    expect(hits).to_have_count(len(expected["hits"]))
    hit = page.locator(f"li.hit[data-kind=battery][data-id='{code}']")
    expect(hit.locator("mark")).to_have_text(part.upper())
    expect(page.locator("h1")).to_contain_text(in_language(page, "搜索", "Search"))
    no_sideways_scroll(page)
    shot(page, f"invest-search-code-{tag(page, screen)}")
    hit.locator("a[data-battery]").click()
    ready(page, f"#/battery/{code}")
    expect(page.get_by_test_id("battery-code")).to_have_text(code)


@pytest.mark.parametrize("page", LANGS, indirect=True)
def test_search_by_vin_and_company(
    page: Page, server: Server, world: World, api_keys: dict[str, str], screen: str
) -> None:
    part = world.vin[-8:]
    open_ui(page, server, f"#/search?q={part}", key=api_keys["investigator"])
    expect(page.locator(f"li.hit[data-kind=vehicle][data-id='{world.vin}']")).to_be_visible()
    # A company by a word of its name, typed in lower case
    company = next(c for c in server.get("/v1/companies?role=battery_maker&limit=5")["items"] if c["name"])
    word = company["name"].split()[1].lower() if len(company["name"].split()) > 1 else company["name"][:4]
    page.locator("#search").fill(word)
    page.locator("#search").press("Enter")
    ready(page, f"#/search?q={word}")
    hit = page.locator(f"li.hit[data-kind=company][data-id='{company['uscc']}']")
    expect(hit).to_contain_text(company["name"])
    expect(hit).to_contain_text(company["uscc"])  # the code beside the name
    no_sideways_scroll(page)
    shot(page, f"invest-search-company-{tag(page, screen)}")
    # A maker's hit leads to the list of its batteries
    hit.locator("a[href^='#/battery?maker=']").click()
    ready(page, f"#/battery?maker={company['maker_code']}")
    rows = page.get_by_test_id("battery-list").locator("tbody tr")
    expect(rows.first).to_be_visible()
    for row in rows.all()[:10]:
        expect(row).to_have_attribute("data-maker", company["maker_code"])


def test_an_analyst_key_searches_companies_only(
    page: Page, server: Server, world: World, api_keys: dict[str, str]
) -> None:
    open_ui(page, server, f"#/search?q={world.swap_battery}", key=api_keys["analyst"])
    expect(page.locator("li.hit[data-kind=battery]")).to_have_count(0)
    expect(page.get_by_test_id("search-skipped")).to_contain_text("aggregates")


# --- the battery list ------------------------------------------------------------------------


@pytest.mark.parametrize("page", LANGS, indirect=True)
def test_the_battery_list_filters(
    page: Page, server: Server, world: World, api_keys: dict[str, str], screen: str
) -> None:
    open_ui(page, server, "#/battery", key=api_keys["investigator"])
    page.get_by_test_id("filter-status").select_option("installed")
    ready(page, "#/battery?status=installed")
    rows = page.get_by_test_id("battery-list").locator("tbody tr")
    expect(rows.first).to_be_visible()
    for row in rows.all():
        expect(row).to_have_attribute("data-status", "installed")
    # A province chosen by its name
    province = next(p for p in server.get("/v1/vocabularies")["provinces"] if p["code"] == "440000")
    option = page.get_by_test_id("filter-province").locator("option[value='440000']")
    expect(option).to_have_text(f"{province['zh'] if lang_of(page) == 'zh-CN' else province['en']} (440000)")
    page.get_by_test_id("filter-province").select_option("440000")
    ready(page, "#/battery?status=installed&province=440000")
    want = server.get("/v1/batteries?status=installed&province=440000&limit=25")["items"]
    if want:
        expect(rows).to_have_count(len(want))
        expect(rows.first).to_have_attribute("data-code", want[0]["code"])
    else:
        expect(page.get_by_test_id("list-empty")).to_be_visible()
    page.get_by_test_id("filter-chemistry").select_option("LFP")
    ready(page, "#/battery?status=installed&chemistry=LFP&province=440000")
    for row in rows.all():
        expect(row).to_have_attribute("data-chemistry", "LFP")
    no_sideways_scroll(page)
    shot(page, f"invest-list-{tag(page, screen)}")


# --- the battery page's event table ----------------------------------------------------------


def _csv_rows(path: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))


@pytest.mark.parametrize("page", LANGS, indirect=True)
def test_the_event_table_filters_and_exports(
    page: Page, server: Server, world: World, api_keys: dict[str, str], screen: str
) -> None:
    code = world.swap_battery
    trace = server.get(f"/v1/batteries/{code}/trace")
    open_ui(page, server, f"#/battery/{code}", key=api_keys["investigator"])
    details = page.locator("details.events-details")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    table = page.get_by_test_id("events-table")
    expect(table.locator("tbody tr:visible")).to_have_count(len(trace["events"]))
    # Every event's recorded time is shown beside the time it occurred
    expect(table.get_by_test_id("recorded-at")).to_have_count(len(trace["events"]))
    # Filter by type: only the swaps stay
    swaps = [e for e in trace["events"] if e["type"] == "swapped"]
    page.get_by_test_id("event-type").select_option("swapped")
    expect(table.locator("tbody tr:visible")).to_have_count(len(swaps))
    for row in table.locator("tbody tr:visible").all():
        expect(row).to_have_attribute("data-type", "swapped")
    # ... and by a station's name, typed as text
    station = server.get(f"/v1/stations/{swaps[0]['details']['station']}")
    if station.get("name"):
        expect(table.locator(f"tr[data-event='{swaps[0]['event_id']}'] span[data-station]")).to_have_text(
            station["name"]
        )
        page.get_by_test_id("event-text").fill(station["name"])
        at_station = [e for e in swaps if e["details"].get("station") == station["id"]]
        expect(table.locator("tbody tr:visible")).to_have_count(len(at_station))
    shown = table.locator("tbody tr:visible").count()
    expect(page.get_by_test_id("event-count")).to_contain_text(str(shown))
    with page.expect_download() as download:
        page.get_by_test_id("events-csv").click()
    assert download.value.suggested_filename == f"{code}-events.csv"
    rows = _csv_rows(download.value.path())
    assert len(rows) == shown and shown > 0
    assert {r["type"] for r in rows} == {"swapped"}
    assert {r["event_id"] for r in rows} <= {e["event_id"] for e in swaps}
    first = next(e for e in trace["events"] if e["event_id"] == rows[0]["event_id"])
    assert rows[0]["recorded_at"] == first["recorded_at"] and rows[0]["station"] == first["details"]["station"]
    if station.get("name") and rows[0]["station"] == station["id"]:
        assert rows[0]["station_name"] == station["name"]
    no_sideways_scroll(page)
    shot(page, f"invest-events-{tag(page, screen)}")
    # Cleared, every event again, each counterparty by name
    page.get_by_test_id("event-type").select_option("")
    page.get_by_test_id("event-text").fill("")
    expect(table.locator("tbody tr:visible")).to_have_count(len(trace["events"]))
    shipped = next((e for e in trace["events"] if e["details"].get("to")), None)
    if shipped:
        to = server.get(f"/v1/companies/{shipped['details']['to']}")
        named = table.locator(f"tr[data-event='{shipped['event_id']}'] span[data-uscc]")
        expect(named).to_have_text(to["name"])
        expect(named).to_have_attribute("title", to["uscc"])
        page.get_by_test_id("event-company").select_option(to["uscc"])
        involving = [
            e
            for e in trace["events"]
            if to["uscc"] in {e["reporter"]["uscc"], e["details"].get("to"), e["details"].get("from")}
        ]
        expect(table.locator("tbody tr:visible")).to_have_count(len(involving))


@pytest.mark.parametrize("page", LANGS, indirect=True)
def test_corrections_and_warnings_are_visible(
    page: Page, server: Server, world: World, api_keys: dict[str, str]
) -> None:
    code = world.corrected_battery
    trace = server.get(f"/v1/batteries/{code}/trace")
    page.set_viewport_size(PHONE)
    open_ui(page, server, f"#/battery/{code}", key=api_keys["investigator"])
    row = page.locator(f"tr[data-event='{world.corrected_event}']")
    expect(row).to_have_class(re.compile(r"\bvoided\b"))
    correction = next(
        e
        for e in trace["events"]
        if e["type"] == "correction" and e["details"].get("corrects") == world.corrected_event
    )
    expect(page.locator(f"tr[data-event='{correction['event_id']}']")).to_contain_text(world.corrected_event)
    for e in trace["events"]:
        for warning in e.get("warnings", []):
            expect(
                page.locator(f"tr[data-event='{e['event_id']}'] [data-warning='{warning['code']}']")
            ).to_contain_text(warning["message"])
    # On the phone the filter still works
    page.get_by_test_id("event-type").select_option("correction")
    visible = page.get_by_test_id("events-table").locator("tbody tr:visible")
    expect(visible).to_have_count(sum(1 for e in trace["events"] if e["type"] == "correction"))
    no_sideways_scroll(page)
    shot(page, f"invest-corrected-{'zh' if lang_of(page) == 'zh-CN' else 'en'}-phone")


@pytest.mark.parametrize("page", LANGS, indirect=True)
def test_a_bad_code_shows_the_apis_reason_on_a_phone(
    page: Page, server: Server, world: World, api_keys: dict[str, str]
) -> None:
    page.set_viewport_size(PHONE)
    open_ui(page, server, "#/battery/NOT-A-CODE", key=api_keys["investigator"])
    error = page.get_by_test_id("load-error")
    expect(error).to_contain_text(in_language(page, "已拒绝", "Rejected"))
    expect(error).to_contain_text("code:")
    no_sideways_scroll(page)
    expect(page.locator("#app")).to_contain_text(HAN if lang_of(page) == "zh-CN" else re.compile("Rejected"))


# --- the vehicle page ------------------------------------------------------------------------


@pytest.mark.parametrize("page", LANGS, indirect=True)
def test_the_vehicles_timeline_of_packs_and_stations(
    page: Page, server: Server, world: World, api_keys: dict[str, str], screen: str
) -> None:
    trace = server.get(f"/v1/batteries/{world.swap_battery}/trace")
    vin = next(e["details"]["vehicle"] for e in trace["events"] if e["type"] == "swapped")  # a car that swaps
    stays = server.get(f"/v1/vehicles/{vin}/batteries")["batteries"]
    assert any(s["since_type"] == "swapped" for s in stays)
    open_ui(page, server, f"#/vehicle/{vin}", key=api_keys["investigator"])
    timeline = page.locator("svg.vehicle-timeline")
    expect(timeline).to_have_attribute("data-bars", str(len(stays)))
    expect(timeline).to_have_attribute("data-rows", str(len({s["code"] for s in stays})))
    for s in stays[:5]:
        expect(timeline.locator(f"rect.pack-bar[data-code='{s['code']}'][data-since='{s['since']}']")).to_have_count(1)
    swaps_in = [s for s in stays if s["since_type"] == "swapped"]
    expect(timeline.locator("path.swap-mark")).to_have_count(len(swaps_in))
    # The stations of its swaps, each swap counted once, by name with the id beside it
    events: dict[str, set[str]] = {}
    for s in stays:
        if s["since_station"]:
            events.setdefault(s["since_station"], set()).add(s["since_event"])
        if s["until_station"]:
            events.setdefault(s["until_station"], set()).add(s["until_event"])
    if events:  # always, for this car
        rows = page.get_by_test_id("station-list").locator("tbody tr")
        expect(rows).to_have_count(len(events))
        busiest = max(events, key=lambda k: (len(events[k]), k))
        row = page.locator(f"tr[data-station='{busiest}']")
        expect(row).to_contain_text(busiest)
        expect(row.locator("td.num")).to_have_text(str(len(events[busiest])))
        name = server.get(f"/v1/stations/{busiest}")["name"]
        if name:
            expect(row).to_contain_text(name)
    expect(page.get_by_test_id("vehicle-batteries").locator("tbody tr")).to_have_count(len(stays))
    expect(page.get_by_test_id("vehicle-packs").locator("h2")).to_have_text(
        in_language(page, "电池包时间轴", "Packs over time")
    )
    no_sideways_scroll(page)
    shot(page, f"invest-vehicle-{tag(page, screen)}")
    # A pack's label leads to its page
    first = stays[0]["code"]
    timeline.locator(f"a[href='#/battery/{first}']").first.click()
    ready(page, f"#/battery/{first}")


# --- the analyst's network -------------------------------------------------------------------


@pytest.mark.parametrize("page", LANGS, indirect=True)
def test_the_custody_network_top_flows_community_and_exports(
    page: Page, server: Server, world: World, api_keys: dict[str, str], screen: str
) -> None:
    graph = server.get("/v1/analytics/custody/graph")
    metrics = server.get("/v1/analytics/custody/metrics?top=50")
    open_ui(page, server, "#/analyst", key=api_keys["analyst"])
    flow = page.get_by_test_id("flow-graph")
    expect(flow).to_have_attribute("data-nodes", re.compile(r"^\d+$"), timeout=TIMEOUT_MS)
    # The default cut: the 50 heaviest flows, and only the nodes at their ends
    wanted = min(50, len(graph["edges"]))
    expect(flow).to_have_attribute("data-edges", str(wanted))
    assert int(flow.get_attribute("data-nodes") or 0) <= len(graph["nodes"])
    # Labels only where they fit: fewer than the nodes shown, at least the biggest
    labelled = int(flow.get_attribute("data-labelled") or 0)
    assert 0 < labelled <= int(flow.get_attribute("data-nodes") or 0)
    # The legend says what each community holds
    legend = page.get_by_test_id("communities").locator("li")
    expect(legend).to_have_count(min(20, len(metrics["communities"])))
    biggest = max(metrics["communities"], key=lambda c: c["size"])
    row = page.locator(f"[data-testid=communities] li[data-community='{biggest['index']}']")
    expect(row).to_contain_text(str(biggest["size"]))
    expect(row).to_contain_text(in_language(page, "省份", "provinces"))
    # The top 20
    page.get_by_test_id("top-picker").select_option("20")
    ready(page, "#/analyst?network=custody&weight=batteries&top=20")
    expect(flow).to_have_attribute("data-edges", str(min(20, len(graph["edges"]))), timeout=TIMEOUT_MS)
    # One community, every flow inside it
    members = {m["id"] for m in biggest["members"]}
    inside = [e for e in graph["edges"] if e["source"] in members and e["target"] in members]
    page.get_by_test_id("top-picker").select_option("all")
    ready(page, "#/analyst?network=custody&weight=batteries&top=all")
    page.get_by_test_id("community-picker").select_option(str(biggest["index"]))
    ready(page, f"#/analyst?network=custody&weight=batteries&top=all&community={biggest['index']}")
    expect(flow).to_have_attribute("data-edges", str(len(inside)), timeout=TIMEOUT_MS)
    shown: list[str] = page.evaluate("() => window.batterytrace.graphs.flow.nodes().map(n => n.id())")
    assert set(shown) <= members
    no_sideways_scroll(page)
    shot(page, f"invest-analyst-{tag(page, screen)}")
    # Exports: the API's GraphML and CSV, saved from the buttons
    with page.expect_download() as graphml:
        page.get_by_test_id("export-graphml").click()
    assert graphml.value.suggested_filename == "custody.graphml"
    assert "<graphml" in Path(graphml.value.path()).read_text(encoding="utf-8")
    with page.expect_download() as table:
        page.get_by_test_id("export-csv").click()
    assert table.value.suggested_filename == "custody.csv"
    rows = _csv_rows(table.value.path())
    assert len(rows) == len(graph["edges"]) and {"source", "target", "source_name", "batteries", "kg"} <= set(rows[0])


@pytest.mark.parametrize("page", LANGS, indirect=True)
def test_the_network_in_a_time_window_and_a_province(
    page: Page, server: Server, world: World, api_keys: dict[str, str]
) -> None:
    open_ui(page, server, "#/analyst?top=all", key=api_keys["analyst"])
    page.get_by_test_id("since").fill("2024-01-01")
    page.get_by_test_id("until").fill("2024-12-31")
    page.get_by_test_id("province-picker").select_option("440000")
    page.locator("form.controls button[type=submit]").click()
    ready(page, "#/analyst?network=custody&weight=batteries&province=440000&since=2024-01-01&until=2024-12-31&top=all")
    window = server.get(
        "/v1/analytics/custody/graph?province=440000&since=2024-01-01T00:00:00%2B08:00&until=2025-01-01T00:00:00%2B08:00"
    )
    expect(page.get_by_test_id("flow-graph")).to_have_attribute(
        "data-edges", str(len(window["edges"])), timeout=TIMEOUT_MS
    )
    expect(page.get_by_test_id("province-picker").locator("option:checked")).to_contain_text(
        in_language(page, "广东", "Guangdong")
    )


# --- the company's own view ------------------------------------------------------------------


@pytest.mark.parametrize("page", LANGS, indirect=True)
def test_the_company_view_for_a_reporter_key(
    page: Page, server: Server, world: World, database: Database, screen: str
) -> None:
    producer = server.get(f"/v1/batteries/{world.swap_battery}")["producer"]
    key = issue_key(database, "reporter", "e2e reporter", producer).key
    mine = Server(server.url, server.log, key)
    batteries = mine.get("/v1/batteries?limit=25")["items"]
    events = mine.get("/v1/companies/me/events?limit=20")["items"]
    duties = mine.get("/v1/companies/me/duties")["items"]
    findings = mine.get("/v1/companies/me/findings?limit=50")["items"]
    record = server.get(f"/v1/companies/{producer}")
    open_ui(page, server, "#/company", key=key)
    expect(page.get_by_test_id("company-name")).to_have_text(record["name"])
    expect(page.get_by_test_id("company-record")).to_contain_text(producer)
    expect(page.locator("nav a[data-nav=company]")).to_have_text(in_language(page, "企业", "Company"))
    expect(page.locator("nav a[data-nav=company]")).to_have_class(re.compile(r"\bactive\b"))
    expect(page.get_by_test_id("company-battery-list").locator("tbody tr")).to_have_count(len(batteries))
    expect(page.get_by_test_id("submission-list").locator("tbody tr")).to_have_count(len(events))
    latest = events[0]
    row = page.locator(f"[data-testid=submission-list] tr[data-event='{latest['event_id']}']")
    if latest["log_index"] is not None:
        expect(row.locator("[data-log-index]")).to_have_attribute("data-log-index", str(latest["log_index"]))
    for e in events:
        for warning in e["warnings"]:
            expect(
                page.locator(
                    f"[data-testid=submission-list] tr[data-event='{e['event_id']}'] [data-warning='{warning['code']}']"
                )
            ).to_be_visible()
    duty_card = page.get_by_test_id("company-duties")
    if duties:
        expect(duty_card.locator("tbody tr")).to_have_count(len(duties))
    else:
        expect(duty_card).to_contain_text(in_language(page, "没有到期", "Nothing is due"))
    finding_card = page.get_by_test_id("company-findings")
    if findings:
        expect(finding_card.locator("tbody tr")).to_have_count(len(findings))
    else:
        expect(finding_card).to_contain_text(in_language(page, "没有涉及", "No finding"))
    no_sideways_scroll(page)
    shot(page, f"invest-company-{tag(page, screen)}")


def test_the_company_view_says_it_is_for_reporter_keys(
    page: Page, server: Server, world: World, api_keys: dict[str, str]
) -> None:
    open_ui(page, server, "#/company", key=api_keys["investigator"])
    expect(page.get_by_test_id("needs-reporter")).to_be_visible()
