"""Survey follow-ups from the sweep: reminders to whoever has not answered, then closing the survey.

`follow_ups` is the pure planner (one reminder a working day, in the person's working hours, MAX_REMINDERS at
most; the survey closes a working day after the last one); the rest reads and writes what it decided.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import Session

from domain import events
from domain.dates import local_today
from domain.hours import WorkingHours
from domain.surveys import MAX_REMINDERS, Side, Via, close_surveys
from storage.models import Client, ClientEvent, Survey, SurveyParticipant


@dataclass(frozen=True)
class Waiting:
    """An unanswered invitation of an open survey."""

    participant_id: int
    survey_id: int
    team_id: str
    user_id: str
    side: Side
    channel_id: str | None
    ts: str | None
    via: Via | None  # a reminder in a channel mentions the person
    reminders: int
    since: datetime  # the invitation or the last reminder
    project: str
    client_name: str
    requester_id: str
    email: str | None = None  # someone outside Slack: `user_id` is then the requester, whose hours time the closing


def waiting(session: Session, *, team_id: str | None = None, user_id: str | None = None) -> list[Waiting]:
    """Every unanswered invitation of every open survey (or of one person), in one query."""
    statement = (
        select(SurveyParticipant, Survey.created_at, Survey.project, Survey.requester_id, Client.name)
        .join(Survey, (Survey.team_id == SurveyParticipant.team_id) & (Survey.id == SurveyParticipant.survey_id))
        .join(Client, (Client.team_id == Survey.team_id) & (Client.id == Survey.client_id))
        .where(Survey.closed_at.is_(None), SurveyParticipant.answered_at.is_(None))
    )
    if team_id is not None and user_id is not None:
        statement = statement.where(SurveyParticipant.team_id == team_id, SurveyParticipant.user_id == user_id)
    rows = session.execute(statement.order_by(SurveyParticipant.id))
    return [
        Waiting(
            p.id,
            p.survey_id,
            p.team_id,
            p.user_id or requester,  # nobody outside Slack is reminded; the requester's days time the closing
            Side(p.side),
            p.channel_id,
            p.ts,
            Via(p.invited_via) if p.invited_via else None,
            p.reminders,
            p.reminded_at or created,
            project,
            name,
            requester,
            p.email,
        )
        for p, created, project, requester, name in rows
    ]


def claim_reminders(session: Session, ids: list[int], *, now: datetime, not_since: datetime) -> list[int]:
    """Count a reminder for each invitation not reminded since `not_since`; returns the ids this sweep won."""
    if not ids:
        return []
    statement = (
        update(SurveyParticipant)
        .where(
            SurveyParticipant.id.in_(ids),
            SurveyParticipant.answered_at.is_(None),
            or_(SurveyParticipant.reminded_at.is_(None), SurveyParticipant.reminded_at < not_since),
        )
        .values(reminders=SurveyParticipant.reminders + 1, reminded_at=now)
        .returning(SurveyParticipant.id)
    )
    return list(session.scalars(statement))


def unclaim_reminders(session: Session, ids: list[int]) -> None:
    """Reminders that did not reach anyone do not count: the next sweep tries again."""
    if ids:
        session.execute(
            update(SurveyParticipant)
            .where(SurveyParticipant.id.in_(ids), SurveyParticipant.reminders > 0)
            .values(reminders=SurveyParticipant.reminders - 1, reminded_at=None)
        )


def close_unanswered(session: Session, ids: list[int], *, now: datetime) -> list[int]:
    """Close surveys that waited long enough; silence goes on the client's timeline. Returns those closed now."""
    if not ids:
        return []
    closed = close_surveys(session, ids, now=now, completed=False)
    if not closed:
        return []
    silent = session.execute(
        select(SurveyParticipant, Survey, Client)
        .join(Survey, (Survey.team_id == SurveyParticipant.team_id) & (Survey.id == SurveyParticipant.survey_id))
        .join(Client, (Client.team_id == Survey.team_id) & (Client.id == Survey.client_id))
        .where(SurveyParticipant.survey_id.in_(closed), SurveyParticipant.answered_at.is_(None))
    )
    rows = [
        {"team_id": client.team_id, "client_id": client.id, "promise_id": None, "kind": events.Kind.NO_ANSWER,
         "actor_id": person.user_id, "at": now, "data": {"survey": survey.id, "project": survey.project,
                                                        "side": person.side, **_address(person)}}
        for person, survey, client in silent
    ]  # fmt: skip
    if rows:
        session.execute(insert(ClientEvent), rows)  # silence goes on the timeline, in one executemany
    return closed


def _address(person: SurveyParticipant) -> dict[str, str]:
    """Who was silent, when it was someone outside Slack (the timeline names them by address)."""
    return {"email": person.email} if person.email else {}


@dataclass(frozen=True)
class FollowUps:
    """What the sweep does about unanswered invitations."""

    reminders: list[Waiting]  # due now, of surveys that stay open
    closing: list[int]  # survey ids: their last reminder went out a working day ago


def follow_ups(
    found: list[Waiting],
    *,
    now: datetime,
    hours_of: Callable[[str, str], WorkingHours],
    tz_of: Callable[[str, str], str | None],
) -> FollowUps:
    """Reminders due (one a working day, in the person's working hours) and surveys to close after the last one."""
    reminders: list[Waiting] = []
    closing: set[int] = set()
    for invitation in found:
        tz = tz_of(invitation.team_id, invitation.user_id)
        hours = hours_of(invitation.team_id, invitation.user_id)
        if not hours.is_working(now, tz):
            continue
        if hours.working_days_between(local_today(invitation.since, tz), local_today(now, tz)) < 1:
            continue
        if invitation.reminders < MAX_REMINDERS:
            reminders.append(invitation)
        else:
            closing.add(invitation.survey_id)
    return FollowUps([r for r in reminders if r.survey_id not in closing], sorted(closing))
