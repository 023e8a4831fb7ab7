"""Events already handled: each Slack event takes effect once, however often Slack delivers it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from domain.clients import ensure_workspace
from storage.dialect import insert
from storage.models import ProcessedEvent


def first_delivery(session: Session, *, team_id: str, event_id: str, now: datetime) -> bool:
    """Record the event; False when it was recorded before (a retry). Commit with the event's effects."""
    ensure_workspace(session, team_id=team_id, now=now)
    statement = (
        insert(session, ProcessedEvent)
        .values(team_id=team_id, event_id=event_id, received_at=now)
        .on_conflict_do_nothing(index_elements=[ProcessedEvent.team_id, ProcessedEvent.event_id])
        .returning(ProcessedEvent.event_id)
    )
    return session.execute(statement).first() is not None
