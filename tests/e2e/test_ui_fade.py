"""The analyst's fade table in a real browser: the API's counts drawn as bands by groups, regrouped
by maker and by use, in both languages and on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, World, shot
from tests.e2e.test_ui import TIMEOUT_MS, open_ui
from tests.e2e.test_ui_invest import LANGS, PHONE, in_language, no_sideways_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.neo4j]


@pytest.mark.parametrize("page", LANGS, indirect=True)
def test_fade_by_chemistry_then_maker_then_use(
    page: Page, server: Server, world: World, api_keys: dict[str, str]
) -> None:
    assert world.events.get("health_measured", 0) > 0, world.events  # the world has readings to show
    page.set_viewport_size(PHONE)
    open_ui(page, server, "#/analyst", key=api_keys["analyst"])
    fade = page.get_by_test_id("fade")
    for by in ("chemistry", "maker", "use"):
        expected = server.get(f"/v1/analytics/health/fade?by={by}")
        if by != "chemistry":
            fade.get_by_test_id("fade-by").select_option(by)
        table = fade.locator(f"table[data-testid='fade-table'][data-by='{by}']")
        expect(table).to_be_visible(timeout=TIMEOUT_MS)
        groups = {c["group"] for c in expected["cells"]}
        bands = {c["band"] for c in expected["cells"]}
        expect(table.locator("thead th")).to_have_count(1 + len(groups))
        expect(table.locator("tbody tr")).to_have_count(len(bands))
        # every cell the API counted, as "mean % (readings)"
        texts = table.locator("tbody td").all_inner_texts()
        for c in expected["cells"]:
            mean = f"{c['mean_soh_pct']:.1f}".removesuffix(".0")  # as the page's number format writes it
            assert f"{mean} % ({c['readings']})" in texts, (c, texts)
        expect(fade.get_by_test_id("fade-hint")).to_contain_text(str(expected["readings"]))
    head = " ".join(table.locator("thead th").all_inner_texts())
    assert in_language(page, "装车使用", "in vehicles") in head or in_language(page, "换电电池", "swap packs") in head
    no_sideways_scroll(page)
    fade.scroll_into_view_if_needed()
    shot(page, f"analyst-fade-{in_language(page, 'zh', 'en')}-phone")
