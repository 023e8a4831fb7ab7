"""`/client help`, and what the command says to text it cannot read as a subcommand."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.driver import SlackDriver
from tests.helpers import ask, nothing_changes


@pytest.mark.parametrize("text", ["", "   ", "help", "HELP"])
def test_empty_text_and_help_show_every_subcommand(slack: SlackDriver, session: Session, text: str) -> None:
    with nothing_changes(session):
        reply = ask(slack, text)
    assert reply.startswith("*rapport* keeps your client relationships healthy.")
    for usage in ("/client add <name>", "/client log <client> <note>", "/client list [mine|key|quiet|risk]"):
        assert usage in reply
    for sub in ("show", "key", "cadence", "owner", "promise", "done", "export", "alias", "unalias"):
        assert f"`/client {sub} " in reply


def test_the_whole_help_is_shown_though_longer_than_one_section(slack: SlackDriver) -> None:
    ask(slack, "help")
    blocks = slack.fake.responses()[-1]["blocks"]
    assert len(blocks) > 1 and all(len(b["text"]["text"]) <= 3000 for b in blocks)
    reply = ask(slack, "help")
    assert "\u2026\n" not in reply  # nothing clipped
    assert "• `/client help [subcommand]`: this help, or help on one subcommand\nClient names can be quoted" in reply
    assert reply.endswith("its ⋯ menu → *Log client contact*.")
    for sub in ("sponsor", "digest", "away", "config"):
        assert f"• `/client {sub}" in reply


@pytest.mark.parametrize(
    "sub", ["add", "log", "list", "show", "key", "cadence", "owner", "promise", "done", "export", "alias", "unalias"]
)
def test_help_on_every_subcommand(slack: SlackDriver, sub: str) -> None:
    reply = ask(slack, f"help {sub}")
    assert reply.startswith(f"Usage: `/client {sub}")
    assert f"\nExample: `/client {sub} " in reply


def test_help_on_one_subcommand(slack: SlackDriver) -> None:
    reply = ask(slack, "help promise")
    assert reply == (
        "Usage: `/client promise <client> <what> by <date>`\n"
        "Example: `/client promise acme send the revised quote by friday`"
    )


def test_unknown_subcommand(slack: SlackDriver, session: Session) -> None:
    with nothing_changes(session):
        reply = ask(slack, "frobnicate Acme")
    assert reply.startswith(":warning: I don't know `/client frobnicate`. Type `/client help` to see what I can do.")
    assert "*rapport* keeps your client relationships healthy." in reply


def test_unclosed_quote_around_a_name(slack: SlackDriver, session: Session) -> None:
    with nothing_changes(session):
        reply = ask(slack, 'add "Acme Corp key')
    assert reply == ":warning: A quote is not closed. Type `/client help` to see what I can do."
