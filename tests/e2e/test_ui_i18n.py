"""The UI in Chinese and English: a browser set to zh-CN reads Chinese labels, province names and
China Standard Time, the switch turns the page English and is remembered, and a refused code
shows the API's own reason. Screenshots of both languages go to tests/e2e/artifacts/."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, World, shot
from tests.e2e.test_ui import TIMEOUT_MS, graph_nodes, graph_ready, node_position, open_ui, ready

pytestmark = [pytest.mark.e2e, pytest.mark.neo4j]

CHINESE = [pytest.param("zh-CN", id="zh-CN")]
HAN = re.compile(r"[\u4e00-\u9fff]")


def provinces_zh(server: Server) -> dict[str, str]:
    """The API's own names: GET /v1/vocabularies, the table the UI bundles."""
    return {p["code"]: p["zh"] for p in server.get("/v1/vocabularies")["provinces"]}


def cst(iso: str) -> str:
    """An instant as the zh-CN page writes it: China Standard Time, 2021/03/15 09:02:03."""
    return datetime.fromisoformat(iso).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y/%m/%d %H:%M:%S")


def switch_to(page: Page, lang: str) -> None:
    page.locator(f"#lang-switch button[data-lang='{lang}']").click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


@pytest.mark.parametrize("page", CHINESE, indirect=True)
def test_battery_page_in_chinese_then_english(
    page: Page, server: Server, world: World, api_keys: dict[str, str]
) -> None:
    code = world.swap_battery
    trace = server.get(f"/v1/batteries/{code}/trace")
    open_ui(page, server, f"#/battery/{code}", key=api_keys["investigator"])

    # The browser's language decides: Chinese everywhere, the document says so.
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("nav a[data-nav=battery]")).to_have_text("电池")
    expect(page.locator("#lang-switch button[data-lang='zh-CN']")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("identity").locator("h2")).to_have_text("身份与状态")
    expect(page.get_by_test_id("journey").locator("h2")).to_have_text("流转历程")
    expect(page.get_by_test_id("status")).to_have_text(HAN)
    table = page.get_by_test_id("events-table")
    expect(table.locator("thead th").first).to_have_text("发生时间（北京时间）")
    expect(page.locator(".legend").first).to_contain_text("换电")

    # Times in China Standard Time, whatever zone the browser runs in.
    first = trace["events"][0]
    row = table.locator(f"tr[data-event='{first['event_id']}']")
    expect(row.locator("td").first).to_have_text(cst(first["occurred_at"]))
    expect(row.locator("td").first).to_have_attribute("title", first["occurred_at"])

    # A swap names its station by the registry's name, the id on hover.
    swap = next(e for e in trace["events"] if e["type"] == "swapped")
    station = server.get(f"/v1/stations/{swap['details']['station']}")
    if station["name"]:
        named = table.locator(f"tr[data-event='{swap['event_id']}'] span[data-station]")
        expect(named).to_have_text(station["name"])
        expect(named).to_have_attribute("title", station["id"])

    # A company's record in the graph's panel: its province by its Chinese name, code beside it.
    graph_ready(page, "neighbourhood-graph")
    company = graph_nodes(page, "neighbourhood", "company")[0]
    record = server.get(f"/v1/companies/{company.removeprefix('c:')}")
    page.mouse.click(*node_position(page, "neighbourhood", company))
    panel = page.get_by_test_id("graph-info")
    expect(panel).to_contain_text("统一社会信用代码", timeout=TIMEOUT_MS)
    expect(panel).to_contain_text(f"{provinces_zh(server)[record['province']]} ({record['province']})")
    expect(page.get_by_test_id("leakage-flags")).to_have_attribute("data-state", "done", timeout=TIMEOUT_MS)
    shot(page, "i18n-battery-zh")

    # The switch: the same page in English, and it stays English on the next visit.
    switch_to(page, "en")
    expect(page.get_by_test_id("identity").locator("h2")).to_have_text("Identity and state", timeout=TIMEOUT_MS)
    ready(page, f"#/battery/{code}")
    expect(page.locator("nav a[data-nav=battery]")).to_have_text("Battery")
    expect(page.get_by_test_id("events-table").locator("thead th").first).to_have_text("occurred (China time)")
    expect(page.get_by_test_id("status")).to_have_text(server.get(f"/v1/batteries/{code}")["status"].replace("_", " "))
    shot(page, "i18n-battery-en")
    page.reload()
    ready(page, f"#/battery/{code}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("identity").locator("h2")).to_have_text("Identity and state")


@pytest.mark.parametrize("page", CHINESE, indirect=True)
def test_regulator_page_in_chinese_then_english(
    page: Page, server: Server, world: World, api_keys: dict[str, str]
) -> None:
    open_ui(page, server, "#/regulator", key=api_keys["regulator"])
    if not server.has_path("/v1/leakage"):
        pytest.skip("the leakage API is not served")
    names = provinces_zh(server)
    expect(page.locator("h1")).to_have_text("正规回收链条外的流失")
    # Every rule the API serves is named in Chinese (the API's titles are English).
    rules = server.get("/v1/leakage/rules")["rules"]
    untranslated = [
        r["id"]
        for r in rules
        if page.locator(f"[data-testid=rules] li[data-rule='{r['id']}'] strong").inner_text() == r["title"]
    ]
    assert not untranslated, f"rules without Chinese words: {untranslated}"
    expect(page.get_by_test_id("rules").locator("li[data-rule] strong").first).to_have_text(HAN)

    # The summary by province: Chinese names with their codes.
    summary = page.get_by_test_id("summary")
    expect(summary.locator("[data-state=done]")).to_have_count(1, timeout=TIMEOUT_MS)
    provinces = page.get_by_test_id("summary-province").locator("tbody tr:not([data-key=''])")
    expect(provinces.first).to_be_visible()
    for row in provinces.all()[:5]:
        key = row.get_attribute("data-key") or ""
        expect(row.locator("a")).to_have_text(f"{names[key]} ({key})")
    shot(page, "i18n-regulator-zh")

    # The picker narrows to a province chosen by name, no code typed.
    key = provinces.first.get_attribute("data-key") or ""
    picker = page.get_by_test_id("province-picker")
    expect(picker.locator(f"option[value='{key}']")).to_have_text(f"{names[key]} ({key})")
    picker.select_option(key)
    ready(page, f"#/regulator?province={key}")
    expect(page.get_by_test_id("filters")).to_contain_text(f"省份 {names[key]} ({key})")

    # English: the same narrowed page, its province by its English name.
    en = {p["code"]: p["en"] for p in server.get("/v1/vocabularies")["provinces"]}
    switch_to(page, "en")
    expect(page.locator("h1")).to_have_text("Leakage from the licensed chain", timeout=TIMEOUT_MS)
    ready(page, f"#/regulator?province={key}")
    expect(page.get_by_test_id("filters")).to_contain_text(f"province {en[key]} ({key})")
    first = rules[0]
    expect(page.locator(f"[data-testid=rules] li[data-rule='{first['id']}'] strong")).to_have_text(first["title"])
    shot(page, "i18n-regulator-en")


def refusal(server: Server, path: str) -> dict[str, Any]:
    """The API's own 422 body for a path."""
    request = urllib.request.Request(server.url + path, headers={"X-API-Key": server.key})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 422
    body: dict[str, Any] = json.loads(refused.value.read())
    return body


def test_a_bad_code_shows_the_apis_reason(page: Page, server: Server, world: World, api_keys: dict[str, str]) -> None:
    body = refusal(server, "/v1/batteries/NOT-A-CODE")
    assert body["errors"], body
    open_ui(page, server, "#/battery/NOT-A-CODE", key=api_keys["investigator"])
    error = page.get_by_test_id("load-error")
    expect(error).to_contain_text(body["detail"])
    for problem in body["errors"]:
        expect(error).to_contain_text(f"{problem['field']}: {problem['reason']}")
    shot(page, "i18n-bad-code-en")


@pytest.mark.parametrize("page", CHINESE, indirect=True)
def test_a_bad_code_in_chinese(page: Page, server: Server, world: World, api_keys: dict[str, str]) -> None:
    body = refusal(server, "/v1/batteries/NOT-A-CODE")
    open_ui(page, server, "#/battery/NOT-A-CODE", key=api_keys["investigator"])
    error = page.get_by_test_id("load-error")
    expect(error).to_contain_text("已拒绝：")
    expect(error).to_contain_text(body["errors"][0]["reason"])
