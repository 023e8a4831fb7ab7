"""`/client person`: someone on the client's side (a Slack Connect member, a guest, or an email address), at one
client at a time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from tests.channels import message, stored
from tests.commands.linking import addresses, nothing_written, people
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
        (
            "person acme jo",
            "`jo` is not a person: pick them with `@` so Slack links them, or give their email address.",
        ),
        ("person acme @jo", "`@jo` is not a person"),
        ("person acme off", "Usage: `/client person"),
        ("person acme none", "Usage: `/client person"),
        (f"person acme off {JO} Jo", "Usage: `/client person"),
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


# people known by email ------------------------------------------------------------------------------------------

ADDED = "is now one of *Acme Corp*'s people: mail with them counts as a contact with *Acme Corp*."


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("jo@acme.com", ("jo@acme.com", None), "jo@acme.com"),
        ("<mailto:Jo@ACME.com|Jo@ACME.com>", ("jo@acme.com", None), "jo@acme.com"),  # as Slack sends a typed address
        ("jo@acme.com Jo Smith", ("jo@acme.com", "Jo Smith"), "Jo Smith (jo@acme.com)"),
        ('jo@acme.com "Jo  Smith"', ("jo@acme.com", "Jo Smith"), "Jo Smith (jo@acme.com)"),
        (
            "<mailto:jo@acme.com|jo@acme.com> Jo Smith-Łęcka",
            ("jo@acme.com", "Jo Smith-Łęcka"),
            "Jo Smith-Łęcka (jo@acme.com)",
        ),
        ("jo.smith+crm@Müller.de Jo", ("jo.smith+crm@xn--mller-kva.de", "Jo"), "Jo (jo.smith+crm@müller.de)"),
        ("jo@gmail.com", ("jo@gmail.com", None), "jo@gmail.com"),  # a public domain is fine for one person
    ],
)
def test_someone_known_by_email(
    slack: SlackDriver, session: Session, acme: None, typed: str, stored: tuple[str, str | None], shown: str
) -> None:
    assert ask(slack, f"person acme {typed}") == f"{shown} {ADDED}"
    assert addresses(session) == [(*stored, client_named(session, "Acme Corp").id)]
    assert f"*People:* {shown}\n" in ask(slack, "show acme")


def test_slack_people_and_email_people_together(slack: SlackDriver, session: Session, acme: None) -> None:
    ask(slack, f"person Acme Corp {JO}")
    ask(slack, "person Acme Corp pat@acme.com Pat")
    ask(slack, "person Acme Corp sam@acme.com")
    assert "*People:* <@UCLIENT>, Pat (pat@acme.com), sam@acme.com\n" in ask(slack, "show acme")


def test_adding_an_address_again_changes_nothing_or_its_name(slack: SlackDriver, session: Session, acme: None) -> None:
    ask(slack, "person acme jo@acme.com Jo")
    with nothing_written(session):
        assert ask(slack, "person acme JO@acme.com") == (
            "Jo (jo@acme.com) is already one of *Acme Corp*'s people. Nothing was changed."
        )
        assert ask(slack, "person acme jo@acme.com Jo") == (
            "Jo (jo@acme.com) is already one of *Acme Corp*'s people. Nothing was changed."
        )
    assert ask(slack, "person acme jo@acme.com Jo Smith") == "jo@acme.com at *Acme Corp* is now called Jo Smith."
    assert addresses(session) == [("jo@acme.com", "Jo Smith", client_named(session, "Acme Corp").id)]


def test_an_address_is_at_one_client(slack: SlackDriver, session: Session, acme: None) -> None:
    add(slack, '"Roadrunner Ltd"')
    ask(slack, "person acme jo@acme.com")
    with nothing_written(session):
        reply = ask(slack, "person roadrunner <mailto:Jo@acme.com|Jo@acme.com> Jo")
    assert reply == (
        ":warning: jo@acme.com is one of *Acme Corp*'s people already, and someone is at one client. Remove them "
        "there first (`/client person Acme Corp off jo@acme.com`). Nothing was changed."
    )


def test_someone_at_another_clients_domain_is_theirs_by_their_own_entry(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    add(slack, '"Roadrunner Ltd"')
    ask(slack, "domain acme acme.com")
    assert ask(slack, "person roadrunner vip@acme.com") == (
        "vip@acme.com is now one of *Roadrunner Ltd*'s people: mail with them counts as a contact with *Roadrunner "
        "Ltd*. Their address is at acme.com, which is *Acme Corp*'s, but their own entry wins."
    )
    assert addresses(session) == [("vip@acme.com", None, client_named(session, "Roadrunner Ltd").id)]


def test_a_teammates_address_is_never_a_clients_person(slack: SlackDriver, session: Session, acme: None) -> None:
    slack.fake.add_user("UBOB", email="Bob@OurCo.test")
    slack.fake.add_user("UGUEST", email="guest@ourco.test", is_restricted=True)
    ask(slack, "person acme <@UGUEST>", user="UBOB")  # Bob's profile, read (and kept) when he acts
    with nothing_written(session):
        reply = ask(slack, "person acme <mailto:bob@ourco.test|bob@ourco.test>", user="UBOB")
    assert reply == (
        ":warning: bob@ourco.test is <@UBOB>'s address: a teammate is never one of a client's people. Nothing was "
        "changed."
    )
    assert ask(slack, "person acme guest@ourco.test").startswith("guest@ourco.test is now one of")  # a guest's is fine


def test_removing_someone_by_address_or_by_name(slack: SlackDriver, session: Session, acme: None) -> None:
    ask(slack, "person acme jo@acme.com Jo Smith")
    ask(slack, "person acme pat@acme.com Pat")
    assert ask(slack, "person acme off <mailto:JO@acme.com|JO@acme.com>") == (
        "Jo Smith (jo@acme.com) is no longer one of *Acme Corp*'s people."
    )
    assert ask(slack, "person Acme Corp off PAT") == "Pat (pat@acme.com) is no longer one of *Acme Corp*'s people."
    assert addresses(session) == []
    assert "*People:*" not in ask(slack, "show acme")
    with nothing_written(session):
        assert ask(slack, "person acme off jo@acme.com") == (
            "jo@acme.com is not one of *Acme Corp*'s people. Nothing was changed."
        )
        assert ask(slack, 'person acme off "Jo Smith"') == (
            "*Acme Corp* has no one called Jo Smith. Nothing was changed. Name them by their address or `@mention` "
            "(`/client show` lists them)."
        )


def test_removing_by_a_name_two_people_have_says_which_addresses(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    ask(slack, "person acme jo@acme.com Jo Smith")
    ask(slack, "person acme jo.smith@acme.com jo smith")
    with nothing_written(session):
        reply = ask(slack, "person acme off Jo Smith")
    assert reply == (
        ":warning: Several people are called Jo Smith (jo@acme.com, jo.smith@acme.com): name the one by address. "
        "Nothing was changed."
    )


def test_removing_someone_the_clients_domain_still_covers_says_so(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    ask(slack, "domain acme acme.com")
    ask(slack, "person acme jo@mail.acme.com Jo")
    assert ask(slack, "person acme off jo@mail.acme.com") == (
        "Jo (jo@mail.acme.com) is no longer one of *Acme Corp*'s people. Mail with them still counts for *Acme "
        "Corp*: anyone at acme.com belongs to it (`/client domain Acme Corp off acme.com` stops that)."
    )
    with nothing_written(session):
        assert ask(slack, "person acme off pat@acme.com") == (
            "pat@acme.com is not one of *Acme Corp*'s people. Nothing was changed. Mail with them counts for *Acme "
            "Corp* all the same: anyone at acme.com belongs to it (`/client domain Acme Corp off acme.com` stops "
            "that)."
        )


def test_another_workspaces_people_are_invisible(slack: SlackDriver, session: Session, acme: None) -> None:
    slack.fake.add_user("UT2", team="T2")
    add(slack, '"Acme Corp"', team="T2", user="UT2")
    ask(slack, "person acme jo@acme.com Jo")
    assert ask(slack, "person acme jo@acme.com Jo", team="T2", user="UT2") == f"Jo (jo@acme.com) {ADDED}"
    with nothing_written(session):
        assert ask(slack, "person acme off pat@acme.com", team="T2", user="UT2").startswith("pat@acme.com is not")
    ours, theirs = client_named(session, "Acme Corp"), client_named(session, "Acme Corp", team="T2")
    assert addresses(session) == [("jo@acme.com", "Jo", ours.id), ("jo@acme.com", "Jo", theirs.id)]
    assert ask(slack, "person acme off jo@acme.com", team="T2", user="UT2").endswith(
        "no longer one of *Acme Corp*'s people."
    )
    assert addresses(session) == [("jo@acme.com", "Jo", ours.id)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "person acme jo@",
            "`jo@` is not an email address: it needs a name, an `@` and a domain, as in `jo@acme.com`.",
        ),
        ("person acme jo@acme", "`jo@acme` is not an email address"),
        ("person acme jo..smith@acme.com", "is not an email address"),
        ("person acme jo@acme..com", "is not an email address"),
        ("person acme jo@[10.0.0.1]", "is not an email address"),
        ("person acme jo@10.0.0.1", "is not an email address"),
        ("person acme jo@-acme.com", "is not an email address"),
        ("person acme <mailto:jo@acme|jo@acme>", "`jo@acme` is not an email address"),
        ("person acme Jo Smith &lt;jo@acme.com&gt;", "Give the address alone, and the name after it"),
        ("person acme jo@acme.com,", "is not an email address"),
        (f"person acme {'j' * 64}@{'a' * 63}.{'b' * 63}.{'c' * 63}.com", "longer than an email address can be"),
        (f"person acme {'j' * 65}@acme.com", "is not an email address"),
        (f"person acme jo@acme.com {'J' * 81}", "The name is too long: 81 characters, 80 at most."),
        ('person acme jo@acme.com "Jo" Smith', "Usage: `/client person"),
        (f"person acme jo@acme.com {JO}", "Usage: `/client person"),
        (f"person acme {JO} jo@acme.com", "Usage: `/client person"),
        ("person acme off jo@acme.com Jo", "Usage: `/client person"),
        ('person acme off ""', "Usage: `/client person"),
        ("person jo@acme.com Jo", "Which client?"),
        ("person off jo@acme.com", "Which client?"),
        ("person off Jo Smith", "Which client?"),
        ("person nosuch jo@acme.com", "I don't know a client called *nosuch*"),
        ("person nosuch off Jo", "I don't know a client called *nosuch*"),
    ],
)
def test_bad_email_person_commands_change_nothing(
    slack: SlackDriver, session: Session, acme: None, text: str, expected: str
) -> None:
    with nothing_written(session):
        reply = ask(slack, text)
    assert reply.startswith(":warning:") and expected in reply, reply
    assert "went wrong" not in reply
