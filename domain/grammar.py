"""The `/client` grammar: command text in, a typed command out. Names are resolved later, with the database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from domain.errors import InvalidCadence, UsageError
from domain.text import ascii_number, check_command

QUOTES = {'"': '"', "\u201c": "\u201d", "\u201e": "\u201d", "\u00ab": "\u00bb"}
CLOSING = {'"', "\u201d", "\u201c", "\u00bb"}
USER_MENTION = re.compile(r"^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$")
CADENCE = re.compile(r"^([0-9]{1,4})\s*(d|day|days|w|wk|week|weeks)$", re.IGNORECASE)  # ASCII digits: int() reads them
BY = re.compile(r"\s+by\s+", re.IGNORECASE)
CADENCE_MAX_DAYS = 365


@dataclass(frozen=True)
class Token:
    """A word of the command text; `quoted` when it was written in quotes."""

    text: str
    start: int
    end: int
    quoted: bool = False


@dataclass(frozen=True)
class Subject:
    """A client reference followed by free text: `quoted` names it exactly, else `text` starts with it."""

    quoted: str | None
    text: str


@dataclass(frozen=True)
class Help:
    topic: str | None = None


@dataclass(frozen=True)
class Add:
    name: str
    key: bool = False
    cadence_days: int | None = None
    owner_id: str | None = None


@dataclass(frozen=True)
class Log:
    subject: Subject


@dataclass(frozen=True)
class ListClients:
    which: str = "all"


@dataclass(frozen=True)
class Show:
    client: str


@dataclass(frozen=True)
class SetKey:
    client: str
    on: bool


@dataclass(frozen=True)
class SetCadence:
    client: str
    days: int | None


@dataclass(frozen=True)
class SetOwner:
    client: str
    owner_id: str


@dataclass(frozen=True)
class MakePromise:
    subject: Subject
    due_text: str


@dataclass(frozen=True)
class Done:
    promise_id: int


@dataclass(frozen=True)
class Export:
    client: str | None = None


@dataclass(frozen=True)
class AddAlias:
    subject: Subject


@dataclass(frozen=True)
class RemoveAlias:
    subject: Subject


@dataclass(frozen=True)
class StartSurvey:
    """`survey <client> <project> team @a [@b …] client @c [@d]`: `subject` is the client, then the project."""

    subject: Subject
    team_ids: tuple[str, ...]
    client_ids: tuple[str, ...]


@dataclass(frozen=True)
class ListSurveys:
    client: str | None = None


@dataclass(frozen=True)
class SetChannel:
    """`channel <client> #channel` (or `off`): where client-side invitations go when a DM is impossible."""

    client: str
    channel_id: str | None


@dataclass(frozen=True)
class Config:
    """`config` alone shows the settings; `setting` is channel, hours or days."""

    setting: str | None = None
    value: str | None = None


Command = (
    Help
    | Add
    | Log
    | ListClients
    | Show
    | SetKey
    | SetCadence
    | SetOwner
    | MakePromise
    | Done
    | Export
    | AddAlias
    | RemoveAlias
    | Config
    | StartSurvey
    | ListSurveys
    | SetChannel
)
SUBCOMMANDS = (
    "help", "add", "log", "list", "show", "key", "cadence", "owner", "promise", "done", "export",
    "alias", "unalias", "config", "survey", "surveys", "channel",
)  # fmt: skip
CONFIG_SETTINGS = ("channel", "hours", "days")
CHANNEL_MENTION = re.compile(r"^<#([CG][A-Z0-9]{2,})(?:\|[^>]*)?>$")
LIST_FILTERS = ("all", "mine", "key", "quiet")
FREE_TEXT = ("log", "promise", "alias", "unalias")  # a client, then text as typed (stray quotes and all)


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
                raise UsageError(None, "unclosed_quote")
            tokens.append(Token(text[i + 1 : close].strip(), i, close + 1, quoted=True))
            i = close + 1
            continue
        j = i
        while j < n and not text[j].isspace():
            j += 1
        tokens.append(Token(text[i:j], i, j))
        i = j
    return tokens


def parse(text: str) -> Command:
    """Parse the text after `/client` into a command, or raise a RapportError (UsageError, TooLong, UnreadableText)."""
    text = check_command(text).strip()
    tokens = tokenize(text, limit=1)
    if not tokens:
        return Help()
    verb = tokens[0].text.lower()
    rest = text[tokens[0].end :].strip()
    args = tokenize(rest, limit=1 if verb in FREE_TEXT else None)
    parser = _PARSERS.get(verb)
    if parser is None or tokens[0].quoted:
        raise UsageError(None, "unknown_subcommand", tokens[0].text)
    return parser(rest, args)


def parse_cadence(text: str) -> int:
    """`14d`, `2w`, `3 weeks` → days; InvalidCadence outside 1..365 days."""
    match = CADENCE.match(text.strip())
    if not match:
        raise InvalidCadence(text)
    days = int(match.group(1)) * (7 if match.group(2).lower().startswith("w") else 1)
    if not 1 <= days <= CADENCE_MAX_DAYS:
        raise InvalidCadence(text)
    return days


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


def _name_of(subcommand: str, tokens: list[Token], source: str) -> str:
    """The client name spanned by `tokens`: one quoted token, or the words as typed."""
    if not tokens:
        raise UsageError(subcommand, "missing_client")
    if len(tokens) == 1 and tokens[0].quoted:
        return tokens[0].text
    if any(t.quoted for t in tokens):
        raise UsageError(subcommand, "stray_quotes")
    return source[tokens[0].start : tokens[-1].end]


def _subject(subcommand: str, rest: str, args: list[Token]) -> Subject:
    if not args:
        raise UsageError(subcommand, "missing_client")
    if args[0].quoted:
        return Subject(args[0].text, rest[args[0].end :].strip())
    return Subject(None, rest.strip())


def _help(rest: str, args: list[Token]) -> Command:
    topic = args[0].text.lower() if args else None
    return Help(topic if topic in SUBCOMMANDS else None)


def _add(rest: str, args: list[Token]) -> Command:
    if not args:
        raise UsageError("add", "missing_client")
    for split in range(1, len(args) + 1):
        options = _add_options(args[split:])
        if options is not None:
            name = _name_of("add", args[:split], rest)
            return Add(name, **options)
    raise UsageError("add", "bad_options")


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
            width = _cadence_width(tokens, i + 1)
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
    return Log(_subject("log", rest, args))


def _list(rest: str, args: list[Token]) -> Command:
    if not args:
        return ListClients()
    which = args[0].text.lower()
    if len(args) > 1 or which not in LIST_FILTERS:
        raise UsageError("list", "bad_filter", rest)
    return ListClients(which)


def _show(rest: str, args: list[Token]) -> Command:
    return Show(_name_of("show", args, rest))


def _key(rest: str, args: list[Token]) -> Command:
    if len(args) < 2 or args[-1].text.lower() not in ("on", "off"):
        raise UsageError("key", "usage")
    return SetKey(_name_of("key", args[:-1], rest), args[-1].text.lower() == "on")


def _cadence(rest: str, args: list[Token]) -> Command:
    if len(args) < 2:
        raise UsageError("cadence", "usage")
    if args[-1].text.lower() in ("off", "none"):
        return SetCadence(_name_of("cadence", args[:-1], rest), None)
    width = 2 if len(args) >= 3 and _cadence_width(args, len(args) - 2) == 2 else 1
    days = parse_cadence(" ".join(t.text for t in args[-width:]))
    return SetCadence(_name_of("cadence", args[:-width], rest), days)


def _cadence_width(tokens: list[Token], i: int) -> int:
    """How many tokens from `i` spell a cadence: 1 (`2w`), 2 (`3 weeks`) or 0 (none)."""
    if i + 1 < len(tokens) and CADENCE.match(f"{tokens[i].text} {tokens[i + 1].text}"):
        return 2
    return 1 if CADENCE.match(tokens[i].text) else 0


def _owner(rest: str, args: list[Token]) -> Command:
    owner = user_mention(args[-1].text) if len(args) >= 2 else None
    if owner is None:
        raise UsageError("owner", "usage")
    return SetOwner(_name_of("owner", args[:-1], rest), owner)


def _promise(rest: str, args: list[Token]) -> Command:
    matches = list(BY.finditer(rest))
    if not args or not matches:
        raise UsageError("promise", "usage")
    last = matches[-1]
    head, due_text = rest[: last.start()], rest[last.end() :].strip()
    if not due_text:
        raise UsageError("promise", "usage")
    head_tokens = tokenize(head, limit=1)
    return MakePromise(_subject("promise", head, head_tokens), due_text)


def _done(rest: str, args: list[Token]) -> Command:
    if len(args) != 1:
        raise UsageError("done", "usage")
    ref = args[0].text.removeprefix("#")
    number = ascii_number(ref) if len(ref) <= 12 else None
    if number is None:
        raise UsageError("done", "bad_reference", args[0].text)
    return Done(number)


def _export(rest: str, args: list[Token]) -> Command:
    return Export(_name_of("export", args, rest) if args else None)


def _alias(rest: str, args: list[Token]) -> Command:
    return AddAlias(_subject("alias", rest, args))


def _unalias(rest: str, args: list[Token]) -> Command:
    return RemoveAlias(_subject("unalias", rest, args))


def _survey(rest: str, args: list[Token]) -> Command:
    """The two sides are `team` and `client` followed by mentions, in either order, after the project."""
    tokens = tokenize(rest)
    sides: dict[str, list[str]] = {"team": [], "client": []}
    first, current = None, None
    for index, token in enumerate(tokens):
        word = token.text.lower() if not token.quoted else ""
        mentioned = user_mention(token.text) if not token.quoted else None
        if word in sides and index + 1 < len(tokens) and user_mention(tokens[index + 1].text):
            current = word
            first = index if first is None else first
        elif current is not None and mentioned:
            sides[current].append(mentioned)
        elif current is not None:
            raise UsageError("survey", "usage")
    if first is None or first == 0:
        raise UsageError("survey", "usage")
    head = rest[: tokens[first].start].strip()
    return StartSurvey(_subject("survey", head, tokenize(head, limit=1)), tuple(sides["team"]), tuple(sides["client"]))


def _surveys(rest: str, args: list[Token]) -> Command:
    return ListSurveys(_name_of("surveys", args, rest) if args else None)


def _channel(rest: str, args: list[Token]) -> Command:
    if len(args) < 2:
        raise UsageError("channel", "usage")
    last = args[-1].text
    name = _name_of("channel", args[:-1], rest)
    if last.lower() in ("off", "none"):
        return SetChannel(name, None)
    match = CHANNEL_MENTION.match(last)
    if match is None:
        raise UsageError("channel", "bad_channel", last)
    return SetChannel(name, match.group(1))


def _config(rest: str, args: list[Token]) -> Command:
    if not args:
        return Config()
    setting = args[0].text.lower()
    value = rest[args[0].end :].strip()
    if setting not in CONFIG_SETTINGS or not value:
        raise UsageError("config", "usage")
    if setting == "channel":
        if value.lower() in ("off", "none"):
            return Config("channel", None)
        match = CHANNEL_MENTION.match(value)
        if match is None:
            raise UsageError("config", "bad_channel", value)
        return Config("channel", match.group(1))
    return Config(setting, value)


_PARSERS = {
    "help": _help,
    "add": _add,
    "log": _log,
    "list": _list,
    "show": _show,
    "key": _key,
    "cadence": _cadence,
    "owner": _owner,
    "promise": _promise,
    "done": _done,
    "export": _export,
    "alias": _alias,
    "unalias": _unalias,
    "config": _config,
    "survey": _survey,
    "surveys": _surveys,
    "channel": _channel,
}
