"""Due dates from what people type, relative to the user's own today. No database, no Slack."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.dates import local_today, parse_due_date, zone
from domain.errors import DateTooFar, InvalidDate, PastDate

# Sunday 22 Nov 2026, the tests' "today".
SUNDAY = date(2026, 11, 22)
FRIDAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("today", SUNDAY),
        ("tomorrow", date(2026, 11, 23)),
        ("tmrw", date(2026, 11, 23)),
        ("TOMORROW", date(2026, 11, 23)),
        ("  Tomorrow  ", date(2026, 11, 23)),
        ("friday", FRIDAY),
        ("Fri", FRIDAY),
        ("this friday", FRIDAY),
        ("monday", date(2026, 11, 23)),
        ("tues", date(2026, 11, 24)),
        ("thurs", date(2026, 11, 26)),
        ("saturday", date(2026, 11, 28)),
        # Saying the weekday it is today means the same day next week.
        ("sunday", date(2026, 11, 29)),
        ("next week", date(2026, 11, 23)),
        ("next   week", date(2026, 11, 23)),
        ("next tuesday", date(2026, 11, 24)),
        ("end of week", FRIDAY),
        ("eow", FRIDAY),
        ("next month", date(2026, 12, 1)),
        ("in 3 days", date(2026, 11, 25)),
        ("in 1 day", date(2026, 11, 23)),
        ("in 0 days", SUNDAY),
        ("3d", date(2026, 11, 25)),
        ("2w", date(2026, 12, 6)),
        ("in 2 weeks", date(2026, 12, 6)),
        ("3 weeks", date(2026, 12, 13)),
        ("2026-11-22", SUNDAY),
        ("2026-12-01", date(2026, 12, 1)),
        ("2027-03-15", date(2027, 3, 15)),
        ("20 Dec", date(2026, 12, 20)),
        ("December 3rd", date(2026, 12, 3)),
        ("Nov 25", date(2026, 11, 25)),
        ("25 Nov 2026", date(2026, 11, 25)),
        # Without a year, a day already gone this year means next year...
        ("1 Jan", date(2027, 1, 1)),
        ("15 Jun", date(2027, 6, 15)),
        ("dec 1 2027", date(2027, 12, 1)),
    ],
)
def test_dates_we_understand(text: str, due: date) -> None:
    assert parse_due_date(text, today=SUNDAY) == due


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("friday", date(2026, 12, 4)),
        ("eow", FRIDAY),
        ("today", FRIDAY),
        ("next week", date(2026, 11, 30)),
        ("next friday", date(2026, 12, 4)),
        ("tomorrow", date(2026, 11, 28)),
    ],
)
def test_on_a_friday(text: str, due: date) -> None:
    assert parse_due_date(text, today=FRIDAY) == due


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2026, 12, 31), date(2027, 1, 1)),
        (date(2027, 1, 31), date(2027, 2, 1)),
        (date(2027, 2, 1), date(2027, 3, 1)),
    ],
)
def test_next_month_is_the_first_of_next_month(today: date, due: date) -> None:
    assert parse_due_date("next month", today=today) == due


def test_a_day_without_a_year_across_new_year() -> None:
    assert parse_due_date("2 Jan", today=date(2026, 12, 30)) == date(2027, 1, 2)
    assert parse_due_date("tomorrow", today=date(2026, 12, 31)) == date(2027, 1, 1)


def test_29_february_without_a_year_is_the_next_one_that_exists() -> None:
    assert parse_due_date("29 Feb", today=date(2027, 11, 22)) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("2026-11-21", date(2026, 11, 21)),
        ("2025-12-01", date(2025, 12, 1)),
        ("yesterday", date(2026, 11, 21)),
        # ...but a day a little while ago is a mistake to report, not a date next year.
        ("20 Nov", date(2026, 11, 20)),
        ("1 Oct", date(2026, 10, 1)),
        ("1 dec 2025", date(2025, 12, 1)),
    ],
)
def test_past_dates_are_rejected(text: str, when: date) -> None:
    with pytest.raises(PastDate) as caught:
        parse_due_date(text, today=SUNDAY)
    assert caught.value.when == when


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "someday",
        "asap",
        "soon-ish",
        "2026-02-30",
        "2026-13-01",
        "2026-00-10",
        "2027-02-29",
        "friday 27",
        "last friday",
        "next",
        "by friday",
        "in a while",
    ],
)
def test_nonsense_is_rejected(text: str) -> None:
    with pytest.raises(InvalidDate) as caught:
        parse_due_date(text, today=SUNDAY)
    assert caught.value.text == text


def test_dates_too_far_ahead_are_rejected() -> None:
    with pytest.raises(DateTooFar):
        parse_due_date("2030-01-01", today=SUNDAY)
    with pytest.raises(DateTooFar):
        parse_due_date("2099-12-31", today=SUNDAY)
    assert parse_due_date("2029-11-01", today=SUNDAY) == date(2029, 11, 1)


@pytest.mark.parametrize(
    ("now", "tz", "today"),
    [
        # 12:00 UTC on Sunday is already 01:00 on Monday in Auckland (NZDT, UTC+13).
        (datetime(2026, 11, 22, 12, 0, tzinfo=UTC), "Pacific/Auckland", date(2026, 11, 23)),
        # 05:00 UTC on Sunday is still 21:00 on Saturday in Los Angeles (PST, UTC-8).
        (datetime(2026, 11, 22, 5, 0, tzinfo=UTC), "America/Los_Angeles", date(2026, 11, 21)),
        (datetime(2026, 11, 22, 23, 30, tzinfo=UTC), "Europe/Warsaw", date(2026, 11, 23)),
        (datetime(2026, 11, 22, 23, 30, tzinfo=UTC), "UTC", date(2026, 11, 22)),
        # Slack gave no zone, or one we do not know: UTC.
        (datetime(2026, 11, 22, 23, 30, tzinfo=UTC), None, date(2026, 11, 22)),
        (datetime(2026, 11, 22, 23, 30, tzinfo=UTC), "", date(2026, 11, 22)),
        (datetime(2026, 11, 22, 23, 30, tzinfo=UTC), "Mars/Olympus_Mons", date(2026, 11, 22)),
        (datetime(2026, 11, 22, 23, 30, tzinfo=UTC), "../../etc/passwd", date(2026, 11, 22)),
    ],
)
def test_local_today(now: datetime, tz: str | None, today: date) -> None:
    assert local_today(now, tz) == today


def test_zone_falls_back_to_utc() -> None:
    assert zone("Pacific/Auckland").key == "Pacific/Auckland"
    assert zone(None).key == "UTC"
    assert zone("Not/AZone").key == "UTC"


def test_tomorrow_depends_on_where_the_user_is() -> None:
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    assert parse_due_date("tomorrow", today=local_today(now, "Pacific/Auckland")) == date(2026, 11, 24)
    assert parse_due_date("tomorrow", today=local_today(now, "UTC")) == date(2026, 11, 23)
    with pytest.raises(PastDate):
        parse_due_date("2026-11-22", today=local_today(now, "Pacific/Auckland"))
