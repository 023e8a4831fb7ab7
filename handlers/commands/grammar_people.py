"""The grammar of `/client person` and `/client domain`: the people on a client's side, and its email domains.

`person <client> @someone`, `person <client> jo@acme.com [Jo Smith]` (the name in words or quoted) and
`person <client> off @someone|jo@acme.com|Jo Smith`. The person is the first mention or address: the client
(and `off`) come before it, the name after an address. With neither, `off` and a name remove the one person
of the client with that name (the name given with their address); a client whose name holds the word `off`
is then quoted.

`domain <client> [off] acme.com [more.com …]`: the domains are the words at the
end that look like one (a dot, an @, a link Slack made of them); the client is what comes before, one word at
least, so `domain booking.com booking.com` gives Booking.com its domain.
"""

from __future__ import annotations

import re

from domain.addresses import parse_address, parse_domain
from domain.commands import Subcommand
from domain.errors import DomainProblem, InvalidDomain, Problem, UsageError
from handlers.commands.parsed import AddDomains, AddPerson, Command, RemoveDomains, RemovePerson
from handlers.commands.tokens import OFF, Token, name_of, user_mention, word

LINKED = ("<mailto:", "<http:", "<https:")  # what Slack makes of a typed address or domain
PLAIN_WORD = re.compile(r"^[\w-]+$")


def parse_person(rest: str, args: list[Token]) -> Command:
    """`<client> [off] @someone`, `<client> [off] jo@acme.com`, `<client> jo@acme.com [name]`, `<client> off name`."""
    at = next((i for i, token in enumerate(args) if _someone(token)), None)
    if at is None:
        return _off_by_name(rest, args)
    tail = args[at + 1 :]
    if any(_someone(token) for token in tail):  # one person at a time
        raise UsageError(Subcommand.PERSON, Problem.USAGE)
    off = at >= 1 and word(args[at - 1]) in OFF
    user_id = user_mention(args[at].text)
    email = None if user_id else parse_address(args[at].text)
    client = name_of(Subcommand.PERSON, args[: at - 1 if off else at], rest)
    if (user_id or off) and tail:
        raise UsageError(Subcommand.PERSON, Problem.USAGE)
    if off:
        return RemovePerson(client, user_id=user_id, email=email)
    return AddPerson(client, user_id=user_id, email=email, name=_name(tail, rest))


def _someone(token: Token) -> bool:
    """A mention, or what is meant as an email address (an @ after something: `jo@acme.com`, even `jo@`)."""
    if token.quoted:
        return False
    text = token.text
    if user_mention(text):
        return True
    return text.lower().startswith("<mailto:") or ("@" in text[1:] and not text.startswith("<"))


def _off_by_name(rest: str, args: list[Token]) -> Command:
    """`<client> off Jo Smith`; any other text names nobody."""
    off = next((i for i, token in enumerate(args) if word(token) in OFF), None)
    if off is None or off == len(args) - 1:
        problem = Problem.BAD_PERSON if off is None and len(args) >= 2 else Problem.USAGE
        raise UsageError(Subcommand.PERSON, problem, args[-1].text if args else "")
    name = _name(args[off + 1 :], rest)
    if not name:
        raise UsageError(Subcommand.PERSON, Problem.USAGE)
    return RemovePerson(name_of(Subcommand.PERSON, args[:off], rest), name=name)


def _name(tokens: list[Token], rest: str) -> str | None:
    """A person's name after their address: one quoted token, or the words as typed."""
    if not tokens:
        return None
    if len(tokens) == 1 and tokens[0].quoted:
        return tokens[0].text or None
    if any(token.quoted for token in tokens):
        raise UsageError(Subcommand.PERSON, Problem.USAGE)
    return rest[tokens[0].start : tokens[-1].end]


def parse_domain_command(rest: str, args: list[Token]) -> Command:
    """`<client> [off] acme.com [more.com …]`."""
    start = len(args)
    while start > 1 and _domain_like(args[start - 1]):
        start -= 1
    if start == len(args):
        last = args[-1] if len(args) >= 2 else None
        if last is not None and word(last) not in OFF and PLAIN_WORD.match(last.text):
            raise InvalidDomain(last.text, DomainProblem.NO_DOT)  # `acme`: a client's name, or a domain cut short
        raise UsageError(Subcommand.DOMAIN, Problem.USAGE)
    domains = tuple(dict.fromkeys(parse_domain(token.text) for token in args[start:]))
    if word(args[start - 1]) in OFF:
        return RemoveDomains(name_of(Subcommand.DOMAIN, args[: start - 1], rest), domains)
    return AddDomains(name_of(Subcommand.DOMAIN, args[:start], rest), domains)


def _domain_like(token: Token) -> bool:
    """A word meant as a domain: a link Slack made, or a word with an @ or a dot inside (`acme.com`, `@acme.com`;
    not the end of a client's name such as `Acme Inc.`)."""
    if token.quoted:
        return False
    text = token.text.lower()
    return text.startswith(LINKED) or (not text.startswith("<") and ("." in text.strip(".") or "@" in text))
