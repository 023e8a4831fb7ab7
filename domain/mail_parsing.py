"""An email read into plain values: who wrote to whom, when, about what, its first 2,000 characters, and the
message it forwards (attached as message/rfc822, or quoted inline under a "Forwarded message" header block).

Nothing here fails on a malformed mail: a header that cannot be read is empty, a date that cannot be read is None.
"""

from __future__ import annotations

from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser

from domain.mail_forwards import inline_forward
from domain.mail_text import (
    HEADER_MAX,
    SUBJECT_MAX,
    TEXT_KEPT,
    Mail,
    Received,
    addresses_in,
    header_date,
    html_to_text,
    message_id,
    one_line,
    tidy,
)


def read_mail(raw: bytes) -> Received:
    """The message and what it forwards."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    text = _full_text(message)
    mail = _mail(message, text)
    attached = _attached(message)
    if attached is not None:
        return Received(mail, _mail(attached, _full_text(attached)))
    return Received(mail, inline_forward(mail, text))


def _mail(message: Message, text: str) -> Mail:
    from_header, to_header, cc_header = (_header(message, name) for name in ("From", "To", "Cc"))
    senders = addresses_in(from_header)
    return Mail(
        message_id=message_id(_header(message, "Message-ID")),
        sender=senders[0] if senders else None,
        to=addresses_in(to_header),
        cc=addresses_in(cc_header),
        from_header=from_header[:HEADER_MAX],
        to_header=to_header[:HEADER_MAX],
        cc_header=cc_header[:HEADER_MAX],
        sent_at=header_date(_header(message, "Date")),
        local_time=None,
        subject=one_line(_header(message, "Subject"))[:SUBJECT_MAX],
        text=text[:TEXT_KEPT],
    )


def _header(message: Message, name: str) -> str:
    """A header decoded (RFC 2047), or "" when absent or unreadable."""
    try:
        value = message.get(name)
        return one_line(str(value)) if value is not None else ""
    except (ValueError, IndexError, TypeError, AttributeError):  # the stdlib's header parser on a broken header
        return ""


def _attached(message: Message) -> Message | None:
    """The first message attached whole (message/rfc822): a forward "as attachment"."""
    for part in message.walk():
        if part is not message and part.get_content_type() == "message/rfc822":
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            return inner if isinstance(inner, Message) else None
    return None


def _full_text(message: Message) -> str:
    """The message's text part (or its HTML part as text), tidied; "" when it has neither."""
    body = message.get_body(("plain", "html")) if isinstance(message, EmailMessage) else None
    if body is None:
        return ""
    try:
        content = body.get_content()
    except (LookupError, ValueError, AssertionError):  # an unknown charset, a broken transfer encoding
        raw = body.get_payload(decode=True)
        content = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else ""
    if not isinstance(content, str):
        return ""
    return tidy(html_to_text(content) if body.get_content_type() == "text/html" else content)
