"""`/client key` and `/client cadence`: how often we mean to talk to a client."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from domain.clock import FixedClock
from tests.driver import SlackDriver
from tests.helpers import NOTHING_CHANGED, add, ask, at, client_named, nothing_changes


def test_key_on_gives_a_client_the_default_cadence(
    slack: SlackDriver, session: Session, clock: FixedClock, plain_acme: None
) -> None:
    clock.set(at(23))
    assert ask(slack, "key acme on") == ":star: *Acme Corp* is now a key client (every 2 weeks)."
    client = client_named(session, "Acme Corp")
    assert (client.is_key, client.cadence_days, client.updated_at) == (True, 14, at(23))


def test_key_on_keeps_a_cadence_already_set(slack: SlackDriver, session: Session) -> None:
    add(slack, "Acme Corp every 3w")
    assert ask(slack, "key Acme Corp ON") == ":star: *Acme Corp* is now a key client (every 3 weeks)."
    client = client_named(session, "Acme Corp")
    assert (client.is_key, client.cadence_days) == (True, 21)


def test_key_off(slack: SlackDriver, session: Session) -> None:
    add(slack, '"Acme Corp" key')
    assert ask(slack, 'key "Acme Corp" off') == "*Acme Corp* is no longer a key client."
    client = client_named(session, "Acme Corp")
    assert (client.is_key, client.cadence_days) == (False, 14)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("key acme", "That does not look right.\nUsage: `/client key <client> on|off`"),
        ("key acme yes", "That does not look right.\nUsage: `/client key <client> on|off`"),
        ("key globex on", "I don't know a client called *globex*."),
    ],
)
def test_key_rejects(slack: SlackDriver, session: Session, plain_acme: None, text: str, expected: str) -> None:
    with nothing_changes(session):
        assert ask(slack, text).startswith(f":warning: {expected}")


@pytest.mark.parametrize(
    ("text", "days", "said"),
    [
        ("cadence acme 3w", 21, "every 3 weeks"),
        ("cadence acme 10d", 10, "every 10 days"),
        ("cadence Acme Corp 1 week", 7, "every week"),
        ('cadence "Acme Corp" 1d', 1, "every day"),
    ],
)
def test_cadence(slack: SlackDriver, session: Session, plain_acme: None, text: str, days: int, said: str) -> None:
    assert ask(slack, text) == f"We now mean to talk to *Acme Corp* {said}."
    assert client_named(session, "Acme Corp").cadence_days == days


def test_cadence_off(slack: SlackDriver, session: Session) -> None:
    add(slack, "Acme Corp every 3w")
    reply = ask(slack, "cadence acme off")
    assert reply == "*Acme Corp* has no cadence now: rapport won't say when it goes quiet."
    assert client_named(session, "Acme Corp").cadence_days is None


@pytest.mark.parametrize("bad", ["0d", "999w", "abc", "366d", "53w"])
def test_cadence_invalid(slack: SlackDriver, session: Session, bad: str) -> None:
    add(slack, "Acme Corp every 3w")
    with nothing_changes(session):
        reply = ask(slack, f"cadence acme {bad}")
    assert reply == (
        f":warning: *{bad}* is not a cadence I understand: use days or weeks, from `1d` to `365d` "
        f"(for example `14d` or `2w`). {NOTHING_CHANGED}"
    )


def test_cadence_off_on_a_key_client_is_refused(slack: SlackDriver, session: Session) -> None:
    add(slack, '"Acme Corp" key')
    with nothing_changes(session):
        reply = ask(slack, "cadence acme off")
    assert reply == (
        ":warning: *Acme Corp* is a key client, and key clients always have a cadence. Turn the flag off first "
        f"(`/client key Acme Corp off`). {NOTHING_CHANGED}"
    )
    assert client_named(session, "Acme Corp").cadence_days == 14


def test_cadence_without_a_cadence(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    with nothing_changes(session):
        assert ask(slack, "cadence acme").startswith(
            ":warning: That does not look right.\nUsage: `/client cadence <client> <N>d|<N>w|off`"
        )
