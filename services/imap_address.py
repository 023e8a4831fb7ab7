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


@dataclass(frozen=True)
class MailUrl:
    """A mail server's URL (IMAP_URL, SMTP_URL), split and checked: its user and password URL-decoded."""

    host: str
    port: int
    security: Security
    user: str
    password: str = field(repr=False)
    path: str


def split_mail_url(url: str, *, ports: dict[str, int], kind: str, example: str, password: str | None) -> MailUrl:
    """`url` split, its scheme one of `ports` (TLS first, then STARTTLS), with a host; a ValueError that repeats
    no part of the URL. The plain scheme means STARTTLS, except to a loopback host (a local test or relay)."""
    tls, starttls = ports
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise ValueError(f"must be an {kind} URL like {example}") from None
    if parts.scheme not in ports:
        raise ValueError(f"must start with {tls}:// (TLS) or {starttls}:// (STARTTLS)")
    if not parts.hostname:
        raise ValueError("names no host")
    security = Security.TLS if parts.scheme == tls else _plain_or_starttls(parts.hostname)
    return MailUrl(parts.hostname, port or ports[parts.scheme], security, unquote(parts.username or ""),
                   password or unquote(parts.password or ""), parts.path)  # fmt: skip


def parse_imap_url(url: str, *, password: str | None = None) -> MailboxAddress:
    """IMAP_URL (and IMAP_PASSWORD) as a MailboxAddress; a ValueError that repeats no part of the URL."""
    found = split_mail_url(url, ports=PORTS, kind="IMAP", example="imaps://user:password@host/INBOX", password=password)
    if not found.user:
        raise ValueError("names no user (imaps://user:password@host/INBOX)")
    if not found.password:
        raise ValueError("has no password: put it in the URL or in IMAP_PASSWORD")
    folder = unquote(found.path.lstrip("/")) or DEFAULT_FOLDER
    return MailboxAddress(found.host, found.port, found.user, folder, found.security, found.password)


def _plain_or_starttls(host: str) -> Security:
    """The plain scheme is plain on a loopback host, STARTTLS anywhere else."""
    if host == "localhost":
        return Security.PLAIN
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    return Security.PLAIN if loopback else Security.STARTTLS
