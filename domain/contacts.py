"""Contacts: logging a touch with a client, once, whatever retries or double clicks happen."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.errors import Empty, TooLong
from domain.quiet import contact_happened
from domain.sponsors import sponsor_contact_happened
from domain.text import check_text
from storage.models import NOTE_MAX, Client, Contact
from storage.once import add_once


class Source(StrEnum):
    """Where a contact was recorded from (stored in contacts.source)."""

    COMMAND = "command"
    SHORTCUT = "shortcut"
    NUDGE = "nudge"  # confirmed from a nudge (✅ or "I've been in touch")
    CHANNEL = "channel"  # a message in one of the client's linked channels
    EMAIL = "email"  # an email read from the team mailbox (its evidence: emails, through email_contacts)
    MEETING = "meeting"  # a meeting in a teammate's calendar with one of the client's people (the note: its title)
    HOME = "home"  # the log-contact modal opened from a client on the App Home


def check_note(note: str) -> str:
    """A note must say something, hold no control character but tabs and line breaks, and fit in a section."""
    note = check_text(what="note", text=note, multi_line=True).strip()
    if not note:
        raise Empty("note")
    if len(note) > NOTE_MAX:
        raise TooLong("note", NOTE_MAX, len(note))
    return note


def log_contact(
    session: Session,
    *,
    client: Client,
    user_id: str,
    note: str,
    now: datetime,
    source: Source,
    idempotency_key: str | None,
    occurred_at: datetime | None = None,
    channel_id: str | None = None,
    message_ts: str | None = None,
    permalink: str | None = None,
) -> tuple[Contact, bool]:
    """Record a contact; with a key already used, return the earlier contact and False instead."""
    return record_contact(
        session, client=client, user_id=user_id, note=check_note(note), now=now, source=source,
        idempotency_key=idempotency_key, occurred_at=occurred_at, channel_id=channel_id, message_ts=message_ts,
        permalink=permalink,
    )  # fmt: skip


def record_contact(
    session: Session,
    *,
    client: Client,
    user_id: str,
    note: str,
    now: datetime,
    source: Source,
    idempotency_key: str | None,
    occurred_at: datetime | None = None,
    channel_id: str | None = None,
    message_ts: str | None = None,
    permalink: str | None = None,
) -> tuple[Contact, bool]:
    """log_contact without checking the note: a channel message's note is what its channel keeps (maybe nothing)."""
    contact, created = add_once(
        session,
        Contact(
            team_id=client.team_id,
            client_id=client.id,
            user_id=user_id,
            occurred_at=occurred_at or now,
            channel_id=channel_id,
            message_ts=message_ts,
            note=note,
            permalink=permalink,
            source=source,
            idempotency_key=idempotency_key,
            created_at=now,
        ),
    )
    if not created:
        return contact, False
    session.refresh(client, with_for_update={"key_share": True})  # two contacts at once: the later one waits
    contact_happened(client, contact.occurred_at)
    # Every source (command, shortcut, nudge, channel, meeting, mail) comes through here: the sponsor's clock too.
    sponsor_contact_happened(session, client=client, user_id=user_id, at=contact.occurred_at)
    return contact, True


def recent_contacts(session: Session, *, client: Client, limit: int) -> list[Contact]:
    """The client's latest contacts, newest first."""
    return list(
        session.scalars(
            select(Contact)
            .where(Contact.team_id == client.team_id, Contact.client_id == client.id)
            .order_by(Contact.occurred_at.desc(), Contact.id.desc())
            .limit(limit)
        )
    )
