"""Contacts: logging a touch with a client, once, whatever retries or double clicks happen."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.errors import Empty, TooLong
from domain.quiet import contact_happened
from storage.models import NOTE_MAX, Client, Contact


class Source:
    """Where a contact was recorded from."""

    COMMAND = "command"
    SHORTCUT = "shortcut"
    NUDGE = "nudge"  # confirmed from a nudge (✅ or "I've been in touch")


def check_note(note: str) -> str:
    """A note must say something and fit in a Slack message section."""
    note = note.strip()
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
    source: str,
    idempotency_key: str | None,
    occurred_at: datetime | None = None,
    channel_id: str | None = None,
    message_ts: str | None = None,
    permalink: str | None = None,
) -> tuple[Contact, bool]:
    """Record a contact; with a key already used, return the earlier contact and False instead."""
    note = check_note(note)
    if idempotency_key is not None:
        earlier = _by_key(session, client.team_id, idempotency_key)
        if earlier is not None:
            return earlier, False
    contact = Contact(
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
    )
    try:
        with session.begin_nested():
            session.add(contact)
    except IntegrityError:
        # A concurrent delivery of the same request won the race: theirs is the contact.
        earlier = _by_key(session, client.team_id, idempotency_key) if idempotency_key else None
        if earlier is None:
            raise
        return earlier, False
    session.refresh(client, with_for_update=True)  # two contacts at once must not lose the later one
    contact_happened(client, contact.occurred_at)
    return contact, True


def _by_key(session: Session, team_id: str, key: str) -> Contact | None:
    return session.scalar(select(Contact).where(Contact.team_id == team_id, Contact.idempotency_key == key))


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
