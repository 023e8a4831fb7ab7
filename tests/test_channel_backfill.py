"""Reading a linked channel's history: 30 days back, page by page, threads too, waiting out 429s."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from fakes.slack import Canned
from tests.channels import CHANNEL, event, link, links, stored, ts_of
from tests.conftest import NOW
from tests.driver import SlackDriver
from tests.helpers import Sweeps, client_named, contacts

MONDAY_10_WARSAW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
RATE_LIMITED = Canned({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "7"})


@pytest.fixture
def unread(slack: SlackDriver, session: Session, acme_without_contacts: None) -> None:
    """Acme Corp's channel linked but never joined nor read (as a survey channel is after migration 0005)."""
    link(session, read=False)


def said(slack: SlackDriver, at: datetime, user: str, **extra: object) -> str:
    ts = ts_of(at)
    slack.fake.add_message(CHANNEL, {"ts": ts, "user": user, "text": "hi", **extra})
    return ts


def test_the_sweep_joins_and_reads_30_days_page_by_page_through_a_429(
    slack: SlackDriver, session: Session, sweeps: Sweeps, unread: None
) -> None:
    start = NOW - timedelta(days=29)
    for minute in range(450):  # three pages of 200
        said(slack, start + timedelta(minutes=minute), "UBOB" if minute % 2 else "UCLIENT")
    said(slack, NOW - timedelta(days=31), "UCAROL")  # older than 30 days: not read
    slack.fake.queue("conversations.history", slack.fake.answer)
    slack.fake.queue("conversations.history", RATE_LIMITED)
    report = sweeps.at(NOW)
    assert report.channel_messages == 450
    assert sweeps.waits == [7.0]
    assert [c.params.get("cursor") for c in slack.fake.calls_to("conversations.history")] == [None, "c200", "c200",
                                                                                             "c400"]  # fmt: skip
    assert slack.fake.calls_to("conversations.join")[0].params["channel"] == CHANNEL
    [linked] = links(session)
    assert (linked.joined, linked.history_read_to) == (True, NOW)
    assert len(stored(session)) == 450
    assert {(c.user_id, c.source) for c in contacts(session)} == {("UBOB", "channel")}  # UCLIENT: Slack Connect
    # one contact a day: UBOB's first message that day
    assert client_named(session, "Acme Corp").last_contact_at == start + timedelta(minutes=1)


def test_threads_are_read_with_their_replies(
    slack: SlackDriver, session: Session, sweeps: Sweeps, unread: None
) -> None:
    asked = said(slack, MONDAY_10_WARSAW - timedelta(days=3), "UCLIENT", team="TCLIENT")
    said(slack, MONDAY_10_WARSAW - timedelta(days=3, minutes=-20), "UBOB", thread_ts=asked)
    unanswered = said(slack, MONDAY_10_WARSAW - timedelta(days=1), "UCLIENT", team="TCLIENT")
    sweeps.at(MONDAY_10_WARSAW)
    [call] = slack.fake.calls_to("conversations.replies")
    assert call.params["ts"] == asked
    waiting = {r.ts: r.answer for r in stored(session) if r.side == "client"}
    assert waiting == {asked: "reply", unanswered: None}
    [contact] = contacts(session)
    assert (contact.user_id, contact.occurred_at) == ("UBOB", MONDAY_10_WARSAW - timedelta(days=3, minutes=-20))


def test_a_channel_that_keeps_refusing_is_read_on_by_a_later_sweep(
    slack: SlackDriver, session: Session, sweeps: Sweeps, unread: None
) -> None:
    said(slack, NOW - timedelta(days=2), "UBOB")
    for _ in range(4):  # the first try and three retries
        slack.fake.queue("conversations.history", RATE_LIMITED)
    assert sweeps.at(NOW).channel_messages == 0
    [linked] = links(session)
    assert (linked.joined, linked.history_read_to) == (True, None)
    assert sweeps.at(NOW + timedelta(minutes=5)).channel_messages == 1
    assert [c.user_id for c in contacts(session)] == ["UBOB"]


def test_a_private_channel_waits_for_an_invitation_then_is_read(
    slack: SlackDriver, session: Session, sweeps: Sweeps, unread: None
) -> None:
    said(slack, NOW - timedelta(days=1), "UBOB")
    slack.fake.queue("conversations.join", Canned({"ok": False, "error": "method_not_supported_for_channel_type"}))
    sweeps.at(NOW)
    [linked] = links(session)
    assert (linked.joined, linked.join_tried_at, linked.history_read_to) == (False, NOW, None)
    assert slack.fake.calls_to("conversations.history") == []
    sweeps.at(NOW + timedelta(minutes=5))
    assert len(slack.fake.calls_to("conversations.join")) == 1  # not asked again every sweep
    invited = {"type": "member_joined_channel", "user": "UBOT", "channel": CHANNEL, "channel_type": "G",
               "team": "T1", "inviter": "UALICE", "event_ts": "1790000000.000100"}  # fmt: skip
    assert event(slack, invited).status == 200
    [linked] = links(session)
    assert linked.joined is True
    assert [c.user_id for c in contacts(session)] == ["UBOB"]


def test_someone_else_joining_a_linked_channel_reads_nothing(
    slack: SlackDriver, session: Session, unread: None
) -> None:
    joined = {"type": "member_joined_channel", "user": "UCAROL", "channel": CHANNEL, "channel_type": "C",
              "team": "T1", "event_ts": "1790000000.000100"}  # fmt: skip
    assert event(slack, joined).status == 200
    assert slack.fake.calls_to("conversations.history") == []
