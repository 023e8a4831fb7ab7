"""The people on a client's side (`/client person`): a guest or a Slack Connect member, at one client each.

Their messages in the client's channels wait for our answer (domain.channel_messages). People known by email
are rows of the same table with an address instead of a user id (domain.client_addresses).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from domain.errors import NotClientSide, PersonTaken, WhyNot
from domain.people import Lookup, Profile, profile
from storage.dialect import insert
from storage.models import Client, ClientPerson


def client_side_or_raise(user_id: str, found: Profile | None, *, team_id: str) -> Profile:
    """A guest of the workspace or a member of another one (Slack Connect), human and active; else NotClientSide."""
    if found is None:
        raise NotClientSide(user_id, WhyNot.UNKNOWN)
    if found.is_bot:
        raise NotClientSide(user_id, WhyNot.BOT)
    if found.deleted:
        raise NotClientSide(user_id, WhyNot.DEACTIVATED)
    if found.home_team_id in (None, team_id) and not found.is_guest:
        raise NotClientSide(user_id, WhyNot.MEMBER)
    return found


def add_person_or_raise(
    session: Session, *, client: Client, user_id: str, by: str, now: datetime, lookup: Lookup
) -> bool:
    """Add someone on the client's side; False when they are the client's already, PersonTaken when another's."""
    found = profile(session, team_id=client.team_id, user_id=user_id, now=now, lookup=lookup)
    client_side_or_raise(user_id, found, team_id=client.team_id)
    statement = insert(session, ClientPerson).values(
        team_id=client.team_id, client_id=client.id, user_id=user_id, added_by=by, added_at=now
    )
    inserted = session.execute(
        statement.on_conflict_do_nothing(index_elements=[ClientPerson.team_id, ClientPerson.user_id]).returning(
            ClientPerson.id
        )
    ).first()
    if inserted is not None:
        return True
    holder = session.scalar(
        select(Client.name)
        .join(ClientPerson, (ClientPerson.team_id == Client.team_id) & (ClientPerson.client_id == Client.id))
        .where(ClientPerson.team_id == client.team_id, ClientPerson.user_id == user_id, Client.id != client.id)
    )
    if holder is not None:
        raise PersonTaken(user_id, holder)
    return False


def remove_person(session: Session, *, client: Client, user_id: str) -> bool:
    """Someone is no longer on the client's side; False when they were not."""
    result = session.execute(
        delete(ClientPerson).where(
            ClientPerson.team_id == client.team_id, ClientPerson.client_id == client.id, ClientPerson.user_id == user_id
        ),
        execution_options={"synchronize_session": False},
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def people_of(session: Session, *, client: Client) -> list[ClientPerson]:
    """The client's people (Slack users and email addresses), in the order they were added."""
    return list(
        session.scalars(
            select(ClientPerson)
            .where(ClientPerson.team_id == client.team_id, ClientPerson.client_id == client.id)
            .order_by(ClientPerson.added_at, ClientPerson.id)
        )
    )
