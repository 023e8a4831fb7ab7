"""`/client add`: a new client, its key flag, cadence and owner; names that exist or cannot be."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from fakes.slack import FakeSlack
from tests.conftest import NOW
from tests.driver import SlackDriver
from tests.helpers import NOTHING_CHANGED, add, ask, client_named, clients, nothing_changes


def test_add_an_unquoted_multiword_name(slack: SlackDriver, session: Session) -> None:
    reply = ask(slack, "add Acme Corp")
    assert reply == (
        "Added *Acme Corp*, owned by <@UALICE>, no cadence. Log a contact with `/client log Acme Corp <note>`."
    )
    [client] = clients(session)
    assert (client.team_id, client.name, client.name_key) == ("T1", "Acme Corp", "acme corp")
    assert (client.is_key, client.cadence_days) == (False, None)
    assert (client.owner_id, client.created_by) == ("UALICE", "UALICE")
    assert client.created_at == client.updated_at == NOW


@pytest.mark.parametrize(
    "text",
    ['"Acme Corp"', "\u201cAcme Corp\u201d", "\u201eAcme Corp\u201c", '"  Acme   Corp "', "Acme\n Corp"],
)
def test_add_a_quoted_name(slack: SlackDriver, session: Session, text: str) -> None:
    assert add(slack, text).startswith("Added *Acme Corp*,")
    assert [c.name for c in clients(session)] == ["Acme Corp"]


def test_add_a_key_client_gets_a_14_day_cadence(slack: SlackDriver, session: Session) -> None:
    reply = ask(slack, 'add "Acme Corp" key')
    assert reply.startswith("Added *Acme Corp* as a key client, owned by <@UALICE>, every 2 weeks.")
    client = client_named(session, "Acme Corp")
    assert (client.is_key, client.cadence_days) == (True, 14)


def test_add_with_a_cadence(slack: SlackDriver, session: Session) -> None:
    assert add(slack, "Acme every 3w").startswith("Added *Acme*, owned by <@UALICE>, every 3 weeks.")
    assert add(slack, "Globex every 10 days").startswith("Added *Globex*, owned by <@UALICE>, every 10 days.")
    assert add(slack, "Initech key every 1w").startswith(
        "Added *Initech* as a key client, owned by <@UALICE>, every week."
    )
    assert [(c.name, c.is_key, c.cadence_days) for c in clients(session)] == [
        ("Acme", False, 21),
        ("Globex", False, 10),
        ("Initech", True, 7),
    ]


def test_add_with_an_owner(slack: SlackDriver, session: Session) -> None:
    reply = ask(slack, "add Acme Corp key every 3w owner <@UBOB|bob>")
    assert reply.startswith("Added *Acme Corp* as a key client, owned by <@UBOB>, every 3 weeks.")
    client = client_named(session, "Acme Corp")
    assert (client.owner_id, client.created_by, client.cadence_days) == ("UBOB", "UALICE", 21)


@pytest.mark.parametrize("text", ["Acme Corp", "acme corp", '"ACME  CORP"', "Acme Corp key every 2w"])
def test_add_a_name_that_exists_in_any_case(slack: SlackDriver, session: Session, plain_acme: None, text: str) -> None:
    with nothing_changes(session):
        reply = ask(slack, f"add {text}")
    assert reply == f":warning: There is already a client called *Acme Corp*. {NOTHING_CHANGED}"


def test_add_a_name_that_is_another_clients_alias(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    ask(slack, "alias acme ACME Inc")
    with nothing_changes(session):
        reply = ask(slack, "add acme inc")
    assert reply == f":warning: *acme inc* is already another name of *Acme Corp*. {NOTHING_CHANGED}"


def test_add_a_name_that_only_starts_like_another(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    add(slack, "Acme")
    assert [c.name for c in clients(session)] == ["Acme Corp", "Acme"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("add", "Which client?\nUsage: `/client add <name> [key] [every <N>d|<N>w] [owner @someone]`"),
        ('add "Acme" Corp', "Put the whole client name in quotes, or none of it."),
        ("add Acme every 0d", "*0d* is not a cadence I understand"),
        ("add Acme every 999w", "*999w* is not a cadence I understand"),
        ('add ""', "The client name is empty."),
        ("add " + "x" * 81, "The client name is too long: 81 characters, 80 at most."),
    ],
)
def test_add_rejects(slack: SlackDriver, session: Session, text: str, expected: str) -> None:
    with nothing_changes(session):
        reply = ask(slack, text)
    assert reply.startswith(f":warning: {expected}")


def test_add_accepts_a_name_of_80_characters(slack: SlackDriver, session: Session) -> None:
    add(slack, "x" * 80)
    assert [len(c.name) for c in clients(session)] == [80]


def test_add_a_name_whose_compared_form_is_longer_than_the_name(slack: SlackDriver, session: Session) -> None:
    # Case-folding turns every "ß" into "ss": an 80-character name has a longer key, which must still fit.
    name = "Großhandel Straßenbau Süßwaren Fußball Grüße " + "ß" * 35
    assert len(name) == 80
    add(slack, f'"{name}"')
    assert [c.name_key for c in clients(session)] == [name.casefold()]
    assert "Großhandel" in ask(slack, "show GROSSHANDEL")
    with nothing_changes(session):
        reply = ask(slack, f'add "{name}x"')
    assert reply.startswith(":warning: The client name is too long: 81 characters, 80 at most.")


@pytest.mark.parametrize(
    ("owner", "why"),
    [
        ("UROBOT", "is a bot"),
        ("UGONE", "is deactivated"),
        ("UNOBODY", "is not someone I can find in Slack"),
        ("UOTHER", "is not a member of this workspace"),
    ],
)
def test_add_with_an_owner_who_cannot_own(
    slack: SlackDriver, session: Session, fake_slack: FakeSlack, owner: str, why: str
) -> None:
    fake_slack.add_user("UROBOT", is_bot=True)
    fake_slack.add_user("UGONE", deleted=True)
    fake_slack.add_user("UOTHER", team="T2")
    with nothing_changes(session):
        reply = ask(slack, f"add Acme owner <@{owner}|someone>")
    assert reply == f":warning: <@{owner}> {why}, so they can't own a client or a promise. {NOTHING_CHANGED}"
