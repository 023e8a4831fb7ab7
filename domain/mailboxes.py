"""The team mailbox's state: how far each folder was read, the messages listed as unmatched, the emails kept."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from domain.clients import ensure_workspace
from storage.dialect import insert
from storage.models import Email, EmailContact, MailboxState, UnmatchedEmail


@dataclass(frozen=True)
class Position:
    """Where reading a folder resumes: after last_uid; `restarted` when its UIDVALIDITY changed (read it all again)."""

    last_uid: int
    restarted: bool


def read_position(session: Session, *, team_id: str, mailbox: str, uidvalidity: int) -> Position:
    """The last UID read in the folder: 0 for a new one, or one whose UIDVALIDITY changed (UIDs mean other mail)."""
    row = session.get(MailboxState, (team_id, mailbox))
    if row is None:
        return Position(0, restarted=False)
    if row.uidvalidity != uidvalidity:
        return Position(0, restarted=True)
    return Position(row.last_uid, restarted=False)


def move_position(
    session: Session, *, team_id: str, mailbox: str, uidvalidity: int, last_uid: int, now: datetime
) -> None:
    """The folder was read up to last_uid; a sweep that read less at the same time never moves it back."""
    ensure_workspace(session, team_id=team_id, now=now)
    statement = insert(session, MailboxState).values(
        team_id=team_id, name=mailbox, uidvalidity=uidvalidity, last_uid=last_uid, polled_at=now
    )
    new = statement.excluded
    same = MailboxState.uidvalidity == new.uidvalidity
    further = case((same & (MailboxState.last_uid > new.last_uid), MailboxState.last_uid), else_=new.last_uid)
    values = {MailboxState.uidvalidity: new.uidvalidity, MailboxState.last_uid: further, MailboxState.polled_at: now}
    session.execute(
        statement.on_conflict_do_update(index_elements=[MailboxState.team_id, MailboxState.name], set_=values)
    )


def unmatched_emails(session: Session, *, limit: int | None = None) -> list[UnmatchedEmail]:
    """The messages that made no contact, newest first (every workspace's: rapport serves one)."""
    query = select(UnmatchedEmail).order_by(UnmatchedEmail.sent_at.desc(), UnmatchedEmail.id.desc())
    return list(session.scalars(query.limit(limit) if limit else query))


def emails_of(session: Session, *, contact_ids: Iterable[int]) -> dict[int, Email]:
    """The kept email behind each of these contacts (those from email), by contact id."""
    wanted = sorted(set(contact_ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(EmailContact.contact_id, Email)
        .join(Email, Email.id == EmailContact.email_id)
        .where(EmailContact.contact_id.in_(wanted))
    )
    return {contact_id: email for contact_id, email in rows}
