"""The grammar of a person's own settings: `config me [briefing HH:MM|off]` and `away until <date> @backup|off`."""

from __future__ import annotations

import re
from datetime import time

from domain.commands import PersonalSetting, Subcommand
from domain.errors import UsageError
from domain.personal_errors import InvalidBriefingTime
from handlers.commands.parsed import Away, ConfigMe
from handlers.commands.tokens import OFF, Token, user_mention, word

CLOCK = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")  # ASCII digits only, as everywhere we read numbers


def parse_config_me(args: list[Token]) -> ConfigMe:
    """`me` alone, `me briefing 09:00|off`, `me holidays US|off` or `me language ru|off` (the tokens after `config`)."""
    rest = args[1:]
    if not rest:
        return ConfigMe()
    if len(rest) != 2 or word(rest[0]) not in tuple(PersonalSetting):
        raise UsageError(Subcommand.CONFIG)
    if word(rest[0]) == PersonalSetting.HOLIDAYS:
        return ConfigMe(PersonalSetting.HOLIDAYS, holidays=None if word(rest[1]) in OFF else rest[1].text)
    if word(rest[0]) == PersonalSetting.LANGUAGE:
        return ConfigMe(PersonalSetting.LANGUAGE, language=None if word(rest[1]) in OFF else rest[1].text)
    if word(rest[1]) in OFF:
        return ConfigMe(PersonalSetting.BRIEFING, None)
    return ConfigMe(PersonalSetting.BRIEFING, clock_time(rest[1].text))


def clock_time(text: str) -> time:
    """`09:00` or `9:30`, a time of day (24 hours); InvalidBriefingTime otherwise."""
    match = CLOCK.match(text.strip())
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise InvalidBriefingTime(text)
    return time(int(match.group(1)), int(match.group(2)))


def parse_away(rest: str, args: list[Token]) -> Away:
    """`off`, or `until <date> @backup`: the date is everything between `until` and the mention."""
    if len(args) == 1 and word(args[0]) in OFF:
        return Away()
    backup = user_mention(args[-1].text) if len(args) >= 3 and not args[-1].quoted else None
    if backup is None or word(args[0]) != "until":
        raise UsageError(Subcommand.AWAY)
    until_text = rest[args[0].end : args[-1].start].strip()
    if not until_text:
        raise UsageError(Subcommand.AWAY)
    return Away(until_text, backup)
