"""Due dates from what people type: ISO dates and natural words, in the user's own time zone."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import DateTooFar, InvalidDate, PastDate

WEEKDAYS = {
    name: index
    for index, names in enumerate(
        [("mon", "monday"), ("tue", "tues", "tuesday"), ("wed", "wednesday"), ("thu", "thur", "thurs", "thursday"),
         ("fri", "friday"), ("sat", "saturday"), ("sun", "sunday")]
    )
    for name in names
}  # fmt: skip
ISO = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")  # ASCII digits only, as everywhere we read numbers
IN_N = re.compile(r"^(?:in\s+)?([0-9]{1,3})\s*(d|days?|w|weeks?)$")
MAX_AHEAD = timedelta(days=3 * 366)
DATE_TEXT_MAX = 60  # "the first Monday of December 2027" fits; longer text is no date, and dateparser is slow on it


def zone(name: str | None) -> ZoneInfo:
    """The named IANA zone, or UTC when Slack gave none or one we do not know."""
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_today(now: datetime, tz: str | None) -> date:
    """The calendar date at `now` in time zone `tz`."""
    return now.astimezone(zone(tz)).date()


def parse_due_date(text: str, *, today: date) -> date:
    """Parse a due date relative to `today` (the user's local date); past or unreadable dates raise."""
    words = " ".join(text.lower().split())
    due = _parse(words, today) if len(words) <= DATE_TEXT_MAX else None
    if due is None:
        raise InvalidDate(text)
    if due - today > MAX_AHEAD:
        raise DateTooFar(due)
    if due < today:
        raise PastDate(due)
    return due


def _parse(text: str, today: date) -> date | None:
    if ISO.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    simple = {"today": 0, "tod": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1}
    if text in simple:
        return today + timedelta(days=simple[text])
    if text in ("next week", "next monday"):
        return today + timedelta(days=7 - today.weekday())
    if text in ("end of week", "eow", "end of the week"):
        return today + timedelta(days=(4 - today.weekday()) % 7)
    if text == "next month":
        return (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    match = IN_N.match(text)
    if match:
        count = int(match.group(1))
        return today + timedelta(days=count * 7 if match.group(2).startswith("w") else count)
    words = text.removeprefix("this ").split()
    if len(words) == 1 and words[0] in WEEKDAYS:
        return _next_weekday(today, WEEKDAYS[words[0]])
    if len(words) == 2 and words[0] == "next" and words[1] in WEEKDAYS:
        # "next friday": the Friday of next week, not the coming one.
        monday = today + timedelta(days=7 - today.weekday())
        return monday + timedelta(days=WEEKDAYS[words[1]])
    return _dateparser(text, today)


def _next_weekday(today: date, weekday: int) -> date:
    """The first `weekday` after today (saying "friday" on a Friday means a week later)."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _dateparser(text: str, today: date) -> date | None:
    """Everything else ("20 Nov", "December 3rd", "in 10 days") via dateparser, preferring the future."""
    import dateparser  # imported lazily: it is slow to import and rarely needed

    try:
        parsed = dateparser.parse(
            text,
            languages=["en"],
            settings={
                "PREFER_DATES_FROM": "future",
                "RELATIVE_BASE": datetime(today.year, today.month, today.day, 12, 0),
                "PREFER_DAY_OF_MONTH": "first",
                "REQUIRE_PARTS": ["day", "month"],
                "RETURN_AS_TIMEZONE_AWARE": False,
            },
        )
    except Exception:  # dateparser fails in its own ways on odd text (overflows, bad days): all mean "not a date"
        return None
    if parsed is None:
        return None
    result = parsed.date()
    if not re.search(r"\b\d{4}\b", text) and result - today > timedelta(days=300):
        # "20 Nov" typed on 22 Nov means two days ago (a mistake to report), not next year.
        try:
            last_year = result.replace(year=result.year - 1)
        except ValueError:  # 29 Feb
            return result
        if today - last_year <= timedelta(days=90):
            return last_year
    return result
