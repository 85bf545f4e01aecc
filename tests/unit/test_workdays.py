"""Chinese working days: the official calendar where known, the configured fallback beyond it,
and the day table the Cypher rules use agreeing with plain deadline arithmetic."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from app.services.leakage.workdays import (
    CST,
    TABLE_START,
    WorkdayCalendar,
    cst_date,
    epoch_day,
    make_calendar,
    official_year,
)

OFFICIAL = make_calendar()


def naive_deadline(cal: WorkdayCalendar, start: date, n: int) -> date:
    """Day by day, the definition itself: the reference the fast paths are checked against."""
    day = start
    while n > 0:
        day += timedelta(days=1)
        n -= cal.is_workday(day)
    return day


def late_by_table(table: list[float], start: int, occurred: date, recorded: date, n: int) -> bool:
    """The test the Cypher rules run: W[recorded] > floor(W[occurred]) + n."""
    w0 = table[epoch_day(occurred) - start]
    w1 = table[epoch_day(recorded) - start]
    return w1 > int(w0) + n


def test_official_holidays_and_adjusted_workdays() -> None:
    assert not OFFICIAL.is_workday(date(2024, 10, 1))  # National Day
    assert not OFFICIAL.is_workday(date(2024, 10, 7))  # a Monday off
    assert OFFICIAL.is_workday(date(2024, 9, 29))  # a Sunday worked in exchange
    assert OFFICIAL.is_workday(date(2024, 10, 12))  # a Saturday worked in exchange
    assert not OFFICIAL.is_workday(date(2026, 2, 16))  # Spring Festival 2026
    assert OFFICIAL.is_workday(date(2026, 2, 14))  # Saturday worked before it


def test_deadline_over_national_day_uses_the_official_calendar() -> None:
    # Friday 27 September 2024 + 15 working days: the Golden Week moves the deadline five
    # calendar days past the weekday count.
    assert OFFICIAL.add_workdays(date(2024, 9, 27), 15) == date(2024, 10, 23)
    # Counting weekdays only would have said 18 October.
    assert sum(1 for i in range(1, 22) if (date(2024, 9, 27) + timedelta(days=i)).weekday() < 5) == 15
    assert OFFICIAL.source(date(2024, 9, 27), date(2024, 10, 23)) == "official"
    assert OFFICIAL.workdays_between(date(2024, 9, 27), date(2024, 10, 23)) == 15
    assert OFFICIAL.workdays_between(date(2024, 9, 27), date(2024, 10, 24)) == 16


def test_years_beyond_the_library_fall_back_without_failing() -> None:
    assert official_year(2026)
    assert not official_year(2027)
    cal = make_calendar(holidays=[date(2027, 1, 1)], workdays=[date(2027, 1, 9)])
    assert not cal.is_workday(date(2027, 1, 1))  # configured holiday (a Friday)
    assert cal.is_workday(date(2027, 1, 4))  # plain Monday
    assert not cal.is_workday(date(2027, 1, 2))  # Saturday
    assert cal.is_workday(date(2027, 1, 9))  # configured adjusted workday (a Saturday)
    assert cal.add_workdays(date(2026, 12, 31), 2) == date(2027, 1, 5)
    assert cal.source(date(2026, 12, 31), date(2027, 1, 5)) == "fallback"
    assert cal.source(date(2026, 1, 2), date(2026, 2, 5)) == "official"
    assert "fallback" in cal.describe("fallback") and "1 configured holidays" in cal.describe("fallback")
    assert "official" in cal.describe("official")
    # Far beyond any known year (and beyond the cached day table): weekdays only, no exception.
    assert OFFICIAL.add_workdays(date(2031, 3, 6), 1) == date(2031, 3, 7)
    assert OFFICIAL.add_workdays(date(2099, 12, 31), 1) == date(2100, 1, 1)  # a Friday
    assert OFFICIAL.workdays_between(date(2099, 12, 31), date(2100, 1, 4)) == 2
    assert OFFICIAL.add_workdays(date(1999, 12, 31), 1) == date(2000, 1, 3)  # before the table


def test_configured_holidays_do_not_override_official_years() -> None:
    cal = make_calendar(holidays=[date(2024, 10, 8)])
    assert cal.is_workday(date(2024, 10, 8))


def test_table_agrees_with_deadline_arithmetic() -> None:
    """For random events and recording days, in official and fallback years, with holidays."""
    cal = make_calendar(holidays=[date(2027, 2, 8), date(2027, 2, 9)], workdays=[date(2027, 2, 6)])
    start, table = cal.ordinal_table(date(2028, 12, 31))
    assert start == epoch_day(TABLE_START)
    rng = random.Random(7)
    checked = 0
    for _ in range(3000):
        occurred = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 365 * 5))
        n = rng.choice([1, 2, 15, 30])
        recorded = occurred + timedelta(days=rng.randrange(0, 70))
        if recorded > date(2028, 12, 31):
            continue
        deadline = naive_deadline(cal, occurred, n)
        assert cal.add_workdays(occurred, n) == deadline, (occurred, n)
        assert late_by_table(table, start, occurred, recorded, n) == (recorded > deadline), (occurred, recorded, n)
        expected_between = sum(
            cal.is_workday(occurred + timedelta(days=k)) for k in range(1, (recorded - occurred).days + 1)
        )
        assert cal.workdays_between(occurred, recorded) == expected_between
        checked += 1
    assert checked > 2500


def test_table_at_the_deadline_and_the_day_off_after_it() -> None:
    start, table = OFFICIAL.ordinal_table(date(2025, 12, 31))
    occurred = date(2024, 9, 27)
    assert not late_by_table(table, start, occurred, date(2024, 10, 23), 15)
    assert late_by_table(table, start, occurred, date(2024, 10, 24), 15)
    # The n-th working day after a Friday falls on the next Friday; the Saturday after is late.
    assert not late_by_table(table, start, date(2024, 11, 1), date(2024, 11, 8), 5)
    assert late_by_table(table, start, date(2024, 11, 1), date(2024, 11, 9), 5)
    # An event on a day off counts from the next working day.
    assert OFFICIAL.add_workdays(date(2024, 10, 3), 1) == date(2024, 10, 8)
    assert not late_by_table(table, start, date(2024, 10, 3), date(2024, 10, 8), 1)
    assert late_by_table(table, start, date(2024, 10, 3), date(2024, 10, 9), 1)


def test_days_are_china_days() -> None:
    late_evening_utc = datetime(2024, 9, 30, 17, 0, tzinfo=UTC)
    assert cst_date(late_evening_utc) == date(2024, 10, 1)
    assert cst_date(datetime(2024, 10, 1, 0, 30, tzinfo=CST)) == date(2024, 10, 1)
    with pytest.raises(ValueError):
        cst_date(datetime(2024, 10, 1))
    with pytest.raises(ValueError):
        OFFICIAL.add_workdays(date(2024, 10, 1), -1)
