"""An iCalendar feed read into meetings: recurring events expanded, times in UTC, all-day events left out.

Each occurrence is named by its event's UID and its RECURRENCE-ID (the start it had in the series, in UTC; ''
for an event that is not part of a series), so a moved occurrence keeps its name and counts once.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import icalendar
import recurring_ical_events

from domain.dates import zone
from domain.errors import FeedFailed, FeedProblem
from storage.calendar_models import UID_MAX

SERIES = ("RRULE", "RDATE", "RECURRENCE-ID")  # an event with any of these is part of a series
RAPID = frozenset({"SECONDLY", "MINUTELY"})
MAX_OCCURRENCES = 5000  # a fortnight's meetings read at most from one feed


@dataclass(frozen=True)
class Meeting:
    """One occurrence of a timed event, as the teammate's calendar shows it."""

    uid: str
    recurrence_id: str  # the occurrence's original start (UTC, ISO 8601); '' for a single event
    starts_at: datetime
    ends_at: datetime
    title: str
    attendees: frozenset[str]  # lower-case email addresses of the attendees and the organizer
    declined: bool  # the calendar's owner declined it
    cancelled: bool


def read_meetings(data: bytes, *, start: datetime, end: datetime, tz: str | None, email: str | None) -> list[Meeting]:
    """The timed events overlapping [start, end); floating times read in `tz`; FeedFailed for no iCalendar."""
    calendar = _calendar(data)
    _drop_rapid_series(calendar)
    series = {str(e.get("UID", "")) for e in calendar.walk("VEVENT") if any(key in e for key in SERIES)}
    try:  # the expansion reads RRULEs and time zones: a malformed feed makes it raise nearly anything
        query = recurring_ical_events.of(calendar).after(start - timedelta(days=1))
        events = list(itertools.islice(_until(query, end + timedelta(days=1)), MAX_OCCURRENCES + 1))
    except Exception:
        raise FeedFailed(FeedProblem.NOT_ICALENDAR) from None
    if len(events) > MAX_OCCURRENCES:  # no one has that many meetings in a fortnight: a feed to refuse
        raise FeedFailed(FeedProblem.TOO_BIG)
    meetings = (_meeting(event, series=series, tz=tz, email=email) for event in events)
    return [m for m in meetings if m is not None and m.ends_at > start and m.starts_at < end]


def _until(events: Iterable[Any], end: datetime) -> Iterator[Any]:
    """Occurrences in start order, up to `end` (the expansion is lazy: nothing past it is built)."""
    for event in events:
        value = getattr(event.get("DTSTART"), "dt", None)
        if isinstance(value, date) and not isinstance(value, datetime):  # all day: midnight, wherever
            value = datetime.combine(value, time(0), tzinfo=UTC)
        if isinstance(value, datetime) and (value if value.tzinfo else value.replace(tzinfo=UTC)) >= end:
            return
        yield event


def _drop_rapid_series(calendar: icalendar.Calendar) -> None:
    """Series repeating every second or minute are no meetings, and would expand into tens of thousands."""
    for component in list(calendar.subcomponents):
        rule: Any = component.get("RRULE") if component.name == "VEVENT" else None
        frequencies = rule.get("FREQ", []) if isinstance(rule, dict) else []
        if any(str(f).upper() in RAPID for f in frequencies):
            calendar.subcomponents.remove(component)


def _calendar(data: bytes) -> icalendar.Calendar:
    """The feed parsed; anything that is not a VCALENDAR is refused."""
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").upper().startswith(b"BEGIN:VCALENDAR"):
        raise FeedFailed(FeedProblem.NOT_ICALENDAR)
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception:  # the parser raises ValueError mostly, but not only
        raise FeedFailed(FeedProblem.NOT_ICALENDAR) from None
    if not isinstance(calendar, icalendar.Calendar):
        raise FeedFailed(FeedProblem.NOT_ICALENDAR)
    return calendar


def _meeting(event: Any, *, series: set[str], tz: str | None, email: str | None) -> Meeting | None:
    """One expanded occurrence as a Meeting; None for an all-day event (a day off, a deadline: no meeting)."""
    starts = _instant(event.get("DTSTART"), tz)
    if starts is None:
        return None
    ends = _instant(event.get("DTEND"), tz)
    if ends is None:
        duration = event.get("DURATION")
        ends = starts + duration.dt if duration is not None and isinstance(duration.dt, timedelta) else starts
    uid = str(event.get("UID", "")) or _digest(f"{starts.isoformat()} {event.get('SUMMARY', '')}")
    recurrence = _instant(event.get("RECURRENCE-ID"), tz) if uid in series else None
    attendees = dict(_addresses(event))
    return Meeting(
        uid=uid if len(uid) <= UID_MAX else _digest(uid),
        recurrence_id=recurrence.isoformat() if recurrence else "",
        starts_at=starts,
        ends_at=max(ends, starts),
        title=str(event.get("SUMMARY", "")),
        attendees=frozenset(attendees),
        declined=email is not None and attendees.get(email.lower()) == "DECLINED",
        cancelled=str(event.get("STATUS", "")).upper() == "CANCELLED",
    )


def _instant(prop: Any, tz: str | None) -> datetime | None:
    """A DTSTART-like property in UTC; a floating time is read in `tz`; None for a date or nothing."""
    value = getattr(prop, "dt", None)
    if not isinstance(value, datetime):  # a DATE (all day), or no such property
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(tz))
    return value.astimezone(UTC)


def _addresses(event: Any) -> Iterable[tuple[str, str]]:
    """Each attendee's and the organizer's address, lower case, with their answer (PARTSTAT)."""
    found = event.get("ATTENDEE") or []
    organizer = event.get("ORGANIZER")  # first: an attendee's answer for the same address wins
    people = [*([organizer] if organizer is not None else []), *(found if isinstance(found, list) else [found])]
    for person in people:
        params = getattr(person, "params", {}) or {}
        for text in (str(person), str(params.get("EMAIL", ""))):
            address = text.strip()
            if address.lower().startswith("mailto:"):
                address = address[len("mailto:") :]
            if "@" in address:
                yield address.strip().lower(), str(params.get("PARTSTAT", "")).upper()


def _digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()
