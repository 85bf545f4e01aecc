"""The regulator's page as a regulator uses it: the map of provinces narrows the page to the one
clicked (and back to all), in English and Chinese, at a desktop's width and a phone's (390 px,
no sideways scroll). Screenshots: tests/e2e/artifacts/regulator-*.png."""

from __future__ import annotations

import csv
import json
import urllib.parse
import urllib.request
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, World, shot
from tests.e2e.test_ui import TIMEOUT_MS, open_ui, ready

pytestmark = [pytest.mark.e2e, pytest.mark.neo4j]

CHINESE = [pytest.param("zh-CN", id="zh-CN")]
# Small on the map (a click at the centre may land on a neighbour): not the ones a test clicks.
SMALL = {"110000", "120000", "310000", "810000", "820000", "710000"}
PHONE = {"width": 390, "height": 844}
CST = ZoneInfo("Asia/Shanghai")


def by_province(summary: dict[str, Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in summary["by_province"]:
        if row["province"]:
            out[row["province"]] = out.get(row["province"], 0) + row["count"]
    return out


def summary_ready(page: Page) -> None:
    expect(page.get_by_test_id("summary").locator("[data-state=done]")).to_have_count(1, timeout=TIMEOUT_MS)


def map_drawn(page: Page) -> dict[str, list[int]]:
    """Wait for ECharts to finish; the map says where each province's centre is drawn."""
    canvas = page.get_by_test_id("province-map")
    expect(canvas).to_have_attribute("data-state", "drawn", timeout=TIMEOUT_MS)
    centres: dict[str, list[int]] = json.loads(canvas.get_attribute("data-centres") or "{}")
    return centres


def click_province(page: Page, code: str) -> None:
    """Click the province on the map where it is drawn, as a person would."""
    centres = map_drawn(page)
    assert code in centres, f"{code} not drawn on the map: {sorted(centres)}"
    box = page.get_by_test_id("province-map").bounding_box()
    assert box
    x, y = centres[code]
    page.mouse.click(box["x"] + x, box["y"] + y)


def rule_total(page: Page) -> int:
    rows = page.get_by_test_id("summary-rule").locator("tbody tr")
    return sum(int(r.get_attribute("data-count") or 0) for r in rows.all())


def busiest_province(server: Server) -> tuple[str, int, int]:
    """The province with most findings that is big enough on the map to click; with the total."""
    national = server.get("/v1/leakage/summary")
    counts = by_province(national)
    code = max((c for c in counts if c not in SMALL), key=lambda c: counts[c])
    return code, counts[code], sum(r["count"] for r in national["by_rule"])


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"the page is {width} px wide in a {viewport} px window"


def test_the_map_narrows_the_page_to_a_province(
    page: Page, server: Server, world: World, api_keys: dict[str, str]
) -> None:
    open_ui(page, server, "#/regulator", key=api_keys["regulator"])
    code, count, total = busiest_province(server)
    summary_ready(page)
    map_drawn(page)
    expect(page.get_by_test_id("map-denominator")).to_contain_text("per 1,000 packs with an event in the province")
    assert rule_total(page) == total
    shot(page, "regulator-map-en")

    click_province(page, code)
    ready(page, f"#/regulator?province={code}")
    summary_ready(page)
    # The summary narrows: its rules count only the province's findings, as the API says.
    narrowed = server.get(f"/v1/leakage/summary?province={code}")
    assert rule_total(page) == sum(r["count"] for r in narrowed["by_rule"]) == count
    assert count < total
    rows = page.get_by_test_id("summary-province").locator("tbody tr")
    assert {r.get_attribute("data-key") for r in rows.all()} == {code}
    expect(page.get_by_test_id("filters")).to_contain_text(f"({code})")
    expect(page.get_by_test_id("map-selected")).to_contain_text(f"({code})")
    map_drawn(page)
    shot(page, "regulator-province-en")

    # The visible reset: every province again.
    page.get_by_test_id("map-reset").click()
    ready(page, "#/regulator")
    summary_ready(page)
    assert rule_total(page) == total
    expect(page.get_by_test_id("map-selected")).to_have_count(0)


@pytest.mark.parametrize("page", CHINESE, indirect=True)
def test_the_map_in_chinese_on_a_phone(page: Page, server: Server, world: World, api_keys: dict[str, str]) -> None:
    page.set_viewport_size(PHONE)
    names = {p["code"]: p["zh"] for p in server.get("/v1/vocabularies")["provinces"]}
    open_ui(page, server, "#/regulator", key=api_keys["regulator"])
    code, count, _ = busiest_province(server)
    summary_ready(page)
    map_drawn(page)
    expect(page.get_by_test_id("map-card").locator("h2")).to_have_text("各省发现")
    expect(page.get_by_test_id("map-denominator")).to_contain_text("每千个电池包")
    no_sideways_scroll(page)
    shot(page, "regulator-map-zh-390")

    click_province(page, code)
    ready(page, f"#/regulator?province={code}")
    summary_ready(page)
    assert rule_total(page) == count
    expect(page.get_by_test_id("filters")).to_contain_text(f"省份 {names[code]} ({code})")
    expect(page.get_by_test_id("map-reset")).to_have_text("全部省份")
    no_sideways_scroll(page)
    shot(page, "regulator-province-zh-390")


def busiest_rule(server: Server) -> tuple[str, int]:
    """The battery rule with most findings now, and how many."""
    rules = {r["id"] for r in server.get("/v1/leakage/rules")["rules"] if r["level"] == "battery"}
    counts = {r["rule"]: r["count"] for r in server.get("/v1/leakage/summary")["by_rule"] if r["rule"] in rules}
    rule = max(counts, key=lambda r: counts[r])
    assert counts[rule] > 0, counts
    return rule, counts[rule]


def test_a_rules_findings_open_under_it_in_view(
    page: Page, server: Server, world: World, api_keys: dict[str, str]
) -> None:
    rule, _ = busiest_rule(server)
    open_ui(page, server, "#/regulator", key=api_keys["regulator"])
    summary_ready(page)
    # Parameters in words, never their JSON.
    params = page.get_by_test_id("rules").locator("li[data-rule='dark_after_removal'] [data-testid=rule-params]")
    expect(params).to_contain_text("30 working days")
    assert "{" not in page.get_by_test_id("rules").inner_text()
    expect(page.get_by_test_id("summary-rule-rate")).to_contain_text("per 1,000 packs in the graph")

    page.get_by_test_id("rules").locator(f"li[data-rule='{rule}'] > a").click()
    ready(page, f"#/regulator/{rule}")
    card = page.get_by_test_id("rules").locator(f"li[data-rule='{rule}'] [data-testid=findings-card]")
    expect(card).to_be_in_viewport()
    rows = card.get_by_test_id("findings").locator("tbody tr")
    expect(rows.first).to_be_in_viewport()
    first = rows.first.bounding_box()
    assert first and first["height"] < 45, f"a finding's row is {first} tall"
    shot(page, "regulator-findings-en")

    # The evidence opens under its row on a click, with the API's event ids.
    api = server.get(f"/v1/leakage/{rule}?limit=1")["items"][0]
    evidence = rows.first.get_by_test_id("finding-evidence")
    expect(evidence).to_be_hidden()
    rows.first.get_by_test_id("finding-toggle").click()
    expect(evidence).to_be_visible()
    for event in api["evidence"]:
        expect(evidence.locator(f"[data-event='{event}']")).to_be_visible()
    shot(page, "regulator-evidence-en")

    # From the summary's table too: the page comes back with the findings in view.
    page.get_by_test_id("rules").locator(f"li[data-rule='{rule}'] > a").click()  # closes
    ready(page, "#/regulator")
    page.evaluate("window.scrollTo(0, 0)")
    page.get_by_test_id("summary-rule").locator(f"tr[data-key='{rule}'] a").click()
    ready(page, f"#/regulator/{rule}")
    expect(page.get_by_test_id("findings-card")).to_be_in_viewport()


def csv_rows(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_tables_export_csv(page: Page, server: Server, world: World, api_keys: dict[str, str]) -> None:
    rule, count = busiest_rule(server)
    open_ui(page, server, f"#/regulator/{rule}", key=api_keys["regulator"])
    summary_ready(page)
    with page.expect_download() as got:
        page.get_by_test_id("export-summary-rule").click()
    download = got.value
    assert download.suggested_filename == "leakage-summary-by-rule.csv"
    rows = csv_rows(str(download.path()))
    rules = server.get("/v1/leakage/rules")["rules"]
    assert [r["rule"] for r in rows] == [
        r.get_attribute("data-key") for r in page.get_by_test_id("summary-rule").locator("tbody tr").all()
    ]
    assert len(rows) == len(rules) and sum(int(r["findings"]) for r in rows) == rule_total(page)

    with page.expect_download() as got:
        page.get_by_test_id("export-findings").click()
    download = got.value
    assert download.suggested_filename == f"leakage-{rule}.csv"
    rows = csv_rows(str(download.path()))
    everything = server.get(f"/v1/leakage/{rule}/export?format=json")
    assert len(rows) == len(everything) >= count > 0 and {r["rule"] for r in rows} == {rule}
    assert [r["battery"] for r in rows] == [f["battery"] for f in everything]


def test_as_of_and_a_period(page: Page, server: Server, world: World, api_keys: dict[str, str]) -> None:
    rule, _ = busiest_rule(server)
    found = server.get(f"/v1/leakage/{rule}/export?format=json")
    days = sorted({datetime.fromisoformat(f["since"]).astimezone(CST).date() for f in found})
    start, end = days[len(days) // 2], days[-1]
    today = datetime.now(CST).date()
    open_ui(page, server, "#/regulator", key=api_keys["regulator"])
    page.get_by_test_id("as-of").fill(today.isoformat())
    page.get_by_test_id("period-from").fill(start.isoformat())
    page.get_by_test_id("period-to").fill(end.isoformat())
    page.get_by_test_id("period-apply").click()
    target = f"#/regulator?as_of={today}&from={start}&to={end}"
    ready(page, target)
    summary_ready(page)
    query = urllib.parse.urlencode(
        {
            "as_of": f"{today}T23:59:59.999+08:00",
            "since_from": f"{start}T00:00:00+08:00",
            "since_until": f"{end}T23:59:59.999+08:00",
        }
    )
    api = server.get(f"/v1/leakage/summary?{query}")
    assert rule_total(page) == sum(r["count"] for r in api["by_rule"])
    in_period = sum(1 for f in found if start <= datetime.fromisoformat(f["since"]).astimezone(CST).date() <= end)
    assert {r["rule"]: r["count"] for r in api["by_rule"]}[rule] == in_period < len(found)
    as_of = page.get_by_test_id("summary-as-of")
    assert datetime.fromisoformat(as_of.get_attribute("data-as-of") or "").astimezone(CST).date() == today
    expect(page.get_by_test_id("period")).to_contain_text("as of the end of")
    shot(page, "regulator-period-en")

    # The rule's findings keep the period: only those whose problem began in it.
    page.get_by_test_id("summary-rule").locator(f"tr[data-key='{rule}'] a").click()
    ready(page, f"#/regulator/{rule}?as_of={today}&from={start}&to={end}")
    expect(page.get_by_test_id("findings").locator("tbody tr")).to_have_count(min(in_period, 50))


def test_the_page_in_english_on_a_phone(page: Page, server: Server, world: World, api_keys: dict[str, str]) -> None:
    page.set_viewport_size(PHONE)
    rule, _ = busiest_rule(server)
    open_ui(page, server, f"#/regulator/{rule}", key=api_keys["regulator"])
    summary_ready(page)
    map_drawn(page)
    expect(page.get_by_test_id("findings-card")).to_be_in_viewport()
    no_sideways_scroll(page)
    shot(page, "regulator-findings-en-390")


@pytest.mark.parametrize("page", CHINESE, indirect=True)
def test_a_period_in_chinese(page: Page, server: Server, world: World, api_keys: dict[str, str]) -> None:
    rule, _ = busiest_rule(server)
    found = server.get(f"/v1/leakage/{rule}/export?format=json")
    days = sorted({datetime.fromisoformat(f["since"]).astimezone(CST).date() for f in found})
    start = days[len(days) // 2]
    open_ui(page, server, "#/regulator", key=api_keys["regulator"])
    page.get_by_test_id("period-from").fill(start.isoformat())
    page.get_by_test_id("period-apply").click()
    ready(page, f"#/regulator?from={start}")
    summary_ready(page)
    api = server.get(f"/v1/leakage/summary?since_from={start}T00:00:00%2B08:00")
    assert rule_total(page) == sum(r["count"] for r in api["by_rule"])
    expect(page.get_by_test_id("period")).to_contain_text("截至现在")
    expect(page.get_by_test_id("period")).to_contain_text(f"{start:%Y/%m/%d} 及以后")
    expect(page.get_by_test_id("export-summary-rule")).to_have_text("导出 CSV")
    map_drawn(page)
    shot(page, "regulator-period-zh")


@pytest.fixture(scope="module")
def swept(server: Server) -> dict[str, Any]:
    """The stored findings brought up to date, as the API's keeper does on its own schedule."""
    request = urllib.request.Request(
        server.url + "/v1/findings/sweep", method="POST", headers={"X-API-Key": server.key}
    )
    with urllib.request.urlopen(request, timeout=300) as resp:
        report: dict[str, Any] = json.load(resp)
    assert report["open"] > 0, report
    return report


def cases_ready(page: Page) -> None:
    expect(page.get_by_test_id("cases").locator("[data-state=done]")).to_have_count(1, timeout=TIMEOUT_MS)


def case_of(server: Server, case_id: str) -> dict[str, Any]:
    detail: dict[str, Any] = server.get(f"/v1/findings/{case_id}")
    return detail


def test_a_regulator_works_a_case(
    page: Page, server: Server, world: World, api_keys: dict[str, str], swept: dict[str, Any]
) -> None:
    queue = server.get("/v1/findings?status=open&status=under_review&status=company_answered&limit=25")["items"]
    assert queue, "the world's sweep stored no open case"
    open_ui(page, server, "#/regulator", key=api_keys["regulator"])
    cases_ready(page)
    rows = page.get_by_test_id("case-list").locator("tbody tr.case-row")
    assert [r.get_attribute("data-case") for r in rows.all()] == [c["id"] for c in queue]
    case_id = queue[0]["id"]
    row = rows.first
    row.click()
    detail = page.get_by_test_id("case-detail")
    expect(detail).to_be_visible()
    expect(detail.get_by_test_id("case-history")).to_contain_text("opened")

    # A dismissal without its reason is refused here, and nothing is sent.
    detail.get_by_test_id("case-status").select_option("dismissed")
    detail.get_by_test_id("case-save").click()
    expect(detail.get_by_test_id("case-error")).to_contain_text("needs a note")
    assert case_of(server, case_id)["case"]["status"] == queue[0]["status"]

    # With the reason, an assignee: stored, shown in the row and the history.
    detail.get_by_test_id("case-assignee").fill("Inspector Wang")
    detail.get_by_test_id("case-note").fill("Checked on site: the pack is at a licensed service point.")
    detail.get_by_test_id("case-save").click()
    expect(detail.get_by_test_id("case-saved")).to_contain_text("dismissed")
    expect(row.locator("[data-status]")).to_have_attribute("data-status", "dismissed")
    expect(row).to_contain_text("Inspector Wang")
    history = detail.get_by_test_id("case-history")
    expect(history.locator("li[data-kind=status]")).to_contain_text("dismissed")
    expect(history).to_contain_text("Checked on site")
    stored = case_of(server, case_id)
    assert stored["case"]["status"] == "dismissed" and stored["case"]["assignee"] == "Inspector Wang"
    assert any(c["kind"] == "status" and c["note"].startswith("Checked on site") for c in stored["history"])
    shot(page, "regulator-case-en")

    # The queue's export: the API's CSV of the cases still to work, the dismissed one gone.
    with page.expect_download() as got:
        page.get_by_test_id("export-cases").click()
    assert got.value.suggested_filename == "cases-todo.csv"
    exported = csv_rows(str(got.value.path()))
    assert exported and case_id not in {r["id"] for r in exported}
    assert {r["status"] for r in exported} <= {"open", "under_review", "company_answered"}


@pytest.mark.parametrize("page", CHINESE, indirect=True)
def test_the_page_in_chinese_on_a_phone(
    page: Page, server: Server, world: World, api_keys: dict[str, str], swept: dict[str, Any]
) -> None:
    page.set_viewport_size(PHONE)
    rule, _ = busiest_rule(server)
    found = server.get(f"/v1/leakage/{rule}?limit=1")["items"][0]
    code = found["province"]
    open_ui(page, server, f"#/regulator?province={code}", key=api_keys["regulator"])
    summary_ready(page)
    expect(
        page.get_by_test_id("rules").locator("li[data-rule='dark_after_removal'] [data-testid=rule-params]")
    ).to_contain_text("30 个工作日")
    expect(page.get_by_test_id("summary-rule-rate")).to_contain_text("每千个电池包")

    # The rule's findings open under it, in view, in Chinese, without sideways scroll.
    page.get_by_test_id("rules").locator(f"li[data-rule='{rule}'] > a").click()
    ready(page, f"#/regulator/{rule}?province={code}")
    card = page.get_by_test_id("findings-card")
    expect(card).to_be_in_viewport()
    expect(card.locator("h3")).to_contain_text("发现：")
    rows = page.get_by_test_id("findings").locator("tbody tr")
    for r in rows.all():
        expect(r.locator("td[data-province]")).to_have_attribute("data-province", code)
    rows.first.get_by_test_id("finding-toggle").click()
    expect(rows.first.get_by_test_id("finding-evidence")).to_be_visible()
    no_sideways_scroll(page)
    shot(page, "regulator-findings-zh-390")

    # The cases of the province and the rule; one put under review, in Chinese.
    cases_ready(page)
    case_rows = page.get_by_test_id("case-list").locator("tbody tr.case-row")
    expect(case_rows.first).to_be_visible()
    for r in case_rows.all():
        expect(r.locator("td[data-province]")).to_have_attribute("data-province", code)
    case_id = case_rows.first.get_attribute("data-case") or ""
    case_rows.first.click()
    detail = page.get_by_test_id("case-detail")
    detail.get_by_test_id("case-status").select_option("under_review")
    detail.get_by_test_id("case-note").fill("已通知企业补报")
    detail.get_by_test_id("case-save").click()
    expect(detail.get_by_test_id("case-saved")).to_contain_text("审查中")
    expect(detail.get_by_test_id("case-history")).to_contain_text("已通知企业补报")
    assert case_of(server, case_id)["case"]["status"] == "under_review"
    no_sideways_scroll(page)
    shot(page, "regulator-case-zh-390")
