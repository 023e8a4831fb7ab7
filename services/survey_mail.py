"""Survey links for client contacts outside Slack, and sending them by email (SMTP_URL): a real SMTP client.

Sending happens after the survey was committed, never inside a transaction; a failure is reported to the
requester, who always gets the links to pass on themselves.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from domain.survey_links import link_token
from render import survey_page as render
from render.i18n import speaking
from services.imap_address import Security
from services.smtp_address import SmtpAddress

log = logging.getLogger("rapport.survey_mail")

SMTP_TIMEOUT = 20  # seconds for connecting and each command: a stuck server must not hold the reply forever
SURVEY_PATH = "/survey/"


@dataclass(frozen=True)
class SurveyLinks:
    """How survey links are made (PUBLIC_URL, the signing key) and sent (SMTP_URL, SMTP_FROM)."""

    key: bytes = field(repr=False)
    public_url: str | None = None
    smtp: SmtpAddress | None = None
    sender: str | None = None

    def url(self, *, participant_id: int, nonce: str) -> str:
        """A participant's personal link (PUBLIC_URL is set: checked before the survey was started)."""
        assert self.public_url is not None
        return f"{self.public_url}{SURVEY_PATH}{link_token(key=self.key, participant_id=participant_id, nonce=nonce)}"


class MailFailed(Exception):
    """The email could not be handed to the SMTP server; the reason is logged, never shown with a password."""


def send_invitation(
    links: SurveyLinks, *, to: str, language: str | None, project: str, client_name: str, url: str
) -> None:
    """Email one personal link (plain text and HTML, in the invitation's language); MailFailed when it can't."""
    assert links.smtp is not None and links.sender is not None
    with speaking(language):
        email = render.invitation_email(project=project, client_name=client_name, url=url)
    message = EmailMessage()
    message["Subject"] = email.subject
    message["From"] = links.sender
    message["To"] = formataddr(("", to))
    message["Message-ID"] = make_msgid(domain=links.sender.rpartition("@")[2].strip(">") or None)
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    message["Content-Language"] = email.language  # after the content: set_content clears Content-* headers
    try:
        with connect(links.smtp) as smtp:
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:  # OSError: refused, unreachable, timed out, TLS failed
        log.warning("could not email a survey link via %s: %s", links.smtp.name, type(exc).__name__)
        raise MailFailed(type(exc).__name__) from None


def connect(address: SmtpAddress, *, timeout: float = SMTP_TIMEOUT) -> smtplib.SMTP:
    """A logged-in SMTP session: TLS from the start, STARTTLS (required), or plain on loopback."""
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if address.security == Security.TLS:
        smtp = smtplib.SMTP_SSL(address.host, address.port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(address.host, address.port, timeout=timeout)
    try:
        smtp.ehlo()
        if address.security == Security.STARTTLS:
            if not smtp.has_extn("starttls"):
                raise smtplib.SMTPNotSupportedError("the server offers no STARTTLS")
            smtp.starttls(context=context)
            smtp.ehlo()
        if address.user and address.password:
            smtp.login(address.user, address.password)
    except BaseException:
        smtp.close()
        raise
    return smtp
