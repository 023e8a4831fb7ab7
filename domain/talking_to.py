"""Whom we talk to at a client: `/client show` warns when a key client hangs on one person, since losing that
person (a new job, a reorganisation) loses the client.

The rule, from what rapport has seen: the people on the client's side who wrote in its linked channels (Slack
Connect members, guests, its listed people), and the client's addresses (its people's, or anyone's at its
domains) on email with it, in the last LOOK_BACK days, each counted once; meetings will count the same way once
calendars are read. When those days show nobody at all (no channel, no mailbox, or a quiet client), the people
listed with `/client person` stand in: they are all we know. A Slack account and an email address are two
people here, even when they are the same person: rapport cannot tell.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.addresses import normal_address
from domain.channel_messages import Side
from domain.client_people import people_of
from domain.mail_matching import client_book
from domain.mail_text import addresses_in
from storage.models import ChannelMessage, Client, Email, EmailContact

LOOK_BACK = timedelta(days=90)
EMAILS_READ = 500  # the client's newest emails in that time: a second person shows up long before


@dataclass(frozen=True)
class Someone:
    """A person on the client's side: a Slack user, or an email address (with the name given for it)."""

    user_id: str | None = None
    email: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class Reach:
    """The people we talk to at a client; `from_history` is False when nobody showed up and the listed stand in."""

    people: tuple[Someone, ...]
    from_history: bool


def people_we_talk_to(session: Session, *, client: Client, now: datetime) -> Reach:
    """The client's people seen in its channels and email over the last LOOK_BACK; else those listed."""
    since = now - LOOK_BACK
    writers = session.scalars(
        select(ChannelMessage.user_id)
        .distinct()
        .where(ChannelMessage.team_id == client.team_id, ChannelMessage.client_id == client.id)
        .where(ChannelMessage.side == Side.CLIENT, ChannelMessage.at >= since, ChannelMessage.user_id.is_not(None))
    )
    listed = people_of(session, client=client)
    names = {p.email: p.name for p in listed if p.email}
    found = [Someone(user_id=user_id) for user_id in sorted(u for u in writers if u)]
    found += [Someone(email=email, name=names.get(email)) for email in sorted(_emailed(session, client, since))]
    if found:
        return Reach(tuple(found), from_history=True)
    return Reach(tuple(Someone(p.user_id, p.email, p.name) for p in listed), from_history=False)


def _emailed(session: Session, client: Client, since: datetime) -> set[str]:
    """The client's addresses on its newest emails since `since` (From, To and Cc)."""
    headers = session.execute(
        select(Email.from_header, Email.to_header, Email.cc_header)
        .join(EmailContact, EmailContact.email_id == Email.id)
        .where(EmailContact.team_id == client.team_id, EmailContact.client_id == client.id, Email.sent_at >= since)
        .order_by(Email.sent_at.desc(), Email.id.desc())
        .limit(EMAILS_READ)
    ).all()
    if not headers:
        return set()
    book = client_book(session, team_id=client.team_id)
    addresses = {normal_address(a) for row in headers for header in row for a in addresses_in(header)}
    return {address for address in addresses if book.client_of(address) == client.id}
