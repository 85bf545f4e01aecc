"""Where a battery's Digital Link URI leads: content negotiation and GS1 link types, from the code alone.

The resolver is public (anyone may scan a label), so its answer depends on nothing but the code,
the requested link type and the Accept header: a known and an unknown battery are redirected
alike, and what lies behind the redirect (the passport, the trace, the EPCIS history) asks for a
key as always. People (browsers ask for text/html) go to the UI's battery page; JSON clients, and
any request naming a machine-readable link type as GS1 resolvers do, go to the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from app.services.passport import DIGITAL_LINK_PATH

LinkKind = Literal["page", "passport", "trace", "epcis"]

#: GS1 Web Vocabulary link types this resolver answers, and what each leads to. gs1:pip and
#: gs1:defaultLink are the page a person reads; gs1:dpp is not in the GS1 vocabulary but is what
#: several passport resolvers name the passport, so it is taken too.
LINK_TYPES: Final[dict[str, LinkKind]] = {
    "gs1:pip": "page",
    "gs1:defaultLink": "page",
    "gs1:defaultLinkMulti": "page",
    "gs1:masterData": "passport",
    "gs1:sustainabilityInfo": "passport",
    "gs1:recyclingInfo": "passport",
    "gs1:dpp": "passport",
    "gs1:traceability": "trace",
    "gs1:epcis": "epcis",
}
_VOCABULARY_IRIS: Final = ("https://ref.gs1.org/voc/", "https://gs1.org/voc/", "https://www.gs1.org/voc/")
_JSON: Final = ("application/json", "application/ld+json")
_HTML: Final = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class Target:
    kind: LinkKind
    location: str


def location(code: str, kind: LinkKind) -> str:
    """The path on this API (and its UI) that a link of ``kind`` names."""
    if kind == "page":
        return f"/ui/#{DIGITAL_LINK_PATH}{code}"
    if kind == "passport":
        return f"/v1/batteries/{code}/passport"
    return f"/v1/batteries/{code}/{kind}"


def resolve(code: str, link_type: str | None, accept: str | None) -> Target:
    """The redirect for one request: an answered link type wins; otherwise JSON clients get the
    passport and everyone else the page (an unknown link type falls back the same way, as a GS1
    resolver falls back to its default link)."""
    kind = LINK_TYPES.get(_short(link_type)) if link_type else None
    if kind is None:
        kind = "passport" if _prefers_json(accept) else "page"
    return Target(kind, location(code, kind))


def headers(code: str) -> dict[str, str]:
    """The same for every request of a code: the other links on offer, and that the answer varies by Accept."""
    links = [
        f'<{location(code, "page")}>; rel="https://ref.gs1.org/voc/pip"; type="text/html"',
        f'<{location(code, "passport")}>; rel="https://ref.gs1.org/voc/masterData"; type="application/json"',
        f'<{location(code, "trace")}>; rel="https://ref.gs1.org/voc/traceability"; type="application/json"',
        f'<{location(code, "epcis")}>; rel="https://ref.gs1.org/voc/epcis"; type="application/ld+json"',
    ]
    return {"Vary": "Accept", "Link": ", ".join(links)}


def _short(link_type: str) -> str:
    for iri in _VOCABULARY_IRIS:
        if link_type.startswith(iri):
            return "gs1:" + link_type[len(iri) :]
    return link_type


def _prefers_json(accept: str | None) -> bool:
    """True when the Accept header weighs a JSON type above HTML (``*/*`` counts for neither)."""
    best_json = best_html = 0.0
    for part in (accept or "").split(","):
        media, *params = (p.strip() for p in part.split(";"))
        media = media.lower()
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media in _JSON or (media.startswith("application/") and media.endswith("+json")):
            best_json = max(best_json, q)
        elif media in _HTML:
            best_html = max(best_html, q)
    return best_json > best_html
