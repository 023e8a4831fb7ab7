"""`/client calendar`: connecting a private iCal address (a secret), refusing the ones we must not read, the first
read's report, titles, briefs and disconnecting; over a real https server, through the real app."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from fakes.calendars import CalendarServer, calendar, event
from fakes.slack import TEAM
from storage.models import CalendarFeed
from tests.calendars import (
    SECRET,
    allow_private,
    calendar_ca,
    clients,
    connect,
    feed_path,
    feeds,
    meeting_contacts,
    meetings,
    no_secret_anywhere,
    settings,
    the_feed,
)
from tests.conftest import NOW
from tests.driver import SlackDriver
from tests.helpers import Sweeps, ask, count

__all__ = ["allow_private", "calendar_ca", "clients", "feeds", "settings"]  # fixtures used by name

FRIDAY_15 = NOW - timedelta(days=2, hours=-5)  # Fri 20 Nov 14:00 UTC


def two_meetings() -> str:
    """An ended meeting with Acme (and a teammate), and an internal one."""
    return calendar(
        event("acme-review@x", FRIDAY_15, title="Acme <review> & plan", attendees=("jo@acme.com", "bob@ours.example")),
        event("standup@x", FRIDAY_15 + timedelta(hours=2), title="Standup", attendees=("bob@ours.example",)),
    )


def test_connecting_shows_a_hint_reads_at_once_and_never_shows_the_address(
    slack: SlackDriver, session: Session, feeds: CalendarServer, clients: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    url = feeds.serve(feed_path(), two_meetings(), etag='"v1"')
    replies = connect(slack, url)
    assert len(replies) == 2
    assert "Connected your calendar `https://127.0.0.1/…/basic.ics`" in replies[0]
    assert replies[1] == (
        "Read 2 meetings from a week ago to a week ahead, 1 with clients; logged 1 contact for those that ended."
    )
    [contact] = meeting_contacts(session)
    assert (contact.user_id, contact.occurred_at, contact.note) == ("UALICE", FRIDAY_15 + timedelta(hours=1), "")
    feed = the_feed(session)
    assert (feed.url, feed.etag, feed.polled_at, feed.next_poll_at) == (url, '"v1"', NOW, NOW + timedelta(minutes=15))
    assert "`https://127.0.0.1/…/basic.ics`" in ask(slack, "calendar")
    no_secret_anywhere(slack.fake, caplog.records)


def test_slack_escaping_webcal_and_a_query_string_are_read(
    slack: SlackDriver, session: Session, feeds: CalendarServer, clients: None
) -> None:
    url = feeds.serve(f"/feed/{SECRET}?user=alice&format=ics", two_meetings())
    webcal = url.replace("https://", "webcal://").replace("&", "&amp;")
    replies = connect(slack, f"{webcal}|my calendar")
    assert "`https://127.0.0.1/…`" in replies[0]  # the secret path is no plain file name: nothing of it shown
    assert replies[1].startswith("Read 2 meetings")
    assert the_feed(session).url == url
    assert [s.path for s in feeds.seen] == [f"/feed/{SECRET}?user=alice&format=ics"]


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("http://calendar.example/x.ics", "must start with `https://`"),
        ("https://user:pw@calendar.example/x.ics", "no user name or password"),
        ("https://10.1.2.3/x.ics", "private network"),
        ("https://[::1]/x.ics", "private network"),
        ("https://169.254.169.254/latest/meta-data", "private network"),
        ("https://localhost/x.ics", "private network"),
        ("ftp://calendar.example/x.ics", "must start with `https://`"),
    ],
)
@pytest.mark.parametrize("allow_private", [False])
def test_addresses_we_must_not_read_are_refused_and_nothing_is_stored(
    slack: SlackDriver, session: Session, address: str, why: str, clients: None
) -> None:
    reply = ask(slack, f"calendar <{address}>")
    assert reply.startswith(":warning: I can't use that calendar: ") and why in reply
    assert reply.endswith("Nothing was changed.")
    assert count(session, CalendarFeed) == 0


@pytest.mark.parametrize("allow_private", [False])
def test_the_loopback_server_itself_is_refused_without_calendar_allow_private(
    slack: SlackDriver, session: Session, feeds: CalendarServer, clients: None
) -> None:
    url = feeds.serve(feed_path(), two_meetings())
    assert "private network" in ask(slack, f"calendar <{url}>")
    assert feeds.seen == [] and count(session, CalendarFeed) == 0


def test_an_address_that_answers_no_calendar_is_not_kept(
    slack: SlackDriver, session: Session, feeds: CalendarServer, clients: None
) -> None:
    url = feeds.serve(feed_path("week"), "<!doctype html><html><body>Google Calendar</body></html>")
    replies = connect(slack, url)
    assert "what it sends is not an iCalendar (.ics) feed" in replies[1] and "did not keep" in replies[1]
    assert count(session, CalendarFeed) == 0
    feeds.answer(feed_path("gone.ics"), 404)
    replies = connect(slack, feeds.url(feed_path("gone.ics")))
    assert "no longer shared (HTTP 404)" in replies[1] and count(session, CalendarFeed) == 0


def test_a_redirect_to_a_private_address_is_refused(
    slack: SlackDriver, session: Session, feeds: CalendarServer, clients: None
) -> None:
    feeds.answer(feed_path(), 302, location="https://10.0.0.7/internal.ics")
    replies = connect(slack, feeds.url(feed_path()))
    assert "could not read your calendar" in replies[1]


def test_titles_on_keeps_titles_made_harmless_off_forgets_them(
    slack: SlackDriver, session: Session, sweeps: Sweeps, feeds: CalendarServer, clients: None
) -> None:
    assert ask(slack, "calendar titles on").startswith(":warning: You have no calendar connected")
    url = feeds.serve(feed_path(), calendar(
        event("soon@x", NOW + timedelta(hours=2), attendees=("jo@acme.com",), title="Plan <!here> & budget"),
        event("later@x", NOW + timedelta(hours=5), attendees=("jo@acme.com",), title="Next steps"),
    ))  # fmt: skip
    connect(slack, url)
    assert [m.title for m in meetings(session)] == [None, None]
    assert ask(slack, "calendar titles on").startswith("Meeting titles are now kept")
    connect(slack, url)  # read again, now with titles on (connecting anew keeps the settings)
    assert [m.title for m in meetings(session)] == ["Plan &lt;!here&gt; &amp; budget", "Next steps"]
    sweeps.at(NOW + timedelta(hours=3, minutes=5))
    [contact] = meeting_contacts(session)
    assert contact.note == "Plan &lt;!here&gt; &amp; budget"
    assert "<@UALICE> in a meeting: “Plan &lt;!here&gt; &amp; budget”" in ask(slack, "show acme")  # harmless
    ask(slack, "calendar titles off")
    assert [m.title for m in meetings(session)] == ["Plan &lt;!here&gt; &amp; budget", None]  # logged ones stay


def test_brief_and_off(slack: SlackDriver, session: Session, feeds: CalendarServer, clients: None) -> None:
    connect(slack, feeds.serve(feed_path(), two_meetings()))
    assert ask(slack, "calendar brief on").startswith(":memo: You'll get a brief")
    assert the_feed(session).brief is True
    assert "Briefs before meetings:* yes" in ask(slack, "calendar")
    assert ask(slack, "calendar off").startswith("Disconnected your calendar")
    assert count(session, CalendarFeed) == 0
    assert len(meeting_contacts(session)) == 1  # the contacts stay
    assert ask(slack, "calendar off") == "You have no calendar connected. Nothing was changed."
    assert ask(slack, "calendar").startswith("You have no calendar connected.")


def test_each_teammate_has_their_own_calendar(
    slack: SlackDriver, session: Session, feeds: CalendarServer, clients: None
) -> None:
    connect(slack, feeds.serve(feed_path(), two_meetings()))
    connect(slack, feeds.serve("/bob.ics", two_meetings()), user="UBOB")
    assert sorted(c.user_id for c in meeting_contacts(session)) == ["UALICE", "UBOB"]
    ask(slack, "calendar off", team=TEAM)
    assert ask(slack, "calendar", user="UBOB").startswith(":calendar: Your calendar")


def test_usage(slack: SlackDriver, clients: None) -> None:
    assert "Usage: `/client calendar" in ask(slack, "calendar titles maybe")
    assert "Usage: `/client calendar" in ask(slack, "calendar https://a.example/x.ics https://b.example/y.ics")
