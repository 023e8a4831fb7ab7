"""`/client log`: a contact with a client, stored with who, when, where and what; retried once."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from fakes.slack import FakeSlack
from tests.conftest import NOW
from tests.driver import SlackDriver
from tests.helpers import NOTHING_CHANGED, ask, client_named, contacts, log, nothing_changes, visible


def test_log_stores_who_when_where_and_what(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    response = slack.command("log acme called about the invoice", channel="CSALES", trigger_id="t-42")
    assert response.status == 200
    reply = slack.fake.last_response()
    assert reply["response_type"] == "ephemeral"
    assert visible(reply) == "Logged a contact with *Acme Corp*, Sun 22 Nov 10:00: \u201ccalled about the invoice\u201d"
    [contact] = contacts(session)
    assert contact.client_id == client_named(session, "Acme Corp").id
    assert (contact.team_id, contact.user_id, contact.channel_id) == ("T1", "UALICE", "CSALES")
    assert (contact.note, contact.source, contact.idempotency_key) == (
        "called about the invoice",
        "command",
        "cmd:t-42",
    )
    assert contact.occurred_at == contact.created_at == NOW
    assert (contact.message_ts, contact.permalink) == (None, None)


def test_log_keeps_the_note_as_typed(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    log(slack, 'acme he said "maybe next week\nand then: "we\'ll see"')
    log(slack, 'acme they want a 27" screen')
    assert [c.note for c in contacts(session)] == [
        'he said "maybe next week\nand then: "we\'ll see"',
        'they want a 27" screen',
    ]


@pytest.mark.parametrize("text", ["log acme", "log Acme Corp", 'log "Acme Corp"', 'log "Acme Corp"    '])
def test_log_without_a_note(slack: SlackDriver, session: Session, plain_acme: None, text: str) -> None:
    with nothing_changes(session):
        reply = ask(slack, text)
    assert reply.startswith(":warning: What was said? Add a note after the client's name.\nUsage: `/client log")


def test_log_with_a_note_too_long(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    with nothing_changes(session):
        reply = ask(slack, "log acme " + "x" * 10_000)
    assert reply == f":warning: The note is too long: 10000 characters, 3000 at most. {NOTHING_CHANGED}"


def test_log_a_note_of_the_longest_length(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    log(slack, "acme " + "x" * 3000)
    assert [len(c.note) for c in contacts(session)] == [3000]


def test_a_retried_log_with_the_same_trigger_id_logs_once(
    slack: SlackDriver, session: Session, plain_acme: None
) -> None:
    first = ask(slack, "log acme called about the invoice", trigger_id="same")
    second = ask(slack, "log acme called about the invoice", trigger_id="same")
    assert first.startswith("Logged a contact with *Acme Corp*")
    assert second == f"That contact with *Acme Corp* was already logged (Sun 22 Nov 10:00). {NOTHING_CHANGED}"
    assert len(contacts(session)) == 1
    log(slack, "acme called about the invoice", trigger_id="another")
    assert len(contacts(session)) == 2


def test_log_shows_the_time_in_the_readers_zone(slack: SlackDriver, fake_slack: FakeSlack, plain_acme: None) -> None:
    fake_slack.add_user("UKIWI", tz="Pacific/Auckland")
    # 09:00 UTC on Sunday is 22:00 in Auckland (NZDT, UTC+13).
    assert log(slack, "acme hello", user="UKIWI").startswith("Logged a contact with *Acme Corp*, Sun 22 Nov 22:00:")
