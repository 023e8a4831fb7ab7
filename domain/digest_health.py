"""The digest's health parts: the biggest drops in the week, and the chart's weekly series for key clients.

Both read domain.health (a fixed number of queries whatever the number of clients) and a query of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.health import Health, scores, weekly
from storage.models import Client, Contact

WEEK = timedelta(days=7)
CHART_CLIENTS = 6  # key clients drawn in the chart: the least healthy ones
CHART_WEEKS = 12


@dataclass(frozen=True)
class Drop:
    """A client whose health fell in the week."""

    client_id: int
    name: str
    owner_id: str | None
    before: int
    now: Health


@dataclass(frozen=True)
class ChartSeries:
    """One key client's health and contacts at the end of each of the last CHART_WEEKS weeks, oldest first."""

    name: str
    weeks: tuple[date, ...]
    health: tuple[int, ...]
    contacts: tuple[int, ...]


def health_drops(
    session: Session, *, team_id: str, since: datetime, now: dict[int, Health], limit: int
) -> tuple[list[Drop], int]:
    """The `limit` clients whose health fell most since `since`, biggest fall first, and how many fell."""
    before = scores(session, team_id=team_id, now=since)
    fell = sorted(
        ((before[i].score - h.score, i) for i, h in now.items() if i in before and before[i].score > h.score),
        key=lambda pair: (-pair[0], pair[1]),
    )
    top = [client_id for _, client_id in fell[:limit]]
    names = {
        client_id: (name, owner)
        for client_id, name, owner in session.execute(
            select(Client.id, Client.name, Client.owner_id).where(Client.team_id == team_id, Client.id.in_(top))
        )
    }
    rows = [Drop(i, *names[i], before[i].score, now[i]) for i in top if i in names]
    return rows, len(fell)


def chart_series(
    session: Session, *, team_id: str, now: datetime, health: dict[int, Health]
) -> tuple[ChartSeries, ...]:
    """The least healthy key clients' health and contacts per week over the last CHART_WEEKS weeks."""
    keys: dict[int, str] = {
        i: name
        for i, name in session.execute(
            select(Client.id, Client.name).where(Client.team_id == team_id, Client.is_key.is_(True))
        )
    }
    chosen = sorted(keys, key=lambda i: (health[i].score if i in health else 101, keys[i], i))[:CHART_CLIENTS]
    if not chosen:
        return ()
    history = weekly(session, team_id=team_id, client_ids=chosen, weeks=CHART_WEEKS, now=now)
    first = now - CHART_WEEKS * WEEK
    counts = {i: [0] * CHART_WEEKS for i in chosen}
    for client_id, at in session.execute(
        select(Contact.client_id, Contact.occurred_at).where(
            Contact.team_id == team_id,
            Contact.client_id.in_(chosen),
            Contact.occurred_at > first,
            Contact.occurred_at <= now,
        )
    ):
        counts[client_id][min(CHART_WEEKS - 1, int((at - first) / WEEK))] += 1
    ends = tuple((now - (CHART_WEEKS - 1 - k) * WEEK).date() for k in range(CHART_WEEKS))
    series = []
    for client_id in chosen:
        scored = history.get(client_id) or []
        weeks = tuple(day for day, _ in scored) if len(scored) == CHART_WEEKS else ends
        series.append(ChartSeries(keys[client_id], weeks, tuple(s for _, s in scored), tuple(counts[client_id])))
    return tuple(series)
