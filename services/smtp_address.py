"""SMTP_URL read into where survey emails are sent from and how; the password never leaves `password`.

    smtps://user:pass@host[:port]   TLS from the start (port 465)
    smtp://user:pass@host[:port]    STARTTLS (port 587), required: a server that does not offer it is refused;
                                    plain SMTP only on a loopback host (a local relay or a test server)

User and password are URL-encoded (team%40ourco.com for team@ourco.com) and optional (a relay that needs no login);
SMTP_PASSWORD, when set, is the password (the URL may then leave it out).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from services.imap_address import Security

PORTS = {"smtps": 465, "smtp": 587}


@dataclass(frozen=True)
class SmtpAddress:
    """Where survey emails go out; shown (logs, errors) by `name` only."""

    host: str
    port: int
    user: str | None
    security: Security
    password: str | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        """user@host:port, or host:port without a login (never the password)."""
        return f"{self.user}@{self.host}:{self.port}" if self.user else f"{self.host}:{self.port}"


def parse_smtp_url(url: str, *, password: str | None = None) -> SmtpAddress:
    """SMTP_URL (and SMTP_PASSWORD) as an SmtpAddress; a ValueError that repeats no part of the URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise ValueError("must be an SMTP URL like smtps://user:password@host") from None
    if parts.scheme not in PORTS:
        raise ValueError("must start with smtps:// (TLS) or smtp:// (STARTTLS)")
    if not parts.hostname:
        raise ValueError("names no host")
    user = unquote(parts.username or "") or None
    secret = password or unquote(parts.password or "") or None
    if secret and not user:
        raise ValueError("has a password but no user (smtps://user:password@host)")
    security = Security.TLS if parts.scheme == "smtps" else _security(parts.hostname)
    return SmtpAddress(parts.hostname, port or PORTS[parts.scheme], user, security, secret)


def _security(host: str) -> Security:
    """smtp:// is plain on a loopback host, STARTTLS anywhere else."""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    return Security.PLAIN if loopback else Security.STARTTLS
