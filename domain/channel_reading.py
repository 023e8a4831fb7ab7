"""How far rapport has read each linked channel: whether it is a member, and up to when its history was read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from domain.channels import BACKFILL
from storage.models import ClientChannel, Workspace

# A channel linked in another process may be missed there for as long as its link cache lasts: the sweep reads
# the history again until it has read past this long after the link.
CATCH_UP = timedelta(minutes=2)
OVERLAP = timedelta(minutes=1)  # history is read again from a little before where it stopped


@dataclass(frozen=True)
class ToRead:
    """A linked channel whose history is to be read (or joined first), and from when."""

    team_id: str
    channel_id: str
    joined: bool
    since: datetime


def joined(session: Session, *, team_id: str, channel_id: str, member: bool, now: datetime) -> None:
    """Record whether rapport is a member of a linked channel now (a private one waits for an invitation)."""
    session.execute(
        update(ClientChannel)
        .where(ClientChannel.team_id == team_id, ClientChannel.channel_id == channel_id)
        .values(joined=member, join_tried_at=now),
        execution_options={"synchronize_session": False},
    )


def history_since(session: Session, *, team_id: str, channel_id: str, now: datetime) -> datetime | None:
    """Where reading the channel's history starts: a little before where it stopped, at most BACKFILL back."""
    link = session.scalar(
        select(ClientChannel).where(ClientChannel.team_id == team_id, ClientChannel.channel_id == channel_id)
    )
    if link is None:
        return None
    if link.history_read_to is None:
        return now - BACKFILL
    return max(link.history_read_to - OVERLAP, now - BACKFILL)


def history_read(session: Session, *, team_id: str, channel_id: str, to: datetime) -> None:
    """The channel's history was read up to `to` (the time reading began)."""
    session.execute(
        update(ClientChannel)
        .where(ClientChannel.team_id == team_id, ClientChannel.channel_id == channel_id)
        .values(history_read_to=to, joined=True),
        execution_options={"synchronize_session": False},
    )


def to_read(session: Session, *, now: datetime) -> list[ToRead]:
    """Channels the sweep reads: joined ones not read up to CATCH_UP after their link, and ones never joined."""
    recent = now - timedelta(days=1)  # a channel linked earlier was read long ago, or keeps failing (never read)
    rows = session.scalars(
        select(ClientChannel).where(
            or_(
                ClientChannel.joined.is_(True)
                & or_(ClientChannel.history_read_to.is_(None), ClientChannel.linked_at >= recent),
                ClientChannel.joined.is_(False) & ClientChannel.join_tried_at.is_(None),
            )
        )
    )
    found = []
    for link in rows:
        if link.joined and link.history_read_to is not None and link.history_read_to >= link.linked_at + CATCH_UP:
            continue
        since = link.history_read_to - OVERLAP if link.history_read_to else now - BACKFILL
        found.append(ToRead(link.team_id, link.channel_id, link.joined, max(since, now - BACKFILL)))
    return found


def workspace_url(session: Session, *, team_id: str) -> str | None:
    """The workspace's address (https://acme.slack.com/), for message permalinks; None until known."""
    return session.scalar(select(Workspace.url).where(Workspace.team_id == team_id))


def set_workspace_url(session: Session, *, team_id: str, url: str) -> None:
    """Remember the workspace's address (auth.test says it once)."""
    session.execute(
        update(Workspace).where(Workspace.team_id == team_id).values(url=url),
        execution_options={"synchronize_session": False},
    )
