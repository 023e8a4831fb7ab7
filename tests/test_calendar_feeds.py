"""Reading feeds, below the app: the https reader's limits (size, time, redirects, certificates, addresses) against
the real test server, and what an iCalendar text becomes (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import trustme

from domain.calendar_events import read_meetings
from domain.calendars import feed_url_or_raise
from domain.errors import FeedFailed, FeedProblem
from domain.meetings import Addresses, clients_among
from fakes.calendars import CalendarServer, calendar, event
from services.calendar_fetch import FeedPolicy, fetch, public
from tests.calendars import calendar_ca, feeds

__all__ = ["calendar_ca", "feeds"]  # fixtures used by name

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@pytest.fixture
def policy(calendar_ca: tuple[trustme.CA, Path]) -> FeedPolicy:
    return FeedPolicy(allow_private=True, ca_file=str(calendar_ca[1]))


def problem(url: str, policy: FeedPolicy, **validators: str) -> FeedFailed:
    with pytest.raises(FeedFailed) as raised:
        fetch(url, policy=policy, **validators)
    return raised.value


def test_a_feed_over_the_size_limit_is_refused_while_streaming(feeds: CalendarServer, policy: FeedPolicy) -> None:
    url = feeds.serve("/big.ics", calendar(*(event(f"e{i}@x", NOW) for i in range(200))))
    assert fetch(url, policy=policy).body is not None
    assert problem(url, FeedPolicy(allow_private=True, ca_file=policy.ca_file, max_bytes=10_000)).problem == (
        FeedProblem.TOO_BIG
    )


def test_a_server_that_never_answers_times_out(feeds: CalendarServer, policy: FeedPolicy) -> None:
    url = feeds.hang("/slow.ics")
    quick = FeedPolicy(allow_private=True, ca_file=policy.ca_file, timeout=0.3)
    assert problem(url, quick).problem == FeedProblem.TIMEOUT


def test_redirects_are_followed_a_few_times_each_checked(feeds: CalendarServer, policy: FeedPolicy) -> None:
    url = feeds.serve("/final.ics", calendar(event("a@x", NOW)), etag='"e"')
    feeds.answer("/hop1", 301, location="/hop2")
    feeds.answer("/hop2", 308, location=url)
    assert fetch(feeds.url("/hop1"), policy=policy).etag == '"e"'
    feeds.answer("/loop", 302, location="/loop")
    assert problem(feeds.url("/loop"), policy).problem == FeedProblem.REDIRECTS
    feeds.answer("/plain", 302, location="http://127.0.0.1/feed.ics")
    assert problem(feeds.url("/plain"), policy).problem == FeedProblem.REDIRECTS
    feeds.answer("/inside", 302, location="https://192.168.0.10/feed.ics")
    assert problem(feeds.url("/inside"), FeedPolicy(ca_file=policy.ca_file)).problem == FeedProblem.PRIVATE


def test_an_untrusted_certificate_and_statuses(feeds: CalendarServer, policy: FeedPolicy) -> None:
    url = feeds.serve("/a.ics", calendar(event("a@x", NOW)), etag='"e"')
    assert problem(url, FeedPolicy(allow_private=True)).problem == FeedProblem.TLS  # the test CA is not trusted
    assert fetch(url, policy=policy, etag='"e"').body is None  # 304: not modified
    feeds.answer("/gone", 410)
    assert (problem(feeds.url("/gone"), policy).problem, problem(feeds.url("/gone"), policy).permanent) == (
        FeedProblem.REFUSED, True
    )  # fmt: skip
    feeds.answer("/busy", 503)
    assert str(problem(feeds.url("/busy"), policy)) == "http 503"


@pytest.mark.parametrize(
    ("address", "is_public"),
    [("8.8.8.8", True), ("2606:4700::1111", True), ("127.0.0.1", False), ("10.0.0.1", False),
     ("172.16.5.4", False), ("192.168.1.1", False), ("169.254.169.254", False), ("100.64.0.1", False),
     ("0.0.0.0", False), ("224.0.0.1", False), ("::1", False), ("fe80::1%eth0", False), ("fc00::1", False),
     ("::ffff:127.0.0.1", False), ("240.0.0.1", False)],
)  # fmt: skip
def test_public_addresses(address: str, is_public: bool) -> None:
    assert public(address) is is_public


@pytest.mark.parametrize(
    "text", ["http://a.example/x.ics", "https:///x.ics", "https://a.example:0/x", "https://a b.example/x",
             "https://a.example/x\x00", "https://u@a.example/x", "mailto:jo@acme.com", "https://a.example:99999/"],
)  # fmt: skip
def test_feed_addresses_we_cannot_read(text: str) -> None:
    with pytest.raises(FeedFailed) as raised:
        feed_url_or_raise(text)
    assert raised.value.problem == FeedProblem.BAD_ADDRESS


def test_reading_an_icalendar_text() -> None:
    with pytest.raises(FeedFailed):
        read_meetings(b"BEGIN:VCALENDAR\r\nthis is not", start=NOW, end=NOW, tz=None, email=None)
    long_uid = "x" * 400
    text = calendar(
        event(long_uid, NOW, attendees=("me@ours.example=DECLINED",), organizer="me@ours.example"),
        event("email-param@x", NOW, organizer=None, extra=("ATTENDEE;EMAIL=Jo@Acme.com;CN=Jo:urn:uuid:1234",)),
    )
    first, second = read_meetings(text.encode(), start=NOW - timedelta(days=1), end=NOW + timedelta(days=1),
                                  tz="Europe/Warsaw", email="Me@ours.example")  # fmt: skip
    assert first.uid.startswith("sha256:") and len(first.uid) < 80
    assert first.declined is True  # the attendee's answer wins over being the organizer
    assert second.attendees == frozenset({"jo@acme.com"}) and second.recurrence_id == ""


def test_matching_attendees_to_clients() -> None:
    addresses = Addresses({"jo@gmail.example": 1}, {"acme.com": 1, "eu.acme.com": 2, "xn--bcher-kva.example": 3})
    assert clients_among(["jo@gmail.example"], addresses, own=None) == [1]
    assert clients_among(["x@mail.acme.com"], addresses, own=None) == [1]
    assert clients_among(["x@sales.eu.acme.com"], addresses, own=None) == [2]  # the longest domain wins
    assert clients_among(["x@notacme.com", "x@acme.com.evil.example"], addresses, own=None) == []
    assert clients_among(["x@bücher.example"], addresses, own=None) == [3]
    assert clients_among(["me@acme.com"], addresses, own="me@acme.com") == []
    people = Addresses({"jo@xn--mller-kva.de": 4}, {})  # a person's address as /client person keeps it
    assert clients_among(["Jo@Müller.de"], people, own=None) == [4]


def test_series_repeating_every_minute_are_no_meetings_and_too_many_occurrences_refuse_the_feed() -> None:
    window = {"start": NOW - timedelta(days=7), "end": NOW + timedelta(days=7), "tz": None, "email": None}
    rapid = calendar(event("every-minute", NOW, minutes=1, extra=("RRULE:FREQ=MINUTELY",)),
                     event("weekly", NOW, extra=("RRULE:FREQ=WEEKLY",)))  # fmt: skip
    assert [m.uid for m in read_meetings(rapid.encode(), **window)] == ["weekly"]  # type: ignore[arg-type]
    daily_all_day = "\n".join(["BEGIN:VEVENT", "UID:holiday", "DTSTAMP:20261101T000000Z", "DTSTART;VALUE=DATE:20260101",
                               "RRULE:FREQ=DAILY", "SUMMARY:Out", "END:VEVENT"])  # fmt: skip
    assert read_meetings(calendar(daily_all_day).encode(), **window) == []  # type: ignore[arg-type]
    hourly = calendar(*(event(f"hourly-{n}", NOW, minutes=1, extra=("RRULE:FREQ=HOURLY",)) for n in range(30)))
    with pytest.raises(
        FeedFailed
    ):  # 30 series x 24 x 8 days from their start = 5 760 occurrences: more than any fortnight holds
        read_meetings(hourly.encode(), **window)  # type: ignore[arg-type]
