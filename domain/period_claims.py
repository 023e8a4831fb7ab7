"""Messages sent once per recipient and period (weekly digests, daily briefings): recording what became of a claim.

Their tables share the claim columns of nudges (status, lease_until, attempts, last_error, channel_id, ts,
posted_at), so a post is recorded, and a refusal sent back to a later sweep, the same way for both.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Table, bindparam, case, update
from sqlalchemy.orm import Session

from domain.nudges import FAILED_RESTS, MAX_ATTEMPTS, RETRY_AFTER, Status

ERROR_MAX = 200


def mark_posted(
    session: Session, table: Table, posted: Sequence[tuple[int, str | None, str | None]], *, now: datetime
) -> None:
    """Rows posted (or done with no message): (row id, channel, ts), in one executemany."""
    if posted:
        session.connection().execute(
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(
                status=Status.POSTED, channel_id=bindparam("channel"), ts=bindparam("message_ts"), posted_at=now,
                lease_until=None,
            ),
            [{"row_id": i, "channel": channel, "message_ts": ts} for i, channel, ts in posted],
        )  # fmt: skip


def release(session: Session, table: Table, failed: Sequence[tuple[int, str]], *, now: datetime) -> None:
    """Rows Slack refused go back to a later sweep; after MAX_ATTEMPTS they rest a day (status failed), as nudges do."""
    if failed:
        last = table.c.attempts + 1 >= MAX_ATTEMPTS
        session.connection().execute(
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(
                attempts=table.c.attempts + 1,
                last_error=bindparam("error"),
                lease_until=case((last, now + FAILED_RESTS), else_=now + RETRY_AFTER),
                status=case((last, Status.FAILED), else_=Status.CLAIMED),
            ),
            [{"row_id": i, "error": error[:ERROR_MAX]} for i, error in failed],
        )
