"""Writing a row once per idempotency key, whatever retries or double clicks happen at the same time."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

Row = TypeVar("Row", bound=Any)


def add_once(session: Session, row: Row) -> tuple[Row, bool]:
    """Add `row` unless a row of its model with its (team_id, idempotency_key) exists: then that one, False.

    A concurrent transaction inserting the same key loses on the unique constraint inside a savepoint, and
    gets the winner's row: the caller's transaction goes on.
    """
    model, key = type(row), row.idempotency_key
    if key is not None:
        earlier = _by_key(session, model, row.team_id, key)
        if earlier is not None:
            return earlier, False
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        earlier = _by_key(session, model, row.team_id, key) if key is not None else None
        if earlier is None:
            raise
        return earlier, False
    return row, True


def _by_key(session: Session, model: type[Row], team_id: str, key: str) -> Row | None:
    return session.scalar(select(model).where(model.team_id == team_id, model.idempotency_key == key))
