"""`/client person`: someone on the client's side (a Slack Connect member or a guest), at one client at a time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from tests.channels import message, stored
from tests.commands.linking import nothing_written, people
from tests.driver import SlackDriver
from tests.helpers import add, ask, client_named

JO = "<@UCLIENT|jo>"  # a Slack Connect member of the client's workspace (TCLIENT)
MONDAY_10_WARSAW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_a_slack_connect_member_and_a_guest_can_be_the_clients_people(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    slack.fake.add_user("UGUEST", is_restricted=True)
    assert ask(slack, f"person acme {JO}") == (
        "<@UCLIENT> is now one of *Acme Corp*'s people: their messages in its channels wait for our answer."
    )
    ask(slack, "person Acme Corp <@UGUEST>")
    acme = client_named(session, "Acme Corp")
    assert people(session) == [("UCLIENT", acme.id), ("UGUEST", acme.id)]
    assert "*People:* <@UCLIENT>, <@UGUEST>" in ask(slack, "show acme")


def test_their_messages_wait_for_our_answer(slack: SlackDriver, session: Session, acme: None) -> None:
    slack.fake.add_user("UGUEST", is_restricted=True)
    ask(slack, "person acme <@UGUEST>")
    ask(slack, "channel acme <#CACME>")
    message(slack, MONDAY_10_WARSAW, user="UGUEST", text="any news?")
    assert [(m.user_id, m.side) for m in stored(session)] == [("UGUEST", "client")]


def test_adding_someone_again_changes_nothing(slack: SlackDriver, session: Session, acme: None) -> None:
    ask(slack, f"person acme {JO}")
    with nothing_written(session):
        assert (
            ask(slack, f"person acme {JO}") == "<@UCLIENT> is already one of *Acme Corp*'s people. Nothing was changed."
        )


def test_someone_is_at_one_client(slack: SlackDriver, session: Session, acme: None) -> None:
    add(slack, '"Roadrunner Ltd"')
    ask(slack, f"person acme {JO}")
    with nothing_written(session):
        reply = ask(slack, f"person roadrunner {JO}")
    assert reply == (
        ":warning: <@UCLIENT> is one of *Acme Corp*'s people already, and someone is at one client. Remove them "
        "there first (`/client person Acme Corp off @someone`). Nothing was changed."
    )


def test_removing_someone(slack: SlackDriver, session: Session, acme: None) -> None:
    ask(slack, f"person acme {JO}")
    assert ask(slack, f"person acme off {JO}") == "<@UCLIENT> is no longer one of *Acme Corp*'s people."
    assert people(session) == []
    assert "*People:*" not in ask(slack, "show acme")
    with nothing_written(session):
        assert (
            ask(slack, f"person acme off {JO}") == "<@UCLIENT> is not one of *Acme Corp*'s people. Nothing was changed."
        )


@pytest.mark.parametrize(
    ("user", "profile", "why"),
    [
        ("UBOB", None, "is a member of this workspace, so their messages count as the team's"),
        ("UROBOT", {"is_bot": True, "team": "TCLIENT"}, "is a bot"),
        ("UGONE", {"deleted": True, "is_restricted": True}, "is deactivated"),
        ("UNOBODY", None, "is not someone I can find in Slack"),
    ],
)
def test_only_the_clients_side_can_be_added(
    slack: SlackDriver, session: Session, acme: None, user: str, profile: dict[str, object] | None, why: str
) -> None:
    if profile is not None:  # UBOB is a teammate already; Slack knows no UNOBODY
        slack.fake.add_user(user, **profile)  # type: ignore[arg-type]
    with nothing_written(session):
        reply = ask(slack, f"person acme <@{user}>")
    assert reply == (
        f":warning: <@{user}> {why}: a client's people are guests of this workspace or Slack Connect members from "
        "the client's own Slack. Nothing was changed."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("person", "Usage: `/client person"),
        ("person acme", "Usage: `/client person"),
        ("person acme jo", "`jo` is not a person: pick them with `@` so Slack links them."),
        ("person acme jo@acme.com", "`jo@acme.com` is not a person"),
        (f"person acme {JO} <@UGUEST>", "Usage: `/client person"),
        (f"person acme {JO} Jo Smith", "Usage: `/client person"),
        (f"person {JO}", "Which client?"),
        (f"person off {JO}", "Which client?"),
        (f'person acme "{JO}"', "is not a person"),
        (f"person nosuch {JO}", "I don't know a client called *nosuch*"),
    ],
)
def test_bad_person_commands_change_nothing(
    slack: SlackDriver, session: Session, acme: None, text: str, expected: str
) -> None:
    with nothing_written(session):
        reply = ask(slack, text)
    assert reply.startswith(":warning:") and expected in reply, reply
