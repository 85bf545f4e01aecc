"""RFC 3339 times and how values are shown in problem sentences.

Shared by every part of the EPCIS mapping, so one wording describes a wrong value everywhere.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Final

__all__ = ["kind_of", "parse_time", "show", "tz_offset"]

_RFC3339: Final = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})")


def parse_time(value: object) -> datetime:
    """An RFC 3339 date-time with an offset; ValueError with a sentence otherwise."""
    if value is None:
        raise ValueError("missing: expected an RFC 3339 time such as 2025-06-01T08:30:00+08:00")
    match = _RFC3339.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(
            f"expected an RFC 3339 time with an offset such as 2025-06-01T08:30:00+08:00, got {show(value)}"
        )
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        tz = UTC if offset in ("Z", "z") else tz_offset(offset)
        return datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            int((fraction or "0")[:6].ljust(6, "0")),
            tzinfo=tz,
        )
    except ValueError:
        raise ValueError(f"{value!r} is not a real date and time") from None


def tz_offset(text: str) -> timezone:
    """A ``±hh:mm`` offset already matched by a pattern; minutes above 59 are refused here."""
    sign = -1 if text[0] == "-" else 1
    hours, minutes = int(text[1:3]), int(text[4:6])
    if minutes > 59:
        raise ValueError("offset minutes above 59")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def kind_of(value: object) -> str:
    """The JSON kind of a value, as a sender would name it (``an object``, ``a list``...)."""
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    if isinstance(value, int | float):
        return "a number"
    return type(value).__name__


def show(value: object) -> str:
    """A value quoted in a problem sentence, cut short so one bad field cannot flood the answer."""
    text = "nothing" if value is None else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
