"""Claiming each nudge exactly once, and recording what became of it: posted, failed, given back, closed.

Claims, records and releases are single statements (executemany for per-row values), so a sweep runs a fixed
number of them whatever the number of nudges.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, Table, bindparam, case, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from domain.nudges import (
    FAILED_RESTS,
    LEASE,
    MAX_ATTEMPTS,
    RETRY_AFTER,
    Closing,
    EscalationPosted,
    FailedNudge,
    Post,
    PostedNudge,
    Status,
    Target,
    reclaimable,
    utc,
)
from storage.dialect import insert
from storage.models import Nudge

NUDGES: Table = Nudge.__table__  # type: ignore[assignment]
FollowUp = InstrumentedAttribute[datetime | None]  # Nudge.reminded_at or Nudge.escalated_at: a follow-up's claim


def claim(session: Session, posts: list[Post], *, now: datetime) -> list[Post]:
    """Insert one row per planned nudge, or take over an expired claim; a live row is another sweep's.

    Returns what this sweep now owns: INSERT … ON CONFLICT DO UPDATE … WHERE returns only the rows it
    inserted or took over, so concurrent sweeps (threads, processes, replicas) never own the same nudge.
    A take-over keeps the first claimed_at: an earlier claim before `now` marks a post that may have reached
    Slack (the sweep died, or timed out waiting for Slack's answer), to be looked for since then.
    """
    rows = [_claim_row(post, t, now) for post in posts for t in post.targets]
    if not rows:
        return []
    # Rows with and without a promise_id go in separate batches (a NULL changes the statement's shape):
    # grouped, that is two statements at most, whatever the number of nudges.
    rows.sort(key=lambda row: row["promise_id"] is None)
    fresh = insert(session, Nudge)
    statement = fresh.on_conflict_do_update(
        index_elements=[Nudge.team_id, Nudge.kind, Nudge.target_id, Nudge.cycle_at],
        set_={
            Nudge.status: Status.CLAIMED,
            Nudge.lease_until: now + LEASE,
            Nudge.recipient_id: fresh.excluded.recipient_id,
            Nudge.combined: fresh.excluded.combined,
        },
        where=reclaimable(NUDGES.c, now),
    ).returning(Nudge.id, Nudge.team_id, Nudge.kind, Nudge.target_id, Nudge.cycle_at, Nudge.claimed_at)
    owned = {
        (team, kind, target_id, utc(cycle)): (nudge_id, utc(first) or now)
        for nudge_id, team, kind, target_id, cycle, first in session.execute(statement, rows)
    }
    return [mine for post in posts if (mine := _owned_part(post, owned, now)) is not None]


def _claim_row(post: Post, target: Target, now: datetime) -> dict[str, Any]:
    return {
        "team_id": target.team_id,
        "kind": target.kind,
        "target_id": target.target_id,
        "cycle_at": target.cycle_at,
        "client_id": target.client_id,
        "promise_id": target.promise_id,
        "recipient_id": post.recipient.id,
        "status": Status.CLAIMED,
        "claimed_at": now,
        "lease_until": now + LEASE,
        "attempts": 0,
        "combined": post.combined,
    }


def _owned_part(post: Post, owned: dict[tuple[Any, ...], tuple[int, datetime]], now: datetime) -> Post | None:
    """The part of a planned post this sweep owns, with its nudge ids; None when another sweep has all of it."""
    mine = [(t, *owned[key]) for t in post.targets if (key := (t.team_id, t.kind, t.target_id, t.cycle_at)) in owned]
    if not mine:
        return None
    earlier = min((first for _, _, first in mine if first < now), default=None)
    ids = [nudge_id for _, nudge_id, _ in mine]
    return Post(post.recipient, [t for t, _, _ in mine], post.combined, ids, unsure_since=earlier)


def mark_posted(session: Session, posted: list[PostedNudge], *, now: datetime) -> None:
    """Record where each nudge went, in one executemany."""
    if posted:
        session.connection().execute(
            update(NUDGES)
            .where(NUDGES.c.id == _param("nudge_id"))
            .values(
                status=Status.POSTED,
                recipient_id=_param("to"),
                channel_id=_param("channel"),
                ts=_param("message_ts"),
                posted_at=now,
                lease_until=None,
            ),
            [
                {"nudge_id": p.nudge_id, "to": p.recipient_id, "channel": p.channel_id, "message_ts": p.ts}
                for p in posted
            ],
        )


def release(session: Session, failed: list[FailedNudge], *, now: datetime) -> None:
    """Give failed posts back to a later sweep; after MAX_ATTEMPTS they rest a day (failed)."""
    if failed:
        table = NUDGES
        session.connection().execute(
            update(table)
            .where(table.c.id == _param("nudge_id"))
            .values(
                attempts=table.c.attempts + 1,
                last_error=_param("error"),
                lease_until=case((table.c.attempts + 1 >= MAX_ATTEMPTS, now + FAILED_RESTS), else_=now + RETRY_AFTER),
                status=case((table.c.attempts + 1 >= MAX_ATTEMPTS, Status.FAILED), else_=Status.CLAIMED),
            ),
            [{"nudge_id": f.nudge_id, "error": f.error[:200]} for f in failed],
        )


def give_up(session: Session, invalid: list[FailedNudge], *, now: datetime) -> None:
    """Nudges whose message we built wrong (our bug, not Slack's refusal): failed at once, resting a day.

    Retrying such a message every sweep would only fail again, so it rests like a nudge that failed
    MAX_ATTEMPTS times (status failed, the reason in last_error); a day later a sweep tries it once more, by
    then maybe with a fixed release. Nothing is lost and no migration is needed.
    """
    if invalid:
        session.connection().execute(
            update(NUDGES)
            .where(NUDGES.c.id == _param("nudge_id"))
            .values(
                attempts=MAX_ATTEMPTS,
                last_error=_param("error"),
                lease_until=now + FAILED_RESTS,
                status=Status.FAILED,
            ),
            [{"nudge_id": f.nudge_id, "error": f"invalid message: {f.error}"[:200]} for f in invalid],
        )


def give_back(session: Session, ids: list[int], *, now: datetime) -> None:
    """Claims this sweep had no time to post: the next sweep takes them over at once (no attempt counted)."""
    if ids:
        session.execute(update(Nudge).where(Nudge.id.in_(ids), Nudge.status == Status.CLAIMED).values(lease_until=now))


def _param(name: str) -> BindParameter[Any]:
    return bindparam(name)


def _mark(session: Session, ids: list[int], column: FollowUp, now: datetime) -> list[int]:
    """Set `column` to now on posted nudges where still unset: a claim on a follow-up; returns the ids won."""
    if not ids:
        return []
    statement = update(Nudge).where(Nudge.id.in_(ids), Nudge.status == Status.POSTED, column.is_(None))
    return list(session.scalars(statement.values({column: now}).returning(Nudge.id)))


def claim_reminders(session: Session, ids: list[int], *, now: datetime) -> list[int]:
    """Claim reminders (one per nudge, ever)."""
    return _mark(session, ids, Nudge.reminded_at, now)


def claim_escalations(session: Session, ids: list[int], *, now: datetime) -> list[int]:
    """Claim posts to the team channel (one per nudge, ever)."""
    return _mark(session, ids, Nudge.escalated_at, now)


def unclaim(session: Session, ids: list[int], column: FollowUp) -> None:
    """Give a follow-up back (Slack refused it) so the next sweep tries again: `Nudge.reminded_at` or `escalated_at`."""
    if ids:
        session.execute(update(Nudge).where(Nudge.id.in_(ids)).values({column: None}))


def record_escalations(session: Session, rows: list[EscalationPosted]) -> None:
    """Where each escalation was posted."""
    if rows:
        table = NUDGES
        session.connection().execute(
            update(table)
            .where(table.c.id == _param("nudge_id"))
            .values(escalation_channel_id=_param("channel"), escalation_ts=_param("message_ts")),
            [{"nudge_id": r.nudge_id, "channel": r.channel_id, "message_ts": r.ts} for r in rows],
        )


def close(session: Session, closings: list[Closing], *, now: datetime) -> None:
    """Close posted nudges that are no longer needed, with why (contacted, kept, answered, ...) and who did it."""
    if closings:
        session.connection().execute(
            update(NUDGES)
            .where(NUDGES.c.id == _param("nudge_id"), NUDGES.c.status == Status.POSTED)
            .values(status=Status.CLOSED, answer=_param("reason"), answered_by=_param("by"), answered_at=now),
            [{"nudge_id": c.nudge_id, "reason": c.reason, "by": c.by} for c in closings],
        )
