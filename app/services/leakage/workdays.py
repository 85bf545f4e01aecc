"""Chinese working days, for the rules whose limits are counted in them (late reports, removals
sent on, shipments received).

The official calendar (holidays and the weekend days made workdays in exchange) comes from the
``chinese-calendar`` package, which knows only the years up to its release (1.11.0: 2004-2026)
and raises ``NotImplementedError`` beyond them: the State Council publishes each next year late
in the year. A leakage run must not fail on such dates, so they fall back to weekdays minus a
configured holiday list plus configured adjusted workdays, and every finding says which calendar
decided its deadline.

Cypher cannot call Python, so the rules get the calendar as data: ``ordinal_table`` is one
number per day from ``TABLE_START``: the count of working days up to and including that day,
plus 0.5 on a day off. With ``W`` that table, an event on day ``d`` with a limit of ``n``
working days is late on day ``r`` exactly when ``W[r] > floor(W[d]) + n`` (the n-th working
day after ``d`` has ``W = floor(W[d]) + n``, any later day has more, and the day off right after
it has the extra 0.5). Days are China Standard Time (UTC+8) calendar days.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache, lru_cache
from importlib.metadata import PackageNotFoundError, version

import chinese_calendar

from app.config import Settings

CST = timezone(timedelta(hours=8), "CST")
TABLE_START = date(2000, 1, 1)
EPOCH = date(1970, 1, 1)
# How far past the later of as_of and today the table reaches, so that recording times and
# deadlines just after as_of still have their entry.
TABLE_MARGIN_DAYS = 800


def _library_version() -> str:
    try:
        return version("chinese_calendar")
    except PackageNotFoundError:  # pragma: no cover - the package is a dependency
        return "unknown"


LIBRARY = f"chinese-calendar {_library_version()}"


@cache
def official_year(year: int) -> bool:
    """Whether chinese-calendar knows this year (it raises for the others)."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def cst_date(moment: datetime) -> date:
    """The calendar day in China of an aware datetime (reporters may send any offset)."""
    if moment.tzinfo is None:
        raise ValueError("a timezone-aware datetime is needed to find its day in China")
    return moment.astimezone(CST).date()


def epoch_day(day: date) -> int:
    """Days since 1970-01-01; the Cypher side computes the same from epochSeconds + 8 h."""
    return (day - EPOCH).days


@dataclass(frozen=True)
class WorkdayCalendar:
    """Official working days where known; weekdays plus configured exceptions elsewhere."""

    extra_holidays: frozenset[date] = field(default_factory=frozenset)
    extra_workdays: frozenset[date] = field(default_factory=frozenset)

    def is_official(self, day: date) -> bool:
        return official_year(day.year)

    def is_workday(self, day: date) -> bool:
        if self.is_official(day):
            return bool(chinese_calendar.is_workday(day))
        if day in self.extra_workdays:
            return True
        return day.weekday() < 5 and day not in self.extra_holidays

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself does not count): the deadline."""
        if n < 0:
            raise ValueError("n must be >= 0")
        if n == 0:
            return start
        # Fast path: in the day table the deadline is the first day whose count reaches
        # floor(W[start]) + n (a working day, so its entry is exactly that integer).
        _, table = _ordinal_table(self, _covering(start))
        i = (start - TABLE_START).days
        if 0 <= i < len(table):
            target = int(table[i]) + n
            j = bisect_left(table, target, lo=i + 1)
            if j < len(table):
                return TABLE_START + timedelta(days=j)
        day, left = start, n
        while left > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many working days after ``start`` ``end`` lies."""
        if end <= start:
            return 0
        _, table = _ordinal_table(self, _covering(end))
        i, j = (start - TABLE_START).days, (end - TABLE_START).days
        if i >= 0 and j < len(table):
            return int(table[j]) - int(table[i])
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count

    def source(self, start: date, end: date) -> str:
        """Which calendar decided the days from ``start`` to ``end``: 'official' or 'fallback'."""
        years = range(min(start, end).year, max(start, end).year + 1)
        return "official" if all(official_year(y) for y in years) else "fallback"

    def describe(self, source: str) -> str:
        """Words for a finding: where its working days came from."""
        if source == "official":
            return f"official Chinese calendar ({LIBRARY})"
        return (
            f"fallback: weekdays, minus {len(self.extra_holidays)} configured holidays, plus "
            f"{len(self.extra_workdays)} configured adjusted workdays ({LIBRARY} does not know these years)"
        )

    def ordinal_table(self, end: date) -> tuple[int, list[float]]:
        """(epoch day of TABLE_START, W) with W one entry per day from TABLE_START to ``end``."""
        return _ordinal_table(self, end)


@lru_cache(maxsize=16)
def _ordinal_table(calendar: WorkdayCalendar, end: date) -> tuple[int, list[float]]:
    table: list[float] = []
    count = 0
    day = TABLE_START
    while day <= end:
        if calendar.is_workday(day):
            count += 1
            table.append(float(count))
        else:
            table.append(count + 0.5)
        day += timedelta(days=1)
    return epoch_day(TABLE_START), table


def _covering(day: date) -> date:
    """A table end that covers ``day`` and well beyond, rounded so that the cache is reused."""
    latest = max(day, datetime.now(UTC).astimezone(CST).date())
    return date(latest.year, 12, 31) + timedelta(days=TABLE_MARGIN_DAYS)


def table_end(as_of: datetime) -> date:
    """Where a table for a run judged at ``as_of`` must reach; rounded up to cache per year."""
    return _covering(cst_date(as_of))


def make_calendar(holidays: Iterable[date] = (), workdays: Iterable[date] = ()) -> WorkdayCalendar:
    return WorkdayCalendar(frozenset(holidays), frozenset(workdays))


def calendar_for(settings: Settings) -> WorkdayCalendar:
    """The working-day calendar with the configured fallback holidays and adjusted workdays."""
    return make_calendar(settings.leakage_holidays, settings.leakage_workdays)


def deadline(calendar: WorkdayCalendar, occurred: datetime, limit_wd: int) -> date:
    """The last day (China time) an event's step or report is on time: for callers outside the rules."""
    return calendar.add_workdays(cst_date(occurred), limit_wd)
