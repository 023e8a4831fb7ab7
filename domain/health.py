"""A client's health: 100 minus capped penalties for what went wrong lately, in bands, with the reasons.

The formula (README, "Health score"): over the last 90 days, each day past the client's cadence costs 1 point
(at most 40); each slipped promise 8, each promise kept by its date gives 4 back (at most 24); each client message
left past its reply time 5 (at most 20); the last survey, 10 per point the client's average rating falls below 4
(at most 20) and 5 per blind spot (at most 15); a fall of 10 points or more over 4 weeks costs a quarter of
the fall (at most 10). Green above 75, yellow 51-75, red 50 and below. The inputs come from domain.health_history, in a
fixed number of queries whatever the number of clients.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, raiseload

from domain.health_history import Inputs, inputs_at
from storage.models import Client

FULL = 100
GREEN_ABOVE = 75
RED_AT_MOST = 50
TREND_WEEKS = 4
WEEK = timedelta(days=7)

CADENCE_CAP = 40  # 1 point a day past cadence
SLIPPED_POINTS, KEPT_BACK, PROMISES_CAP = 8, 4, 24
UNANSWERED_POINTS, UNANSWERED_CAP = 5, 20
SURVEY_GOOD_TENTHS, SURVEY_CAP = 40, 20  # 1 point per tenth below an average of 4.0
BLIND_SPOT_POINTS, BLIND_SPOTS_CAP = 5, 15
TREND_FROM, TREND_SHARE, TREND_CAP = 10, 4, 10  # a fall of 10 points or more costs a quarter of it


class Band(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


class FactorKind(StrEnum):
    """What lowered a score; its amount's unit is in the comment."""

    CADENCE = "cadence"  # days past the cadence in the last 90
    SLIPPED = "slipped"  # slipped promises in the last 90 days
    UNANSWERED = "unanswered"  # client messages left past their reply time in the last 90 days
    SURVEY = "survey"  # the client's average rating in the last survey, in tenths (32: 3.2 out of 5)
    BLIND_SPOTS = "blind_spots"  # blind spots in the last survey
    TREND = "trend"  # points the score fell over TREND_WEEKS weeks


KIND_ORDER = {kind: n for n, kind in enumerate(FactorKind)}  # ties between factors: in the enum's order


@dataclass(frozen=True)
class Factor:
    """One reason a score is lower: what (kind), how much of it (amount, in the kind's unit) and its cost."""

    kind: FactorKind
    amount: int
    points: int = 0


@dataclass(frozen=True)
class Health:
    """A client's score, its band, and every factor that lowered it (the costliest first)."""

    client_id: int
    score: int
    band: Band
    factors: tuple[Factor, ...]


def band_of(score: int) -> Band:
    """Green above 75, yellow 51-75, red 50 and below."""
    if score > GREEN_ABOVE:
        return Band.GREEN
    return Band.YELLOW if score > RED_AT_MOST else Band.RED


def factors_of(inputs: Inputs) -> list[Factor]:
    """The penalties of a client's history, each capped; a factor that costs nothing is left out."""
    costs = [
        (FactorKind.CADENCE, inputs.days_past_cadence, min(CADENCE_CAP, inputs.days_past_cadence)),
        (FactorKind.SLIPPED, inputs.slipped, _promise_points(inputs)),
        (FactorKind.UNANSWERED, inputs.unanswered, min(UNANSWERED_CAP, UNANSWERED_POINTS * inputs.unanswered)),
        (FactorKind.BLIND_SPOTS, inputs.blind_spots, min(BLIND_SPOTS_CAP, BLIND_SPOT_POINTS * inputs.blind_spots)),
    ]
    if (tenths := inputs.survey_tenths) is not None:
        costs.append((FactorKind.SURVEY, tenths, min(SURVEY_CAP, SURVEY_GOOD_TENTHS - tenths)))
    return [Factor(kind, amount, points) for kind, amount, points in costs if points > 0]


def _promise_points(inputs: Inputs) -> int:
    """Slipped promises cost, promises kept by their date give some back; never a bonus."""
    if inputs.slipped == 0:
        return 0
    return max(0, min(PROMISES_CAP, SLIPPED_POINTS * inputs.slipped - KEPT_BACK * inputs.kept))


def base_score(inputs: Inputs) -> int:
    """The score before the trend."""
    return max(0, FULL - sum(f.points for f in factors_of(inputs)))


def health_of(client_id: int, now: Inputs, then: Inputs | None) -> Health:
    """The score now, with the trend against `then` (TREND_WEEKS earlier; None when the client had not started)."""
    factors = factors_of(now)
    base = max(0, FULL - sum(f.points for f in factors))
    if then is not None and then.started:
        fall = base_score(then) - base
        if fall >= TREND_FROM:
            factors.append(Factor(FactorKind.TREND, fall, min(TREND_CAP, fall // TREND_SHARE)))
    score = max(0, FULL - sum(f.points for f in factors))
    ordered = sorted(factors, key=lambda f: (-f.points, KIND_ORDER[f.kind]))
    return Health(client_id=client_id, score=score, band=band_of(score), factors=tuple(ordered))


def scores(
    session: Session,
    *,
    team_id: str,
    now: datetime,
    client_ids: Collection[int] | None = None,
    owner_id: str | None = None,
) -> dict[int, Health]:
    """Every client's health (or those named, or one owner's), by client id, in a fixed number of queries."""
    current = inputs_at(session, team_id=team_id, at=now, client_ids=client_ids, owner_id=owner_id)
    earlier = inputs_at(session, team_id=team_id, at=now - TREND_WEEKS * WEEK, client_ids=client_ids, owner_id=owner_id)
    return {cid: health_of(cid, inputs, earlier.get(cid)) for cid, inputs in current.items()}


def weekly(
    session: Session, *, team_id: str, client_ids: Collection[int], weeks: int, now: datetime
) -> dict[int, list[tuple[date, int]]]:
    """Each client's score at the end of each of the last `weeks` weeks (the last one ends now), oldest first."""
    if not client_ids or weeks <= 0:
        return {}
    ends = [now - back * WEEK for back in range(weeks + TREND_WEEKS)]  # newest first; the trend looks 4 weeks back
    history = [inputs_at(session, team_id=team_id, at=end, client_ids=client_ids) for end in ends]
    found: dict[int, list[tuple[date, int]]] = {}
    for cid in history[0]:
        points = []
        for back in reversed(range(weeks)):
            health = health_of(cid, history[back][cid], history[back + TREND_WEEKS].get(cid))
            points.append((ends[back].date(), health.score))
        found[cid] = points
    return found


@dataclass(frozen=True)
class AtRisk:
    """A client and its health, as `/client list risk` shows it."""

    client: Client
    health: Health


def clients_at_risk(
    session: Session, *, team_id: str, now: datetime, limit: int | None = None
) -> tuple[list[AtRisk], int]:
    """Every client, worst health first (then by name), cut to `limit`; also how many there are in all."""
    found = scores(session, team_id=team_id, now=now)
    names = {
        cid: key for cid, key in session.execute(select(Client.id, Client.name_key).where(Client.team_id == team_id))
    }
    order = sorted(found, key=lambda cid: (found[cid].score, names[cid]))
    shown = order[:limit] if limit is not None else order
    rows = session.scalars(
        select(Client).options(raiseload(Client.aliases)).where(Client.team_id == team_id, Client.id.in_(shown))
    )
    clients = {c.id: c for c in rows}
    return [AtRisk(clients[cid], found[cid]) for cid in shown], len(order)
