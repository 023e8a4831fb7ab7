"""The App Home dashboard: what one person's Home shows, as plain values read in a constant number of queries.

Their clients by health (worst first), their open promises slipped or due within a week, their clients' messages
waiting for our answer, the surveys waiting for their own answer; and for managers (digest recipients) every
owner's red clients and slipped promises. Each section keeps its first few items and counts the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Generic, TypeVar, TypeVarTuple

from sqlalchemy import Row, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from domain.channel_messages import Side
from domain.health import Band, Health, scores
from domain.nudges import utc
from storage.models import ChannelMessage, Client, DigestRecipient, Promise, Survey, SurveyParticipant

SHOWN = 8  # items of a section with buttons (two blocks each: Slack's Home holds 100)
TEAM_SHOWN = 15  # lines of a team list (no buttons, packed into few blocks)
WEEK = timedelta(days=6)  # "due this week": today and the six days after it

T = TypeVar("T")
Ts = TypeVarTuple("Ts")


@dataclass(frozen=True)
class Part(Generic[T]):
    """A section's first items, and how many there are in all."""

    items: list[T]
    total: int

    @property
    def more(self) -> int:
        """How many are left out."""
        return self.total - len(self.items)


@dataclass(frozen=True)
class ClientItem:
    """A client with its health."""

    client_id: int
    name: str
    is_key: bool
    owner_id: str | None
    cadence_days: int | None
    last_contact_at: datetime | None
    overdue: bool  # past its cadence (the sweep's own test)
    snoozed_until: datetime | None
    health: Health


@dataclass(frozen=True)
class PromiseItem:
    """An open promise."""

    promise_id: int
    client_name: str
    what: str
    due_on: date
    owner_id: str
    slipped: bool


@dataclass(frozen=True)
class MessageItem:
    """A client's message waiting for our answer."""

    message_id: int
    client_name: str
    user_id: str | None
    channel_id: str
    at: datetime
    due_at: datetime | None
    permalink: str | None
    text: str | None
    overdue: bool  # past the client's reply time


@dataclass(frozen=True)
class SurveyItem:
    """A survey waiting for the reader's answer."""

    survey_id: int
    client_name: str
    project: str
    requester_id: str
    created_at: datetime


@dataclass(frozen=True)
class Team:
    """A manager's view: every owner's red clients (worst first) and slipped promises (oldest first)."""

    red: Part[ClientItem]
    slipped: Part[PromiseItem]


@dataclass(frozen=True)
class Dashboard:
    """Everything one person's Home shows."""

    clients: Part[ClientItem]
    promises: Part[PromiseItem]
    messages: Part[MessageItem]
    surveys: Part[SurveyItem]
    team: Team | None  # None for anyone who is not a manager


def dashboard(
    session: Session, *, team_id: str, user_id: str, now: datetime, today: date, shown: int = SHOWN,
    team_shown: int = TEAM_SHOWN,
) -> Dashboard:  # fmt: skip
    """One person's Home as plain values (`today`: their own date), in a constant number of queries."""
    manager = is_manager(session, team_id=team_id, user_id=user_id)
    every = scores(session, team_id=team_id, now=now) if manager else None  # a manager's Home scores them all once
    return Dashboard(
        clients=_part(_my_clients(session, team_id, user_id, now, every), shown),
        promises=_promises(session, team_id, today, now, owner_id=user_id, shown=shown),
        messages=_messages(session, team_id, user_id, now, shown),
        surveys=_surveys(session, team_id, user_id, shown),
        team=_team(session, team_id, today, now, team_shown, every) if every is not None else None,
    )  # fmt: skip


def is_manager(session: Session, *, team_id: str, user_id: str) -> bool:
    """Whether the person gets the weekly digest: managers see the team section."""
    mine = (DigestRecipient.team_id == team_id) & (DigestRecipient.user_id == user_id)
    return session.scalar(select(DigestRecipient.user_id).where(mine)) is not None


def _part(items: Sequence[T], shown: int) -> Part[T]:
    return Part(list(items[:shown]), len(items))


def _page(session: Session, query: Select[*Ts], shown: int) -> tuple[list[Row[*Ts]], int]:
    """A query's first `shown` rows, and how many it has in all: two statements, however many there are."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    return list(session.execute(query.limit(shown))), total


def _clients(rows: Sequence[Client], health: dict[int, Health], now: datetime) -> list[ClientItem]:
    """Clients with their health, worst first (then by name)."""
    items = [
        ClientItem(
            client_id=c.id, name=c.name, is_key=c.is_key, owner_id=c.owner_id, cadence_days=c.cadence_days,
            last_contact_at=utc(c.last_contact_at), overdue=_past(c.quiet_due_at, now),
            snoozed_until=utc(c.snoozed_until), health=health[c.id],
        )
        for c in rows
        if c.id in health
    ]  # fmt: skip
    return sorted(items, key=lambda i: (i.health.score, i.name.casefold(), i.client_id))


def _past(due: datetime | None, now: datetime) -> bool:
    found = utc(due)
    return found is not None and found <= now


def _my_clients(
    session: Session, team_id: str, user_id: str, now: datetime, every: dict[int, Health] | None
) -> list[ClientItem]:
    rows = session.scalars(select(Client).where(Client.team_id == team_id, Client.owner_id == user_id)).all()
    if every is None:  # a member's own clients only
        every = scores(session, team_id=team_id, now=now, owner_id=user_id) if rows else {}
    return _clients(rows, every, now)


def _promises(session: Session, team_id: str, today: date, now: datetime, *, owner_id: str | None,
              shown: int) -> Part[PromiseItem]:  # fmt: skip
    """Open promises slipped (not snoozed) or, for one owner, due within a week: the oldest due first."""
    awake = or_(Promise.snoozed_until.is_(None), Promise.snoozed_until <= now)
    slipped = and_(Promise.due_on < today, awake)
    query = (
        select(Promise.id, Client.name, Promise.what, Promise.due_on, Promise.owner_id)
        .join(Client, and_(Client.team_id == Promise.team_id, Client.id == Promise.client_id))
        .where(Promise.team_id == team_id, Promise.done_at.is_(None))
        .order_by(Promise.due_on, Promise.id)
    )
    if owner_id is None:
        query = query.where(slipped)
    else:
        query = query.where(Promise.owner_id == owner_id, or_(slipped, Promise.due_on.between(today, today + WEEK)))
    rows, total = _page(session, query, shown)
    items = [
        PromiseItem(promise_id=pid, client_name=name, what=what, due_on=due, owner_id=owner, slipped=due < today)
        for pid, name, what, due, owner in rows
    ]
    return Part(items, total)


def _messages(session: Session, team_id: str, user_id: str, now: datetime, shown: int) -> Part[MessageItem]:
    """The reader's clients' messages still waiting for an answer: the longest overdue first."""
    query = (
        select(ChannelMessage, Client.name)
        .join(Client, and_(Client.team_id == ChannelMessage.team_id, Client.id == ChannelMessage.client_id))
        .where(
            ChannelMessage.team_id == team_id,
            Client.owner_id == user_id,
            ChannelMessage.side == Side.CLIENT,
            ChannelMessage.answered_at.is_(None),
            ChannelMessage.deleted.is_(False),
        )
        .order_by(ChannelMessage.due_at, ChannelMessage.at, ChannelMessage.id)
    )
    rows, total = _page(session, query, shown)
    found = []
    for m, name in rows:
        due = utc(m.due_at)
        found.append(
            MessageItem(
                message_id=m.id, client_name=name, user_id=m.user_id, channel_id=m.channel_id, at=utc(m.at) or now,
                due_at=due, permalink=m.permalink, text=m.text, overdue=_past(due, now),
            )
        )  # fmt: skip
    return Part(found, total)


def _surveys(session: Session, team_id: str, user_id: str, shown: int) -> Part[SurveyItem]:
    """Open surveys the reader was asked to answer and has not: the oldest first."""
    query = (
        select(Survey.id, Client.name, Survey.project, Survey.requester_id, Survey.created_at)
        .join(
            SurveyParticipant,
            and_(SurveyParticipant.team_id == Survey.team_id, SurveyParticipant.survey_id == Survey.id),
        )
        .join(Client, and_(Client.team_id == Survey.team_id, Client.id == Survey.client_id))
        .where(
            Survey.team_id == team_id,
            SurveyParticipant.user_id == user_id,
            SurveyParticipant.answered_at.is_(None),
            Survey.closed_at.is_(None),
        )
        .order_by(Survey.created_at, Survey.id)
    )
    rows, total = _page(session, query, shown)
    items = [
        SurveyItem(survey_id=sid, client_name=name, project=project, requester_id=by, created_at=utc(at) or at)
        for sid, name, project, by, at in rows
    ]
    return Part(items, total)


def _team(session: Session, team_id: str, today: date, now: datetime, shown: int, every: dict[int, Health]) -> Team:
    """Every owner's red clients (only the worst few are read) and slipped promises."""
    red = sorted((h for h in every.values() if h.band == Band.RED),
                 key=lambda h: (h.score, h.client_id))  # fmt: skip
    worst = {h.client_id: h for h in red[:shown]}
    rows = session.scalars(select(Client).where(Client.team_id == team_id, Client.id.in_(worst))).all() if worst else []
    return Team(
        red=Part(_clients(rows, worst, now), len(red)),
        slipped=_promises(session, team_id, today, now, owner_id=None, shown=shown),
    )
