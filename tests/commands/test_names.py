"""Finding a client by what people type: its name in any case, quoted or not, a prefix, an alias.

A name that is ambiguous or unknown gets a "did you mean", and then nothing changes.
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.driver import SlackDriver
from tests.helpers import NOTHING_CHANGED, add, ask, client_named, contacts, log, nothing_changes


def test_log_picks_the_longest_known_name(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    add(slack, "Acme")
    assert log(slack, "acme corp called them").startswith("Logged a contact with *Acme Corp*,")
    assert log(slack, "ACME called too").startswith("Logged a contact with *Acme*,")
    assert [(c.client_id, c.note) for c in contacts(session)] == [
        (client_named(session, "Acme Corp").id, "called them"),
        (client_named(session, "Acme").id, "called too"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        '"Acme Corp" called them',
        "\u201cAcme Corp\u201d called them",
        '"acme corp" called them',
        '"acme" called them',
        "Acme Corp called them",
        "acme called them",
        "ac called them",
    ],
)
def test_log_finds_the_client_quoted_or_by_a_prefix(
    slack: SlackDriver, session: Session, plain_acme: None, text: str
) -> None:
    add(slack, "Globex")
    log(slack, text)
    [contact] = contacts(session)
    assert (contact.client_id, contact.note) == (client_named(session, "Acme Corp").id, "called them")


def test_log_by_alias(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    ask(slack, "alias acme Roadrunner Supplies")
    assert log(slack, "roadrunner supplies sent the catalogue").startswith("Logged a contact with *Acme Corp*,")
    [contact] = contacts(session)
    assert (contact.client_id, contact.note) == (client_named(session, "Acme Corp").id, "sent the catalogue")


def test_log_with_an_ambiguous_prefix_suggests_and_writes_nothing(
    slack: SlackDriver, session: Session, plain_acme: None
) -> None:
    add(slack, "Acme Labs")
    with nothing_changes(session):
        reply = ask(slack, "log acme called about the invoice")
    assert reply.startswith(":warning: *acme* could be *Acme Corp* or *Acme Labs*. Did you mean one of them?")
    assert reply.endswith(NOTHING_CHANGED)


def test_log_with_a_typo_suggests_and_writes_nothing(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    add(slack, "Globex")
    with nothing_changes(session):
        reply = ask(slack, "log acmee called about the invoice")
    assert reply.startswith(":warning: I don't know a client called *acmee*. Did you mean *Acme Corp*")
    assert "Globex" not in reply
    assert reply.endswith(NOTHING_CHANGED)


def test_log_finds_names_in_any_case_beyond_ascii(slack: SlackDriver, session: Session) -> None:
    add(slack, "Straße Bau")
    add(slack, "Ärzte Verbund")
    log(slack, "STRASSE BAU called")
    log(slack, "straße called again")
    log(slack, "ÄRZTE verbund wrote")
    assert [(c.client_id, c.note) for c in contacts(session)] == [
        (client_named(session, "Straße Bau").id, "called"),
        (client_named(session, "Straße Bau").id, "called again"),
        (client_named(session, "Ärzte Verbund").id, "wrote"),
    ]


def test_like_wildcards_in_names_are_plain_characters(slack: SlackDriver, session: Session) -> None:
    add(slack, "100% Juice")
    add(slack, "1000 Juices")
    add(slack, "A_B Partners")
    add(slack, "AxB Partners")
    log(slack, "100% fresh order")
    log(slack, "a_b renewal")
    assert [(c.client_id, c.note) for c in contacts(session)] == [
        (client_named(session, "100% Juice").id, "fresh order"),
        (client_named(session, "A_B Partners").id, "renewal"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "show acme",
        "key acme on",
        "cadence acme 2w",
        "owner acme <@UBOB>",
        "promise acme send the quote by friday",
        "export acme",
        "alias acme Roadrunner",
        "unalias acme Roadrunner",
    ],
)
def test_an_ambiguous_prefix_changes_nothing_anywhere(
    slack: SlackDriver, session: Session, plain_acme: None, text: str
) -> None:
    add(slack, "Acme Labs")
    log(slack, '"Acme Corp" called')
    with nothing_changes(session):
        reply = ask(slack, text)
    assert reply.startswith(":warning: *acme* could be *Acme Corp* or *Acme Labs*. Did you mean one of them?")
    assert slack.fake.calls_to("chat.postMessage") == []
    assert slack.fake.calls_to("upload") == []


def test_log_when_there_are_no_clients(slack: SlackDriver, session: Session) -> None:
    with nothing_changes(session):
        reply = ask(slack, "log acme called")
    assert reply == (
        ":warning: I don't know a client called *acme*. Add it with `/client add <name>`, "
        f"or see them all with `/client list`. {NOTHING_CHANGED}"
    )


def test_show_an_unknown_client(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    with nothing_changes(session):
        reply = ask(slack, "show Acne Crop")
    assert reply.startswith(":warning: I don't know a client called *Acne Crop*. Did you mean *Acme Corp*?")
