"""`/client alias` and `/client unalias`: other names a client is found by."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.driver import SlackDriver
from tests.helpers import NOTHING_CHANGED, add, aliases, ask, client_named, nothing_changes


@pytest.mark.parametrize(
    "text",
    [
        "alias acme Roadrunner Supplies",
        'alias "Acme Corp" Roadrunner Supplies',
        'alias acme "Roadrunner Supplies"',
        "alias Acme Corp \u201cRoadrunner Supplies\u201d",
    ],
)
def test_alias(slack: SlackDriver, session: Session, plain_acme: None, text: str) -> None:
    assert ask(slack, text) == "*Acme Corp* can now also be found as *Roadrunner Supplies*."
    [alias] = aliases(session)
    assert (alias.team_id, alias.alias, alias.alias_key) == ("T1", "Roadrunner Supplies", "roadrunner supplies")
    assert alias.client_id == client_named(session, "Acme Corp").id
    assert "*Also known as:* Roadrunner Supplies" in ask(slack, "show roadrunner")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("alias acme Globex", "There is already a client called *Globex*."),
        ("alias acme GLOBEX", "There is already a client called *Globex*."),
        ("alias acme Acme Corp", "There is already a client called *Acme Corp*."),
        ("alias acme initrode", "*initrode* is already another name of *Globex*."),
        ('alias acme "Initrode"', "*Initrode* is already another name of *Globex*."),
        ("alias acme", "Which other name? Add it after the client's name."),
        ('alias acme ""', "Which other name? Add it after the client's name."),
        ("alias acme " + "x" * 81, "The alias is too long: 81 characters, 80 at most."),
        ("alias initech Initrode", "I don't know a client called *initech*."),
    ],
)
def test_alias_rejects(slack: SlackDriver, session: Session, plain_acme: None, text: str, expected: str) -> None:
    add(slack, "Globex")
    ask(slack, "alias globex Initrode")
    with nothing_changes(session):
        assert ask(slack, text).startswith(f":warning: {expected}")


def test_unalias(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    ask(slack, "alias acme Roadrunner")
    assert ask(slack, "unalias acme ROADRUNNER") == "*Acme Corp* is no longer found as *ROADRUNNER*."
    assert aliases(session) == []
    with nothing_changes(session):
        assert ask(slack, "unalias acme Roadrunner") == (
            f"*Acme Corp* has no other name *Roadrunner*. {NOTHING_CHANGED}"
        )
        assert ask(slack, "log roadrunner hello").startswith(":warning: I don't know a client called *roadrunner*.")


def test_unalias_a_quoted_alias(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    ask(slack, "alias acme Roadrunner Supplies")
    assert ask(slack, 'unalias "Acme Corp" "Roadrunner Supplies"') == (
        "*Acme Corp* is no longer found as *Roadrunner Supplies*."
    )
    assert aliases(session) == []
