"""Dates from what people type, relative to the user's own today: due dates ahead, contact days behind. No
database, no Slack."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from domain.dates import (
    a_year_before,
    contact_time,
    local_today,
    parse_due_date,
    parse_past_date,
    split_dated_note,
    zone,
)
from domain.errors import DateTooFar, DateTooOld, FutureDate, InvalidDate, PastDate

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


# The day a contact happened ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("today", SUNDAY),
        ("Yesterday", date(2026, 11, 21)),
        ("friday", date(2026, 11, 20)),
        ("Fri", date(2026, 11, 20)),
        ("on friday", date(2026, 11, 20)),
        ("last friday", date(2026, 11, 20)),
        ("monday", date(2026, 11, 16)),
        # Saying the weekday it is today means today; "last" makes it the week before.
        ("sunday", SUNDAY),
        ("last sunday", date(2026, 11, 15)),
        ("2026-11-20", date(2026, 11, 20)),
        ("2026-11-22", SUNDAY),
        ("20 Nov", date(2026, 11, 20)),
        ("Nov 20", date(2026, 11, 20)),
        ("nov 20th", date(2026, 11, 20)),
        ("Fri 20 Nov", date(2026, 11, 20)),
        ("3 days ago", date(2026, 11, 19)),
        ("a week ago", date(2026, 11, 15)),
        ("1 month ago", date(2026, 10, 22)),
        ("last night", date(2026, 11, 21)),
        # Without a year, the latest such day: earlier this year, or last year...
        ("1 Jan", date(2026, 1, 1)),
        ("25 Dec", date(2025, 12, 25)),
        # ...back to the same date a year ago, and no further.
        ("2025-11-22", date(2025, 11, 22)),
        ("1 year ago", date(2025, 11, 22)),
        ("22 nov 2025", date(2025, 11, 22)),
    ],
)
def test_contact_days_we_understand(text: str, day: date) -> None:
    assert parse_past_date(text, today=SUNDAY) == day


@pytest.mark.parametrize(
    ("text", "day"),
    [("friday", FRIDAY), ("fri", FRIDAY), ("last friday", date(2026, 11, 20)), ("thursday", date(2026, 11, 26)),
     ("saturday", date(2026, 11, 21)), ("last saturday", date(2026, 11, 21)), ("yesterday", date(2026, 11, 26))],
)  # fmt: skip
def test_contact_days_on_a_friday(text: str, day: date) -> None:
    assert parse_past_date(text, today=FRIDAY) == day


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("tomorrow", date(2026, 11, 23)),
        ("2026-11-23", date(2026, 11, 23)),
        ("in 3 days", date(2026, 11, 25)),
        # A day and month a few days ahead is a slip to report, not the same day last year.
        ("25 Nov", date(2026, 11, 25)),
        ("1 dec", date(2026, 12, 1)),
        ("12/11", date(2026, 12, 11)),  # dateparser reads month first, as for due dates
    ],
)
def test_future_contact_days_are_refused(text: str, when: date) -> None:
    with pytest.raises(FutureDate) as caught:
        parse_past_date(text, today=SUNDAY)
    assert (caught.value.when, caught.value.today) == (when, SUNDAY)


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("2025-11-21", date(2025, 11, 21)),
        ("366 days ago", date(2025, 11, 21)),
        ("20 nov 2024", date(2024, 11, 20)),
        ("2 years ago", date(2024, 11, 22)),
        ("29 Feb", date(2024, 2, 29)),  # the latest 29 February
    ],
)
def test_contact_days_more_than_a_year_back_are_refused(text: str, when: date) -> None:
    with pytest.raises(DateTooOld) as caught:
        parse_past_date(text, today=SUNDAY)
    assert (caught.value.when, caught.value.earliest) == (when, date(2025, 11, 22))


@pytest.mark.parametrize(
    ("today", "earliest"),
    [
        (SUNDAY, date(2025, 11, 22)),  # 365 days
        (date(2028, 3, 1), date(2027, 3, 1)),  # 366 days: 29 Feb 2028 lies between
        (date(2028, 2, 29), date(2027, 2, 28)),  # a year before a 29 February
        (date(2029, 2, 28), date(2028, 2, 28)),
    ],
)
def test_a_year_back_is_the_same_date_last_year(today: date, earliest: date) -> None:
    assert a_year_before(today) == earliest
    assert parse_past_date(earliest.isoformat(), today=today) == earliest
    with pytest.raises(DateTooOld):
        parse_past_date(date.fromordinal(earliest.toordinal() - 1).isoformat(), today=today)


@pytest.mark.parametrize(
    "text",
    ["", "re", "Note", "call at 10", "10", "Q3", "2pm", "march", "Tuesday the 17th", "this friday", "next friday",
     "2026-02-30", "2026-13-01", "someday", "earlier", "a few days ago", "yesterday " + "x" * 60],
)  # fmt: skip
def test_what_is_no_contact_day(text: str) -> None:
    with pytest.raises(InvalidDate) as caught:
        parse_past_date(text, today=SUNDAY)
    assert caught.value.text == text


@pytest.mark.parametrize(
    ("text", "day", "note"),
    [
        ("yesterday: called about the invoice", date(2026, 11, 21), "called about the invoice"),
        ("friday: lunch", date(2026, 11, 20), "lunch"),
        ("2026-11-20: workshop", date(2026, 11, 20), "workshop"),
        ("20 Nov:   workshop, part 2: the demo", date(2026, 11, 20), "workshop, part 2: the demo"),
        ("Yesterday:\nfirst line\nsecond line", date(2026, 11, 21), "first line\nsecond line"),
        ("today: called", SUNDAY, "called"),
        ("yesterday:", date(2026, 11, 21), ""),  # the note is missing: the command says so
    ],
)
def test_a_note_about_an_earlier_day(text: str, day: date, note: str) -> None:
    assert split_dated_note(text, today=SUNDAY) == (day, note)


@pytest.mark.parametrize(
    "text",
    [
        "called about the invoice",
        "Re: invoice",
        "note: x",
        "call at 10:30: they agreed",
        "10:30 call",
        "yesterday 10:30: call",  # the first colon has no space after it
        "yesterday:called",
        "https://example.com/spec: the spec",
        "<https://example.com/spec|spec>: read it",
        "Update: yesterday: lunch",  # only the text before the first colon can be a date
        "PS: 20 Nov",
        "Next steps: send the quote",
        "Tuesday the 17th: the demo",
        "this friday: lunch",
        "a" * 61 + ": x",
        ": nothing before the colon",
        "2026-02-30: workshop",  # no such day: a note, shown as logged today
    ],
)
def test_a_note_that_does_not_start_with_a_day_is_kept_as_typed(text: str) -> None:
    assert split_dated_note(text, today=SUNDAY) == (SUNDAY, text)


def test_a_dated_note_for_a_day_we_refuse() -> None:
    with pytest.raises(FutureDate):
        split_dated_note("tomorrow: lunch", today=SUNDAY)
    with pytest.raises(DateTooOld):
        split_dated_note("2024-01-01: kickoff", today=SUNDAY)


PREFIXES = ["yesterday", "friday", "last friday", "2026-11-20", "20 Nov", "3 days ago", "today", "Re", "note",
            "call at 10", "10", "https", "tomorrow", "2024-01-01", "25 Nov", ""]  # fmt: skip
notes = st.tuples(
    st.sampled_from(PREFIXES) | st.text(max_size=12),
    st.sampled_from(["", ":", ": ", ":\n", ": \t", ":x", " 10:30", "://example.com/a:b"]),
    st.lists(st.sampled_from([*PREFIXES, ":", ": ", "10:30"]) | st.text(max_size=8), max_size=5).map(" ".join),
).map("".join)  # a prefix that may be a date, what follows it, and the rest of the note


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(notes)
@example("yesterday: called")
@example("10:30: call")
def test_a_note_is_either_kept_or_split_after_its_first_colon(text: str) -> None:
    try:
        day, note = split_dated_note(text, today=SUNDAY)
    except (FutureDate, DateTooOld) as refused:
        assert ":" in text and not (refused.when <= SUNDAY and refused.when >= a_year_before(SUNDAY))
        return
    if (day, note) != (SUNDAY, text):
        prefix, _, rest = text.partition(":")
        assert note == rest.strip() and (rest == "" or rest[0].isspace())
        assert day == parse_past_date(prefix, today=SUNDAY)
    assert a_year_before(SUNDAY) <= day <= SUNDAY


@pytest.mark.parametrize(
    ("now", "tz", "day", "at"),
    [
        # Today is now, wherever the user is.
        (datetime(2026, 11, 22, 20, 0, tzinfo=UTC), "Asia/Tokyo", date(2026, 11, 23), datetime(2026, 11, 22, 20, 0)),
        # An earlier day is noon there: Sunday noon in Tokyo (UTC+9) is 03:00 UTC.
        (datetime(2026, 11, 22, 20, 0, tzinfo=UTC), "Asia/Tokyo", date(2026, 11, 22), datetime(2026, 11, 22, 3, 0)),
        # Friday noon in Los Angeles (PST, UTC-8) is 20:00 UTC, while it is Saturday evening there.
        (datetime(2026, 11, 22, 5, 0, tzinfo=UTC), "America/Los_Angeles", date(2026, 11, 20),
         datetime(2026, 11, 20, 20, 0)),
        # The day summer time starts in Warsaw: noon exists (CEST, UTC+2).
        (datetime(2026, 11, 22, 9, 0, tzinfo=UTC), "Europe/Warsaw", date(2026, 3, 29), datetime(2026, 3, 29, 10, 0)),
        (datetime(2026, 11, 22, 9, 0, tzinfo=UTC), None, date(2026, 11, 21), datetime(2026, 11, 21, 12, 0)),
    ],
)  # fmt: skip
def test_contact_time(now: datetime, tz: str | None, day: date, at: datetime) -> None:
    stored = contact_time(day, now=now, tz=tz)
    assert stored == at.replace(tzinfo=UTC)
    assert stored.utcoffset() is not None and stored.astimezone(zone(tz)).date() == day
