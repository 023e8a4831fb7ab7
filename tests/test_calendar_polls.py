"""The sweep polls calendars: recurring meetings expanded, moved, excluded and cancelled occurrences, declined
meetings, time zones, the 7-day window, conditional GETs, each occurrence once, a failing feed told once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.settings import Settings
from domain.clock import FixedClock
from fakes.calendars import CalendarServer, calendar, event, utc
from fakes.slack import Canned
from services.sweep import Report
from tests.calendars import (
    ALICE,
    SECRET,
    allow_private,
    calendar_ca,
    clients,
    connect,
    feed_path,
    feeds,
    meeting_contacts,
    settings,
    the_feed,
)
from tests.conftest import NOW
from tests.driver import SlackDriver
from tests.helpers import Sweeps, ask, blocks_text, client_named, posts

__all__ = ["allow_private", "calendar_ca", "clients", "feeds", "settings"]  # fixtures used by name

MINUTES_15 = timedelta(minutes=15)
WARSAW_MONDAYS = (
    "DTSTART;TZID=Europe/Warsaw:20261102T100000\nDTEND;TZID=Europe/Warsaw:20261102T110000\n"
    "RRULE:FREQ=WEEKLY;BYDAY=MO\nEXDATE;TZID=Europe/Warsaw:20261123T100000"
)


def weekly_with_exceptions() -> str:
    """Mondays 10:00-11:00 Warsaw with Jo from Acme: 16 Nov moved to Tue 17 Nov 15:00, 23 Nov excluded (EXDATE),
    30 Nov cancelled."""
    people = f"ORGANIZER:mailto:{ALICE}\nATTENDEE:mailto:jo@acme.com"
    series = "\n".join(["BEGIN:VEVENT", "UID:weekly@x", "DTSTAMP:20261101T000000Z", WARSAW_MONDAYS, "SUMMARY:Weekly",
                        people, "END:VEVENT"])  # fmt: skip
    moved = event("weekly@x", datetime(2026, 11, 17, 14, 0, tzinfo=UTC), attendees=("jo@acme.com",),
                  extra=("RECURRENCE-ID;TZID=Europe/Warsaw:20261116T100000",))  # fmt: skip
    cancelled = event("weekly@x", datetime(2026, 11, 30, 9, 0, tzinfo=UTC), attendees=("jo@acme.com",),
                      extra=("RECURRENCE-ID;TZID=Europe/Warsaw:20261130T100000", "STATUS:CANCELLED"))  # fmt: skip
    return calendar(series, moved, cancelled)


def test_a_weekly_meeting_with_a_moved_an_excluded_and_a_cancelled_occurrence(
    slack: SlackDriver, session: Session, sweeps: Sweeps, feeds: CalendarServer, clients: None
) -> None:
    connect(slack, feeds.serve(feed_path(), weekly_with_exceptions()))
    # 9 Nov ended more than 7 days before the first read; 16 Nov happened on Tue 17 Nov 15:00-16:00 Warsaw
    assert [c.occurred_at for c in meeting_contacts(session)] == [datetime(2026, 11, 17, 15, 0, tzinfo=UTC)]
    sweeps.at(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))  # the excluded Monday
    sweeps.at(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))  # the cancelled one
    assert len(meeting_contacts(session)) == 1
    report = sweeps.at(datetime(2026, 12, 7, 10, 5, tzinfo=UTC))  # a Monday like any other, ended at 11:00 Warsaw
    assert (report.calendars_read, report.meeting_contacts) == (1, 1)
    found = [(c.occurred_at, c.user_id, c.source) for c in meeting_contacts(session)]
    assert found[-1] == (datetime(2026, 12, 7, 10, 0, tzinfo=UTC), "UALICE", "meeting")
    assert len(found) == 2
    assert client_named(session, "Acme Corp").last_contact_at == datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def test_time_zones_floating_times_and_all_day_events(
    slack: SlackDriver, session: Session, feeds: CalendarServer, clients: None
) -> None:
    people = (f"ORGANIZER:mailto:{ALICE}", "ATTENDEE:mailto:jo@acme.com")
    feed = calendar(
        event("tz@x", ";TZID=Europe/Warsaw:20261120T100000", organizer=None, extra=people),  # 09:00-10:00 UTC
        event("floating@x", ":20261119T100000", organizer=None, extra=people),  # read in Alice's Warsaw: the same
        "\n".join(
            ["BEGIN:VEVENT", "UID:allday@x", "DTSTART;VALUE=DATE:20261118", "SUMMARY:Offsite", *people, "END:VEVENT"]
        ),
    )
    connect(slack, feeds.serve(feed_path(), feed))
    assert [c.occurred_at for c in meeting_contacts(session)] == [
        datetime(2026, 11, 19, 10, 0, tzinfo=UTC),
        datetime(2026, 11, 20, 10, 0, tzinfo=UTC),
    ]


def test_declined_cancelled_internal_and_future_meetings_are_no_contacts_yet(
    slack: SlackDriver, session: Session, sweeps: Sweeps, feeds: CalendarServer, clients: None
) -> None:
    friday = datetime(2026, 11, 20, 13, 0, tzinfo=UTC)
    feed = calendar(
        event("declined@x", friday, organizer="jo@acme.com", attendees=(f"{ALICE}=DECLINED",)),
        event("cancelled@x", friday, attendees=("jo@acme.com",), extra=("STATUS:CANCELLED",)),
        event("internal@x", friday, attendees=("bob@ours.example",)),
        event("today@x", NOW + timedelta(hours=4), attendees=("jo@acme.com",)),
        event("old@x", NOW - timedelta(days=8), attendees=("jo@acme.com",)),
        event("lastweek@x", NOW - timedelta(days=6, hours=23), attendees=("jo@acme.com",)),
    )
    replies = connect(slack, feeds.serve(feed_path(), feed))
    assert replies[1].startswith("Read 5 meetings") and "2 with clients" in replies[1]  # not the declined one
    assert [c.occurred_at for c in meeting_contacts(session)] == [NOW - timedelta(days=6, hours=22)]
    sweeps.at(NOW + timedelta(hours=4, minutes=55))  # not over yet
    assert len(meeting_contacts(session)) == 1
    report = sweeps.at(NOW + timedelta(hours=5, minutes=2))
    assert report.meeting_contacts == 1
    assert meeting_contacts(session)[-1].occurred_at == NOW + timedelta(hours=5)


def test_a_meeting_with_two_clients_is_a_contact_with_each(
    slack: SlackDriver, session: Session, feeds: CalendarServer, clients: None
) -> None:
    feed = calendar(event("joint@x", NOW - timedelta(days=1), attendees=("Jo@gmail.example", "ceo@eu.Globex.example",
                                                                           "someone@notacme.com")))  # fmt: skip
    connect(slack, feeds.serve(feed_path(), feed))
    acme, globex = client_named(session, "Acme Corp"), client_named(session, "Globex")
    assert sorted(c.client_id for c in meeting_contacts(session)) == sorted([acme.id, globex.id])


def test_a_conditional_get_and_polls_every_15_minutes(
    slack: SlackDriver, session: Session, sweeps: Sweeps, feeds: CalendarServer, clients: None
) -> None:
    last_modified = "Sat, 21 Nov 2026 10:00:00 GMT"
    connect(slack, feeds.serve(feed_path(), weekly_with_exceptions(), etag='"v1"', last_modified=last_modified))
    assert sweeps.at(NOW + timedelta(minutes=10)).calendars_read == 0  # not due yet
    report = sweeps.at(NOW + MINUTES_15)
    assert report.calendars_read == 1 and report.calendar_failures == 0
    first, second = feeds.requests_to(feed_path())
    assert "If-None-Match" not in first.headers
    assert (second.headers["If-None-Match"], second.headers["If-Modified-Since"], second.status) == (
        '"v1"', last_modified, 304
    )  # fmt: skip
    assert the_feed(session).polled_at == NOW + MINUTES_15
    assert len(meeting_contacts(session)) == 1  # nothing read twice


def test_each_occurrence_counts_once_across_polls_and_concurrent_sweeps(
    slack: SlackDriver, session: Session, settings: Settings, engine: Engine, feeds: CalendarServer, clients: None
) -> None:
    connect(slack, feeds.serve(feed_path(), weekly_with_exceptions()))
    later = datetime(2026, 12, 7, 10, 5, tzinfo=UTC)
    first, second = (Sweeps(settings, engine, FixedClock(later)) for _ in range(2))
    reports: list[Report] = []
    threads = [threading.Thread(target=lambda s=s: reports.append(s.sweeper.run())) for s in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.calendars_read for r in reports) == 1 and sum(r.meeting_contacts for r in reports) == 1
    assert len(meeting_contacts(session)) == 2
    feeds.serve(feed_path(), weekly_with_exceptions().replace("SUMMARY:Weekly", "SUMMARY:Weekly sync"))
    first.sweeper.run(later + timedelta(hours=1))
    assert len(meeting_contacts(session)) == 2


@pytest.mark.parametrize("allow_private", [True])
def test_a_feed_failing_three_times_tells_its_owner_once(
    slack: SlackDriver, session: Session, sweeps: Sweeps, feeds: CalendarServer, clients: None
) -> None:
    connect(slack, feeds.serve(feed_path(), weekly_with_exceptions()))
    feeds.answer(feed_path(), 503)
    at = NOW
    for _ in range(5):  # each failure doubles the wait: 15, 30, 60, 120 minutes
        at = the_feed(session).next_poll_at
        assert sweeps.at(at).calendar_failures == 1
    [dm] = posts(slack.fake)
    assert dm.params["channel"] == "UALICE"
    text = blocks_text(dm)
    assert "I can't read your calendar `https://127.0.0.1/…/basic.ics`" in text and "(HTTP 503)" in text
    assert SECRET not in str(dm.params)
    feed = the_feed(session)
    assert (feed.failures, feed.last_error, feed.next_poll_at) == (5, "http 503", at + timedelta(hours=4))
    assert ":warning: *Failing:* 5 reads in a row: its server answered with an error (HTTP 503)." in ask(
        slack, "calendar"
    )
    feeds.serve(feed_path(), weekly_with_exceptions())
    assert sweeps.at(feed.next_poll_at).calendars_read == 1
    assert (the_feed(session).failures, the_feed(session).failure_notified_at) == (0, None)


def test_a_reset_secret_address_tells_at_once_and_other_feeds_go_on(
    slack: SlackDriver, session: Session, sweeps: Sweeps, feeds: CalendarServer, clients: None
) -> None:
    connect(slack, feeds.serve(feed_path(), weekly_with_exceptions()))
    connect(slack, feeds.serve("/bob.ics", weekly_with_exceptions()), user="UBOB")
    feeds.answer(feed_path(), 404)
    slack.fake.queue("chat.postMessage", Canned({"ok": False, "error": "ratelimited"}))  # the DM is lost: no retry
    report = sweeps.at(datetime(2026, 12, 7, 10, 5, tzinfo=UTC))
    assert (report.calendars_read, report.calendar_failures, report.meeting_contacts) == (2, 1, 1)
    assert [c.user_id for c in meeting_contacts(session)][-1] == "UBOB"
    assert len(posts(slack.fake)) == 1


def test_rapport_sweep_polls_the_feeds_due(
    slack: SlackDriver, session: Session, settings: Settings, feeds: CalendarServer, clients: None,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from bot.cli import main

    connect(slack, feeds.serve(feed_path(), weekly_with_exceptions(), etag='"v1"'))
    environment = {
        "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": settings.slack_api_url,
        "DATABASE_URL": settings.database_url, "CALENDAR_ALLOW_PRIVATE": "true",
        "CALENDAR_CA_FILE": str(settings.calendar_ca_file),
    }  # fmt: skip
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert main(["sweep", "--now", utc(datetime(2026, 12, 7, 10, 5, tzinfo=UTC))]) == 0
    assert "1 calendars read, 0 failed, 1 contacts from meetings" in capsys.readouterr().out
    assert len(feeds.requests_to(feed_path())) == 2


def test_a_feed_served_without_validators_is_read_again_only_when_it_changed(
    slack: SlackDriver, session: Session, sweeps: Sweeps, feeds: CalendarServer, clients: None
) -> None:
    connect(slack, feeds.serve(feed_path(), weekly_with_exceptions()))  # no ETag, no Last-Modified
    assert the_feed(session).read_until == NOW + timedelta(days=7)
    assert sweeps.at(NOW + MINUTES_15).calendars_read == 1
    assert the_feed(session).read_until == NOW + timedelta(days=7)  # the same body: not read again
    feeds.serve(feed_path(), weekly_with_exceptions().replace("SUMMARY:Weekly", "SUMMARY:Weekly sync"))
    assert sweeps.at(NOW + 2 * MINUTES_15).calendars_read == 1
    assert the_feed(session).read_until == NOW + 2 * MINUTES_15 + timedelta(days=7)
