"""The words of a `/client` command: quoted names, mentions, cadences, and a client name spanning several words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.cadences import CADENCE as CADENCE  # the cadence's words: the CSV import reads them too
from domain.cadences import parse_cadence as parse_cadence
from domain.commands import Subcommand
from domain.errors import Problem, UsageError
from domain.names import Subject

QUOTES = {'"': '"', "\u201c": "\u201d", "\u201e": "\u201d", "\u00ab": "\u00bb"}
CLOSING = {'"', "\u201d", "\u201c", "\u00bb"}
USER_MENTION = re.compile(r"^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$")
CHANNEL_MENTION = re.compile(r"^<#([CG][A-Z0-9]{2,})(?:\|[^>]*)?>$")
OFF = ("off", "none")


@dataclass(frozen=True)
class Token:
    """A word of the command text; `quoted` when it was written in quotes."""

    text: str
    start: int
    end: int
    quoted: bool = False


def tokenize(text: str, limit: int | None = None) -> list[Token]:
    """Split on whitespace, keeping "quoted names" (straight or typographic quotes) as one token.

    With `limit`, stop after that many tokens: what follows is free text, where a lone quote is no error.
    """
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n and (limit is None or len(tokens) < limit):
        if text[i].isspace():
            i += 1
            continue
        if text[i] in QUOTES:
            close = text.find(QUOTES[text[i]], i + 1)
            if close < 0:
                close = next((j for j in range(i + 1, n) if text[j] in CLOSING), -1)
            if close < 0:
                raise UsageError(None, Problem.UNCLOSED_QUOTE)
            tokens.append(Token(text[i + 1 : close].strip(), i, close + 1, quoted=True))
            i = close + 1
            continue
        j = i
        while j < n and not text[j].isspace():
            j += 1
        tokens.append(Token(text[i:j], i, j))
        i = j
    return tokens


def word(token: Token) -> str:
    """A grammar word as typed (any case); a quoted token is never one."""
    return "" if token.quoted else token.text.lower()


def unquote(text: str) -> str:
    """A name written in quotes, without them (`"ACME Inc"` is `ACME Inc`); any other text as it is."""
    text = text.strip()
    try:
        tokens = tokenize(text)
    except UsageError:
        return text
    return tokens[0].text if len(tokens) == 1 and tokens[0].quoted else text


def user_mention(text: str) -> str | None:
    """The user id in an escaped mention `<@U123|name>`, else None."""
    match = USER_MENTION.match(text.strip())
    return match.group(1) if match else None


def name_of(subcommand: Subcommand, tokens: list[Token], source: str) -> str:
    """The client name spanned by `tokens`: one quoted token, or the words as typed."""
    if not tokens:
        raise UsageError(subcommand, Problem.MISSING_CLIENT)
    if len(tokens) == 1 and tokens[0].quoted:
        return tokens[0].text
    if any(t.quoted for t in tokens):
        raise UsageError(subcommand, Problem.STRAY_QUOTES)
    return source[tokens[0].start : tokens[-1].end]


def subject_of(subcommand: Subcommand, rest: str, args: list[Token]) -> Subject:
    """A client reference, then free text: one quoted token names the client exactly."""
    if not args:
        raise UsageError(subcommand, Problem.MISSING_CLIENT)
    if args[0].quoted:
        return Subject(args[0].text, rest[args[0].end :].strip())
    return Subject(None, rest.strip())


def cadence_width(tokens: list[Token], i: int) -> int:
    """How many tokens from `i` spell a cadence: 1 (`2w`), 2 (`3 weeks`) or 0 (none)."""
    if i + 1 < len(tokens) and CADENCE.match(f"{tokens[i].text} {tokens[i + 1].text}"):
        return 2
    return 1 if CADENCE.match(tokens[i].text) else 0
