"""Typed errors. Each carries data, not text: render/errors.py turns them into what a user reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from domain.commands import ConfigSetting, Subcommand


class RapportError(Exception):
    """Something the user asked for cannot be done; nothing was written."""


class Problem(StrEnum):
    """What is wrong with a command's text (render/errors.py says it in words); `detail` holds the text at fault."""

    USAGE = "usage"  # it does not fit the subcommand's usage
    UNKNOWN_SUBCOMMAND = "unknown_subcommand"
    UNCLOSED_QUOTE = "unclosed_quote"
    MISSING_CLIENT = "missing_client"
    STRAY_QUOTES = "stray_quotes"
    BAD_FILTER = "bad_filter"
    BAD_OPTIONS = "bad_options"
    BAD_REFERENCE = "bad_reference"
    MISSING_NOTE = "missing_note"
    MISSING_PROMISE = "missing_promise"
    MISSING_ALIAS = "missing_alias"
    BAD_CHANNEL = "bad_channel"
    MISSING_TEAM = "missing_team"  # a survey without anyone on the team side
    MISSING_CLIENT_SIDE = "missing_client_side"
    BOTH_SIDES = "both_sides"
    UNKNOWN_ITEM = "unknown_item"  # a survey item that is not in its question set
    BAD_PERSON = "bad_person"  # `/client person` names no one: neither a mention nor an email address


@dataclass
class UsageError(RapportError):
    """The command text does not fit the grammar of `subcommand` (None: the command as a whole)."""

    subcommand: Subcommand | None
    problem: Problem = Problem.USAGE
    detail: str = ""


@dataclass
class UnknownClient(RapportError):
    """No client is called `query`; `suggestions` are the nearest names."""

    query: str
    suggestions: list[str] = field(default_factory=list)


@dataclass
class AmbiguousClient(RapportError):
    """`query` is the beginning of several clients' names."""

    query: str
    candidates: list[str]


@dataclass
class ClientExists(RapportError):
    """A client or alias called `name` already exists (as `existing`)."""

    name: str
    existing: str


@dataclass
class TooLong(RapportError):
    """A text is longer than the limit."""

    what: str
    limit: int
    length: int


@dataclass
class UnreadableText(RapportError):
    """A text holds a character we cannot store or show: a control character (NUL, escape…) or a lone surrogate."""

    what: str
    code_point: int


@dataclass
class Empty(RapportError):
    """A required text is missing."""

    what: str


@dataclass
class InvalidDate(RapportError):
    """`text` is not a date we understand."""

    text: str


@dataclass
class PastDate(RapportError):
    """`when` is before today in the user's time zone."""

    when: date


@dataclass
class InvalidCadence(RapportError):
    """A cadence outside 1 day .. 1 year, or not of the form 14d / 2w."""

    text: str


@dataclass
class UnknownPromise(RapportError):
    """No promise with that reference in this workspace."""

    ref: str


@dataclass
class PromiseAlreadyDone(RapportError):
    """The promise was already marked done."""

    promise_id: int
    done_by: str | None


class WhyNot(StrEnum):
    """Why someone cannot own clients and promises."""

    UNKNOWN = "unknown"
    BOT = "bot"
    DEACTIVATED = "deactivated"
    EXTERNAL = "external"
    MEMBER = "member"  # a full member of our own workspace: not someone on the client's side


@dataclass
class NotAPerson(RapportError):
    """A user id that cannot own things: a bot, a deactivated account, or unknown to Slack."""

    user_id: str
    reason: WhyNot


@dataclass
class KeyNeedsCadence(RapportError):
    """A key client always has a cadence; it cannot be switched off."""

    client: str


@dataclass
class InvalidSetting(RapportError):
    """A `/client config` value we cannot use."""

    setting: ConfigSetting
    text: str


@dataclass
class NudgeAlreadyAnswered(RapportError):
    """Someone answered this nudge already."""

    answered_by: str | None
    answer: str | None


@dataclass
class UnknownNudge(RapportError):
    """The nudge a button or reaction points at is not in this workspace."""

    ref: str


@dataclass
class NotYourNudge(RapportError):
    """A nudge sent to someone's DM is theirs (or its owner's) to answer."""

    recipient_id: str


@dataclass
class NotYours(RapportError):
    """Survey results are decided on by the people who got them, or the client's owner."""


@dataclass
class NotInvited(RapportError):
    """A survey is answered only by the people invited to it; who they are is not told."""


@dataclass
class NotInFuture(RapportError):
    """A new promise date must be after today."""

    when: date


@dataclass
class DateTooFar(RapportError):
    """A promise more than three years ahead is almost certainly a typo."""

    when: date


@dataclass
class FutureDate(RapportError):
    """A contact is logged for a day that has not come yet: `when` is after the user's `today`."""

    when: date
    today: date


@dataclass
class DateTooOld(RapportError):
    """A contact more than a year back (before `earliest`) is almost certainly a typo."""

    when: date
    earliest: date


@dataclass
class UnknownSurvey(RapportError):
    """No such survey in this workspace."""

    ref: str


@dataclass
class InvalidReplyTime(RapportError):
    """A reply time we cannot read: `4h`, `2d` or `off`."""

    text: str


@dataclass
class ChannelTaken(RapportError):
    """A channel belongs to one client, and this one is linked to `client` already."""

    channel_id: str
    client: str


@dataclass
class NotClientSide(RapportError):
    """Only a guest or a Slack Connect member of another workspace can be one of a client's people."""

    user_id: str
    reason: WhyNot


@dataclass
class PersonTaken(RapportError):
    """Someone is one of one client's people; this person is `client`'s already."""

    user_id: str
    client: str


class AddressProblem(StrEnum):
    """Why an email address cannot be one of a client's people."""

    SYNTAX = "syntax"  # not name@domain.tld
    DISPLAY_NAME = "display_name"  # `Jo Smith <jo@acme.com>`: the address goes alone, the name after it
    TOO_LONG = "too_long"  # over 254 characters


@dataclass
class InvalidAddress(RapportError):
    """`text` is not an email address we can store and compare."""

    text: str
    problem: AddressProblem


class DomainProblem(StrEnum):
    """Why a text is not an email domain of a client."""

    SYNTAX = "syntax"  # not letters, digits and hyphens in labels between dots (an IP address is none either)
    NO_DOT = "no_dot"  # `acme`: a domain has at least two labels
    ADDRESS = "address"  # `jo@acme.com`: an address, not a domain
    URL = "url"  # `https://acme.com/about`: a web address with a path, a port or a query
    WEBSITE = "website"  # `www.acme.com`: the website's name, not the domain of people's addresses


@dataclass
class InvalidDomain(RapportError):
    """`text` is not an email domain; `suggestion` is the domain it probably means, when there is one."""

    text: str
    problem: DomainProblem
    suggestion: str | None = None


@dataclass
class PublicMailDomain(RapportError):
    """Anyone can have an address at `domain` (gmail.com): it says nothing about which client someone is at."""

    domain: str


@dataclass
class AddressTaken(RapportError):
    """An address is one person at one client, and this one is `client`'s already."""

    email: str
    client: str


@dataclass
class DomainTaken(RapportError):
    """A domain belongs to one client, and this one is `client`'s already."""

    domain: str
    client: str


@dataclass
class AmbiguousPerson(RapportError):
    """Several of a client's people have the name `name`: `emails` are theirs, to say which one."""

    name: str
    emails: list[str]


@dataclass
class TeamAddress(RapportError):
    """An address or a domain of the team's own: `user_id`, a teammate, has their Slack profile's address there."""

    text: str  # the address or domain asked for, as stored
    user_id: str


class FeedProblem(StrEnum):
    """Why a calendar feed cannot be read (render/errors.py says it in words; never with the feed's address)."""

    BAD_ADDRESS = "bad_address"  # not an https (or webcal) address we can read
    PRIVATE = "private"  # a loopback, private, link-local or reserved address (CALENDAR_ALLOW_PRIVATE allows them)
    UNRESOLVABLE = "unresolvable"  # no such host
    REFUSED = "refused"  # 401, 403, 404, 410: the secret address was reset or the calendar removed
    HTTP = "http"  # another status
    REDIRECTS = "redirects"  # too many redirects, or one to an address we don't read
    TOO_BIG = "too_big"
    TIMEOUT = "timeout"
    TLS = "tls"  # the certificate is not trusted, or the handshake failed
    NETWORK = "network"  # the connection failed or broke off
    NOT_ICALENDAR = "not_icalendar"  # the answer is no iCalendar feed


WRONG_ADDRESS = {
    FeedProblem.BAD_ADDRESS, FeedProblem.PRIVATE, FeedProblem.REFUSED, FeedProblem.REDIRECTS, FeedProblem.TOO_BIG,
    FeedProblem.NOT_ICALENDAR,
}  # fmt: skip


@dataclass
class FeedFailed(RapportError):
    """A calendar feed was refused or could not be read; `status` is the HTTP status when there was one."""

    problem: FeedProblem
    status: int | None = None

    @property
    def permanent(self) -> bool:
        """The feed's server says the address is gone: polling again will not help until the owner acts."""
        return self.problem == FeedProblem.REFUSED

    @property
    def wrong_address(self) -> bool:
        """What it answers is no calendar we can read (as opposed to a server or network having a bad moment)."""
        return self.problem in WRONG_ADDRESS

    def __str__(self) -> str:  # what the feed row keeps, and logs show: never the address
        return f"{self.problem}" + (f" {self.status}" if self.status is not None else "")


@dataclass
class NoCalendar(RapportError):
    """The teammate has connected no calendar (`/client calendar <https URL>` connects one)."""


# App Home ------------------------------------------------------------------------------------------------------


@dataclass
class UnknownHomeItem(RapportError):
    """A Home button points at a client, promise or message this workspace does not have (any more)."""

    ref: str


@dataclass
class NotYourHomeItem(RapportError):
    """A Home button acts on the clicker's own clients, promises and client messages; `owner_id` owns this one."""

    owner_id: str | None
