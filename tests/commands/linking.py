"""What the `/client channel`, `person`, `domain` and `reply` tests share: every table's rows, to prove a refusal wrote
nothing (tests/helpers.nothing_changes looks only at the tables the older subcommands write)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from storage.base import Base
from storage.models import ClientDomain, ClientPerson
from tests.helpers import fresh

# Slack's event ids, and the profiles Slack told us (the asker's, cached to answer in their language): what
# arrived, not what a command did.
UNTOUCHED = ("processed_events", "people")


def everything(session: Session) -> dict[str, list[Row[Any]]]:
    """Every row of every table, by primary key."""
    fresh(session)
    return {
        table.name: list(session.execute(select(table).order_by(*table.primary_key.columns)).all())
        for table in Base.metadata.sorted_tables
        if table.name not in UNTOUCHED
    }


@contextmanager
def nothing_written(session: Session) -> Iterator[None]:
    """The block writes nothing anywhere: channels, people and messages included."""
    before = everything(session)
    yield
    assert everything(session) == before


def people(session: Session) -> list[tuple[str | None, int]]:
    """(user, client id) of every client's person, in the order they were added."""
    rows = fresh(session).scalars(select(ClientPerson).order_by(ClientPerson.id))
    return [(p.user_id, p.client_id) for p in rows]


def addresses(session: Session) -> list[tuple[str | None, str | None, int]]:
    """(email, name, client id) of every client's person known by email, in the order they were added."""
    rows = fresh(session).scalars(select(ClientPerson).where(ClientPerson.email.is_not(None)).order_by(ClientPerson.id))
    return [(p.email, p.name, p.client_id) for p in rows]


def domains(session: Session) -> list[tuple[str, str, int]]:
    """(workspace, domain, client id) of every client domain, in the order they were added."""
    rows = fresh(session).scalars(select(ClientDomain).order_by(ClientDomain.id))
    return [(d.team_id, d.domain, d.client_id) for d in rows]
