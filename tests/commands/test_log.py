"""`/client log`: a contact with a client, stored with who, when, where and what; retried once; for an earlier day
with `<date>: <note>`, read in the user's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from domain.clock import FixedClock
from fakes.slack import FakeSlack
from tests.commands.test_export import uploaded_csv
from tests.conftest import NOW
from tests.driver import SlackDriver
from tests.helpers import NOTHING_CHANGED, ask, at, client_named, contacts, log, nothing_changes, visible

LOG_USAGE = (
    "Usage: `/client log <client> <note>` (or `<date>: <note>` for an earlier day)\n"
    "Example: `/client log acme yesterday: called about the invoice, they want it split in two`"
)


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


# For an earlier day: `/client log <client> <date>: <note>` ---------------------------------------------------------


def utc(day: int, hour: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "shown", "occurred_at"),
    [
        # UALICE is in Warsaw (CET, UTC+1): an earlier day is stored at noon there, 11:00 UTC.
        ("yesterday: called about the invoice", "Sat 21 Nov", utc(21, 11)),
        ("friday: lunch", "Fri 20 Nov", utc(20, 11)),
        ("Last Sunday: lunch", "Sun 15 Nov", utc(15, 11)),
        ("2026-11-20: workshop", "Fri 20 Nov", utc(20, 11)),
        ("20 Nov: workshop", "Fri 20 Nov", utc(20, 11)),
        ("3 days ago: workshop", "Thu 19 Nov", utc(19, 11)),
        ("2025-12-24: party", "Wed 24 Dec 2025", datetime(2025, 12, 24, 11, 0, tzinfo=UTC)),
    ],
)
def test_log_for_an_earlier_day(
    slack: SlackDriver, session: Session, plain_acme: None, text: str, shown: str, occurred_at: datetime
) -> None:
    note = text.partition(": ")[2]
    assert log(slack, f"acme {text}") == f"Logged a contact with *Acme Corp* on {shown}: \u201c{note}\u201d"
    [contact] = contacts(session)
    assert (contact.note, contact.occurred_at, contact.created_at) == (note, occurred_at, NOW)


def test_today_as_a_date_is_now(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    assert log(slack, "acme today: called") == "Logged a contact with *Acme Corp*, Sun 22 Nov 10:00: \u201ccalled\u201d"
    assert [(c.note, c.occurred_at) for c in contacts(session)] == [("called", NOW)]


def test_the_day_is_read_in_tokyo(
    slack: SlackDriver, session: Session, clock: FixedClock, fake_slack: FakeSlack, plain_acme: None
) -> None:
    fake_slack.add_user("UTOKYO", tz="Asia/Tokyo")
    clock.set(at(22, 20))  # Sunday 20:00 UTC is already Monday 05:00 in Tokyo (UTC+9)
    reply = log(slack, "acme yesterday: dinner with the CFO", user="UTOKYO")
    assert reply == "Logged a contact with *Acme Corp* on Sun 22 Nov: \u201cdinner with the CFO\u201d"
    reply = log(slack, "acme 2026-11-23: breakfast", user="UTOKYO")  # tomorrow in UTC, today in Tokyo
    assert reply == "Logged a contact with *Acme Corp*, Mon 23 Nov 05:00: \u201cbreakfast\u201d"
    # Sunday noon in Tokyo is 03:00 UTC; today is now.
    assert [c.occurred_at for c in contacts(session)] == [utc(22, 3), utc(22, 20)]


def test_the_day_is_read_in_los_angeles(
    slack: SlackDriver, session: Session, clock: FixedClock, fake_slack: FakeSlack, plain_acme: None
) -> None:
    fake_slack.add_user("ULA", tz="America/Los_Angeles")
    clock.set(at(22, 5))  # Sunday 05:00 UTC is still Saturday 21:00 in Los Angeles (UTC-8)
    assert (
        log(slack, "acme friday: lunch", user="ULA")
        == "Logged a contact with *Acme Corp* on Fri 20 Nov: \u201clunch\u201d"
    )
    with nothing_changes(session):
        reply = ask(slack, "log acme 2026-11-22: the demo", user="ULA")  # Sunday in UTC, still to come there
    assert reply == (
        ":warning: Sun 22 Nov is still to come: log a contact for the day it happened, today or earlier. "
        f"{NOTHING_CHANGED}\n{LOG_USAGE}"
    )
    [contact] = contacts(session)
    assert contact.occurred_at == utc(20, 20)  # Friday noon in Los Angeles


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("tomorrow: lunch", "Mon 23 Nov is still to come: log a contact for the day it happened, today or earlier."),
        ("25 Nov: workshop", "Wed 25 Nov is still to come: log a contact for the day it happened, today or earlier."),
        (
            "2025-11-21: kickoff",
            "Fri 21 Nov 2025 is more than a year ago: the earliest day I can log a contact for is Sat 22 Nov 2025. "
            "Is it a typo?",
        ),
        (
            "2 years ago: kickoff",
            "Fri 22 Nov 2024 is more than a year ago: the earliest day I can log a contact for is Sat 22 Nov 2025. "
            "Is it a typo?",
        ),
    ],
)
def test_a_day_to_come_or_over_a_year_back_is_refused(
    slack: SlackDriver, session: Session, plain_acme: None, text: str, reply: str
) -> None:
    with nothing_changes(session):
        assert ask(slack, f"log acme {text}") == f":warning: {reply} {NOTHING_CHANGED}\n{LOG_USAGE}"


def test_a_date_without_a_note(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    with nothing_changes(session):
        reply = ask(slack, "log acme yesterday:")
    assert reply == f":warning: What was said? Add a note after the client's name.\n{LOG_USAGE}"


@pytest.mark.parametrize(
    "note",
    [
        "Re: the invoice",
        "note: they pay in December",
        "call at 10:30: they agreed",
        "yesterday:called",
        "<https://example.com/spec>: read the spec",
        "Update: yesterday: lunch",
        "Next steps: send the quote",
        "this friday: lunch",
    ],
)
def test_a_note_that_starts_with_no_date_is_kept_whole(
    slack: SlackDriver, session: Session, plain_acme: None, note: str
) -> None:
    assert log(slack, f"acme {note}").startswith("Logged a contact with *Acme Corp*, Sun 22 Nov 10:00: \u201c")
    assert [(c.note, c.occurred_at) for c in contacts(session)] == [(note, NOW)]


def test_a_contact_for_an_earlier_day_never_moves_the_quiet_clock_back(
    slack: SlackDriver, session: Session, clock: FixedClock, acme: None
) -> None:
    clock.set(at(24))
    log(slack, "acme yesterday: lunch")  # Monday, after Sunday's contact: the clock moves on to it
    monday_noon = utc(23, 11)
    assert client_named(session, "Acme Corp").last_contact_at == monday_noon
    log(slack, "acme 2026-11-20: workshop")  # before the latest contact: stored, and the clock stays
    acme = client_named(session, "Acme Corp")
    assert (acme.last_contact_at, acme.quiet_due_at) == (monday_noon, monday_noon + timedelta(days=14))
    assert [c.occurred_at for c in contacts(session)] == [NOW, monday_noon, utc(20, 11)]


def test_a_retried_log_for_an_earlier_day_logs_once(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    assert ask(slack, "log acme friday: lunch", trigger_id="same").startswith("Logged a contact with *Acme Corp* on")
    second = ask(slack, "log acme friday: lunch", trigger_id="same")
    assert second == f"That contact with *Acme Corp* was already logged (Fri 20 Nov). {NOTHING_CHANGED}"
    assert len(contacts(session)) == 1


def test_show_and_export_put_a_contact_on_its_day(slack: SlackDriver, fake_slack: FakeSlack, plain_acme: None) -> None:
    log(slack, "acme called about the invoice")
    log(slack, "acme friday: workshop")
    assert (
        "*Last contacts* (2 of 2)\n"
        "\u2022 Sun 22 Nov 10:00, <@UALICE> in <#CGENERAL>: \u201ccalled about the invoice\u201d\n"
        "\u2022 Fri 20 Nov, <@UALICE> in <#CGENERAL>: \u201cworkshop\u201d"
    ) in ask(slack, "show acme")
    ask(slack, "export acme")
    rows = uploaded_csv(fake_slack)
    assert [(row[0], row[4]) for row in rows[1:]] == [
        ("2026-11-20T11:00:00Z", "workshop"),
        ("2026-11-22T09:00:00Z", "called about the invoice"),
    ]
