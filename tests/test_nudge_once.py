"""Every nudge exactly once, even when a sweep never learned that Slack took its post.

A sweep killed after Slack accepted a post, or one that gave up waiting for Slack's answer, leaves a claim
that a later sweep takes over; that sweep first looks for the message (its metadata lists the nudge ids) in
the recipient's conversation, and records it instead of posting it again.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from domain.clock import FixedClock
from domain.nudge_candidates import load_candidates
from domain.nudge_claims import claim
from domain.nudge_planning import plan
from fakes.slack import Call, Canned
from storage.db import make_session_factory
from storage.models import Person
from tests.driver import SlackDriver
from tests.helpers import Sweeps, nudges, posts

MONDAY_10_WARSAW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
SLACK_TIMEOUT = 0.3  # seconds the sweep's client waits for Slack's answer in the test that never gets one


@pytest.fixture
def sweeps(sweeps: Sweeps, clock: FixedClock, slack: SlackDriver) -> Sweeps:
    """The shared sweeps, with Slack's ts following the tests' clock."""
    slack.fake.clock = lambda: clock.now().timestamp()
    return sweeps


def _history_calls(slack: SlackDriver) -> list[Call]:
    return slack.fake.calls_to("conversations.history")


def test_a_post_slack_took_but_never_answered_is_found_not_posted_again(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme_without_contacts: None
) -> None:
    answered = threading.Event()

    def take_then_hang(call: Call) -> Canned:
        answer = slack.fake.answer(call)  # Slack has the message (it is in the DM's history) ...
        answered.wait(timeout=30)  # ... but the sweep stops waiting for the answer first
        return answer

    slack.fake.queue("chat.postMessage", take_then_hang)
    sweeps.slack.timeout = SLACK_TIMEOUT  # type: ignore[assignment]
    report = sweeps.at(MONDAY_10_WARSAW)
    answered.set()
    assert (report.posted, report.failed) == (0, 1)
    assert _history_calls(slack) == []  # a first claim posts straight away
    [nudge] = nudges(session)
    assert nudge.status == "claimed" and nudge.last_error is not None and "timed out" in nudge.last_error
    [message] = slack.fake.history["DUALICE"]

    sweeps.slack.timeout = 30
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(minutes=2)).posted == 0  # not before the retry time
    report = sweeps.at(MONDAY_10_WARSAW + timedelta(minutes=5))
    assert (report.posted, report.failed) == (1, 0)
    assert len(posts(slack.fake)) == 1  # found, not posted again
    [nudge] = nudges(session)
    assert (nudge.status, nudge.channel_id, nudge.ts) == ("posted", "DUALICE", message["ts"])
    [opened] = slack.fake.calls_to("conversations.open")
    assert opened.params["users"] == "UALICE"
    [looked] = _history_calls(slack)
    assert looked.params["channel"] == "DUALICE" and looked.params["include_all_metadata"] in (True, "true", "1")
    assert float(looked.params["oldest"]) <= MONDAY_10_WARSAW.timestamp() and 0 < int(looked.params["limit"]) <= 200


def _killed_sweep(session: Session, at: datetime) -> None:
    """A sweep that claims the nudge and dies before posting it (or before recording the post)."""
    with make_session_factory(session.get_bind())() as dying, dying.begin():
        candidates = load_candidates(dying, now=at)
        candidates.people[("T1", "UALICE")] = Person(
            team_id="T1", user_id="UALICE", tz="Europe/Warsaw", is_bot=False, deleted=False, fetched_at=at
        )
        claim(dying, plan(candidates).posts, now=at)


def test_a_sweep_killed_after_posting_leaves_one_message(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme_without_contacts: None
) -> None:
    _killed_sweep(session, MONDAY_10_WARSAW)
    [nudge] = nudges(session)
    slack.fake.history["DUALICE"] = [  # what the dead sweep had posted
        {"type": "message", "ts": f"{MONDAY_10_WARSAW.timestamp() + 1:.6f}", "text": "Acme Corp",
         "metadata": {"event_type": "rapport_nudge", "event_payload": {"nudges": f"{nudge.id}"}}},
    ]  # fmt: skip
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(minutes=11)).posted == 1
    assert posts(slack.fake) == []
    [nudge] = nudges(session)
    assert (nudge.status, nudge.channel_id, nudge.ts) == (
        "posted",
        "DUALICE",
        f"{MONDAY_10_WARSAW.timestamp() + 1:.6f}",
    )


def test_a_sweep_killed_before_posting_leaves_one_message(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme_without_contacts: None
) -> None:
    _killed_sweep(session, MONDAY_10_WARSAW)
    slack.fake.history["DUALICE"] = [  # other nudges' messages, and one without metadata, do not count
        {"type": "message", "ts": f"{MONDAY_10_WARSAW.timestamp() + 1:.6f}", "text": "hello"},
        {"type": "message", "ts": f"{MONDAY_10_WARSAW.timestamp() + 2:.6f}", "text": "another",
         "metadata": {"event_type": "rapport_nudge", "event_payload": {"nudges": "12345,678"}}},
    ]  # fmt: skip
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(minutes=11)).posted == 1
    assert len(_history_calls(slack)) == 1
    [post] = posts(slack.fake)
    assert post.params["channel"] == "UALICE"
    [nudge] = nudges(session)
    assert (nudge.status, nudge.ts) == ("posted", slack.fake.history["DUALICE"][-1]["ts"])
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(minutes=30)).posted == 0  # and only once


def test_when_the_history_cannot_be_read_it_posts(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme_without_contacts: None
) -> None:
    _killed_sweep(session, MONDAY_10_WARSAW)
    slack.fake.queue("conversations.history", Canned({"ok": False, "error": "missing_scope", "needed": "im:history"}))
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(minutes=11)).posted == 1  # never lose a nudge
    assert len(posts(slack.fake)) == 1
    assert [n.status for n in nudges(session)] == ["posted"]


def test_a_failed_post_to_an_unreachable_dm_is_looked_for_in_the_team_channel(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme_without_contacts: None
) -> None:
    slack.command("config channel <#CTEAM|team>")
    _killed_sweep(session, MONDAY_10_WARSAW)
    [nudge] = nudges(session)
    slack.fake.queue("conversations.open", Canned({"ok": False, "error": "user_not_found"}))
    slack.fake.queue("chat.postMessage", Canned({"ok": False, "error": "user_not_found"}))
    slack.fake.history["CTEAM"] = [  # the dead sweep had fallen back to the team channel
        {"type": "message", "ts": f"{MONDAY_10_WARSAW.timestamp() + 1:.6f}", "text": "Acme Corp",
         "metadata": {"event_type": "rapport_nudge", "event_payload": {"nudges": f"{nudge.id}"}}},
    ]  # fmt: skip
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(minutes=11)).posted == 1
    assert [c.params["channel"] for c in posts(slack.fake)] == ["UALICE"]  # refused; the team channel had it
    [nudge] = nudges(session)
    assert (nudge.recipient_id, nudge.channel_id, nudge.status) == ("CTEAM", "CTEAM", "posted")
