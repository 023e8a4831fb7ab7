"""The typed commands the `/client` grammar (grammar.py) makes of a command's text, one per subcommand form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from domain.commands import CalendarSetting, ConfigSetting, ListFilter, PersonalSetting, Subcommand
from domain.names import Subject
from domain.surveys import ByEmail


@dataclass(frozen=True)
class Help:
    topic: Subcommand | None = None


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
    which: ListFilter = ListFilter.ALL


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
class SetSponsor:
    """`sponsor <client> @someone every <N>d|<N>w`, or (`user_id` None) `sponsor <client> off`."""

    client: str
    user_id: str | None = None
    cadence_days: int | None = None


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
    """`survey <client> <project> team @a [@b …] client @c [jo@acme.com [lang ru] …]`: `subject` is the client, then
    the project; people outside Slack are named by email address (they answer on the survey page)."""

    subject: Subject
    team_ids: tuple[str, ...]
    client_ids: tuple[str, ...]
    client_emails: tuple[ByEmail, ...] = ()  # client contacts outside Slack: they answer on the survey page


@dataclass(frozen=True)
class ListSurveys:
    """`surveys [client|all] [share]`: the latest surveys, one client's with their trends, or the workspace's
    averages; `share` posts the answer (and the chart) in the channel instead of to the asker alone."""

    client: str | None = None
    workspace: bool = False  # `all`
    share: bool = False


@dataclass(frozen=True)
class LinkChannel:
    """`channel <client> #channel [text on|off]`: a channel where we talk with the client, keeping its text or not."""

    client: str
    channel_id: str
    keep_text: bool | None = None  # None: as it is (a new link keeps no text)


@dataclass(frozen=True)
class UnlinkChannel:
    """`channel <client> off [#channel]`: unlink one channel, or (None) all of them."""

    client: str
    channel_id: str | None = None


@dataclass(frozen=True)
class AddPerson:
    """`person <client> @someone` (a guest, a Slack Connect member) or `person <client> jo@acme.com [Jo Smith]`:
    one of `user_id` and `email` (checked, as stored: domain.addresses)."""

    client: str
    user_id: str | None = None
    email: str | None = None
    name: str | None = None  # given with an address


@dataclass(frozen=True)
class RemovePerson:
    """`person <client> off @someone|jo@acme.com|Jo Smith`: by mention, by address, or by the name given with an
    address (one of the three)."""

    client: str
    user_id: str | None = None
    email: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class AddDomains:
    """`domain <client> acme.com [more.com …]`: the domains checked, as stored (domain.addresses), each once."""

    client: str
    domains: tuple[str, ...]


@dataclass(frozen=True)
class RemoveDomains:
    """`domain <client> off acme.com [more.com …]`: as AddDomains."""

    client: str
    domains: tuple[str, ...]


@dataclass(frozen=True)
class SetReplyTime:
    """`reply <client> 4h|2d|off`: `reply_time` as clients.reply_time stores it."""

    client: str
    reply_time: str


@dataclass(frozen=True)
class Calendar:
    """`calendar <https URL>` connects, `calendar off` disconnects, `calendar titles|brief on|off`; alone: shows it."""

    url: str | None = None
    off: bool = False
    setting: CalendarSetting | None = None
    on: bool = False


@dataclass(frozen=True)
class Config:
    """`config` alone shows the settings; `setting` is channel, hours, days or holidays (value None: off)."""

    setting: ConfigSetting | None = None
    value: str | None = None


@dataclass(frozen=True)
class ConfigMe:
    """`config me` alone shows the asker's own settings; `config me briefing 09:00|off` sets one (None: off)."""

    setting: PersonalSetting | None = None
    at: time | None = None
    holidays: str | None = None  # `holidays US-CA` as typed; None with HOLIDAYS: the workspace's again
    language: str | None = None  # `language ru` as typed; None with LANGUAGE: the workspace's again


@dataclass(frozen=True)
class Away:
    """`away until <date> @backup` (the date as typed, read in the asker's zone), or `away off`."""

    until_text: str | None = None
    backup_id: str | None = None


@dataclass(frozen=True)
class ConfigDigest:
    """`config digest @a @b [mon 09:00]`: exactly these people get it; no one (`digest off`): nobody does."""

    recipients: tuple[str, ...] = ()
    weekday: int | None = None  # 0 is Monday; None keeps the workspace's
    minute: int | None = None  # local minutes after midnight; None keeps the workspace's


@dataclass(frozen=True)
class SendDigest:
    """`digest`: this week's digest, to the asker's DM at once."""


Command = (
    Help
    | Add
    | Log
    | ListClients
    | Show
    | SetKey
    | SetCadence
    | SetOwner
    | SetSponsor
    | MakePromise
    | Done
    | Export
    | AddAlias
    | RemoveAlias
    | Config
    | ConfigMe
    | Away
    | ConfigDigest
    | SendDigest
    | StartSurvey
    | ListSurveys
    | LinkChannel
    | UnlinkChannel
    | AddPerson
    | RemovePerson
    | AddDomains
    | RemoveDomains
    | SetReplyTime
    | Calendar
)
