"""The brief before a meeting with a client: what a teammate should have in mind when it starts.

Opt-in per teammate (`/client calendar brief on`). A sweep in the 15 minutes before a meeting claims its brief
(briefed_at), so any number of sweeps send it once; a brief Slack did not take is unclaimed and tried again by
the next sweep, while the meeting has not started.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from domain.channel_messages import waiting_messages
from domain.contacts import recent_contacts
from domain.promises import client_promises
from domain.survey_results import Results, list_surveys
from storage.calendar_models import CalendarFeed, CalendarMeeting
from storage.models import ChannelMessage, Client, Contact, Promise

BRIEF_BEFORE = timedelta(minutes=15)
CONTACTS = 3
WAITING = 5


@dataclass(frozen=True)
class Due:
    """A meeting whose brief this sweep sends."""

    meeting_id: int
    team_id: str
    user_id: str
    starts_at: datetime
    title: str | None
    client_ids: tuple[int, ...]


@dataclass(frozen=True)
class ClientBrief:
    """One client's side of a brief."""

    client: Client
    contacts: list[Contact]  # the last few, newest first
    open_promises: list[Promise]
    slipped_promises: list[Promise]  # past due, not kept
    waiting: list[ChannelMessage]  # the client's messages still waiting for our answer
    survey: Results | None  # the last survey anyone answered


def claim_briefs(session: Session, *, now: datetime) -> list[Due]:
    """Claim the briefs due now: meetings with clients starting within 15 minutes, for teammates who asked."""
    rows = session.execute(
        select(CalendarMeeting, CalendarFeed.user_id)
        .join(CalendarFeed, CalendarFeed.id == CalendarMeeting.feed_id)
        .where(
            CalendarMeeting.briefed_at.is_(None),
            CalendarMeeting.starts_at > now,
            CalendarMeeting.starts_at <= now + BRIEF_BEFORE,
            CalendarMeeting.cancelled.is_(False),
            CalendarMeeting.declined.is_(False),
            CalendarFeed.brief.is_(True),
        )
        .order_by(CalendarMeeting.starts_at, CalendarMeeting.id)
    ).all()
    due = []
    for meeting, user_id in rows:
        if not meeting.client_ids or not _claim(session, meeting.id, now):
            continue
        due.append(Due(meeting.id, meeting.team_id, user_id, meeting.starts_at, meeting.title,
                       tuple(meeting.client_ids)))  # fmt: skip
    return due


def _claim(session: Session, meeting_id: int, now: datetime) -> bool:
    claimed = session.execute(
        update(CalendarMeeting)
        .where(CalendarMeeting.id == meeting_id, CalendarMeeting.briefed_at.is_(None))
        .values(briefed_at=now),
        execution_options={"synchronize_session": False},
    )
    return bool(claimed.rowcount)  # type: ignore[attr-defined]


def unclaim_briefs(session: Session, meeting_ids: list[int]) -> None:
    """Briefs Slack did not take: a later sweep tries again (before the meeting starts)."""
    if meeting_ids:
        session.execute(
            update(CalendarMeeting).where(CalendarMeeting.id.in_(meeting_ids)).values(briefed_at=None),
            execution_options={"synchronize_session": False},
        )


def brief_of(session: Session, *, team_id: str, client_ids: tuple[int, ...], today: date) -> list[ClientBrief]:
    """What each client of a meeting has been told, promised and asked lately (clients removed since are left out)."""
    found = []
    for client_id in client_ids:
        client = session.get(Client, client_id)
        if client is None or client.team_id != team_id:
            continue
        pending = [p for p in client_promises(session, client=client) if p.done_at is None]
        surveys = [r for r in list_surveys(session, team_id=team_id, client_id=client.id, limit=5) if r.answered]
        found.append(
            ClientBrief(
                client=client,
                contacts=recent_contacts(session, client=client, limit=CONTACTS),
                open_promises=[p for p in pending if p.due_on >= today],
                slipped_promises=[p for p in pending if p.due_on < today],
                waiting=waiting_messages(session, client=client, limit=WAITING),
                survey=surveys[0] if surveys else None,
            )
        )
    return found
