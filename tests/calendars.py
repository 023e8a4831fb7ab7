"""Fixtures and helpers of the calendar tests: a CA and an https feed server, settings that trust them, clients
with email people and domains, connecting a calendar, and the meeting contacts stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.settings import Settings
from fakes.calendars import CalendarServer
from fakes.slack import FakeSlack
from storage.models import CalendarFeed, CalendarMeeting, ClientDomain, ClientPerson, Contact
from tests.driver import SIGNING_SECRET, SlackDriver
from tests.helpers import add, ask, count, fresh

ALICE = "alice@ours.example"  # UALICE's Slack profile email
SECRET = "s3cr3t-t0ken-9f8e7d"  # in every feed's path: it must never reach Slack or a log line


@pytest.fixture(scope="session")
def calendar_ca(tmp_path_factory: pytest.TempPathFactory) -> tuple[trustme.CA, Path]:
    """A certificate authority made for this run, and its certificate as a PEM file."""
    ca = trustme.CA()
    path = tmp_path_factory.mktemp("calendar-ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return ca, path


@pytest.fixture
def allow_private() -> bool:
    """CALENDAR_ALLOW_PRIVATE: the feed server is on loopback (a test parametrizes False to see it refused)."""
    return True


@pytest.fixture
def settings(fake_slack: FakeSlack, database_url: str, calendar_ca: tuple[trustme.CA, Path],
             allow_private: bool) -> Settings:  # fmt: skip
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token="xoxb-test",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.api_url,
        database_url=database_url,
        calendar_allow_private=allow_private,
        calendar_ca_file=calendar_ca[1],
    )


@pytest.fixture
def feeds(calendar_ca: tuple[trustme.CA, Path]) -> Iterator[CalendarServer]:
    server = CalendarServer(calendar_ca[0]).start()
    yield server
    server.stop()


@pytest.fixture
def clients(slack: SlackDriver, session: Session) -> None:
    """Acme Corp (acme.com, and jo@gmail.example) and Globex (globex.example), owned by UALICE (alice@ours.example,
    Warsaw); UBOB is a teammate too."""
    slack.fake.add_user("UALICE", profile={"email": ALICE})
    slack.fake.add_user("UBOB", profile={"email": "bob@ours.example"})
    add(slack, '"Acme Corp" key')
    add(slack, "Globex")
    for command in ("domain acme acme.com", "person acme Jo@Gmail.example Jo", "domain globex globex.example"):
        ask(slack, command)
    assert count(session, ClientDomain) == 2 and count(session, ClientPerson) == 1


def feed_path(name: str = "basic.ics") -> str:
    return f"/calendar/ical/alice%40ours.example/private-{SECRET}/{name}"


def connect(slack: SlackDriver, url: str, *, user: str = "UALICE") -> list[str]:
    """`/client calendar <url>` as Slack sends it (`<url>`); the ephemeral replies it got, as read."""
    before = len(slack.fake.responses())
    assert slack.command(f"calendar <{url}>", user=user).status == 200
    replies = slack.fake.responses()[before:]
    assert all(r["response_type"] == "ephemeral" for r in replies)
    return [r["text"] for r in replies]


def meeting_contacts(session: Session) -> list[Contact]:
    return [c for c in fresh(session).scalars(select(Contact).order_by(Contact.occurred_at, Contact.id))
            if c.source == "meeting"]  # fmt: skip


def the_feed(session: Session) -> CalendarFeed:
    return fresh(session).scalars(select(CalendarFeed)).one()


def meetings(session: Session) -> list[CalendarMeeting]:
    return list(fresh(session).scalars(select(CalendarMeeting).order_by(CalendarMeeting.starts_at)))


def no_secret_anywhere(fake: FakeSlack, records: list[object]) -> None:
    """The feed's secret is in no call to Slack and in no log line."""
    for call in fake.calls:
        assert SECRET not in str(call.params) and SECRET.encode() not in call.raw, call.method
    for record in records:
        assert SECRET not in _logged(record)


def _logged(record: object) -> str:
    import logging

    assert isinstance(record, logging.LogRecord)
    text = record.getMessage()
    if record.exc_info and record.exc_info[1] is not None:
        text += str(record.exc_info[1])
    return text
