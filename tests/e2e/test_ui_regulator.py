"""The regulator's page as a regulator uses it: the map of provinces narrows the page to the one
clicked (and back to all), in English and Chinese, at a desktop's width and a phone's (390 px,
no sideways scroll). Screenshots: tests/e2e/artifacts/regulator-*.png."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, World, shot
from tests.e2e.test_ui import TIMEOUT_MS, open_ui, ready

pytestmark = [pytest.mark.e2e, pytest.mark.neo4j]

CHINESE = [pytest.param("zh-CN", id="zh-CN")]
# Small on the map (a click at the centre may land on a neighbour): not the ones a test clicks.
SMALL = {"110000", "120000", "310000", "810000", "820000", "710000"}
PHONE = {"width": 390, "height": 844}


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
    expect(page.get_by_test_id("map-denominator")).to_contain_text("per 1,000 custodies")
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
    expect(page.get_by_test_id("map-denominator")).to_contain_text("每千次持有")
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
