"""Clients: adding, finding, key flag, cadence, ownership, aliases, and the list views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain import events
from domain.commands import ListFilter
from domain.errors import ClientExists, Empty, KeyNeedsCadence, TooLong
from domain.names import name_key
from domain.quiet import refresh_quiet
from domain.text import one_line
from storage.dialect import insert
from storage.models import NAME_MAX, Client, ClientAlias, Contact, Workspace

DEFAULT_KEY_CADENCE_DAYS = 14


def ensure_workspace(session: Session, *, team_id: str, now: datetime) -> None:
    """Create the workspace row on first use; safe when two requests race."""
    session.execute(insert(session, Workspace).values(team_id=team_id, created_at=now).on_conflict_do_nothing())


def check_name(*, what: str, name: str) -> str:
    """A client's name or alias as stored: one line, not empty, NAME_MAX characters at most (Slack's escapes count)."""
    name = one_line(what=what, text=name)
    if not name:
        raise Empty(what)
    if len(name) > NAME_MAX:
        raise TooLong(what, NAME_MAX, len(name))
    return name


def _check_free(session: Session, team_id: str, name: str) -> None:
    """Raise ClientExists when `name` is already a client's name or alias in the workspace."""
    key = name_key(name)
    owner = session.scalar(select(Client.name).where(Client.team_id == team_id, Client.name_key == key))
    if owner is None:
        owner = session.scalar(
            select(Client.name)
            .join(ClientAlias, (ClientAlias.client_id == Client.id) & (ClientAlias.team_id == Client.team_id))
            .where(ClientAlias.team_id == team_id, ClientAlias.alias_key == key)
        )
    if owner is not None:
        raise ClientExists(name, owner)


def add_client(
    session: Session,
    *,
    team_id: str,
    name: str,
    by: str,
    now: datetime,
    is_key: bool = False,
    cadence_days: int | None = None,
    owner_id: str | None = None,
) -> Client:
    """Add a client; a key client gets the default cadence unless one is given."""
    name = check_name(what="client name", name=name)
    ensure_workspace(session, team_id=team_id, now=now)
    _check_free(session, team_id, name)
    client = new_client(team_id=team_id, name=name, by=by, now=now, is_key=is_key, cadence_days=cadence_days,
                        owner_id=owner_id)  # fmt: skip
    session.add(client)
    session.flush()
    return client


def new_client(
    *, team_id: str, name: str, by: str, now: datetime, is_key: bool = False, cadence_days: int | None = None,
    owner_id: str | None = None,
) -> Client:  # fmt: skip
    """A client as add_client makes it, in no session yet: for callers that checked its name (the import, in bulk)."""
    if is_key and cadence_days is None:
        cadence_days = DEFAULT_KEY_CADENCE_DAYS
    client = Client(
        team_id=team_id, name=name, name_key=name_key(name), is_key=is_key, cadence_days=cadence_days,
        owner_id=owner_id or by, created_by=by, created_at=now, updated_at=now,
    )  # fmt: skip
    return refresh_quiet(client)


def set_key(session: Session, *, client: Client, on: bool, now: datetime) -> Client:
    """Flag or unflag a key client; key clients always have a cadence."""
    client.is_key = on
    if on and client.cadence_days is None:
        client.cadence_days = DEFAULT_KEY_CADENCE_DAYS
    client.updated_at = now
    return refresh_quiet(client)


def set_cadence(session: Session, *, client: Client, days: int | None, now: datetime) -> Client:
    """Set how often we mean to talk to the client (None: no cadence, not allowed for key clients)."""
    if days is None and client.is_key:
        raise KeyNeedsCadence(client.name)
    client.cadence_days = days
    client.updated_at = now
    return refresh_quiet(client)


def set_owner(session: Session, *, client: Client, owner_id: str, by: str | None, now: datetime) -> str | None:
    """Hand the client to `owner_id` (on its timeline, like a hand-over from a nudge); returns the previous owner."""
    previous = client.owner_id
    client.owner_id = owner_id
    client.updated_at = now
    if previous != owner_id:
        events.record(session, client=client, kind=events.Kind.HANDED_OVER, actor_id=by, at=now,
                      previous=previous, owner=owner_id)  # fmt: skip
    return previous


def add_alias(session: Session, *, client: Client, alias: str, now: datetime) -> ClientAlias:
    """Let the client be found by another name too."""
    alias = check_name(what="alias", name=alias)
    _check_free(session, client.team_id, alias)
    row = ClientAlias(
        team_id=client.team_id, client_id=client.id, alias=alias, alias_key=name_key(alias), created_at=now
    )
    client.aliases.append(row)
    session.flush()
    return row


def remove_alias(session: Session, *, client: Client, alias: str) -> bool:
    """Forget one of the client's aliases; False when it had no such alias."""
    key = name_key(alias)
    for row in client.aliases:
        if row.alias_key == key:
            client.aliases.remove(row)
            session.flush()
            return True
    return False


@dataclass(frozen=True)
class ClientSummary:
    """A client with its last contact, as the list views show it."""

    client: Client
    last_contact_at: datetime | None
    days_quiet: int  # since the last contact, or since the client was added
    overdue: bool


def list_clients(
    session: Session, *, team_id: str, which: ListFilter, user_id: str, now: datetime, limit: int | None = None
) -> tuple[list[ClientSummary], int]:
    """Clients for `list [all|mine|key|quiet]`, quietest first for `quiet`; also the total before `limit`."""
    last = (
        select(Contact.client_id, func.max(Contact.occurred_at).label("last_at"))
        .where(Contact.team_id == team_id)
        .group_by(Contact.client_id)
        .subquery()
    )
    query = (
        select(Client, last.c.last_at)
        .outerjoin(last, last.c.client_id == Client.id)
        .where(Client.team_id == team_id)
        .order_by(Client.name_key)
    )
    if which == ListFilter.MINE:
        query = query.where(Client.owner_id == user_id)
    elif which == ListFilter.KEY:
        query = query.where(Client.is_key.is_(True))
    summaries = [_summary(client, last_at, now) for client, last_at in session.execute(query)]
    if which == ListFilter.QUIET:
        summaries = [s for s in summaries if s.overdue]
        summaries.sort(key=lambda s: (-s.days_quiet, s.client.name_key))
    total = len(summaries)
    return (summaries[:limit] if limit is not None else summaries), total


def _summary(client: Client, last_at: datetime | None, now: datetime) -> ClientSummary:
    last_at = _as_utc(last_at)
    since = last_at if last_at is not None else client.created_at
    days = (now - since) // timedelta(days=1)
    overdue = client.quiet_due_at is not None and client.quiet_due_at <= now  # the sweep's own test
    return ClientSummary(client, last_at, days, overdue)


def _as_utc(value: datetime | None) -> datetime | None:
    """Aggregates over a subquery may come back naive on SQLite; they are UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
