"""Recording what the team mailbox brought: a client's email kept once with its contacts, or an unmatched message.

An email counts once per workspace by its Message-ID, however often it arrives (BCC'd, forwarded as an
attachment, forwarded twice). An inline forward carries no Message-ID: it counts once per sender, subject and
minute, and is the twin of a copy with a Message-ID from the same sender, with the same subject, sent within
TWIN_WINDOW of it (its wall-clock date read in the forwarder's time zone).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.contacts import Source, record_contact
from domain.dates import zone
from domain.mail_forwards import without_forward_prefix
from domain.mail_matching import FoundBy, Reading
from domain.mail_text import Mail
from domain.people import Profile
from storage.dialect import insert
from storage.models import NOTE_MAX, Client, Email, EmailContact, UnmatchedEmail

TWIN_WINDOW = timedelta(minutes=2)


class Why(StrEnum):
    """Why a message became no contact (unmatched_emails.why)."""

    NO_CLIENT = "no_client"  # no client's person or domain in From, To or Cc
    NO_TEAMMATE = "no_teammate"  # a client's, but no sender, forwarder or recipient is a teammate on Slack
    UNREADABLE = "unreadable"  # the message could not be read at all


@dataclass(frozen=True)
class Where:
    """Where a message was read: the mailbox (user@host/folder), its UIDVALIDITY and the message's UID."""

    mailbox: str
    uidvalidity: int
    uid: int


def sent_time(mail: Mail, *, tz: str | None, now: datetime) -> datetime:
    """When the mail was sent: its date, or an inline forward's wall clock in `tz`, else now; never after now."""
    if mail.sent_at is not None:
        at = mail.sent_at
    elif mail.local_time is not None:
        at = mail.local_time.replace(tzinfo=zone(tz)).astimezone(UTC)
    else:
        at = now
    return min(at, now)


def fingerprint(mail: Mail) -> str:
    """Sender and subject, hashed: what an inline forward and the copy it forwards share."""
    subject = " ".join(without_forward_prefix(mail.subject).casefold().split())
    return _sha256(f"{mail.sender or ''}\n{subject}")


def message_key(mail: Mail, *, sent_at: datetime | None) -> str:
    """The Message-ID, hashed; without one: sender, subject, the minute sent and the start of the text."""
    if mail.message_id:
        return _sha256("id\n" + mail.message_id)
    minute = sent_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M") if sent_at else ""
    return _sha256(f"none\n{fingerprint(mail)}\n{minute}\n{mail.text[:500] if not minute else ''}")


def record_email(
    session: Session, *, team_id: str, reading: Reading, teammate: Profile, found_by: FoundBy, where: Where,
    now: datetime, tz: str | None,
) -> bool:  # fmt: skip
    """Keep the email and log a contact per client it is with; False when it was kept before (or its twin was)."""
    mail = reading.mail
    sent = sent_time(mail, tz=tz, now=now)
    key, printed = message_key(mail, sent_at=sent), fingerprint(mail)
    if _kept(session, team_id, key) or _twin(session, team_id, printed, sent, has_id=mail.message_id is not None):
        return False
    email = Email(
        team_id=team_id, message_key=key, message_id=mail.message_id, fingerprint=printed, user_id=teammate.user_id,
        found_by=found_by, forwarded_by=reading.forwarder, from_header=mail.from_header, to_header=mail.to_header,
        cc_header=mail.cc_header, sent_at=sent, subject=mail.subject, text=mail.text, mailbox=where.mailbox,
        uidvalidity=where.uidvalidity, uid=where.uid, received_at=now,
    )  # fmt: skip
    try:
        with session.begin_nested():
            session.add(email)
    except IntegrityError:  # another sweep kept it a moment ago
        return False
    for client_id in reading.clients:
        _contact(session, email, client_id, now=now)
    session.execute(
        delete(UnmatchedEmail).where(UnmatchedEmail.team_id == team_id, UnmatchedEmail.message_key == key),
        execution_options={"synchronize_session": False},
    )  # listed as unmatched when it first came (a teammate's address unknown then): it counts now
    return True


def _contact(session: Session, email: Email, client_id: int, *, now: datetime) -> None:
    """The email's contact with one client, by its teammate, at the time it was sent; the subject is its note."""
    client = session.get(Client, client_id)
    if client is None or client.team_id != email.team_id:  # removed since the mailbox was read
        return
    contact, _ = record_contact(
        session, client=client, user_id=email.user_id, note=slack_escaped(email.subject)[:NOTE_MAX], now=now,
        source=Source.EMAIL, idempotency_key=f"email:{email.message_key}:{client.id}", occurred_at=email.sent_at,
    )  # fmt: skip
    session.add(EmailContact(email_id=email.id, client_id=client.id, team_id=email.team_id, contact_id=contact.id))


def record_unmatched(
    session: Session, *, team_id: str, counted: Mail, shown: Mail, why: Why, where: Where, now: datetime
) -> bool:
    """List a message that made no contact (shown as it sits in the mailbox), once; False when listed or kept."""
    sent = sent_time(counted, tz=None, now=now)
    key = message_key(counted, sent_at=sent)
    if _kept(session, team_id, key):
        return False
    statement = insert(session, UnmatchedEmail).values(
        team_id=team_id, message_key=key, message_id=counted.message_id, mailbox=where.mailbox,
        uidvalidity=where.uidvalidity, uid=where.uid, from_header=shown.from_header, subject=shown.subject,
        sent_at=sent_time(shown, tz=None, now=now), why=why, seen_at=now,
    )  # fmt: skip
    # RETURNING tells a new row on both databases (an ORM insert's rowcount is -1 on PostgreSQL)
    inserted = statement.on_conflict_do_nothing(index_elements=["team_id", "message_key"]).returning(UnmatchedEmail.id)
    return session.execute(inserted).first() is not None


def slack_escaped(text: str) -> str:
    """Plain text stored the way Slack sends text (& < > escaped), as every note is: a subject links nothing."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _kept(session: Session, team_id: str, key: str) -> bool:
    return session.scalar(select(Email.id).where(Email.team_id == team_id, Email.message_key == key)) is not None


def _twin(session: Session, team_id: str, printed: str, sent: datetime, *, has_id: bool) -> bool:
    """An email kept from the same sender with the same subject, sent within TWIN_WINDOW, one of them inline."""
    query = select(Email.id).where(
        Email.team_id == team_id, Email.fingerprint == printed,
        Email.sent_at.between(sent - TWIN_WINDOW, sent + TWIN_WINDOW),
    )  # fmt: skip
    if has_id:
        query = query.where(Email.message_id.is_(None))
    return session.scalar(query.limit(1)) is not None


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
