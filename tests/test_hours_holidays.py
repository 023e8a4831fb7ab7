"""Public holidays in the working-day and working-time arithmetic (domain.hours with domain.holidays)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.holidays import Holidays, InvalidHolidays, holidays_or_raise, parse_holidays, stored_holidays
from domain.hours import WorkingHours, add_working_days_at, add_working_time, working_minutes_between, working_start

PLAIN = WorkingHours()
POLAND = WorkingHours(holidays=Holidays("PL"))
TUESDAY, INDEPENDENCE_DAY, THURSDAY = date(2026, 11, 10), date(2026, 11, 11), date(2026, 11, 12)  # Wed 11 Nov


def warsaw(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of November 2026 given as Warsaw wall-clock time (UTC+1 then)."""
    return datetime(2026, 11, day, hour - 1, minute, tzinfo=UTC)


def test_a_public_holiday_is_not_a_working_day() -> None:
    assert PLAIN.is_working_day(INDEPENDENCE_DAY)
    assert not POLAND.is_working_day(INDEPENDENCE_DAY)
    assert not POLAND.is_working(warsaw(11, 10), "Europe/Warsaw")
    assert POLAND.is_working(warsaw(12, 10), "Europe/Warsaw")
    assert not POLAND.is_working_day(date(2026, 12, 25))  # Christmas, a Friday
    assert POLAND.is_working_day(date(2026, 12, 28))


def test_working_days_skip_holidays() -> None:
    assert POLAND.add_working_days(TUESDAY, 1) == THURSDAY
    assert PLAIN.add_working_days(TUESDAY, 1) == INDEPENDENCE_DAY
    assert POLAND.previous_working_day(THURSDAY) == TUESDAY  # a heads-up for Thursday comes on Tuesday
    assert POLAND.working_days_between(TUESDAY, THURSDAY) == 1  # "working days late"
    assert PLAIN.working_days_between(TUESDAY, THURSDAY) == 2
    assert POLAND.previous_working_day(date(2026, 12, 28)) == date(2026, 12, 23)  # 24-27 Dec: holidays, weekend


def test_working_time_spans_a_holiday() -> None:
    tz = "Europe/Warsaw"
    assert add_working_time(POLAND, warsaw(10, 15), 4 * 60, tz) == warsaw(12, 11)  # Tue 15:00 + 4h: Thu 11:00
    assert add_working_time(PLAIN, warsaw(10, 15), 4 * 60, tz) == warsaw(11, 11)
    assert add_working_days_at(POLAND, warsaw(10, 15), 1, tz) == warsaw(12, 15)  # a day: Thu, same time
    assert working_start(POLAND, warsaw(11, 10), tz) == warsaw(12, 9)
    assert working_minutes_between(POLAND, warsaw(10, 15), warsaw(12, 11), tz) == 4 * 60
    assert working_minutes_between(PLAIN, warsaw(10, 15), warsaw(12, 11), tz) == 12 * 60


def test_someone_s_own_holidays_replace_the_workspace_s() -> None:
    british = POLAND.with_holidays(Holidays("GB"))
    assert british.is_working_day(INDEPENDENCE_DAY)
    assert not british.is_working_day(date(2026, 12, 28))  # Boxing Day (a Saturday) observed on Monday
    assert POLAND.with_holidays(None) is POLAND


@pytest.mark.parametrize(
    ("text", "holidays"),
    [
        ("PL", Holidays("PL")),
        (" pl ", Holidays("PL")),
        ("us-ca", Holidays("US", "CA")),
        ("DE-BY", Holidays("DE", "BY")),
    ],
)
def test_codes(text: str, holidays: Holidays) -> None:
    assert parse_holidays(text) == holidays
    assert stored_holidays(holidays.code) == holidays


def test_a_subdivision_has_its_own_holidays() -> None:
    epiphany = date(2027, 1, 6)
    assert epiphany in Holidays("DE", "BY")  # Bavaria
    assert epiphany not in Holidays("DE")


@pytest.mark.parametrize("text", ["XX", "Poland", "US-ZZ", "PL BY", "", "P", "US-", "ПЛ"])
def test_unknown_codes(text: str) -> None:
    with pytest.raises(ValueError):
        parse_holidays(text)
    with pytest.raises(InvalidHolidays):
        holidays_or_raise(text)


def test_a_stored_code_no_longer_known_counts_no_holidays() -> None:
    gone = stored_holidays("XX")
    assert gone == Holidays("XX")
    assert date(2026, 12, 25) not in gone
    assert WorkingHours(holidays=gone).is_working_day(date(2026, 12, 25))
    assert stored_holidays(None) is None
