"""Helpers of the team-mailbox tests: client addresses, teammates with a profile email, and mail built as mail
programs write it (sent, BCC'd, forwarded inline or as an attachment), delivered with a real IMAP APPEND."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.settings import Settings
from domain.client_addresses import Outcome, add_domain, add_email_person
from fakes.imap_server import Account
from fakes.slack import FakeSlack
from storage.models import Contact, Email, Person, UnmatchedEmail
from tests.conftest import NOW
from tests.driver import SIGNING_SECRET
from tests.helpers import client_named, fresh

ALICE, BOB = "alice@ourco.test", "bob@ourco.test"
JO = "jo@acme.com"
_ids = itertools.count(1)


def mail_settings(fake: FakeSlack, database_url: str, imap_url: str, *, password: str | None = None) -> Settings:
    """The app's settings with a team mailbox."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token="xoxb-test", slack_signing_secret=SIGNING_SECRET, slack_api_url=fake.api_url,
        database_url=database_url, imap_url=imap_url, imap_password=password,
    )  # fmt: skip


def teammates(fake: FakeSlack) -> None:
    """UALICE and UBOB have their work address on their Slack profile (Warsaw); UCAROL has none."""
    fake.add_user("UALICE", email="Alice@OurCo.test")
    fake.add_user("UBOB", email=BOB)


def client_domain(session: Session, domain: str, *, client: str = "Acme Corp") -> None:
    """Everyone at `domain` is the client's (added as `/client domain` does)."""
    row = client_named(session, client)
    assert add_domain(session, client=row, domain=domain, by="UALICE", now=NOW)
    session.commit()


def client_email(session: Session, email: str, *, client: str = "Acme Corp", name: str | None = None) -> None:
    """Someone at the client known by email (added as `/client person <client> <email>` does)."""
    row = client_named(session, client)
    added = add_email_person(session, client=row, email=email, name=name, by="UALICE", now=NOW)
    assert added.outcome is Outcome.ADDED
    session.commit()


def mail(
    *, sender: str, to: str, subject: str, body: str, sent: datetime, cc: str | None = None,
    message_id: str | None = None, html: str | None = None,
) -> EmailMessage:  # fmt: skip
    """A message as a mail program sends it: a Message-ID, a Date with its zone, a text part (and HTML, if given)."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    if cc:
        message["Cc"] = cc
    message["Date"] = format_datetime(sent.astimezone(ZoneInfo("Europe/Warsaw")))
    message["Message-ID"] = message_id or f"<m{next(_ids)}.{int(sent.timestamp())}@mail.test>"
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def forwarded_inline(original: EmailMessage, *, by: str, sent: datetime, style: str = "gmail") -> EmailMessage:
    """`by` forwards `original` to the team mailbox, quoted inline as Gmail or Outlook does (dates in Warsaw)."""
    when = datetime.strptime(str(original["Date"]), "%a, %d %b %Y %H:%M:%S %z").astimezone(ZoneInfo("Europe/Warsaw"))
    body = str(original.get_body(("plain",)).get_content())  # type: ignore[union-attr]
    if style == "gmail":
        block = (
            "---------- Forwarded message ---------\n"
            f"From: {original['From']}\nDate: {when:%a, %b %-d, %Y at %-I:%M %p}\n"
            f"Subject: {original['Subject']}\nTo: {original['To']}\n\n\n"
        )
    else:
        block = (
            "________________________________\n"
            f"From: {original['From']}\nSent: {when:%A, %B %-d, %Y %-I:%M %p}\n"
            f"To: {original['To']}\nSubject: {original['Subject']}\n\n"
        )
    return mail(sender=by, to=MAILBOX_ADDRESS, subject=f"Fwd: {original['Subject']}", sent=sent,
                body=f"FYI, for the record.\n\n{block}{body}")  # fmt: skip


def forwarded_as_attachment(original: EmailMessage, *, by: str, sent: datetime) -> EmailMessage:
    """`by` forwards `original` whole, as a message/rfc822 attachment (Outlook's and Thunderbird's option)."""
    message = mail(sender=by, to=MAILBOX_ADDRESS, subject=f"Fw: {original['Subject']}", sent=sent, body="See attached.")
    message.add_attachment(original)
    return message


MAILBOX_ADDRESS = "rapport@ourco.test"


def deliver(account: Account, *messages: EmailMessage, folder: str = "INBOX") -> list[int]:
    """APPEND the messages to the account's folder over IMAP, unread; their UIDs."""
    client = account.connect()
    try:
        uids = []
        for message in messages:
            typ, data = client.append(folder, None, None, message.as_bytes())
            assert typ == "OK", data
            uids.append(int(re.search(rb"APPENDUID \d+ (\d+)", data[0]).group(1)))  # type: ignore[union-attr]
        return uids
    finally:
        client.logout()


def seen(account: Account, folder: str = "INBOX") -> dict[int, bool]:
    """Whether each message in the folder is marked read (\\Seen), by UID."""
    client = account.connect()
    try:
        client.select(folder, readonly=True)
        typ, data = client.uid("FETCH", "1:*", "(UID FLAGS)")
        assert typ == "OK", data
        found = {}
        for line in data:
            if isinstance(line, bytes) and (match := re.search(rb"UID (\d+) FLAGS \(([^)]*)\)", line)):
                found[int(match.group(1))] = b"\\Seen" in match.group(2)
        return found
    finally:
        client.logout()


def emails(session: Session) -> list[Email]:
    return list(fresh(session).scalars(select(Email).order_by(Email.id)))


def unmatched(session: Session) -> list[UnmatchedEmail]:
    return list(fresh(session).scalars(select(UnmatchedEmail).order_by(UnmatchedEmail.id)))


def email_contacts(session: Session) -> list[Contact]:
    return list(fresh(session).scalars(select(Contact).where(Contact.source == "email").order_by(Contact.id)))


def person(session: Session, user_id: str) -> Person | None:
    return fresh(session).scalars(select(Person).where(Person.user_id == user_id)).one_or_none()


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026, UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)
