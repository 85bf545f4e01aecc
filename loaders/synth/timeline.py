"""Time as integer seconds in China Standard Time, formatted only when an event is written.

Generating millions of events with ``datetime`` objects costs more than everything else put
together; plain integers sort, add and compare for free, and the RFC 3339 text is built from a
per-day cache at the end.
"""

from __future__ import annotations

from datetime import date, timedelta
from random import Random

__all__ = ["DAY", "EPOCH", "RECORD_MARGIN_DAYS", "YEAR", "Clock"]

#: Day 0. Earlier than any production date (2015) minus module lead times.
EPOCH = date(2014, 1, 1)
DAY = 86_400
RECORD_MARGIN_DAYS = 400  # recorded_at may fall this long after as_of
YEAR = 365.25 * DAY

# "HH:MM:SS+08:00" for every second of a day (86,400 short strings, built once).
_CLOCK_TEXT = [f"{h:02d}:{m:02d}:{s:02d}+08:00" for h in range(24) for m in range(60) for s in range(60)]
_WORK_START = 8 * 3600  # company reports carry office hours: 08:00-19:59
_WORK_SPAN = 12 * 3600


class Clock:
    """Conversions between dates, day numbers and seconds, bounded by the world's as_of."""

    def __init__(self, as_of: date) -> None:
        self.as_of = as_of
        self.end_day = self.day_of(as_of)
        self.end = self.end_day * DAY  # events at or after this second are not written
        # Past as_of too: an event may be recorded (recorded_at) after the world's last day.
        days = max(0, self.end_day) + RECORD_MARGIN_DAYS
        self._day_text = [f"{EPOCH + timedelta(days=d)}T" for d in range(days)]

    @staticmethod
    def day_of(value: date) -> int:
        """Day number of a date (may be negative for licences older than the epoch)."""
        return (value - EPOCH).days

    @staticmethod
    def date_of(seconds: int) -> date:
        """Calendar date of a second, for the date fields inside battery codes and VINs."""
        return EPOCH + timedelta(days=seconds // DAY)

    def format(self, seconds: int) -> str:
        """RFC 3339 with the +08:00 offset; only valid before as_of, where events live."""
        day, rest = divmod(seconds, DAY)
        return self._day_text[day] + _CLOCK_TEXT[rest]

    def text_tables(self) -> tuple[list[str], list[str]]:
        """The per-day and per-second halves of ``format``, for writers formatting in bulk."""
        return self._day_text, _CLOCK_TEXT

    @staticmethod
    def office_time(rng: Random, day: int) -> int:
        """A second during office hours of ``day``."""
        return day * DAY + _WORK_START + int(rng.random() * _WORK_SPAN)

    @staticmethod
    def later(rng: Random, t: int, lo_days: int, hi_days: int) -> int:
        """Office time ``lo_days..hi_days`` after ``t``, strictly after ``t`` so chains order."""
        day = t // DAY + lo_days + int(rng.random() * (hi_days - lo_days + 1))
        nt = day * DAY + _WORK_START + int(rng.random() * _WORK_SPAN)
        if nt <= t:
            nt = t + 600 + int(rng.random() * 3000)
        return nt
