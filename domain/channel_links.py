"""Linking channels to a client (`/client channel`): a client may have several, a channel belongs to one client.

The first linked channel is also where survey invitations go when a DM is impossible: clients.channel_id is
kept equal to it. A channel keeps who wrote, when and the permalink; its text only when told to (`text on`),
and turning that off, or unlinking the channel, erases the text kept so far.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from domain.channels import channels_of, linked_channel
from domain.contacts import Source
from domain.errors import ChannelTaken
from storage.dialect import insert
from storage.models import ChannelMessage, Client, ClientChannel, Contact


@dataclass(frozen=True)
class Linked:
    """What linking a channel did."""

    link: ClientChannel
    created: bool  # newly linked; False: it was this client's already
    text_changed: bool  # it keeps text now, or no longer does


def link_channel_or_raise(
    session: Session, *, client: Client, channel_id: str, by: str, now: datetime, keep_text: bool | None = None
) -> Linked:
    """Link a channel to the client (ChannelTaken when another client has it), keeping its text or not when told."""
    _lock(session, client)
    statement = insert(session, ClientChannel).values(
        team_id=client.team_id, client_id=client.id, channel_id=channel_id, keep_text=bool(keep_text), joined=False,
        linked_by=by, linked_at=now,
    )  # fmt: skip
    inserted = session.execute(
        statement.on_conflict_do_nothing(index_elements=[ClientChannel.team_id, ClientChannel.channel_id]).returning(
            ClientChannel.id
        )
    ).first()  # nothing back: the channel was linked before (to this client or another)
    created = inserted is not None
    link = linked_channel(session, team_id=client.team_id, channel_id=channel_id)
    assert link is not None  # inserted now, or there before
    if link.client_id != client.id:
        other = session.get(Client, link.client_id)
        raise ChannelTaken(channel_id, other.name if other else "")
    if created:
        _first_in_step(session, client, now)
        return Linked(link, created=True, text_changed=bool(keep_text))
    if keep_text is None or link.keep_text == keep_text:
        return Linked(link, created=False, text_changed=False)
    link.keep_text = keep_text
    if not keep_text:
        forget_text(session, team_id=client.team_id, channel_ids=[channel_id])
    return Linked(link, created=False, text_changed=True)


def unlink_channels(session: Session, *, client: Client, channel_id: str | None, now: datetime) -> list[str]:
    """Unlink one of the client's channels, or all (None): their text goes, and nothing in them waits any longer."""
    _lock(session, client)
    links = [c for c in channels_of(session, client=client) if channel_id in (None, c.channel_id)]
    ids = [c.channel_id for c in links]
    if not links:
        return []
    forget_text(session, team_id=client.team_id, channel_ids=ids)
    # The channel's messages go (its contacts stay, as evidence): nothing in it waits for an answer rapport would
    # no longer see, nothing unread becomes a contact later, and a link made again reads its history afresh.
    session.execute(
        delete(ChannelMessage).where(ChannelMessage.team_id == client.team_id, ChannelMessage.channel_id.in_(ids)),
        execution_options={"synchronize_session": False},
    )
    for link in links:
        session.delete(link)
    session.flush()
    _first_in_step(session, client, now)
    return ids


def forget_text(session: Session, *, team_id: str, channel_ids: list[str]) -> None:
    """Erase the text kept of these channels' messages, and the notes of the contacts read from them."""
    session.execute(
        update(ChannelMessage)
        .where(ChannelMessage.team_id == team_id, ChannelMessage.channel_id.in_(channel_ids))
        .values(text=None),
        execution_options={"synchronize_session": False},
    )
    session.execute(
        update(Contact)
        .where(Contact.team_id == team_id, Contact.channel_id.in_(channel_ids), Contact.source == Source.CHANNEL)
        .values(note=""),
        execution_options={"synchronize_session": False},
    )


def _lock(session: Session, client: Client) -> None:
    """One change to a client's channels at a time, so that its first channel really is the first linked."""
    session.refresh(client, with_for_update={"key_share": True})  # FOR NO KEY UPDATE: see domain/contacts.py


def _first_in_step(session: Session, client: Client, now: datetime) -> None:
    """clients.channel_id is the first linked channel (where survey invitations go), or None without one."""
    first = session.scalar(
        select(ClientChannel.channel_id)
        .where(ClientChannel.team_id == client.team_id, ClientChannel.client_id == client.id)
        .order_by(ClientChannel.linked_at, ClientChannel.id)
        .limit(1)
    )
    if client.channel_id != first:
        client.channel_id = first
        client.updated_at = now
