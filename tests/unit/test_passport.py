"""The passport's pure parts: the status mapping, the resolver's choices, QR images, the schema file."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from app.epcis.uris import UriError, accepting_battery_prefixes, parse_battery_uri
from app.schemas.passport import passport_json_schema
from app.services.passport import battery_pass_status, digital_link
from app.services.qr import qr_image
from app.services.resolver import resolve
from tests.factories import pack

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"


def test_the_checked_in_schema_is_the_models_schema() -> None:
    checked_in = (ROOT / "docs" / "passport.schema.json").read_text(encoding="utf-8")
    assert checked_in == passport_json_schema(), (
        'docs/passport.schema.json is stale: regenerate it with .venv/bin/python -c "from app.schemas.passport '
        "import passport_json_schema as s; open('docs/passport.schema.json', 'w').write(s())\""
    )


@pytest.mark.parametrize(
    ("platform", "recycled", "repurposed", "expected"),
    [
        ("in_stock", False, False, "original"),
        ("in_transit", False, False, "original"),
        ("installed", False, False, "original"),
        ("removed", False, False, "original"),
        ("in_swap_pool", False, False, "original"),
        ("assembled", False, False, "original"),
        ("repurposed", False, True, "repurposed"),
        ("in_stock", False, True, "repurposed"),  # shipped on after its hand-over to a second life
        ("recycled", True, False, "waste"),
        ("recycled", True, True, "waste"),
        ("unknown", False, False, None),
    ],
)
def test_platform_statuses_map_onto_the_battery_pass_model(
    platform: str, recycled: bool, repurposed: bool, expected: str | None
) -> None:
    assert battery_pass_status(platform, recycled=recycled, repurposed=repurposed) == expected


def test_the_digital_link_is_the_base_and_the_battery_path() -> None:
    assert digital_link("https://id.example.org/dl/", pack(1)) == f"https://id.example.org/dl/battery/{pack(1)}"


@pytest.mark.parametrize(
    ("link_type", "accept", "location"),
    [
        (None, None, "/ui/#/battery/{c}"),
        (None, "*/*", "/ui/#/battery/{c}"),
        (None, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "/ui/#/battery/{c}"),
        (None, "application/json", "/v1/batteries/{c}/passport"),
        (None, "application/ld+json", "/v1/batteries/{c}/passport"),
        (None, "text/html;q=0.5, application/json", "/v1/batteries/{c}/passport"),
        (None, "application/json;q=0.2, text/html", "/ui/#/battery/{c}"),
        ("gs1:masterData", "text/html", "/v1/batteries/{c}/passport"),
        ("gs1:dpp", None, "/v1/batteries/{c}/passport"),
        ("gs1:pip", "application/json", "/ui/#/battery/{c}"),
        ("gs1:traceability", None, "/v1/batteries/{c}/trace"),
        ("https://ref.gs1.org/voc/epcis", None, "/v1/batteries/{c}/epcis"),
        ("gs1:nothingLikeThis", "application/json", "/v1/batteries/{c}/passport"),  # unknown: as if not asked
    ],
)
def test_the_resolver_negotiates_the_target(link_type: str | None, accept: str | None, location: str) -> None:
    code = pack(1)
    assert resolve(code, link_type, accept).location == location.format(c=code)


def test_capture_takes_the_deployments_digital_link_only_while_asked() -> None:
    link = digital_link("https://id.example.org", pack(1))
    with pytest.raises(UriError):
        parse_battery_uri(link)
    with accepting_battery_prefixes(["https://id.example.org/battery/"]):
        assert parse_battery_uri(link) == pack(1)
        assert parse_battery_uri(link.replace("https://id.example.org", "HTTPS://ID.EXAMPLE.ORG")) == pack(1)
        with pytest.raises(UriError, match="not a GB/T 34014 battery code"):
            parse_battery_uri("https://id.example.org/battery/NOT-A-CODE")
    with pytest.raises(UriError):
        parse_battery_uri(link)


def svg_modules(svg: bytes) -> set[tuple[int, int]]:
    """The dark modules an SVG QR draws: its path's horizontal strokes, in module units."""
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    paths = root.findall(f"{SVG}path")
    assert len(paths) == 1
    dark: set[tuple[int, int]] = set()
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:\s(-?[\d.]+))?", paths[0].attrib["d"]):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            dark.update((int(x) + i, int(y)) for i in range(int(float(a))))
            x += float(a)
    return dark


def raster(dark: set[tuple[int, int]], size: int, scale: int = 8) -> Image.Image:
    img = Image.new("L", (size * scale, size * scale), 255)
    for mx, my in dark:
        img.paste(0, (mx * scale, my * scale, (mx + 1) * scale, (my + 1) * scale))
    return img


def test_png_and_svg_encode_exactly_the_link() -> None:
    link = digital_link("http://127.0.0.1:8000", pack(3))
    png = Image.open(io.BytesIO(qr_image(link, "png")))
    assert [r.text for r in zxingcpp.read_barcodes(png)] == [link]
    svg = qr_image(link, "svg")
    root = ET.fromstring(svg)
    size = int(root.attrib["width"]) // 8
    dark = svg_modules(svg)
    # The SVG's modules, drawn again as pixels, decode to the same link, and are the PNG's modules.
    assert [r.text for r in zxingcpp.read_barcodes(raster(dark, size))] == [link]
    grey = png.convert("L")
    png_dark = {(x, y) for x in range(size) for y in range(size) if grey.getpixel((x * 8 + 4, y * 8 + 4)) < 128}
    assert png_dark == dark
