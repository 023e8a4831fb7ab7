"""Messages in a linked channel: a teammate's is a contact, a client's waits for an answer, a bot's is nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.models import ChannelMessage, Contact, Person
from tests.channels import CHANNEL, link, message, reaction, stored
from tests.conftest import NOW
from tests.driver import SlackDriver
from tests.helpers import Sweeps, blocks_text, client_named, contacts, count, fresh, locked, nothing_changes, nudges

MONDAY_10_WARSAW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TUESDAY_10_WARSAW = MONDAY_10_WARSAW + timedelta(days=1)


@pytest.fixture
def linked(slack: SlackDriver, session: Session, acme_without_contacts: None) -> None:
    """Acme Corp (owned by UALICE, Warsaw) with its channel CACME linked; UCLIENT is a Slack Connect member."""
    link(session)


def channel_contacts(session: Session) -> list[Contact]:
    return [c for c in contacts(session) if c.source == "channel"]


def test_a_teammates_message_is_a_contact_with_its_link_and_no_text(
    slack: SlackDriver, session: Session, linked: None
) -> None:
    ts = message(slack, MONDAY_10_WARSAW, user="UBOB", text="the invoice is on its way")
    [contact] = channel_contacts(session)
    assert (contact.user_id, contact.channel_id, contact.message_ts, contact.occurred_at) == (
        "UBOB", CHANNEL, ts, MONDAY_10_WARSAW
    )  # fmt: skip
    assert contact.permalink == f"https://acme.slack.com/archives/{CHANNEL}/p{ts.replace('.', '')}"
    assert contact.note == ""  # privacy: no text unless the channel keeps it
    [row] = stored(session)
    assert (row.side, row.text, row.processed_at) == ("team", None, NOW)
    assert client_named(session, "Acme Corp").last_contact_at == MONDAY_10_WARSAW
    assert fresh(session).get(Person, ("T1", "UBOB")) is not None  # asked once, cached for the next messages


def test_one_contact_per_person_and_day_in_their_time_zone(slack: SlackDriver, session: Session, linked: None) -> None:
    slack.fake.add_user("UTOKYO", tz="Asia/Tokyo")
    monday_evening_tokyo = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # 23:00 in Tokyo
    message(slack, monday_evening_tokyo, user="UTOKYO")
    message(slack, monday_evening_tokyo + timedelta(minutes=30), user="UTOKYO")  # Monday still
    message(slack, monday_evening_tokyo + timedelta(hours=1, minutes=30), user="UTOKYO")  # Tuesday 00:30
    message(slack, monday_evening_tokyo + timedelta(minutes=20), user="UBOB")
    found = [(c.user_id, c.occurred_at) for c in channel_contacts(session)]
    assert found == [
        ("UTOKYO", monday_evening_tokyo),
        ("UTOKYO", monday_evening_tokyo + timedelta(hours=1, minutes=30)),
        ("UBOB", monday_evening_tokyo + timedelta(minutes=20)),
    ]
    assert count(session, ChannelMessage) == 4


def test_a_retried_event_takes_effect_once(slack: SlackDriver, session: Session, linked: None) -> None:
    ts = message(slack, MONDAY_10_WARSAW, user="UBOB", event_id="EvSame")
    message(slack, ts, user="UBOB", event_id="EvSame", retry=1)
    assert len(channel_contacts(session)) == 1
    assert count(session, ChannelMessage) == 1


def test_a_client_message_waits_for_an_answer_with_its_reply_time(
    slack: SlackDriver, session: Session, linked: None
) -> None:
    message(slack, MONDAY_10_WARSAW, user="UCLIENT", team="TCLIENT", text="any news?")
    [row] = stored(session)
    assert (row.side, row.user_id, row.user_team_id, row.answered_at) == ("client", "UCLIENT", "TCLIENT", None)
    assert row.due_at == TUESDAY_10_WARSAW  # one working day, in the owner's working hours
    assert channel_contacts(session) == []  # the client talking to us is not us talking to the client


def test_a_guest_is_on_the_clients_side(slack: SlackDriver, session: Session, linked: None) -> None:
    slack.fake.add_user("UGUEST", is_restricted=True)
    message(slack, MONDAY_10_WARSAW, user="UGUEST")
    assert [r.side for r in stored(session)] == ["client"]
    assert channel_contacts(session) == []


@pytest.mark.parametrize(
    "extra",
    [
        {"user": None, "bot_id": "BOTHER", "subtype": "bot_message"},
        {"bot_id": "BOTHER", "bot_profile": {"id": "BOTHER"}},
        {"subtype": "channel_join"},
        {"subtype": "channel_topic"},
        {"subtype": "channel_leave"},
    ],
)
def test_bots_joins_and_topics_are_no_contact(
    slack: SlackDriver, session: Session, linked: None, extra: dict[str, object]
) -> None:
    user = extra.pop("user", "UBOB")
    message(slack, MONDAY_10_WARSAW, user=user if isinstance(user, str) else None, **extra)
    assert channel_contacts(session) == []
    assert all(r.side == "other" for r in stored(session))


def test_files_and_thread_broadcasts_count(slack: SlackDriver, session: Session, linked: None) -> None:
    parent = message(slack, MONDAY_10_WARSAW, user="UCLIENT", team="TCLIENT")
    message(slack, MONDAY_10_WARSAW + timedelta(minutes=5), user="UBOB", subtype="file_share")
    message(slack, MONDAY_10_WARSAW + timedelta(minutes=9), user="UCAROL", subtype="thread_broadcast",
            thread_ts=parent)  # fmt: skip
    assert [c.user_id for c in channel_contacts(session)] == ["UBOB", "UCAROL"]


def test_a_message_in_an_unlinked_channel_costs_nothing(slack: SlackDriver, session: Session, linked: None) -> None:
    calls = len(slack.fake.calls)
    with nothing_changes(session):
        message(slack, MONDAY_10_WARSAW, user="UBOB", channel="COTHER")
    assert len(slack.fake.calls) == calls


def test_an_edit_changes_nothing(slack: SlackDriver, session: Session, linked: None) -> None:
    ts = message(slack, MONDAY_10_WARSAW, user="UBOB")
    with nothing_changes(session):
        message(slack, MONDAY_10_WARSAW + timedelta(minutes=1), user=None, subtype="message_changed",
                message={"type": "message", "user": "UBOB", "text": "edited", "ts": ts})  # fmt: skip


def test_text_is_kept_only_where_asked_and_forgotten_when_deleted(
    slack: SlackDriver, session: Session, acme_without_contacts: None
) -> None:
    link(session, keep_text=True)
    long_text = "x" * 150 + " " + "y" * 100
    ts = message(slack, MONDAY_10_WARSAW, user="UBOB", text=long_text)
    asked = message(slack, MONDAY_10_WARSAW + timedelta(minutes=1), user="UCLIENT", team="TCLIENT",
                    text="can you call me?")  # fmt: skip
    [contact] = channel_contacts(session)
    assert contact.note == long_text[:200]
    assert [r.text for r in stored(session)] == [long_text[:200], "can you call me?"]
    for gone in (ts, asked):
        message(slack, MONDAY_10_WARSAW + timedelta(minutes=2), user=None, subtype="message_deleted",
                deleted_ts=gone, previous_message={"type": "message", "ts": gone})  # fmt: skip
    assert [c.note for c in channel_contacts(session)] == [""]
    assert [(r.text, r.deleted) for r in stored(session)] == [(None, True), (None, True)]


# answers ----------------------------------------------------------------------------------------------------------


def test_a_reply_in_the_thread_answers_the_client(slack: SlackDriver, session: Session, linked: None) -> None:
    asked = message(slack, MONDAY_10_WARSAW, user="UCLIENT", team="TCLIENT")
    other = message(slack, MONDAY_10_WARSAW + timedelta(minutes=1), user="UCLIENT", team="TCLIENT")
    message(slack, MONDAY_10_WARSAW + timedelta(minutes=30), user="UBOB", thread_ts=asked)
    found = {r.ts: (r.answered_by, r.answer) for r in stored(session) if r.side == "client"}
    assert found == {asked: ("UBOB", "reply"), other: (None, None)}  # a reply answers its own thread only


def test_a_later_message_in_the_channel_answers_everything_before_it(
    slack: SlackDriver, session: Session, linked: None
) -> None:
    first = message(slack, MONDAY_10_WARSAW, user="UCLIENT", team="TCLIENT")
    in_thread = message(slack, MONDAY_10_WARSAW + timedelta(minutes=1), user="UCLIENT", team="TCLIENT",
                        thread_ts=first)  # fmt: skip
    message(slack, MONDAY_10_WARSAW + timedelta(minutes=2), user="UCAROL")
    after = message(slack, MONDAY_10_WARSAW + timedelta(minutes=3), user="UCLIENT", team="TCLIENT")
    found = {r.ts: r.answer for r in stored(session) if r.side == "client"}
    assert found == {first: "message", in_thread: "message", after: None}


def test_a_bot_never_answers(slack: SlackDriver, session: Session, linked: None) -> None:
    asked = message(slack, MONDAY_10_WARSAW, user="UCLIENT", team="TCLIENT")
    message(slack, MONDAY_10_WARSAW + timedelta(minutes=1), user=None, bot_id="BOTHER", subtype="bot_message",
            thread_ts=asked)  # fmt: skip
    reaction(slack, asked, user="UCLIENT")  # the client's own ✅ is no answer either
    assert [r.answered_at for r in stored(session) if r.side == "client"] == [None]


def test_a_check_mark_by_a_teammate_answers(slack: SlackDriver, session: Session, linked: None) -> None:
    asked = message(slack, MONDAY_10_WARSAW, user="UCLIENT", team="TCLIENT")
    assert reaction(slack, asked, user="UBOB", name="white_check_mark").status == 200
    [row] = [r for r in stored(session) if r.side == "client"]
    assert (row.answered_by, row.answer, row.answered_at) == ("UBOB", "reaction", NOW)


def test_client_messages_read_out_of_order_are_answered(slack: SlackDriver, session: Session, linked: None) -> None:
    """The backfill may store a teammate's answer before the question is read: the question is answered."""
    answer_ts = message(slack, MONDAY_10_WARSAW + timedelta(minutes=5), user="UBOB")
    message(slack, MONDAY_10_WARSAW, user="UCLIENT", team="TCLIENT")
    [row] = [r for r in stored(session) if r.side == "client"]
    assert (row.answered_by, row.answer) == ("UBOB", "message")
    assert answer_ts in {r.ts for r in stored(session)}


def test_a_teammate_message_resets_the_quiet_clock(slack: SlackDriver, session: Session, linked: None) -> None:
    before = fresh(session).get(type(client_named(session, "Acme Corp")), client_named(session, "Acme Corp").id)
    assert before is not None and before.last_contact_at is None
    message(slack, MONDAY_10_WARSAW, user="UCAROL")
    acme = client_named(session, "Acme Corp")
    assert acme.last_contact_at == MONDAY_10_WARSAW
    assert acme.quiet_due_at == MONDAY_10_WARSAW + timedelta(days=14)


def test_a_teammates_message_closes_an_open_quiet_nudge_like_a_logged_contact(
    slack: SlackDriver, session: Session, sweeps: Sweeps, acme: None
) -> None:
    link(session)
    quiet_monday = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    assert sweeps.at(quiet_monday).posted == 1
    message(slack, quiet_monday + timedelta(minutes=20), user="UBOB")
    sweeps.at(quiet_monday + timedelta(minutes=25))
    [nudge] = nudges(session)
    assert (nudge.status, nudge.answer) == ("closed", "contacted")
    assert "A contact was logged since" in blocks_text(slack.fake.calls_to("chat.update")[-1])


@pytest.mark.expected_errors("canceling statement due to statement timeout")  # PostgreSQL's, when it gives up
def test_a_message_that_finds_the_database_busy_is_stored_late_not_lost(
    slack: SlackDriver, session: Session, engine: Engine, linked: None
) -> None:
    session.rollback()  # our own reads must not hold what the lock below wants
    with locked(engine, "channel_messages"):
        message(slack, MONDAY_10_WARSAW, user="UBOB", wait=False)
        slack.executor.drain()  # the short wait on Bolt's thread ran out: the store was handed to the pool
    slack.settle()
    assert [(r.user_id, r.side) for r in stored(session)] == [("UBOB", "team")]
    assert [c.user_id for c in channel_contacts(session)] == ["UBOB"]
