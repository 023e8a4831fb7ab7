"""Working hours across time zones and DST changes, and working-day arithmetic."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from domain.hours import WorkingHours, days_text, parse_days, parse_hours

DEFAULT = WorkingHours()


@pytest.mark.parametrize(
    ("utc", "tz", "working"),
    [
        # Warsaw is UTC+1 in winter, UTC+2 in summer; DST ended Sun 25 Oct 2026.
        (datetime(2026, 10, 23, 7, 30, tzinfo=UTC), "Europe/Warsaw", True),  # Fri 09:30 CEST
        (datetime(2026, 10, 23, 6, 30, tzinfo=UTC), "Europe/Warsaw", False),  # Fri 08:30 CEST
        (datetime(2026, 10, 26, 7, 30, tzinfo=UTC), "Europe/Warsaw", False),  # Mon 08:30 CET: same UTC, not yet
        (datetime(2026, 10, 26, 8, 0, tzinfo=UTC), "Europe/Warsaw", True),  # Mon 09:00 CET
        (datetime(2026, 10, 26, 16, 0, tzinfo=UTC), "Europe/Warsaw", False),  # Mon 17:00 CET: closed
        # Los Angeles: DST ends Sun 1 Nov 2026 (UTC-7 → UTC-8).
        (datetime(2026, 10, 30, 16, 0, tzinfo=UTC), "America/Los_Angeles", True),  # Fri 09:00 PDT
        (datetime(2026, 11, 2, 16, 0, tzinfo=UTC), "America/Los_Angeles", False),  # Mon 08:00 PST
        (datetime(2026, 11, 2, 17, 0, tzinfo=UTC), "America/Los_Angeles", True),  # Mon 09:00 PST
        # Tokyo has no DST; Monday morning there is still Sunday in UTC.
        (datetime(2026, 11, 22, 23, 30, tzinfo=UTC), "Asia/Tokyo", False),  # Mon 08:30 JST
        (datetime(2026, 11, 23, 0, 30, tzinfo=UTC), "Asia/Tokyo", True),  # Mon 09:30 JST
        (datetime(2026, 11, 21, 1, 0, tzinfo=UTC), "Asia/Tokyo", False),  # Sat 10:00 JST
        (datetime(2026, 11, 23, 9, 0, tzinfo=UTC), None, True),  # no time zone known: UTC
    ],
)
def test_working_time_in_the_recipients_zone(utc: datetime, tz: str | None, working: bool) -> None:
    assert DEFAULT.is_working(utc, tz) is working


def test_custom_days_and_hours() -> None:
    hours = WorkingHours(time(8, 0), time(16, 0), parse_days("sun-thu"))
    assert hours.is_working(datetime(2026, 11, 22, 8, 0, tzinfo=UTC), "UTC")  # Sunday
    assert not hours.is_working(datetime(2026, 11, 27, 9, 0, tzinfo=UTC), "UTC")  # Friday
    assert not hours.is_working(datetime(2026, 11, 23, 16, 0, tzinfo=UTC), "UTC")


def test_working_day_arithmetic() -> None:
    friday = date(2026, 11, 20)
    assert DEFAULT.add_working_days(friday, 1) == date(2026, 11, 23)
    assert DEFAULT.add_working_days(friday, 3) == date(2026, 11, 25)
    assert DEFAULT.previous_working_day(date(2026, 11, 23)) == friday
    assert DEFAULT.working_days_between(friday, date(2026, 11, 24)) == 2
    assert DEFAULT.working_days_between(friday, friday) == 0


@pytest.mark.parametrize(
    ("text", "days"),
    [("mon-fri", {0, 1, 2, 3, 4}), ("sun-thu", {6, 0, 1, 2, 3}), ("mon,wed,friday", {0, 2, 4}), ("Tues", {1})],
)
def test_parse_days(text: str, days: set[int]) -> None:
    assert parse_days(text) == frozenset(days)


@pytest.mark.parametrize("text", ["", "mo", "funday", "mon-", "mon--fri"])
def test_bad_days(text: str) -> None:
    with pytest.raises(ValueError):
        parse_days(text)


def test_parse_hours() -> None:
    assert parse_hours("08:00-16:30") == (time(8, 0), time(16, 30))
    assert parse_hours(" 9:00 - 17:00 ") == (time(9, 0), time(17, 0))
    for bad in ("17:00-09:00", "25:00-26:00", "9-17", "09:00-09:00", "10:61-11:00"):
        with pytest.raises(ValueError):
            parse_hours(bad)


def test_days_text() -> None:
    assert days_text(parse_days("mon-fri")) == "mon-fri"
    assert days_text(parse_days("mon,wed")) == "mon,wed"
