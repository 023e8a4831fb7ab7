"""`/client survey`: the project, then `team` and `client` followed by the people asked, in either order.

The client's side may name people outside Slack by email address, each optionally followed by `lang <en|pl|ru>`
(the language of their survey page and email).
"""

from __future__ import annotations

from domain.addresses import parse_address
from domain.commands import Subcommand
from domain.errors import InvalidAddress, Problem, UsageError
from domain.survey_links import UnknownPageLanguage
from domain.surveys import PAGE_LANGUAGES, ByEmail, Side
from handlers.commands.parsed import Command, StartSurvey
from handlers.commands.tokens import Token, subject_of, tokenize, user_mention


def parse_survey(rest: str, args: list[Token]) -> Command:
    """The two sides are `team` and `client` followed by mentions, in either order, after the project; the client
    side may also name email addresses, each optionally followed by `lang <en|pl|ru>` (the survey page's)."""
    tokens = tokenize(rest)
    sides: dict[str, list[str]] = {Side.TEAM: [], Side.CLIENT: []}
    emails: dict[str, str | None] = {}
    first, current, last_email = None, None, None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        word = token.text.lower() if not token.quoted else ""
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if word in sides and following is not None and _participant(following, client_side=word == Side.CLIENT):
            current, last_email = word, None
            first = index if first is None else first
        elif current is not None and not token.quoted and user_mention(token.text):
            sides[current].append(str(user_mention(token.text)))
            last_email = None
        elif current == Side.CLIENT and word == "lang" and last_email is not None and following is not None:
            emails[last_email] = _page_language(following)
            index, last_email = index + 1, None
        elif current == Side.CLIENT and _participant(token, client_side=True):
            last_email = _address(token)
            emails.setdefault(last_email, None)
        elif current is not None:
            raise UsageError(Subcommand.SURVEY, Problem.USAGE)
        index += 1
    if first is None or first == 0:
        raise UsageError(Subcommand.SURVEY, Problem.USAGE)
    head = rest[: tokens[first].start].strip()
    return StartSurvey(
        subject_of(Subcommand.SURVEY, head, tokenize(head, limit=1)),
        tuple(sides[Side.TEAM]),
        tuple(sides[Side.CLIENT]),
        tuple(ByEmail(address, language) for address, language in emails.items()),
    )


def _participant(token: Token, *, client_side: bool) -> bool:
    """A mention, or on the client's side something written as an email address (checked by _address)."""
    if token.quoted:
        return False
    return user_mention(token.text) is not None or (client_side and "@" in token.text)


def _address(token: Token) -> str:
    """An email address in its stored form, or a usage error quoting what was typed."""
    try:
        return parse_address(token.text)
    except InvalidAddress as exc:
        raise UsageError(Subcommand.SURVEY, Problem.BAD_PERSON, exc.text) from None


def _page_language(token: Token) -> str:
    """A language the survey page speaks, after `lang`."""
    code = token.text.strip().lower()
    if token.quoted or code not in PAGE_LANGUAGES:
        raise UnknownPageLanguage(token.text)
    return code
