"""The `/client` grammar: command text in, a typed command out. Names are resolved later, with the database."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from domain.commands import CalendarSetting, ConfigSetting, ListFilter, Subcommand
from domain.errors import InvalidCadence, Problem, UsageError
from domain.names import Subject
from domain.reply_time import TEXT as REPLY_TIME
from domain.reply_time import parse_reply_time
from domain.text import ascii_number, check_command
from handlers.commands.grammar_digest import parse_config_digest, parse_send_digest
from handlers.commands.grammar_people import parse_domain_command, parse_person
from handlers.commands.grammar_personal import parse_away, parse_config_me
from handlers.commands.grammar_survey import parse_survey
from handlers.commands.parsed import (
    Add,
    AddAlias,
    AddDomains,
    AddPerson,
    Away,
    Calendar,
    Command,
    Config,
    ConfigDigest,
    ConfigMe,
    Done,
    Export,
    Help,
    LinkChannel,
    ListClients,
    ListSurveys,
    Log,
    MakePromise,
    RemoveAlias,
    RemoveDomains,
    RemovePerson,
    SendDigest,
    SetCadence,
    SetKey,
    SetOwner,
    SetReplyTime,
    SetSponsor,
    Show,
    StartSurvey,
    UnlinkChannel,
)
from handlers.commands.tokens import (
    CHANNEL_MENTION,
    OFF,
    Token,
    cadence_width,
    name_of,
    parse_cadence,
    subject_of,
    tokenize,
    unquote,
    user_mention,
    word,
)

__all__ = [
    "Add",
    "AddAlias",
    "AddDomains",
    "AddPerson",
    "Away",
    "Calendar",
    "Command",
    "Config",
    "ConfigDigest",
    "ConfigMe",
    "Done",
    "Export",
    "Help",
    "LinkChannel",
    "ListClients",
    "ListSurveys",
    "Log",
    "MakePromise",
    "RemoveAlias",
    "RemoveDomains",
    "RemovePerson",
    "SendDigest",
    "SetCadence",
    "SetKey",
    "SetOwner",
    "SetReplyTime",
    "SetSponsor",
    "Show",
    "StartSurvey",
    "Subject",
    "UnlinkChannel",
    "parse",
    "parse_cadence",
    "tokenize",
    "unquote",
    "user_mention",
]

BY = re.compile(r"\s+by\s+", re.IGNORECASE)


SUBCOMMANDS = tuple(Subcommand)
CONFIG_SETTINGS = tuple(ConfigSetting)
LIST_FILTERS = tuple(ListFilter)
# a client, then text as typed (stray quotes and all)
FREE_TEXT = (Subcommand.LOG, Subcommand.PROMISE, Subcommand.ALIAS, Subcommand.UNALIAS)


def parse(text: str) -> Command:
    """Parse the text after `/client` into a command, or raise a RapportError (UsageError, TooLong, UnreadableText)."""
    text = check_command(text).strip()
    tokens = tokenize(text, limit=1)
    if not tokens:
        return Help()
    verb = tokens[0].text.lower()
    if verb not in SUBCOMMANDS or tokens[0].quoted:
        raise UsageError(None, Problem.UNKNOWN_SUBCOMMAND, tokens[0].text)
    subcommand = Subcommand(verb)
    rest = text[tokens[0].end :].strip()
    args = tokenize(rest, limit=1 if subcommand in FREE_TEXT else None)
    return _PARSERS[subcommand](rest, args)


def _help(rest: str, args: list[Token]) -> Command:
    topic = args[0].text.lower() if args else None
    return Help(Subcommand(topic) if topic in SUBCOMMANDS else None)


def _add(rest: str, args: list[Token]) -> Command:
    if not args:
        raise UsageError(Subcommand.ADD, Problem.MISSING_CLIENT)
    for split in range(1, len(args) + 1):
        options = _add_options(args[split:])
        if options is not None:
            name = name_of(Subcommand.ADD, args[:split], rest)
            return Add(name, **options)
    raise UsageError(Subcommand.ADD, Problem.BAD_OPTIONS)


def _add_options(tokens: list[Token]) -> dict[str, Any] | None:
    """Options after the name, or None when `tokens` are not all options."""
    options: dict[str, Any] = {}
    i = 0
    while i < len(tokens):
        word = tokens[i].text.lower() if not tokens[i].quoted else ""
        if word == "key" and "key" not in options:
            options["key"] = True
            i += 1
        elif word == "every" and "cadence_days" not in options and i + 1 < len(tokens):
            width = cadence_width(tokens, i + 1)
            if width == 0:
                if tokens[i + 1].text[:1].isdigit():  # a number of some kind (², ①, ٣), but not a cadence
                    raise InvalidCadence(tokens[i + 1].text)
                return None
            options["cadence_days"] = parse_cadence(" ".join(t.text for t in tokens[i + 1 : i + 1 + width]))
            i += 1 + width
        elif word == "owner" and "owner_id" not in options and i + 1 < len(tokens):
            owner = user_mention(tokens[i + 1].text)
            if owner is None:
                return None
            options["owner_id"] = owner
            i += 2
        else:
            return None
    return options


def _log(rest: str, args: list[Token]) -> Command:
    return Log(subject_of(Subcommand.LOG, rest, args))


def _list(rest: str, args: list[Token]) -> Command:
    if not args:
        return ListClients()
    which = args[0].text.lower()
    if len(args) > 1 or which not in LIST_FILTERS:
        raise UsageError(Subcommand.LIST, Problem.BAD_FILTER, rest)
    return ListClients(ListFilter(which))


def _show(rest: str, args: list[Token]) -> Command:
    return Show(name_of(Subcommand.SHOW, args, rest))


def _key(rest: str, args: list[Token]) -> Command:
    if len(args) < 2 or args[-1].text.lower() not in ("on", "off"):
        raise UsageError(Subcommand.KEY, Problem.USAGE)
    return SetKey(name_of(Subcommand.KEY, args[:-1], rest), args[-1].text.lower() == "on")


def _cadence(rest: str, args: list[Token]) -> Command:
    if len(args) < 2:
        raise UsageError(Subcommand.CADENCE, Problem.USAGE)
    if args[-1].text.lower() in ("off", "none"):
        return SetCadence(name_of(Subcommand.CADENCE, args[:-1], rest), None)
    width = 2 if len(args) >= 3 and cadence_width(args, len(args) - 2) == 2 else 1
    days = parse_cadence(" ".join(t.text for t in args[-width:]))
    return SetCadence(name_of(Subcommand.CADENCE, args[:-width], rest), days)


def _owner(rest: str, args: list[Token]) -> Command:
    owner = user_mention(args[-1].text) if len(args) >= 2 else None
    if owner is None:
        raise UsageError(Subcommand.OWNER, Problem.USAGE)
    return SetOwner(name_of(Subcommand.OWNER, args[:-1], rest), owner)


def _sponsor(rest: str, args: list[Token]) -> Command:
    """`<client> @someone every <N>d|<N>w` (`3 weeks` too, as for cadences), or `<client> off`."""
    if len(args) >= 2 and word(args[-1]) in OFF:
        return SetSponsor(name_of(Subcommand.SPONSOR, args[:-1], rest))
    every = next((i for i in range(len(args) - 1, 1, -1) if word(args[i]) == "every"), None)
    sponsor = user_mention(args[every - 1].text) if every is not None else None
    if every is None or sponsor is None or not 1 <= len(args) - every - 1 <= 2:
        raise UsageError(Subcommand.SPONSOR, Problem.USAGE)
    days = parse_cadence(" ".join(t.text for t in args[every + 1 :]))
    return SetSponsor(name_of(Subcommand.SPONSOR, args[: every - 1], rest), sponsor, days)


def _promise(rest: str, args: list[Token]) -> Command:
    matches = list(BY.finditer(rest))
    if not args or not matches:
        raise UsageError(Subcommand.PROMISE, Problem.USAGE)
    last = matches[-1]
    head, due_text = rest[: last.start()], rest[last.end() :].strip()
    if not due_text:
        raise UsageError(Subcommand.PROMISE, Problem.USAGE)
    head_tokens = tokenize(head, limit=1)
    return MakePromise(subject_of(Subcommand.PROMISE, head, head_tokens), due_text)


def _done(rest: str, args: list[Token]) -> Command:
    if len(args) != 1:
        raise UsageError(Subcommand.DONE, Problem.USAGE)
    ref = args[0].text.removeprefix("#")
    number = ascii_number(ref) if len(ref) <= 12 else None
    if number is None:
        raise UsageError(Subcommand.DONE, Problem.BAD_REFERENCE, args[0].text)
    return Done(number)


def _export(rest: str, args: list[Token]) -> Command:
    return Export(name_of(Subcommand.EXPORT, args, rest) if args else None)


def _alias(rest: str, args: list[Token]) -> Command:
    return AddAlias(subject_of(Subcommand.ALIAS, rest, args))


def _unalias(rest: str, args: list[Token]) -> Command:
    return RemoveAlias(subject_of(Subcommand.UNALIAS, rest, args))


def _surveys(rest: str, args: list[Token]) -> Command:
    """`surveys [client|all] [share]` (a client called "all" or "share" is written in quotes)."""
    share = bool(args) and word(args[-1]) == "share"
    args = args[:-1] if share else args
    if len(args) == 1 and word(args[0]) == "all":
        return ListSurveys(workspace=True, share=share)
    return ListSurveys(name_of(Subcommand.SURVEYS, args, rest) if args else None, share=share)


def _channel(rest: str, args: list[Token]) -> Command:
    """`<client> #channel [text on|off]`, `<client> off #channel` (or `#channel off`), `<client> off` (or `none`)."""
    keep = None
    if len(args) >= 3 and word(args[-2]) == "text" and word(args[-1]) in ("on", "off"):
        keep, args = word(args[-1]) == "on", args[:-2]
    if len(args) < 2 or word(args[-1]) == "text":
        raise UsageError(Subcommand.CHANNEL, Problem.USAGE)
    if keep is None and word(args[-1]) in OFF:
        if len(args) >= 3 and CHANNEL_MENTION.match(args[-2].text):
            return UnlinkChannel(_channel_client(args[:-2], rest), _channel_id(args[-2]))
        return UnlinkChannel(_channel_client(args[:-1], rest))
    channel_id = _channel_id(args[-1])
    if keep is None and word(args[-2]) in OFF:
        return UnlinkChannel(_channel_client(args[:-2], rest), channel_id)
    return LinkChannel(_channel_client(args[:-1], rest), channel_id, keep)


def _channel_client(tokens: list[Token], rest: str) -> str:
    """The client's name before the channel: one channel at a time, so no channel is part of it."""
    if any(CHANNEL_MENTION.match(t.text) for t in tokens):
        raise UsageError(Subcommand.CHANNEL, Problem.USAGE)
    return name_of(Subcommand.CHANNEL, tokens, rest)


def _channel_id(token: Token) -> str:
    match = CHANNEL_MENTION.match(token.text)
    if match is None:
        raise UsageError(Subcommand.CHANNEL, Problem.BAD_CHANNEL, token.text)
    return match.group(1)


def _reply(rest: str, args: list[Token]) -> Command:
    """`<client> <reply time>`: `4h`, `4 hours`, `2d`, `1 day`, `off`."""
    if len(args) < 2:
        raise UsageError(Subcommand.REPLY, Problem.USAGE)
    width = 2 if len(args) >= 3 and REPLY_TIME.match(f"{args[-2].text} {args[-1].text}".lower()) else 1
    reply_time = parse_reply_time(" ".join(t.text for t in args[-width:]))
    return SetReplyTime(name_of(Subcommand.REPLY, args[:-width], rest), reply_time)


def _calendar(rest: str, args: list[Token]) -> Command:
    """Slack sends a pasted address as `<https://…>` (or `<https://…|label>`), with &, < and > escaped."""
    words = [a.text.lower() for a in args]
    if not args:
        return Calendar()
    if words == ["off"]:
        return Calendar(off=True)
    if len(words) == 2 and words[0] in tuple(CalendarSetting) and words[1] in ("on", "off"):
        return Calendar(setting=CalendarSetting(words[0]), on=words[1] == "on")
    linked = rest.startswith("<") and rest.endswith(">") and rest.count(">") == 1  # a label may hold spaces
    if len(args) != 1 and not linked:
        raise UsageError(Subcommand.CALENDAR, Problem.USAGE)
    url = rest.removeprefix("<").removesuffix(">").partition("|")[0]
    return Calendar(url=url.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))


def _config(rest: str, args: list[Token]) -> Command:
    if not args:
        return Config()
    if not args[0].quoted and args[0].text.lower() == "me":  # a person's own settings (domain.commands.PersonalSetting)
        return parse_config_me(args)
    word = args[0].text.lower()
    value = rest[args[0].end :].strip()
    if word not in CONFIG_SETTINGS or not value:
        raise UsageError(Subcommand.CONFIG, Problem.USAGE)
    setting = ConfigSetting(word)
    if setting is ConfigSetting.DIGEST:
        return parse_config_digest(value)
    if setting in (ConfigSetting.HOLIDAYS, ConfigSetting.LANGUAGE):
        return Config(setting, None if value.lower() in OFF else value)
    if setting is ConfigSetting.CHANNEL:
        if value.lower() in ("off", "none"):
            return Config(setting, None)
        match = CHANNEL_MENTION.match(value)
        if match is None:
            raise UsageError(Subcommand.CONFIG, Problem.BAD_CHANNEL, value)
        return Config(setting, match.group(1))
    return Config(setting, value)


_PARSERS: dict[Subcommand, Callable[[str, list[Token]], Command]] = {
    Subcommand.HELP: _help,
    Subcommand.ADD: _add,
    Subcommand.LOG: _log,
    Subcommand.LIST: _list,
    Subcommand.SHOW: _show,
    Subcommand.KEY: _key,
    Subcommand.CADENCE: _cadence,
    Subcommand.OWNER: _owner,
    Subcommand.SPONSOR: _sponsor,
    Subcommand.PROMISE: _promise,
    Subcommand.DONE: _done,
    Subcommand.EXPORT: _export,
    Subcommand.ALIAS: _alias,
    Subcommand.UNALIAS: _unalias,
    Subcommand.SURVEY: parse_survey,
    Subcommand.SURVEYS: _surveys,
    Subcommand.DIGEST: parse_send_digest,
    Subcommand.CHANNEL: _channel,
    Subcommand.PERSON: parse_person,
    Subcommand.DOMAIN: parse_domain_command,
    Subcommand.REPLY: _reply,
    Subcommand.CALENDAR: _calendar,
    Subcommand.AWAY: parse_away,
    Subcommand.CONFIG: _config,
}
assert list(_PARSERS) == list(Subcommand), "every subcommand has one parser, in the list's order"
