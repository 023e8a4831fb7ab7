"""The words about the team mailbox: an email contact in `/client show` (in the reader's language), and
`rapport mail unmatched`'s lines (the CLI's: English)."""

from __future__ import annotations

from domain.mail_record import Why
from render.formats import clip, one_line
from render.i18n import _
from storage.models import Email, UnmatchedEmail

EXCERPT = 160  # characters of an email's text shown beside its subject
WHY = {
    Why.NO_CLIENT: "no client: nobody in From, To or Cc is a client's person or at a client's domain",
    Why.NO_TEAMMATE: "no teammate: neither the sender, the forwarder nor a recipient is a teammate on Slack",
    Why.UNREADABLE: "unreadable: the message could not be read",
}


def email_contact(note: str, email: Email) -> str:
    """An email's subject (the contact's note, stored escaped) and the start of its text, escaped for mrkdwn."""
    subject = f"“{one_line(note, 200)}”" if note else _("(no subject)")
    excerpt = one_line(_escaped(email.text), EXCERPT)
    if excerpt:
        return _("by email: {subject} — {excerpt}", subject=subject, excerpt=excerpt)
    return _("by email: {subject}", subject=subject)


def unmatched_line(row: UnmatchedEmail) -> str:
    """One unmatched message: when it was sent (UTC), who from, its subject, and why it made no contact."""
    sender = one_line(row.from_header, 80) or "(no sender)"
    subject = clip(one_line(row.subject), 80) or "(no subject)"
    return f"{row.sent_at:%Y-%m-%d %H:%M} UTC  {sender}  “{subject}”  ({WHY.get(Why(row.why), row.why)})"


def no_unmatched() -> str:
    """`rapport mail unmatched` when every message read made a contact."""
    return "rapport: no unmatched mail: every message read from the team mailbox is a contact"


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
