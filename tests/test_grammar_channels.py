"""The grammar of `/client channel`, `person`, `domain` and `reply` on its own: text in, a typed command (or error)
out."""

from __future__ import annotations

import pytest

from domain.commands import Subcommand
from domain.errors import (
    AddressProblem,
    DomainProblem,
    InvalidAddress,
    InvalidDomain,
    InvalidReplyTime,
    Problem,
    UsageError,
)
from handlers.commands.grammar import (
    AddDomains,
    AddPerson,
    Command,
    LinkChannel,
    RemoveDomains,
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
        ("person acme none <@U123>", RemovePerson("acme", "U123")),
        ('person "Acme off" <@U123>', AddPerson("Acme off", "U123")),
        ("person acme jo@acme.com", AddPerson("acme", email="jo@acme.com")),
        ("person Acme Corp Jo@ACME.com Jo  Smith", AddPerson("Acme Corp", email="jo@acme.com", name="Jo  Smith")),
        ('person acme jo@acme.com "Smith, Jo"', AddPerson("acme", email="jo@acme.com", name="Smith, Jo")),
        ('person acme jo@acme.com ""', AddPerson("acme", email="jo@acme.com")),
        ("person acme <mailto:jo@acme.com|jo@acme.com> Jo", AddPerson("acme", email="jo@acme.com", name="Jo")),
        ("person acme <mailto:jo@acme.com> Jo", AddPerson("acme", email="jo@acme.com", name="Jo")),
        ("person acme jo@bücher.de", AddPerson("acme", email="jo@xn--bcher-kva.de")),
        ("person acme Jö.Ü@acme.com", AddPerson("acme", email="jö.ü@acme.com")),
        ("person acme o'brien+crm@acme.com", AddPerson("acme", email="o'brien+crm@acme.com")),
        ("person acme jo&amp;co@acme.com", AddPerson("acme", email="jo&co@acme.com")),
        ("person acme jo@acme.com off", AddPerson("acme", email="jo@acme.com", name="off")),
        ("person acme off jo@acme.com", RemovePerson("acme", email="jo@acme.com")),
        ("person acme off Jo Smith", RemovePerson("acme", name="Jo Smith")),
        ('person acme off "Jo Smith"', RemovePerson("acme", name="Jo Smith")),
        ('person "Tee Off" off Jo', RemovePerson("Tee Off", name="Jo")),
        ("person Tee Off off Jo", RemovePerson("Tee", name="off Jo")),  # a client called Tee Off is quoted
        ("domain acme acme.com", AddDomains("acme", ("acme.com",))),
        ("domain Acme Corp acme.com ACME.de acme.com", AddDomains("Acme Corp", ("acme.com", "acme.de"))),
        ("domain acme <http://acme.com|acme.com> @acme.pl", AddDomains("acme", ("acme.com", "acme.pl"))),
        ("domain acme https://acme.com/ bücher.de.", AddDomains("acme", ("acme.com", "xn--bcher-kva.de"))),
        ("domain Booking.com booking.com", AddDomains("Booking.com", ("booking.com",))),
        ("domain Acme Inc. acme.com", AddDomains("Acme Inc.", ("acme.com",))),
        ("domain J. Smith & Co. smith.co.uk", AddDomains("J. Smith & Co.", ("smith.co.uk",))),
        ('domain "acme.com" acme.com', AddDomains("acme.com", ("acme.com",))),
        ("domain acme off acme.com", RemoveDomains("acme", ("acme.com",))),
        ("domain Acme Corp none <http://acme.com|acme.com>", RemoveDomains("Acme Corp", ("acme.com",))),
        ("domain acme off acme.com ACME.de acme.com", RemoveDomains("acme", ("acme.com", "acme.de"))),
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
        ("person acme Jo Smith", Subcommand.PERSON, Problem.BAD_PERSON),
        ("person acme <@U123> <@U456>", Subcommand.PERSON, Problem.USAGE),
        ("person acme <@U123> Jo", Subcommand.PERSON, Problem.USAGE),
        ("person acme jo@acme.com pat@acme.com", Subcommand.PERSON, Problem.USAGE),
        ("person acme jo@acme.com <@U123>", Subcommand.PERSON, Problem.USAGE),
        ('person acme jo@acme.com "Jo" Smith', Subcommand.PERSON, Problem.USAGE),
        ("person acme off jo@acme.com Jo", Subcommand.PERSON, Problem.USAGE),
        ("person acme off", Subcommand.PERSON, Problem.USAGE),
        ('person acme off ""', Subcommand.PERSON, Problem.USAGE),
        ("person <@U123>", Subcommand.PERSON, Problem.MISSING_CLIENT),
        ("person off <@U123>", Subcommand.PERSON, Problem.MISSING_CLIENT),
        ("person jo@acme.com", Subcommand.PERSON, Problem.MISSING_CLIENT),
        ("person off Jo", Subcommand.PERSON, Problem.MISSING_CLIENT),
        ("domain", Subcommand.DOMAIN, Problem.USAGE),
        ("domain acme", Subcommand.DOMAIN, Problem.USAGE),
        ("domain acme.com", Subcommand.DOMAIN, Problem.USAGE),
        ("domain acme off", Subcommand.DOMAIN, Problem.USAGE),
        ("domain acme <@U123>", Subcommand.DOMAIN, Problem.USAGE),
        ("domain off acme.com", Subcommand.DOMAIN, Problem.MISSING_CLIENT),
        ('domain "Acme" Corp acme.com', Subcommand.DOMAIN, Problem.STRAY_QUOTES),
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


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("person acme jo@", AddressProblem.SYNTAX),
        ("person acme jo@acme", AddressProblem.SYNTAX),
        ("person acme @jo@acme.com", AddressProblem.SYNTAX),
        ("person acme jo@@acme.com", AddressProblem.SYNTAX),
        ("person acme .jo@acme.com", AddressProblem.SYNTAX),
        ("person acme jo.@acme.com", AddressProblem.SYNTAX),
        ("person acme jo(x)@acme.com", AddressProblem.SYNTAX),
        ("person acme jo@acme_corp.com", AddressProblem.SYNTAX),
        ("person acme jo@xn--zz.com", AddressProblem.SYNTAX),  # not punycode at all
        ("person acme &lt;jo@acme.com&gt;", AddressProblem.DISPLAY_NAME),
        ("person acme Jo&lt;jo@acme.com&gt;", AddressProblem.DISPLAY_NAME),
        (f"person acme {'j' * 64}@{'a' * 63}.{'b' * 63}.{'c' * 63}.com", AddressProblem.TOO_LONG),
    ],
)
def test_an_address_we_cannot_use(text: str, problem: AddressProblem) -> None:
    with pytest.raises(InvalidAddress) as caught:
        parse(text)
    assert caught.value.problem == problem


@pytest.mark.parametrize(
    ("value", "problem", "suggestion"),
    [
        ("acme", DomainProblem.NO_DOT, None),
        ("acme..com", DomainProblem.SYNTAX, None),
        ("acme.com..", DomainProblem.SYNTAX, None),
        ("-acme.com", DomainProblem.SYNTAX, None),
        ("acme-.com", DomainProblem.SYNTAX, None),
        ("acme.123", DomainProblem.SYNTAX, None),
        ("192.168.0.1", DomainProblem.SYNTAX, None),
        (f"{'a' * 64}.com", DomainProblem.SYNTAX, None),
        (".".join(["a" * 60] * 5), DomainProblem.SYNTAX, None),  # 304 characters: longer than a domain can be
        ("jo@acme.com", DomainProblem.ADDRESS, "acme.com"),
        ("<mailto:jo@acme.com|jo@acme.com>", DomainProblem.ADDRESS, "acme.com"),
        ("https://acme.com/about", DomainProblem.URL, "acme.com"),
        ("<https://www.acme.com/?q=1|www.acme.com/?q=1>", DomainProblem.URL, "acme.com"),
        ("acme.com:8080", DomainProblem.URL, "acme.com"),
        ("acme.com/", DomainProblem.URL, "acme.com"),
        ("ftp://acme.com", DomainProblem.URL, None),
        ("www.acme.com", DomainProblem.WEBSITE, "acme.com"),
        ("<http://www.acme.co.uk|www.acme.co.uk>", DomainProblem.WEBSITE, "acme.co.uk"),
    ],
)
def test_a_domain_we_cannot_use(value: str, problem: DomainProblem, suggestion: str | None) -> None:
    with pytest.raises(InvalidDomain) as caught:
        parse(f"domain acme {value}")
    assert (caught.value.problem, caught.value.suggestion) == (problem, suggestion)
