"""The grammar of `/client channel`, `person` and `reply` on its own: text in, a typed command (or error) out."""

from __future__ import annotations

import pytest

from domain.commands import Subcommand
from domain.errors import InvalidReplyTime, Problem, UsageError
from handlers.commands.grammar import (
    AddPerson,
    Command,
    LinkChannel,
    RemovePerson,
    SetReplyTime,
    UnlinkChannel,
    parse,
)


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("channel acme <#C123|acme-shared>", LinkChannel("acme", "C123")),
        ("channel Acme Corp <#C123>", LinkChannel("Acme Corp", "C123")),
        ('channel "Acme off" <#C123>', LinkChannel("Acme off", "C123")),
        ("channel acme <#C123> text on", LinkChannel("acme", "C123", True)),
        ("channel acme <#G123> TEXT OFF", LinkChannel("acme", "G123", False)),
        ("channel acme off <#C123>", UnlinkChannel("acme", "C123")),
        ("channel acme <#C123> off", UnlinkChannel("acme", "C123")),
        ("channel Acme Corp none", UnlinkChannel("Acme Corp")),
        ("channel acme off", UnlinkChannel("acme")),
        ('channel "text" <#C123>', LinkChannel("text", "C123")),
        ("person acme <@U123|jo>", AddPerson("acme", "U123")),
        ("person Acme Corp <@W123>", AddPerson("Acme Corp", "W123")),
        ("person acme off <@U123>", RemovePerson("acme", "U123")),
        ('person "Acme off" <@U123>', AddPerson("Acme off", "U123")),
        ("reply acme 4h", SetReplyTime("acme", "4h")),
        ("reply Acme Corp 4 hours", SetReplyTime("Acme Corp", "4h")),
        ("reply acme 2 D", SetReplyTime("acme", "2d")),
        ("reply acme 1day", SetReplyTime("acme", "1d")),
        ("reply acme OFF", SetReplyTime("acme", "off")),
        ("reply acme none", SetReplyTime("acme", "off")),
        ("reply acme 2 2d", SetReplyTime("acme 2", "2d")),
    ],
)
def test_channel_person_and_reply_commands(text: str, command: Command) -> None:
    assert parse(text) == command


@pytest.mark.parametrize(
    ("text", "subcommand", "problem"),
    [
        ("channel", Subcommand.CHANNEL, Problem.USAGE),
        ("channel acme", Subcommand.CHANNEL, Problem.USAGE),
        ("channel acme text", Subcommand.CHANNEL, Problem.USAGE),
        ("channel acme text on", Subcommand.CHANNEL, Problem.USAGE),
        ("channel acme #general", Subcommand.CHANNEL, Problem.BAD_CHANNEL),
        ("channel acme <#C123> <#C456>", Subcommand.CHANNEL, Problem.USAGE),
        ("channel <#C123> text on", Subcommand.CHANNEL, Problem.USAGE),
        ("channel off <#C123>", Subcommand.CHANNEL, Problem.MISSING_CLIENT),
        ('channel "Acme" Corp <#C123>', Subcommand.CHANNEL, Problem.STRAY_QUOTES),
        ("person", Subcommand.PERSON, Problem.USAGE),
        ("person acme", Subcommand.PERSON, Problem.USAGE),
        ("person acme @jo", Subcommand.PERSON, Problem.BAD_PERSON),
        ("person acme <@U123> <@U456>", Subcommand.PERSON, Problem.USAGE),
        ("person <@U123>", Subcommand.PERSON, Problem.MISSING_CLIENT),
        ("person off <@U123>", Subcommand.PERSON, Problem.MISSING_CLIENT),
        ("reply", Subcommand.REPLY, Problem.USAGE),
        ("reply 4h", Subcommand.REPLY, Problem.USAGE),
    ],
)
def test_bad_channel_person_and_reply_commands(text: str, subcommand: Subcommand, problem: Problem) -> None:
    with pytest.raises(UsageError) as caught:
        parse(text)
    assert (caught.value.subcommand, caught.value.problem) == (subcommand, problem)


@pytest.mark.parametrize("value", ["soon", "0h", "41h", "21d", "1.5h", "\u0664h", "4 weeks"])
def test_a_reply_time_we_cannot_read(value: str) -> None:
    with pytest.raises(InvalidReplyTime):
        parse(f"reply acme {value}")
