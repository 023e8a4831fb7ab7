"""SMTP_URL read into where survey emails are sent from and how; the password never leaves `password`.

    smtps://user:pass@host[:port]   TLS from the start (port 465)
    smtp://user:pass@host[:port]    STARTTLS (port 587), required: a server that does not offer it is refused;
                                    plain SMTP only on a loopback host (a local relay or a test server)

User and password are URL-encoded (team%40ourco.com for team@ourco.com) and optional (a relay that needs no login);
SMTP_PASSWORD, when set, is the password (the URL may then leave it out).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from services.imap_address import Security, split_mail_url

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
    found = split_mail_url(url, ports=PORTS, kind="SMTP", example="smtps://user:password@host", password=password)
    if found.password and not found.user:
        raise ValueError("has a password but no user (smtps://user:password@host)")
    return SmtpAddress(found.host, found.port, found.user or None, found.security, found.password or None)
