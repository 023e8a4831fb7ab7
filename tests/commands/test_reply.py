"""`/client reply`: how long a client's message may wait for our answer; the messages waiting count from it at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from tests.channels import message, stored
from tests.commands.linking import nothing_written
from tests.driver import SlackDriver
from tests.helpers import ask, client_named

MONDAY_10_WARSAW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def waiting(slack: SlackDriver, session: Session, acme: None) -> None:
    """Acme Corp's channel linked, and a question from the client (Monday 10:00 in Warsaw) that waits."""
    ask(slack, "channel acme <#CACME>")
    message(slack, MONDAY_10_WARSAW, user="UCLIENT", team="TCLIENT", text="any news?")


def due(session: Session) -> list[datetime | None]:
    return [m.due_at for m in stored(session)]


def test_the_default_is_one_working_day(slack: SlackDriver, session: Session, waiting: None) -> None:
    assert "*Reply time:* 1 working day (default)" in ask(slack, "show acme")
    assert due(session) == [MONDAY_10_WARSAW + timedelta(days=1)]


@pytest.mark.parametrize(
    ("value", "stored_as", "shown", "due_at"),
    [
        ("4h", "4h", "4 working hours", MONDAY_10_WARSAW + timedelta(hours=4)),
        ("1 hour", "1h", "1 working hour", MONDAY_10_WARSAW + timedelta(hours=1)),
        ("2 days", "2d", "2 working days", MONDAY_10_WARSAW + timedelta(days=2)),
        ("1d", "1d", "1 working day", MONDAY_10_WARSAW + timedelta(days=1)),
    ],
)
def test_a_reply_time_is_set_and_the_waiting_messages_count_from_it(
    slack: SlackDriver, session: Session, waiting: None, value: str, stored_as: str, shown: str, due_at: datetime
) -> None:
    reply = ask(slack, f"reply Acme Corp {value}")
    assert reply.startswith(f"*Acme Corp*'s reply time is now {shown}: a message from the client that long")
    assert reply.endswith("It applies to the 1 message already waiting too.")
    assert client_named(session, "Acme Corp").reply_time == stored_as
    assert due(session) == [due_at]
    assert f"*Reply time:* {shown}\n" in ask(slack, "show acme")


def test_off_means_no_reply_time(slack: SlackDriver, session: Session, waiting: None) -> None:
    assert ask(slack, "reply acme off") == (
        "*Acme Corp* has no reply time now: its messages never wait for an answer, and nobody is nudged."
    )
    assert due(session) == [None]
    assert "*Reply time:* off" in ask(slack, "show acme")
    ask(slack, "reply acme 4h")
    assert due(session) == [MONDAY_10_WARSAW + timedelta(hours=4)]


def test_working_hours_are_the_owners(slack: SlackDriver, session: Session, waiting: None) -> None:
    slack.fake.add_user("UTOKYO", tz="Asia/Tokyo")
    ask(slack, "owner acme <@UTOKYO>")
    ask(slack, "reply acme 4h")
    # Monday 10:00 in Warsaw is 18:00 in Tokyo, after work: the clock starts Tuesday 09:00 there.
    assert due(session) == [datetime(2026, 11, 24, 4, 0, tzinfo=UTC)]  # Tuesday 13:00 in Tokyo


def test_an_answered_message_keeps_what_it_had(slack: SlackDriver, session: Session, waiting: None) -> None:
    message(slack, MONDAY_10_WARSAW + timedelta(minutes=5), user="UBOB", text="on it")
    ask(slack, "reply acme 4h")
    assert due(session)[0] == MONDAY_10_WARSAW + timedelta(days=1)


def test_the_same_reply_time_again_changes_nothing(slack: SlackDriver, session: Session, waiting: None) -> None:
    ask(slack, "reply acme 4h")
    with nothing_written(session):
        assert ask(slack, "reply acme 4 hours") == (
            "*Acme Corp*'s reply time is already 4 working hours. Nothing was changed."
        )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("reply", "Usage: `/client reply"),
        ("reply acme", "Usage: `/client reply"),
        ("reply 4h", "Usage: `/client reply"),
        ("reply acme soon", "*soon* is not a reply time I understand"),
        ("reply acme 0h", "*0h* is not a reply time"),
        ("reply acme 41h", "*41h* is not a reply time"),
        ("reply acme 21 days", "*21 days* is not a reply time"),
        ("reply acme \u0664h", "is not a reply time"),
        ("reply nosuch 4h", "I don't know a client called *nosuch*"),
    ],
)
def test_bad_reply_commands_change_nothing(
    slack: SlackDriver, session: Session, waiting: None, text: str, expected: str
) -> None:
    with nothing_written(session):
        reply = ask(slack, text)
    assert reply.startswith(":warning:") and expected in reply, reply
