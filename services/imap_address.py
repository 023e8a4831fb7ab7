"""IMAP_URL read into where the team mailbox is and how to reach it; the password never leaves `password`.

    imaps://user:pass@host[:port]/FOLDER   TLS from the start (port 993)
    imap://user:pass@host[:port]/FOLDER    STARTTLS (port 143), required: a server that does not offer it is refused;
                                           plain IMAP only on a loopback host (a local test or tunnelled server)

User and password are URL-encoded (team%40ourco.com for team@ourco.com); IMAP_PASSWORD, when set, is the
password (the URL may then leave it out). The folder defaults to INBOX.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import unquote, urlsplit

DEFAULT_FOLDER = "INBOX"
PORTS = {"imaps": 993, "imap": 143}


class Security(StrEnum):
    """How the connection is protected."""

    TLS = "tls"  # imaps://
    STARTTLS = "starttls"  # imap:// to any host but loopback
    PLAIN = "plain"  # imap:// to a loopback host


@dataclass(frozen=True)
class MailboxAddress:
    """Where the team mailbox is; shown (logs, errors) by `name` only."""

    host: str
    port: int
    user: str
    folder: str
    security: Security
    password: str = field(repr=False)

    @property
    def name(self) -> str:
        """user@host/folder: what logs and the mailboxes table call it (never the password)."""
        return f"{self.user}@{self.host}/{self.folder}"


def parse_imap_url(url: str, *, password: str | None = None) -> MailboxAddress:
    """IMAP_URL (and IMAP_PASSWORD) as a MailboxAddress; a ValueError that repeats no part of the URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise ValueError("must be an IMAP URL like imaps://user:password@host/INBOX") from None
    if parts.scheme not in PORTS:
        raise ValueError("must start with imaps:// (TLS) or imap:// (STARTTLS)")
    if not parts.hostname:
        raise ValueError("names no host")
    user = unquote(parts.username or "")
    if not user:
        raise ValueError("names no user (imaps://user:password@host/INBOX)")
    secret = password or unquote(parts.password or "")
    if not secret:
        raise ValueError("has no password: put it in the URL or in IMAP_PASSWORD")
    folder = unquote(parts.path.lstrip("/")) or DEFAULT_FOLDER
    security = Security.TLS if parts.scheme == "imaps" else _imap_security(parts.hostname)
    return MailboxAddress(parts.hostname, port or PORTS[parts.scheme], user, folder, security, secret)


def _imap_security(host: str) -> Security:
    """imap:// is plain on a loopback host, STARTTLS anywhere else."""
    if host == "localhost":
        return Security.PLAIN
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    return Security.PLAIN if loopback else Security.STARTTLS
