"""TEMPORARY stand-in for the health engineer's domain/health.py (the agreed API), replaced when `health` is merged."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from storage.models import Client, Promise


class Band(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


class FactorKind(StrEnum):
    SLIPPED = "slipped"


@dataclass(frozen=True)
class Factor:
    kind: FactorKind
    amount: int


@dataclass(frozen=True)
class Health:
    client_id: int
    score: int
    band: Band
    factors: tuple[Factor, ...]


def _band(score: int) -> Band:
    return Band.GREEN if score > 75 else Band.YELLOW if score > 50 else Band.RED


def scores(
    session: Session, *, team_id: str, now: datetime, client_ids: Collection[int] | None = None
) -> dict[int, Health]:
    """Stand-in: 100 less 20 per promise overdue at `now`."""
    ids = select(Client.id).where(Client.team_id == team_id, Client.created_at <= now)
    if client_ids is not None:
        ids = ids.where(Client.id.in_(list(client_ids)))
    slipped = dict(
        session.execute(
            select(Promise.client_id, func.count())
            .where(
                Promise.team_id == team_id,
                Promise.due_on < now.date(),
                Promise.created_at <= now,
                or_(Promise.done_at.is_(None), Promise.done_at > now),
            )
            .group_by(Promise.client_id)
        ).all()
    )
    found = {}
    for (client_id,) in session.execute(ids):
        n = slipped.get(client_id, 0)
        score = max(0, 100 - 20 * n)
        found[client_id] = Health(client_id, score, _band(score), (Factor(FactorKind.SLIPPED, n),) if n else ())
    return found


def weekly(
    session: Session, *, team_id: str, client_ids: Collection[int], weeks: int, now: datetime
) -> dict[int, list[tuple[date, int]]]:
    """Stand-in: the score at the end of each of the last `weeks` weeks, oldest first."""
    found: dict[int, list[tuple[date, int]]] = {i: [] for i in client_ids}
    for k in range(weeks - 1, -1, -1):
        at = now - timedelta(weeks=k)
        for client_id, health in scores(session, team_id=team_id, now=at, client_ids=client_ids).items():
            found[client_id].append((at.date(), health.score))
    return found
