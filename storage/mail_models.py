"""The tables of the team mailbox: client emails kept as evidence, where the mailbox was read to, and the unmatched.

UIDs and UIDVALIDITY are IMAP's unsigned 32-bit numbers: BigInteger, since PostgreSQL's integer is signed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, ForeignKeyConstraint, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import TEAM_ID, USER_ID, Base

KEY = String(64)  # a sha256, hex
ADDRESS = String(254)
MAILBOX_NAME = String(500)  # user@host/folder: never the password


class Email(Base):
    """A client's email read from the team mailbox, kept once (by Message-ID) as the evidence of its contacts."""

    __tablename__ = "emails"
    __table_args__ = (
        UniqueConstraint("team_id", "message_key"),
        Index("ix_emails_twin", "team_id", "fingerprint", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    message_key: Mapped[str] = mapped_column(KEY)  # sha256 of the Message-ID (or of what stands in for it)
    message_id: Mapped[str | None] = mapped_column(Text)  # None: an inline forward, which does not carry it
    fingerprint: Mapped[str] = mapped_column(KEY)  # sha256 of sender and subject: an inline forward's twin
    user_id: Mapped[str] = mapped_column(USER_ID)  # the teammate whose contact it is
    found_by: Mapped[str] = mapped_column(String(16))  # how: "sender", "forwarder" or "recipient"
    forwarded_by: Mapped[str | None] = mapped_column(ADDRESS)
    from_header: Mapped[str] = mapped_column(Text)
    to_header: Mapped[str] = mapped_column(Text)
    cc_header: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime]
    subject: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)  # the first 2,000 characters of the text (or of the HTML as text)
    mailbox: Mapped[str] = mapped_column(MAILBOX_NAME)
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    received_at: Mapped[datetime]  # when rapport read it


class EmailContact(Base):
    """The contact an email made with one client (an email to two clients makes two)."""

    __tablename__ = "email_contacts"
    __table_args__ = (
        ForeignKeyConstraint(["team_id", "client_id"], ["clients.team_id", "clients.id"], ondelete="CASCADE"),
        UniqueConstraint("contact_id"),
    )

    email_id: Mapped[int] = mapped_column(ForeignKey("emails.id", ondelete="CASCADE"), primary_key=True)
    client_id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(TEAM_ID)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))


class MailboxState(Base):
    """How far a mailbox folder was read: UIDs above last_uid are new, while UIDVALIDITY stays the same."""

    __tablename__ = "mailboxes"

    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(MAILBOX_NAME, primary_key=True)
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger)
    polled_at: Mapped[datetime]


class UnmatchedEmail(Base):
    """A message that matched no client or no teammate: left unread in the mailbox, listed for a person to see."""

    __tablename__ = "unmatched_emails"
    __table_args__ = (
        UniqueConstraint("team_id", "message_key"),
        Index("ix_unmatched_emails_sent", "team_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    message_key: Mapped[str] = mapped_column(KEY)
    message_id: Mapped[str | None] = mapped_column(Text)
    mailbox: Mapped[str] = mapped_column(MAILBOX_NAME)
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    from_header: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime]
    why: Mapped[str] = mapped_column(String(16))  # "no_client", "no_teammate" or "unreadable"
    seen_at: Mapped[datetime]
