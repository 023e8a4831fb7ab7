"""Claiming each person's briefing once per local day, and recording what became of it, as nudges are claimed.

A briefing row (team, user, day) is inserted, or taken over once an earlier sweep's lease ran out, by exactly one
sweep; the nudges it lists are claimed through domain.nudge_claims like any others. Fixed numbers of statements.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from domain.nudges import (
    LEASE,
    BriefingPost,
    MessageKey,
    Status,
    reclaimable,
    utc,
)
from domain.period_claims import mark_posted, release
from storage.boss_models import Briefing
from storage.dialect import insert
from storage.models import Nudge

BRIEFINGS: Table = Briefing.__table__  # type: ignore[assignment]
NUDGES: Table = Nudge.__table__  # type: ignore[assignment]
BriefingKey = tuple[str, str, date]  # (team, user, local day)


def briefed_days(session: Session, *, now: datetime) -> set[BriefingKey]:
    """Briefings of the last days posted, or being posted by a live claim: not to be sent again."""
    since = (now - timedelta(days=2)).date()
    rows = session.execute(
        select(Briefing.team_id, Briefing.user_id, Briefing.day).where(
            Briefing.day >= since, ~reclaimable(Briefing, now)
        )
    )
    return {(team, user, day) for team, user, day in rows}


def claim_briefings(
    session: Session, briefings: list[BriefingPost], *, now: datetime
) -> dict[BriefingKey, tuple[int, datetime]]:
    """Insert a row per planned briefing, or take over an expired claim; returns the ones this sweep owns, by key,
    with their first claim (earlier than `now`: an earlier sweep may have posted it before it died)."""
    rows = [
        {"team_id": b.recipient.team_id, "user_id": b.recipient.id, "day": b.day, "status": Status.CLAIMED,
         "claimed_at": now, "lease_until": now + LEASE, "attempts": 0}
        for b in briefings
    ]  # fmt: skip
    if not rows:
        return {}
    statement = (
        insert(session, Briefing)
        .on_conflict_do_update(
            index_elements=[Briefing.team_id, Briefing.user_id, Briefing.day],
            set_={Briefing.status: Status.CLAIMED, Briefing.lease_until: now + LEASE},
            where=reclaimable(BRIEFINGS.c, now),
        )
        .returning(Briefing.id, Briefing.team_id, Briefing.user_id, Briefing.day, Briefing.claimed_at)
    )
    found = session.execute(statement, rows)
    return {(team, user, day): (briefing_id, utc(first) or now) for briefing_id, team, user, day, first in found}


def mark_briefed(session: Session, posted: list[tuple[int, str | None, str | None]], *, now: datetime) -> None:
    """Briefings sent (or empty, with no message): (briefing id, channel, ts), in one executemany."""
    mark_posted(session, BRIEFINGS, posted, now=now)


def release_briefings(session: Session, failed: list[tuple[int, str]], *, now: datetime) -> None:
    """Briefings Slack refused go back to a later sweep (that day); after MAX_ATTEMPTS they rest, as nudges do."""
    release(session, BRIEFINGS, failed, now=now)


def move_to_message(session: Session, moved: list[tuple[int, str, str, str]]) -> None:
    """Open nudges listed again (in a briefing, or handed to a backup): (nudge id, recipient, channel, ts) of the
    message that carries them now, so answers and reactions there answer them; posted_at stays (follow-ups)."""
    if moved:
        session.connection().execute(
            update(NUDGES)
            .where(NUDGES.c.id == bindparam("nudge_id"), NUDGES.c.status == Status.POSTED)
            .values(recipient_id=bindparam("to"), channel_id=bindparam("channel"), ts=bindparam("message_ts")),
            [{"nudge_id": i, "to": to, "channel": channel, "message_ts": ts} for i, to, channel, ts in moved],
        )


def briefings_on(session: Session, keys: list[MessageKey]) -> dict[MessageKey, tuple[str, date]]:
    """Which of these messages are briefings: whose, and of which day (one query, whatever their number)."""
    if not keys:
        return {}
    wanted = set(keys)
    rows = session.execute(
        select(Briefing.team_id, Briefing.channel_id, Briefing.ts, Briefing.user_id, Briefing.day).where(
            Briefing.team_id.in_({k.team_id for k in keys}),
            Briefing.ts.in_({k.ts for k in keys}),
            Briefing.channel_id.in_({k.channel_id for k in keys}),
        )
    )
    found = {MessageKey(team, channel or "", ts or ""): (user, day) for team, channel, ts, user, day in rows}
    return {key: whose for key, whose in found.items() if key in wanted}
