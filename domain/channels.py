"""Client channels: where the team talks with a client (often a Slack Connect channel), and what is kept of it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Client, ClientChannel

TEXT_KEPT = 200  # characters of a message kept for a channel that keeps text
BACKFILL = timedelta(days=30)  # how far back a newly linked channel is read


def linked_channel(session: Session, *, team_id: str, channel_id: str) -> ClientChannel | None:
    """The link of a channel to its client (one indexed look-up), or None for a channel linked to no client."""
    return session.scalar(
        select(ClientChannel).where(ClientChannel.team_id == team_id, ClientChannel.channel_id == channel_id)
    )


def channels_of(session: Session, *, client: Client) -> list[ClientChannel]:
    """A client's linked channels, the first linked first (the one survey invitations use)."""
    return list(
        session.scalars(
            select(ClientChannel)
            .where(ClientChannel.team_id == client.team_id, ClientChannel.client_id == client.id)
            .order_by(ClientChannel.linked_at, ClientChannel.id)
        )
    )


def kept_text(text: str | None, *, keep: bool) -> str | None:
    """What is kept of a message's text: nothing, unless the channel keeps text, then its first TEXT_KEPT characters."""
    if not keep or not text:
        return None
    return text[:TEXT_KEPT]
