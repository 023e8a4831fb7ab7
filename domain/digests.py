"""Who gets the weekly digest and when, and claiming each recipient's digest exactly once a week.

A recipient's week and weekday are their own (their Slack time zone): the digest is due from the workspace's
weekday and time until the end of that local day, so one missed while rapport was down goes out at the next
sweep that day, never later. Claims work as nudges' do: the unique (team, user, week_of) row is inserted, or
taken over once its lease ran out, by exactly one sweep; Slack is called only after the claim is committed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Table, and_, delete, or_, select
from sqlalchemy.orm import Session

from domain.clients import ensure_workspace
from domain.dates import zone
from domain.nudges import LEASE, Status, reclaimable, utc
from domain.period_claims import mark_posted, release
from storage.dialect import insert
from storage.models import Digest, DigestRecipient, Person, Workspace

DIGESTS: Table = Digest.__table__  # type: ignore[assignment]
DEFAULT_WEEKDAY, DEFAULT_MINUTE = 0, 9 * 60  # Monday 09:00, as the schema's defaults
RECIPIENTS_MAX = 20


@dataclass(frozen=True)
class DigestSchedule:
    """What `/client config` shows of the digest: when, and to whom (nobody: off)."""

    weekday: int  # 0 is Monday
    minute: int  # local minutes after midnight, in each recipient's own zone
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class Recipient:
    """A digest recipient as the sweep sees them: their workspace's schedule and their cached zone."""

    team_id: str
    user_id: str
    weekday: int
    minute: int
    tz: str | None
    fetched_at: datetime | None  # when users.info last told us their zone (None: never)


@dataclass(frozen=True)
class DigestClaim:
    """A digest this sweep owns; `unsure_since` when an earlier sweep may have posted it already."""

    digest_id: int
    team_id: str
    user_id: str
    week_of: date
    unsure_since: datetime | None


@dataclass(frozen=True)
class DigestOutcome:
    """What became of a claimed digest: posted (channel, ts) or failed (error)."""

    digest_id: int
    channel_id: str | None = None
    ts: str | None = None
    error: str | None = None


def digest_schedule(session: Session, *, team_id: str) -> DigestSchedule:
    """The workspace's digest day, time and recipients."""
    row = session.get(Workspace, team_id)
    users = session.scalars(
        select(DigestRecipient.user_id)
        .where(DigestRecipient.team_id == team_id)
        .order_by(DigestRecipient.added_at, DigestRecipient.user_id)
    )
    weekday, minute = (row.digest_weekday, row.digest_minute) if row else (DEFAULT_WEEKDAY, DEFAULT_MINUTE)
    return DigestSchedule(weekday, minute, tuple(users))


def set_digest(
    session: Session,
    *,
    team_id: str,
    recipients: Sequence[str],
    weekday: int | None,
    minute: int | None,
    by: str,
    now: datetime,
) -> DigestSchedule:
    """The digest goes to exactly these people (and, when given, on this weekday at this time)."""
    ensure_workspace(session, team_id=team_id, now=now)
    row = session.get(Workspace, team_id, with_for_update={"key_share": True})
    assert row is not None
    if weekday is not None:
        row.digest_weekday = weekday
    if minute is not None:
        row.digest_minute = minute
    wanted = list(dict.fromkeys(recipients))
    session.execute(
        delete(DigestRecipient).where(DigestRecipient.team_id == team_id, DigestRecipient.user_id.not_in(wanted))
    )
    if wanted:
        statement = insert(session, DigestRecipient).values(
            [{"team_id": team_id, "user_id": u, "added_by": by, "added_at": now} for u in wanted]
        )
        session.execute(statement.on_conflict_do_nothing())
    session.flush()
    return digest_schedule(session, team_id=team_id)


def stop_digest(session: Session, *, team_id: str) -> DigestSchedule:
    """Nobody gets the digest any more (the day and time are kept for next time)."""
    session.execute(delete(DigestRecipient).where(DigestRecipient.team_id == team_id))
    return digest_schedule(session, team_id=team_id)


def recipients(session: Session) -> list[Recipient]:
    """Every workspace's digest recipients, with the schedule and their cached zone (one query)."""
    statement = (
        select(
            DigestRecipient.team_id,
            DigestRecipient.user_id,
            Workspace.digest_weekday,
            Workspace.digest_minute,
            Person.tz,
            Person.fetched_at,
        )
        .join(Workspace, Workspace.team_id == DigestRecipient.team_id)
        .outerjoin(Person, and_(Person.team_id == DigestRecipient.team_id, Person.user_id == DigestRecipient.user_id))
        .where(or_(Person.deleted.is_(None), Person.deleted.is_(False)))  # a deactivated manager gets nothing
        .order_by(DigestRecipient.team_id, DigestRecipient.user_id)
    )
    return [Recipient(t, u, d, m, tz, utc(at)) for t, u, d, m, tz, at in session.execute(statement)]


def due_week(*, weekday: int, minute: int, tz: str | None, now: datetime) -> date | None:
    """The Monday of the recipient's local week when their digest is due now, else None.

    Due from the weekday's local time to that local day's end: a sweep missed while rapport was down is made up
    for later that day, never on another.
    """
    local = now.astimezone(zone(tz))
    if local.weekday() != weekday or local.hour * 60 + local.minute < minute:
        return None
    return local.date() - timedelta(days=local.weekday())


def claim(session: Session, due: Sequence[tuple[str, str, date]], *, now: datetime) -> list[DigestClaim]:
    """Insert one row per (team, user, week) or take over an expired claim; returns those this sweep owns."""
    if not due:
        return []
    rows = [
        {
            "team_id": t,
            "user_id": u,
            "week_of": w,
            "status": Status.CLAIMED,
            "claimed_at": now,
            "lease_until": now + LEASE,
            "attempts": 0,
        }
        for t, u, w in due
    ]
    fresh = insert(session, Digest)
    statement = fresh.on_conflict_do_update(
        index_elements=[Digest.team_id, Digest.user_id, Digest.week_of],
        set_={Digest.status: Status.CLAIMED, Digest.lease_until: now + LEASE},
        where=reclaimable(DIGESTS.c, now),
    ).returning(Digest.id, Digest.team_id, Digest.user_id, Digest.week_of, Digest.claimed_at)
    owned = []
    for digest_id, team, user, week, first in session.execute(statement, rows):
        first = utc(first) or now
        owned.append(DigestClaim(digest_id, team, user, week, first if first < now else None))
    return owned


def record(session: Session, outcomes: Sequence[DigestOutcome], *, now: datetime) -> None:
    """Posted digests are recorded; failed ones go back to a later sweep (that day), resting after MAX_ATTEMPTS."""
    posted = [(o.digest_id, o.channel_id, o.ts) for o in outcomes if o.error is None]
    mark_posted(session, DIGESTS, posted, now=now)
    release(session, DIGESTS, [(o.digest_id, o.error) for o in outcomes if o.error is not None], now=now)
