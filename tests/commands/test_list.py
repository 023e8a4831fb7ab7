"""`/client list [mine|key|quiet|risk]`: the clients, who owns them, their cadence and last contact."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from domain.clock import FixedClock
from tests.driver import SlackDriver
from tests.helpers import add, ask, at, log, nothing_changes


@pytest.fixture
def portfolio(slack: SlackDriver, clock: FixedClock) -> None:
    """Acme Corp (key, 14 days), Globex (Bob's, every 3 weeks), Hooli (weekly), Initech (no cadence)."""
    add(slack, '"Acme Corp" key')
    add(slack, "Globex every 3w owner <@UBOB>")
    add(slack, "Hooli every 1w")
    add(slack, "Initech")
    log(slack, "globex kick-off call")
    clock.set(at(25))
    log(slack, "hooli sent the contract")


def test_list_all(slack: SlackDriver, session: Session, portfolio: None) -> None:
    with nothing_changes(session):
        reply = ask(slack, "list")
    assert reply == "\n".join(
        [
            "All clients (4)",
            ":star: *Acme Corp*: <@UALICE>, every 2 weeks, no contact yet (added 3 days ago)",
            "*Globex*: <@UBOB>, every 3 weeks, last contact Sun 22 Nov (3 days ago)",
            "*Hooli*: <@UALICE>, every week, last contact Wed 25 Nov (0 days ago)",
            "*Initech*: <@UALICE>, no cadence, no contact yet (added 3 days ago)",
        ]
    )


def test_list_mine(slack: SlackDriver, portfolio: None) -> None:
    mine = ask(slack, "list mine")
    assert mine.startswith("Your clients (3)\n")
    assert "*Acme Corp*" in mine and "*Hooli*" in mine and "*Initech*" in mine
    assert "Globex" not in mine
    bobs = ask(slack, "list MINE", user="UBOB")
    assert bobs == "Your clients (1)\n*Globex*: <@UBOB>, every 3 weeks, last contact Sun 22 Nov (3 days ago)"
    carols = ask(slack, "list mine", user="UCAROL")
    assert carols.startswith("You don't own any clients yet.")


def test_list_key(slack: SlackDriver, portfolio: None) -> None:
    reply = ask(slack, "list key")
    assert reply == "Key clients (1)\n:star: *Acme Corp*: <@UALICE>, every 2 weeks, no contact yet (added 3 days ago)"


def test_list_quiet_shows_clients_past_their_cadence_quietest_first(
    slack: SlackDriver, clock: FixedClock, portfolio: None
) -> None:
    assert ask(slack, "list quiet").startswith("Nobody has gone quiet")
    clock.set(at(8, month=12))
    reply = ask(slack, "list quiet")
    assert reply == "\n".join(
        [
            "Clients gone quiet (past their cadence) (2)",
            ":star: *Acme Corp*: <@UALICE>, every 2 weeks, no contact yet (added 16 days ago) :hourglass: *overdue*",
            "*Hooli*: <@UALICE>, every week, last contact Wed 25 Nov (13 days ago) :hourglass: *overdue*",
        ]
    )
    # A contact brings a client back in time.
    log(slack, "acme quarterly review")
    assert "Acme Corp" not in ask(slack, "list quiet")


def test_list_marks_overdue_clients_in_every_view(slack: SlackDriver, clock: FixedClock, portfolio: None) -> None:
    clock.set(at(8, month=12))
    reply = ask(slack, "list")
    assert "*Acme Corp*: <@UALICE>, every 2 weeks, no contact yet (added 16 days ago) :hourglass: *overdue*" in reply
    assert "*Globex*: <@UBOB>, every 3 weeks, last contact Sun 22 Nov (16 days ago)\n" in reply
    assert "*Initech*: <@UALICE>, no cadence, no contact yet (added 16 days ago)" in reply


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("list", "No clients yet. Add one with `/client add <name>`."),
        ("list mine", "You don't own any clients yet. `/client owner <client> @you` hands one to you."),
        ("list key", "No key clients yet. Flag one with `/client key <client> on`."),
        ("list quiet", "Nobody has gone quiet: every client with a cadence heard from us in time. :tada:"),
    ],
)
def test_list_when_there_are_no_clients(slack: SlackDriver, text: str, expected: str) -> None:
    assert ask(slack, text) == expected


@pytest.mark.parametrize(("text", "bad"), [("list everything", "everything"), ("list mine key", "mine key")])
def test_list_with_a_bad_filter(slack: SlackDriver, session: Session, portfolio: None, text: str, bad: str) -> None:
    with nothing_changes(session):
        reply = ask(slack, text)
    assert reply == f":warning: `{bad}` is not a list I know.\nUsage: `/client list [mine|key|quiet|risk]`\n" + (
        "Example: `/client list quiet`"
    )
