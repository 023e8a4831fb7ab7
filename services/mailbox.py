"""The team mailbox over a real IMAP connection (imap-tools for connecting and logging in, then plain IMAP).

Reading never marks a message read: new messages are fetched with BODY.PEEK, by UID. Only those that became
contacts are marked \\Seen, after they are committed; the rest stay unread for a person to look at.
"""

from __future__ import annotations

import imaplib
import re
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from urllib.parse import quote

from imap_tools import BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import ImapToolsError, MailboxLoginError
from slack_sdk.errors import SlackApiError

from services.imap_address import MailboxAddress, Security

TIMEOUT_SECONDS = 30
# What reaching, logging in to or reading a mailbox may fail with: the server's NO or BAD, the network, TLS.
MAILBOX_FAILURES = (ImapToolsError, imaplib.IMAP4.error, OSError)
FETCHED = re.compile(rb"\bUID (\d+)")


@dataclass(frozen=True)
class Fetched:
    """One message as the server holds it."""

    uid: int
    raw: bytes


class MailboxError(Exception):
    """The server answered something we cannot use (the message is safe to log: it holds no secret)."""


class Mailbox:
    """A logged-in connection with the folder selected."""

    def __init__(self, box: BaseMailBox, address: MailboxAddress) -> None:
        self.box = box
        self.address = address
        status = box.folder.status(address.folder, ("UIDVALIDITY",))
        if "UIDVALIDITY" not in status:
            raise MailboxError(f"{address.name}: the server tells no UIDVALIDITY")
        self.uidvalidity: int = status["UIDVALIDITY"]

    def new_uids(self, *, after: int) -> list[int]:
        """UIDs above `after`, in order (`N:*` also answers the last message when none is newer: dropped)."""
        typ, data = self.box.client.uid("SEARCH", f"UID {after + 1}:*")
        if typ != "OK":
            raise MailboxError(f"{self.address.name}: UID SEARCH answered {typ}")
        found = (int(uid) for uid in b" ".join(d for d in data if d).split())
        return sorted(uid for uid in found if uid > after)

    def fetch(self, uids: list[int]) -> list[Fetched]:
        """The messages, whole, without setting \\Seen (BODY.PEEK)."""
        if not uids:
            return []
        typ, data = self.box.client.uid("FETCH", ",".join(map(str, uids)), "(UID BODY.PEEK[])")
        if typ != "OK":
            raise MailboxError(f"{self.address.name}: UID FETCH answered {typ}")
        found = []
        for item in data:
            if isinstance(item, tuple) and (match := FETCHED.search(item[0])):
                found.append(Fetched(int(match.group(1)), item[1]))
        return sorted(found, key=lambda f: f.uid)

    def mark_seen(self, uids: list[int]) -> None:
        """Mark these messages read (a plain STORE: imap-tools' flag() would also EXPUNGE the folder)."""
        if uids:
            typ, _ = self.box.client.uid("STORE", ",".join(map(str, uids)), "+FLAGS.SILENT", r"(\Seen)")
            if typ != "OK":
                raise MailboxError(f"{self.address.name}: UID STORE answered {typ}")


def mailbox_failure(exc: BaseException, address: MailboxAddress) -> str:
    """What went wrong, in one line that holds no password (a server may echo what it was sent)."""
    if isinstance(exc, MailboxLoginError):
        detail = b" ".join(d for d in exc.command_result[1] if isinstance(d, bytes)).decode("utf-8", "replace")
        text = f"the server refused the login ({detail or exc.command_result[0]})"
    elif isinstance(exc, SlackApiError):
        text = f"Slack answered {exc.response.get('error')}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    for secret in {address.password, quote(address.password, safe="")}:
        text = text.replace(secret, "***")
    return " ".join(text.split())[:300]


@contextmanager
def open_mailbox(address: MailboxAddress, *, timeout: float = TIMEOUT_SECONDS) -> Iterator[Mailbox]:
    """Connect, log in and select the folder; log out at the end (a failing logout is no failure)."""
    box = _connect(address, timeout).login(address.user, address.password, initial_folder=address.folder)
    try:
        yield Mailbox(box, address)
    finally:
        with suppress(*MAILBOX_FAILURES):
            box.logout()


def _connect(address: MailboxAddress, timeout: float) -> BaseMailBox:
    """The connection: TLS verified against the system's CAs (SSL_CERT_FILE names others), or plain on loopback."""
    if address.security == Security.PLAIN:
        return MailBoxUnencrypted(address.host, address.port, timeout=timeout)
    context = ssl.create_default_context()
    if address.security == Security.STARTTLS:
        return MailBoxStartTls(address.host, address.port, timeout=timeout, ssl_context=context)
    return MailBox(address.host, address.port, timeout=timeout, ssl_context=context)
