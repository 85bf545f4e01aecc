"""The public page (#/public) on a 390 px phone, in Chinese and in English, with no key at all: a
battery code answered with its stage and what to do (and the licensed firms of the province picked),
a company's licence, a province's white list, and a label's Digital Link leading a visitor without
a key from the battery page to the public answer. Nothing is wider than the screen. Screenshots go
to tests/e2e/artifacts/public-*.png, and the public answers of one battery per life stage to
tests/e2e/artifacts/public-answers.json."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS, Server, World, shot
from tests.e2e.test_ui import ready

pytestmark = [pytest.mark.e2e, pytest.mark.neo4j]

PHONE = {"width": 390, "height": 844}
UNKNOWN = "CATPB01TRACE01D5H0000007"  # well-formed, and no world of the generator makes maker CAT


@pytest.fixture(scope="module", autouse=True)
def wide_public_limit() -> Iterator[None]:
    """This module's API process (conftest's ``server``, started after this) lets one address ask more
    than a person would: the limit itself is tested in tests/api/test_public.py."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PUBLIC_RATE_LIMIT_BURST", "1000")
        yield


def public(server: Server, path: str) -> Any:
    """A public answer as anyone gets it: no key."""
    with urllib.request.urlopen(server.url + path, timeout=30) as resp:
        return json.load(resp)


@pytest.fixture(scope="module")
def stages(server: Server, world: World) -> dict[str, dict[str, Any]]:
    """One battery of the world per life stage (and one to hand on), as the public routes answer them."""
    picked: dict[str, dict[str, Any]] = {}
    for status in ("installed", "removed", "in_stock", "repurposed", "recycled"):
        for item in server.get(f"/v1/batteries?status={status}&limit=20")["items"]:
            answer = public(server, f"/public/batteries/{item['code']}")
            key = "hand_on" if answer["advice"] == "hand_to_licensed" else answer["stage"]
            if key not in picked:
                picked[key] = answer
                break
    picked["unknown"] = public(server, f"/public/batteries/{UNKNOWN}")
    assert {"in_use", "second_life", "recycled", "unknown"} <= set(picked), sorted(picked)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "public-answers.json").write_text(json.dumps(picked, ensure_ascii=False, indent=2))
    return picked


@pytest.fixture(params=["zh-CN", "en"])
def phone(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    """A phone-sized page in one language, with no key stored; page errors fail the test."""
    context = browser.new_context(viewport=PHONE, locale=request.param, device_scale_factor=1)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda err: errors.append(str(err)))
    yield pg
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def fits(page: Page) -> None:
    """Nothing sticks out sideways: the document is no wider than the 390 px screen."""
    width = page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px screen"


def lang_of(page: Page) -> str:
    return str(page.evaluate("document.documentElement.lang"))


def said(words: dict[str, str], lang: str) -> str:
    return words["zh"] if lang == "zh-CN" else words["en"]


def ask(page: Page, which: str, value: str, route: str) -> None:
    form = page.get_by_test_id(f"ask-{which}")
    control = form.locator("input, select").first
    if which in ("province", "where"):
        control.select_option(value)
    else:
        control.fill(value)
    form.locator("button[type=submit]").click()
    ready(page, route)


@pytest.fixture(scope="module")
def licensed_province(server: Server) -> str:
    """A province of the world with a licensed recycler today (from the registry, with the admin key)."""
    for company in server.get("/v1/companies?role=recycler&limit=200")["items"]:
        if any(lic["scope"] == "recycling" and lic["valid_to"] is None for lic in company["licences"]):
            return str(company["province"])
    raise AssertionError("the world has no recycler with a running licence")


def test_the_public_page_answers_a_code_a_company_and_a_province(
    phone: Page, server: Server, stages: dict[str, dict[str, Any]], licensed_province: str
) -> None:
    page = phone
    page.goto(f"{server.url}/ui/#/public")
    ready(page, "#/public")
    lang = lang_of(page)
    tag = "zh" if lang == "zh-CN" else "en"
    expect(page.locator("nav a[data-nav=public]")).to_have_class("active")
    expect(page.locator("h1")).to_have_text(
        "查询电池、企业或省份" if tag == "zh" else "Check a battery, a company or a province"
    )
    fits(page)
    shot(page, f"public-{tag}-start")

    # A battery to hand on: its stage, advice, and the licensed firms of the province picked.
    battery = stages.get("hand_on") or stages["second_life"]
    code = battery["code"]
    ask(page, "code", code, f"#/public?code={code}")
    card = page.get_by_test_id("public-battery")
    expect(card).to_have_attribute("data-stage", battery["stage"])
    expect(card).to_have_attribute("data-advice", battery["advice"])
    expect(card.get_by_test_id("advice")).to_have_text(said(battery["advice_words"], lang))
    maker = battery["decoded"]["maker"]["name"] or battery["decoded"]["maker"]["code"]
    expect(card.get_by_test_id("decoded")).to_contain_text(maker)
    fits(page)
    province = licensed_province
    white_list = public(server, f"/public/recyclers?province={province}")
    ask(page, "where", province, f"#/public?code={code}&province={province}")
    listed = page.get_by_test_id("public-recyclers")
    expect(listed.locator("li.firm")).to_have_count(len(white_list["licensed"]) + len(white_list["service_points"]))
    expect(listed.get_by_test_id("recyclers-advice")).to_have_text(said(white_list["advice"], lang))
    for firm in white_list["licensed"][:3]:
        expect(listed.locator(f"li.firm[data-uscc='{firm['uscc']}']")).to_contain_text(firm["name"])
    fits(page)
    shot(page, f"public-{tag}-battery")

    # Each life stage in plain words.
    words = {
        "in_use": ("首次使用", "first life"),
        "second_life": ("梯次利用", "second life"),
        "recycled": ("再生利用", "recycled"),
        "unknown": ("没有这块电池", "does not know"),
    }
    for stage, (zh, en) in words.items():
        answer = stages[stage]
        ask(page, "code", answer["code"], f"#/public?code={answer['code']}")
        expect(page.get_by_test_id("stage")).to_contain_text(zh if tag == "zh" else en)
    fits(page)

    # A malformed code: the decoding says why, then the same words as an unknown one.
    ask(page, "code", "ABC", "#/public?code=ABC")
    expect(page.get_by_test_id("code-problem")).to_be_visible()
    expect(page.get_by_test_id("advice")).to_have_text(said(stages["unknown"]["advice_words"], lang))
    fits(page)

    # A company: licensed or not, in plain words.
    firm = white_list["licensed"][0] if white_list["licensed"] else None
    if firm is not None:
        ask(page, "uscc", firm["uscc"], f"#/public?uscc={firm['uscc']}")
        licence = page.get_by_test_id("public-licence")
        expect(licence).to_have_attribute("data-licensed", "true")
        expect(licence.get_by_test_id("licence-verdict")).to_contain_text(firm["name"])
        fits(page)
        shot(page, f"public-{tag}-licence")

    # A province on its own.
    ask(page, "province", "430000", "#/public?province=430000")
    expect(page.get_by_test_id("public-recyclers")).to_have_attribute("data-province", "430000")
    expect(page.get_by_test_id("public-recyclers").locator("h2")).to_contain_text("湖南" if tag == "zh" else "Hunan")
    fits(page)
    shot(page, f"public-{tag}-province")


def test_a_label_scanned_without_a_key_leads_to_the_public_answer(
    phone: Page, server: Server, stages: dict[str, dict[str, Any]]
) -> None:
    page = phone
    code = stages["recycled"]["code"]
    # The Digital Link of the label: the resolver sends a browser to the UI's battery page.
    page.goto(f"{server.url}/battery/{code}")
    ready(page, f"#/battery/{code}")
    lead = page.get_by_test_id("public-lead")
    expect(lead).to_be_visible()
    fits(page)
    lead.locator("a").click()
    ready(page, f"#/public?code={code}")
    expect(page.get_by_test_id("public-battery")).to_have_attribute("data-stage", "recycled")
    fits(page)
    shot(page, f"public-{'zh' if lang_of(page) == 'zh-CN' else 'en'}-from-label")
