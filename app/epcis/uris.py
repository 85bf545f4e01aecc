"""The identifier URIs an EPCIS document may use for batteries, vehicles, companies and stations.

EPCIS carries every identifier as a URI. GB/T 34014 battery codes, VINs and unified social
credit codes have no GS1 form, so they travel in URN namespaces of ours (plus one web URI for
batteries, for partners whose systems only emit https identifiers). Each parser either returns
the bare identifier or raises :class:`UriError` with a sentence naming the accepted forms, so a
reporting company learns what to send instead of just "invalid".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Final

from app.identifiers import IdentifierError, parse_battery_code, parse_uscc, parse_vin

__all__ = [
    "BATTERY_URN_PREFIX",
    "BATTERY_WEB_PREFIX",
    "STATION_URN_PREFIX",
    "USCC_URN_PREFIX",
    "VIN_URN_PREFIX",
    "UriError",
    "accepting_battery_prefixes",
    "battery_code_from_epc",
    "is_station_uri",
    "is_uscc_uri",
    "parse_battery_uri",
    "parse_station_uri",
    "parse_uscc_uri",
    "parse_vin_uri",
]

BATTERY_URN_PREFIX: Final = "urn:gbt34014:battery:"
BATTERY_WEB_PREFIX: Final = "https://id.batterytrace.org/battery/"
VIN_URN_PREFIX: Final = "urn:vin:"
USCC_URN_PREFIX: Final = "urn:gbt32100:uscc:"
STATION_URN_PREFIX: Final = "urn:batterytrace:station:"
#: An eventID in this namespace names the native event it was exported from (GET /v1/epcis/events),
#: so that capturing an export keeps every event's id instead of hashing the URI.
EVENT_URN_PREFIX: Final = "urn:batterytrace:event:"
_EVENT_ID: Final = re.compile(r"[A-Za-z0-9._:-]{1,64}")

BATTERY_FORMS: Final = (
    f"'{BATTERY_URN_PREFIX}<code>' or '{BATTERY_WEB_PREFIX}<code>' "
    "with a 24-character GB/T 34014 code (or the 19-character second-life form)"
)
VIN_FORMS: Final = f"'{VIN_URN_PREFIX}<17-character VIN>'"
USCC_FORMS: Final = f"'{USCC_URN_PREFIX}<18-character unified social credit code>'"
STATION_FORMS: Final = f"'{STATION_URN_PREFIX}<id>' (id: 1-64 of A-Z a-z 0-9 . _ : -)"

_STATION_ID: Final = re.compile(r"[A-Za-z0-9._:-]{1,64}")
# Path segment of an identifier: no separators, no whitespace, no query or fragment.
_SEGMENT: Final = re.compile(r"[^/?#\s]+")
# GS1 Digital Link: any host, a GTIN (AI 01) followed somewhere by a serial (AI 21).
_DIGITAL_LINK: Final = re.compile(r"https?://[^/]+(/.*)?/01/\d{8,14}(/.*)?/21/[^/?#]+", re.I)
_GS1_EPC_URN: Final = re.compile(r"urn:epc:(id|class|idpat):([a-z0-9]+):", re.I)

_NO_GS1_MAPPING: Final = (
    "it names a GTIN and a serial, and no registered mapping links GTINs to GB/T 34014 codes, "
    "so its serial cannot be taken as a battery code"
)


# The deployment's own battery web prefix (its Digital Link form, ``<DIGITAL_LINK_BASE>/battery/``),
# accepted beside the fixed forms while a capture runs (``accepting_battery_prefixes``).
_EXTRA_BATTERY_PREFIXES: ContextVar[tuple[str, ...]] = ContextVar("extra_battery_prefixes", default=())


@contextmanager
def accepting_battery_prefixes(prefixes: Sequence[str]) -> Iterator[None]:
    """Within the block, battery URIs may also start with one of ``prefixes`` (compared without case,
    as the scheme and host are): a label's Digital Link, sent back in an EPCIS document, names its battery."""
    token = _EXTRA_BATTERY_PREFIXES.set(tuple(p.lower() for p in prefixes if p))
    try:
        yield
    finally:
        _EXTRA_BATTERY_PREFIXES.reset(token)


class UriError(ValueError):
    """A URI is not one of the accepted forms for what it should identify; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def battery_code_from_epc(uri: str) -> str | None:
    """The battery code in ``uri``, or None when the URI is not an accepted battery form."""
    try:
        return parse_battery_uri(uri)
    except UriError:
        return None


def parse_battery_uri(uri: object) -> str:
    """The canonical battery code in an accepted battery URI, or UriError saying what to send."""
    text = _text(uri, "a battery URI", BATTERY_FORMS)
    for prefix in (BATTERY_URN_PREFIX, BATTERY_WEB_PREFIX, *_EXTRA_BATTERY_PREFIXES.get()):
        # The scheme, URN namespace and host are case-insensitive (RFC 3986, RFC 8141).
        if text[: len(prefix)].lower() == prefix:
            code = text[len(prefix) :]
            if not _SEGMENT.fullmatch(code):
                raise UriError(f"{text!r} has no battery code after {prefix!r}")
            try:
                return parse_battery_code(code).code
            except IdentifierError as err:
                raise UriError(
                    f"{code!r} in {text!r} is not a GB/T 34014 battery code: {err.field}: {err.reason}"
                ) from None
    lowered = text.lower()
    gs1 = _GS1_EPC_URN.match(text)
    if gs1 is not None:
        kind, scheme = gs1.group(1).lower(), gs1.group(2).lower()
        if kind == "id" and scheme == "sgtin":
            why = f"a GS1 SGTIN: {_NO_GS1_MAPPING}"
        elif kind == "id":
            why = f"a GS1 {scheme.upper()} identifier, not a battery code"
        else:
            why = f"a GS1 class-level identifier (urn:epc:{kind}:{scheme}), not one battery"
        raise UriError(f"{text!r} is {why}; send {BATTERY_FORMS}")
    if _DIGITAL_LINK.fullmatch(text) or lowered.startswith(("https://id.gs1.org/", "http://id.gs1.org/")):
        raise UriError(f"{text!r} is a GS1 Digital Link: {_NO_GS1_MAPPING}; send {BATTERY_FORMS}")
    raise UriError(f"{text!r} is not a battery identifier; send {BATTERY_FORMS}")


def parse_vin_uri(uri: object) -> str:
    """The VIN in ``urn:vin:<VIN>``, check digit verified, or UriError."""
    text = _text(uri, "a vehicle URI", VIN_FORMS)
    if text[: len(VIN_URN_PREFIX)].lower() != VIN_URN_PREFIX:
        raise UriError(f"{text!r} is not a vehicle identifier; send {VIN_FORMS}")
    vin = text[len(VIN_URN_PREFIX) :]
    try:
        return parse_vin(_segment(vin, text)).vin
    except IdentifierError as err:
        raise UriError(f"{vin!r} in {text!r} is not a valid VIN: {err.field}: {err.reason}") from None


def parse_uscc_uri(uri: object) -> str:
    """The company code in ``urn:gbt32100:uscc:<code>``, check character verified, or UriError."""
    text = _text(uri, "a company URI", USCC_FORMS)
    if text[: len(USCC_URN_PREFIX)].lower() != USCC_URN_PREFIX:
        raise UriError(f"{text!r} is not a company identifier; send {USCC_FORMS}")
    code = text[len(USCC_URN_PREFIX) :]
    try:
        return parse_uscc(_segment(code, text)).code
    except IdentifierError as err:
        raise UriError(
            f"{code!r} in {text!r} is not a unified social credit code (GB 32100): {err.field}: {err.reason}"
        ) from None


def is_uscc_uri(uri: object) -> bool:
    """True when ``uri`` is written in our company namespace (valid or not)."""
    return isinstance(uri, str) and uri[: len(USCC_URN_PREFIX)].lower() == USCC_URN_PREFIX


def is_vin_uri(uri: object) -> bool:
    """True when ``uri`` is written in the vehicle namespace (valid or not)."""
    return isinstance(uri, str) and uri[: len(VIN_URN_PREFIX)].lower() == VIN_URN_PREFIX


def is_station_uri(uri: object) -> bool:
    """True when ``uri`` is written in our station namespace (valid or not)."""
    return isinstance(uri, str) and uri[: len(STATION_URN_PREFIX)].lower() == STATION_URN_PREFIX


def parse_station_uri(uri: object) -> str:
    """The station id in ``urn:batterytrace:station:<id>``, or UriError."""
    text = _text(uri, "a station URI", STATION_FORMS)
    if not is_station_uri(text):
        raise UriError(f"{text!r} is not a swap-station identifier; send {STATION_FORMS}")
    station = text[len(STATION_URN_PREFIX) :]
    if not _STATION_ID.fullmatch(station):
        raise UriError(f"{station!r} in {text!r} is not a station id; send {STATION_FORMS}")
    return station


def native_event_id(uri: str) -> str | None:
    """The native event id an eventID in our event namespace carries; None for any other eventID."""
    if uri[: len(EVENT_URN_PREFIX)].lower() != EVENT_URN_PREFIX:
        return None
    rest = uri[len(EVENT_URN_PREFIX) :]
    return rest if _EVENT_ID.fullmatch(rest) else None


def _text(uri: object, what: str, forms: str) -> str:
    if not isinstance(uri, str) or not uri:
        raise UriError(f"expected {what} as a non-empty string, got {_show(uri)}; send {forms}")
    if uri != uri.strip():
        raise UriError(f"{uri!r} has leading or trailing whitespace; send {forms}")
    return uri


def _segment(value: str, uri: str) -> str:
    if not _SEGMENT.fullmatch(value):
        raise UriError(f"{uri!r} has no identifier after its prefix")
    return value


def _show(value: object) -> str:
    """A short rendering of a bad JSON value for a problem sentence."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
