"""The API's documentation pages in a real browser with every request off the machine refused:
government networks have no internet, and the pages must still list every operation."""

from __future__ import annotations

import re
import urllib.request
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from app.apidocs import ASSETS, NEEDED
from tests.e2e.conftest import Server, shot

pytestmark = [pytest.mark.e2e, pytest.mark.neo4j]

TIMEOUT_MS = 60_000
METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def cut_network(page: Page, server: Server) -> list[str]:
    """Abort every request not addressed to the API's own host; returns what was attempted."""
    own = urlsplit(server.url).netloc
    refused: list[str] = []

    def handle(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).netloc == own or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    page.route("**/*", handle)
    return refused


def operations(server: Server) -> set[str]:
    paths = server.get("/openapi.json")["paths"]
    return {f"{method.upper()} {path}" for path, item in paths.items() for method in item if method in METHODS}


def test_swagger_ui_lists_every_operation_offline(page: Page, server: Server) -> None:
    refused = cut_network(page, server)
    page.goto(f"{server.url}/docs")
    expected = operations(server)
    # an operation with two tags is drawn under each: compare the distinct operations shown
    expect(page.locator(".opblock").first).to_be_visible(timeout=TIMEOUT_MS)
    # locators, not wait_for_function: its polling evals a string, which the pages' policy refuses
    expect(page.locator(".opblock").nth(len(expected) - 1)).to_be_attached(timeout=TIMEOUT_MS)
    shown = set(
        page.evaluate(
            """() => [...document.querySelectorAll('.opblock')].map(b =>
                b.querySelector('.opblock-summary-method').textContent.trim() + ' ' +
                b.querySelector('.opblock-summary-path').getAttribute('data-path'))"""
        )
    )
    assert shown == expected, (sorted(expected - shown), sorted(shown - expected))
    expect(page.locator(".opblock-summary-path").filter(has_text="/v1/batteries/{code}").first).to_be_visible()
    shot(page, "docs-swagger-offline")
    assert refused == [], f"/docs tried to reach other hosts: {refused}"


def test_redoc_lists_every_operation_offline(page: Page, server: Server) -> None:
    refused = cut_network(page, server)
    page.goto(f"{server.url}/redoc")
    paths = server.get("/openapi.json")["paths"]
    expected = {op["operationId"] for item in paths.values() for m, op in item.items() if m in METHODS}
    sections = page.locator("[data-section-id*='operation/']")
    expect(sections.nth(len(expected) - 1)).to_be_attached(timeout=TIMEOUT_MS)
    shown = set(
        page.evaluate(
            """() => [...document.querySelectorAll("[data-section-id*='operation/']")].map(
                s => s.getAttribute('data-section-id').split('operation/').pop())"""
        )
    )
    assert shown == expected, (sorted(expected - shown), sorted(shown - expected))
    shot(page, "docs-redoc-offline")
    assert refused == [], f"/redoc tried to reach other hosts: {refused}"


# what a browser would fetch from a content network if a bundle's own code asked for it
OUTSIDE = re.compile(r"https?://(?:cdn\.|unpkg\.com|cdnjs\.|fonts\.googleapis|fonts\.gstatic|cdn\.jsdelivr)[^\"' )]*")


def test_served_bundles_name_no_content_network(server: Server) -> None:
    """The bundles as the API serves them, not only the pages: a URL left in one is a request
    waiting for the code path that makes it (ReDoc's credit logo was one, stripped at build time)."""
    for name in NEEDED:
        if not name.endswith((".js", ".css")):
            continue
        with urllib.request.urlopen(f"{server.url}{ASSETS}/{name}", timeout=30) as resp:
            text = resp.read().decode("utf-8", "replace")
        assert len(text) > 10_000, name  # the real bundle, not a stand-in
        assert OUTSIDE.findall(text) == [], name
