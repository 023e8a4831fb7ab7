"""The weekly digest's content: what happened with the team's clients in the past week, read in a fixed number of
queries whatever the number of clients (each list is cut to LIMIT rows in SQL, its full length counted alongside).

Plain values only; the words are render/digest.py's, the chart render/chart.py's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from domain.channel_messages import permalink as built_permalink
from domain.channel_reading import workspace_url
from domain.dates import local_today
from domain.digest_health import ChartSeries, Drop, chart_series, health_drops
from domain.health import Health, scores
from domain.nudges import utc
from domain.surveys import Side
from storage.models import (
    ChannelMessage,
    Client,
    Contact,
    Person,
    Promise,
    Survey,
    SurveyAnswer,
    SurveyFix,
    SurveyMessage,
    SurveyParticipant,
)

T = TypeVar("T")
WEEK = timedelta(days=7)
LIMIT = 10  # rows read per list; the digest says "and N more" for the rest


@dataclass(frozen=True)
class OwnerContacts:
    """Contacts in the week with the clients one person owns (owner None: clients nobody owns)."""

    owner_id: str | None
    contacts: int
    clients_touched: int


@dataclass(frozen=True)
class ClientContacts:
    """A key client's contacts in the week, and the latest one's message."""

    client_id: int
    name: str
    owner_id: str | None
    contacts: int
    last_link: str | None


@dataclass(frozen=True)
class QuietClient:
    """A client that went quiet during the week (past its cadence, still quiet)."""

    client_id: int
    name: str
    owner_id: str | None
    quiet_since: datetime
    last_contact_at: datetime | None


@dataclass(frozen=True)
class PromiseLine:
    """A promise kept in the week, or one whose date passed in the week without it being kept."""

    promise_id: int
    client_name: str
    what: str
    owner_id: str
    due_on: date
    done_at: datetime | None


@dataclass(frozen=True)
class WaitingLine:
    """A client's message still waiting for our answer past its reply time."""

    client_name: str
    owner_id: str | None
    user_id: str | None
    at: datetime
    due_at: datetime
    link: str | None


@dataclass(frozen=True)
class SurveyLine:
    """A survey closed in the week: the client's average rating, and how many fixes were decided."""

    survey_id: int
    client_name: str
    project: str
    client_average: float | None
    fixes: int
    link: str | None = None  # the results as sent to whoever asked for the survey


@dataclass(frozen=True)
class FixLine:
    """A decision about a survey item in the week: a fix (a promise) or no fix needed, and why."""

    client_name: str
    project: str
    item: str
    promise_id: int | None
    what: str | None
    reason: str | None
    by: str


@dataclass(frozen=True)
class Listed(Generic[T]):
    """The first rows of a list, and how many there are in all."""

    rows: tuple[T, ...]
    total: int

    @property
    def more(self) -> int:
        """How many are not among the rows."""
        return self.total - len(self.rows)


@dataclass(frozen=True)
class WeekDigest:
    """Everything the weekly digest shows, for one workspace and the week ending at `end`."""

    team_id: str
    start: datetime
    end: datetime
    owners: Listed[OwnerContacts]
    key_clients: Listed[ClientContacts]
    went_quiet: Listed[QuietClient]
    kept: Listed[PromiseLine]
    slipped: Listed[PromiseLine]
    waiting: Listed[WaitingLine]
    surveys: Listed[SurveyLine]
    fixes: Listed[FixLine]
    drops: Listed[Drop]
    chart: tuple[ChartSeries, ...]


def week_digest(session: Session, *, team_id: str, now: datetime) -> WeekDigest:
    """The digest of the week ending now, for one workspace."""
    start = now - WEEK
    health = scores(session, team_id=team_id, now=now)
    kept, slipped = _promises(session, team_id, start, now)
    return WeekDigest(
        team_id=team_id,
        start=start,
        end=now,
        owners=_owners(session, team_id, start, now),
        key_clients=_key_clients(session, team_id, start, now),
        went_quiet=_went_quiet(session, team_id, start, now),
        kept=kept,
        slipped=slipped,
        waiting=_waiting(session, team_id, now, workspace_url(session, team_id=team_id)),
        surveys=_surveys(session, team_id, start, now),
        fixes=_fixes(session, team_id, start, now),
        drops=_drops(session, team_id, start, health),
        chart=chart_series(session, team_id=team_id, now=now, health=health),
    )


def _listed(session: Session, statement: Any, make: Any) -> Listed[Any]:
    """The first LIMIT rows of `statement` and the number of all its rows, in one query (a window count)."""
    rows = list(session.execute(statement.add_columns(func.count().over().label("total")).limit(LIMIT)))
    return Listed(tuple(make(*row[:-1]) for row in rows), rows[0][-1] if rows else 0)


def _owners(session: Session, team_id: str, start: datetime, end: datetime) -> Listed[OwnerContacts]:
    contacts = func.count(Contact.id)
    statement = (
        select(Client.owner_id, contacts, func.count(func.distinct(Contact.client_id)))
        .join(Contact, and_(Contact.team_id == Client.team_id, Contact.client_id == Client.id))
        .where(Client.team_id == team_id, Contact.occurred_at > start, Contact.occurred_at <= end)
        .group_by(Client.owner_id)
        .order_by(contacts.desc(), Client.owner_id)
    )
    return _listed(session, statement, OwnerContacts)


def _key_clients(session: Session, team_id: str, start: datetime, end: datetime) -> Listed[ClientContacts]:
    """Key clients, fewest contacts first (those are the ones to look at), each with its latest message."""
    in_week = and_(
        Contact.team_id == Client.team_id,
        Contact.client_id == Client.id,
        Contact.occurred_at > start,
        Contact.occurred_at <= end,
    )
    latest = (
        select(Contact.permalink)
        .where(in_week, Contact.permalink.is_not(None))
        .order_by(Contact.occurred_at.desc(), Contact.id.desc())
        .limit(1)
        .correlate(Client)
        .scalar_subquery()
    )
    count = select(func.count(Contact.id)).where(in_week).correlate(Client).scalar_subquery()
    statement = (
        select(Client.id, Client.name, Client.owner_id, count.label("contacts"), latest)
        .where(Client.team_id == team_id, Client.is_key.is_(True))
        .order_by(count, Client.name, Client.id)
    )
    return _listed(session, statement, ClientContacts)


def _went_quiet(session: Session, team_id: str, start: datetime, end: datetime) -> Listed[QuietClient]:
    statement = (
        select(Client.id, Client.name, Client.owner_id, Client.quiet_due_at, Client.last_contact_at)
        .where(Client.team_id == team_id, Client.quiet_due_at > start, Client.quiet_due_at <= end)
        .order_by(Client.is_key.desc(), Client.quiet_due_at, Client.id)
    )
    return _listed(session, statement, lambda i, n, o, q, last: QuietClient(i, n, o, utc(q), utc(last)))  # type: ignore[arg-type]


def _promises(session: Session, team_id: str, start: datetime, end: datetime) -> tuple[Listed[PromiseLine], ...]:
    """Promises kept in the week, and those whose date passed in it without being kept by then (late or open).

    On time means done by the due date in the owner's own zone, so these few rows (the week's) are sorted here.
    """
    first, last = start.date(), end.date() - timedelta(days=1)
    statement = (
        select(Promise.id, Client.name, Promise.what, Promise.owner_id, Promise.due_on, Promise.done_at, Person.tz)
        .join(Client, and_(Client.team_id == Promise.team_id, Client.id == Promise.client_id))
        .outerjoin(Person, and_(Person.team_id == Promise.team_id, Person.user_id == Promise.owner_id))
        .where(
            Promise.team_id == team_id,
            or_(
                and_(Promise.done_at > start, Promise.done_at <= end),
                and_(Promise.due_on >= first, Promise.due_on <= last),
            ),
        )
        .order_by(Promise.due_on, Promise.id)
    )
    kept: list[PromiseLine] = []
    slipped: list[PromiseLine] = []
    for promise_id, name, what, owner, due_on, done_at, tz in session.execute(statement):
        line = PromiseLine(promise_id, name, what, owner, due_on, done_at)
        if done_at is not None and local_today(done_at, tz) <= due_on:
            if start < done_at <= end:
                kept.append(line)
        elif first <= due_on <= last:
            slipped.append(line)
    return _cut(kept), _cut(slipped)


def _cut(rows: list[T]) -> Listed[T]:
    return Listed(tuple(rows[:LIMIT]), len(rows))


def _waiting(session: Session, team_id: str, now: datetime, url: str | None) -> Listed[WaitingLine]:
    """Clients' messages past their reply time and still unanswered, the longest waiting first."""
    statement = (
        select(Client.name, Client.owner_id, ChannelMessage)
        .join(Client, and_(Client.team_id == ChannelMessage.team_id, Client.id == ChannelMessage.client_id))
        .where(
            ChannelMessage.team_id == team_id,
            ChannelMessage.answered_at.is_(None),
            ChannelMessage.due_at <= now,
            ChannelMessage.deleted.is_(False),
            ChannelMessage.side == Side.CLIENT,
        )
        .order_by(ChannelMessage.due_at, ChannelMessage.id)
    )

    def make(name: str, owner: str | None, message: ChannelMessage) -> WaitingLine:
        link = message.permalink or built_permalink(url, message)
        return WaitingLine(name, owner, message.user_id, utc(message.at), utc(message.due_at), link)  # type: ignore[arg-type]

    return _listed(session, statement, make)


def _surveys(session: Session, team_id: str, start: datetime, end: datetime) -> Listed[SurveyLine]:
    """Surveys closed in the week, the client side's average rating, the fixes decided so far, and its results."""
    statement = (
        select(
            Survey.id,
            Client.name,
            Survey.project,
            _client_average(),
            select(func.count(SurveyFix.id))
            .where(SurveyFix.team_id == Survey.team_id, SurveyFix.survey_id == Survey.id)
            .correlate(Survey)
            .scalar_subquery(),
            _results(SurveyMessage.channel_id),
            _results(SurveyMessage.ts),
        )
        .join(Client, and_(Client.team_id == Survey.team_id, Client.id == Survey.client_id))
        .where(Survey.team_id == team_id, Survey.closed_at > start, Survey.closed_at <= end)
        .order_by(Survey.closed_at, Survey.id)
    )
    url = workspace_url(session, team_id=team_id)

    def make(survey_id: int, name: str, project: str, average: Any, count: int, channel: Any, ts: Any) -> SurveyLine:
        link = f"{url.rstrip('/')}/archives/{channel}/p{ts.replace('.', '')}" if url and channel and ts else None
        return SurveyLine(survey_id, name, project, float(average) if average is not None else None, count, link)

    return _listed(session, statement, make)


def _client_average() -> Any:
    """A survey's average rating by the client side (a correlated subquery)."""
    return (
        select(func.avg(SurveyAnswer.rating))
        .join(SurveyParticipant, SurveyParticipant.id == SurveyAnswer.participant_id)
        .where(
            SurveyAnswer.team_id == Survey.team_id,
            SurveyAnswer.survey_id == Survey.id,
            SurveyParticipant.side == Side.CLIENT,
        )
        .correlate(Survey)
        .scalar_subquery()
    )


def _results(column: Any) -> Any:
    """A column of the survey's results message as sent to whoever asked for it (a correlated subquery)."""
    return (
        select(column)
        .where(
            SurveyMessage.team_id == Survey.team_id,
            SurveyMessage.survey_id == Survey.id,
            SurveyMessage.user_id == Survey.requester_id,
        )
        .correlate(Survey)
        .scalar_subquery()
    )


def _fixes(session: Session, team_id: str, start: datetime, end: datetime) -> Listed[FixLine]:
    """What was decided about survey items in the week: a fix to make (a promise) or no fix, and why."""
    statement = (
        select(
            Client.name,
            Survey.project,
            SurveyFix.item,
            SurveyFix.promise_id,
            Promise.what,
            SurveyFix.reason,
            SurveyFix.by,
        )
        .join(Survey, and_(Survey.team_id == SurveyFix.team_id, Survey.id == SurveyFix.survey_id))
        .join(Client, and_(Client.team_id == Survey.team_id, Client.id == Survey.client_id))
        .outerjoin(Promise, and_(Promise.team_id == SurveyFix.team_id, Promise.id == SurveyFix.promise_id))
        .where(SurveyFix.team_id == team_id, SurveyFix.at > start, SurveyFix.at <= end)
        .order_by(SurveyFix.at, SurveyFix.id)
    )
    return _listed(session, statement, FixLine)


def _drops(session: Session, team_id: str, start: datetime, now: dict[int, Health]) -> Listed[Drop]:
    rows, total = health_drops(session, team_id=team_id, since=start, now=now, limit=LIMIT)
    return Listed(tuple(rows), total)
