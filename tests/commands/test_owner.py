"""`/client owner`: handing a client over, and the note the new owner gets."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from domain.clock import FixedClock
from fakes.slack import Canned, FakeSlack
from tests.driver import SlackDriver
from tests.helpers import NOTHING_CHANGED, add, ask, at, client_named, nothing_changes


def test_owner_hands_a_client_over_and_tells_the_new_owner(
    slack: SlackDriver, session: Session, clock: FixedClock
) -> None:
    add(slack, '"Acme Corp" key')
    clock.set(at(23))
    reply = ask(slack, "owner acme <@UBOB|bob>")
    assert reply == "*Acme Corp* now belongs to <@UBOB> (was <@UALICE>)."
    client = client_named(session, "Acme Corp")
    assert (client.owner_id, client.created_by, client.updated_at) == ("UBOB", "UALICE", at(23))
    [dm] = slack.fake.calls_to("chat.postMessage")
    assert dm.params["channel"] == "UBOB"
    assert dm.params["text"] == (
        "<@UALICE> handed *Acme Corp* over to you (every 2 weeks). `/client show Acme Corp` has its story so far."
    )
    assert "*Acme Corp*" in ask(slack, "list mine", user="UBOB")


def test_owner_hand_over_stands_when_the_dm_cannot_be_delivered(
    slack: SlackDriver, session: Session, plain_acme: None
) -> None:
    slack.fake.queue("chat.postMessage", Canned({"ok": False, "error": "cannot_dm_bot"}))
    reply = ask(slack, "owner acme <@UBOB>")
    # The hand-over was committed and confirmed; a failed note must not claim that nothing changed.
    assert reply == "*Acme Corp* now belongs to <@UBOB> (was <@UALICE>)."
    assert client_named(session, "Acme Corp").owner_id == "UBOB"
    assert len(slack.fake.calls_to("chat.postMessage")) == 1


def test_owner_to_the_current_owner_changes_nothing(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    with nothing_changes(session):
        reply = ask(slack, "owner acme <@UALICE>")
    assert reply == f"<@UALICE> already owns *Acme Corp*. {NOTHING_CHANGED}"
    assert slack.fake.calls_to("chat.postMessage") == []


def test_taking_a_client_over_yourself_sends_no_dm(slack: SlackDriver, session: Session) -> None:
    add(slack, "Acme Corp owner <@UBOB>")
    assert ask(slack, "owner acme <@UALICE>") == "*Acme Corp* now belongs to <@UALICE> (was <@UBOB>)."
    assert client_named(session, "Acme Corp").owner_id == "UALICE"
    assert slack.fake.calls_to("chat.postMessage") == []


@pytest.mark.parametrize(
    ("owner", "why"),
    [
        ("UROBOT", "is a bot"),
        ("USLACKBOT", "is a bot"),
        ("UGONE", "is deactivated"),
        ("UNOBODY", "is not someone I can find in Slack"),
        ("UOTHER", "is not a member of this workspace"),
    ],
)
def test_owner_must_be_an_active_person_of_the_workspace(
    slack: SlackDriver, session: Session, fake_slack: FakeSlack, plain_acme: None, owner: str, why: str
) -> None:
    fake_slack.add_user("UROBOT", is_bot=True)
    fake_slack.add_user("USLACKBOT")
    fake_slack.add_user("UGONE", deleted=True)
    fake_slack.add_user("UOTHER", team="T2")
    with nothing_changes(session):
        reply = ask(slack, f"owner acme <@{owner}|someone>")
    assert reply == f":warning: <@{owner}> {why}, so they can't own a client or a promise. {NOTHING_CHANGED}"
    assert slack.fake.calls_to("chat.postMessage") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("owner acme bob", "That does not look right.\nUsage: `/client owner <client> @someone`"),
        ("owner <@UBOB>", "That does not look right.\nUsage: `/client owner <client> @someone`"),
        ("owner globex <@UBOB>", "I don't know a client called *globex*."),
    ],
)
def test_owner_rejects(slack: SlackDriver, session: Session, plain_acme: None, text: str, expected: str) -> None:
    with nothing_changes(session):
        assert ask(slack, text).startswith(f":warning: {expected}")
    assert slack.fake.calls_to("chat.postMessage") == []
