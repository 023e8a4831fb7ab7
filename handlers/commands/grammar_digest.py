"""`/client config digest @a @b [mon 09:00]` and `/client config digest off`; `/client digest` takes nothing."""

from __future__ import annotations

import re

from domain.commands import ConfigSetting, Subcommand
from domain.digests import RECIPIENTS_MAX
from domain.errors import InvalidSetting, Problem, UsageError
from domain.hours import FULL_NAMES
from handlers.commands.parsed import ConfigDigest, SendDigest
from handlers.commands.tokens import OFF, Token, tokenize, user_mention, word

TIME = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")  # ASCII digits only


def parse_config_digest(value: str) -> ConfigDigest:
    """Recipients (mentions), then an optional weekday and time in either order; `off` alone stops the digest."""
    tokens = tokenize(value)
    if len(tokens) == 1 and word(tokens[0]) in OFF:
        return ConfigDigest()
    people: list[str] = []
    for token in tokens:
        user = user_mention(token.text) if not token.quoted else None
        if user is None:
            break
        people.append(user)
    if not people or len(people) > RECIPIENTS_MAX:
        raise UsageError(Subcommand.CONFIG, Problem.USAGE)
    weekday, minute = None, None
    for token in tokens[len(people) :]:
        if weekday is None and (day := _weekday(token)) is not None:
            weekday = day
        elif minute is None and (at := _minute(token)) is not None:
            minute = at
        else:
            raise InvalidSetting(ConfigSetting.DIGEST, token.text)
    return ConfigDigest(tuple(dict.fromkeys(people)), weekday, minute)


def parse_send_digest(rest: str, args: list[Token]) -> SendDigest:
    """`/client digest` alone."""
    if args:
        raise UsageError(Subcommand.DIGEST, Problem.USAGE)
    return SendDigest()


def _weekday(token: Token) -> int | None:
    """`mon`, `tues`, `wednesday` → 0, 1, 2."""
    name = word(token)
    return next((i for i, full in enumerate(FULL_NAMES) if len(name) >= 3 and full.startswith(name)), None)


def _minute(token: Token) -> int | None:
    """`09:00`, `9:30` → minutes after midnight."""
    match = TIME.match(token.text)
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        return None
    return int(match.group(1)) * 60 + int(match.group(2))
