"""A forward quoted inline: the header block mail programs put above the forwarded text, read back into a Mail.

    ---------- Forwarded message ---------        Gmail
    -------- Forwarded Message --------           Thunderbird
    -----Original Message-----                    Outlook (older)
    ________________________________              Outlook, followed by From:/Sent:/To:/Subject:
    Begin forwarded message:                      Apple Mail

Then `From:`, `Date:` or `Sent:`, `To:`, `Cc:` and `Subject:` lines (in English), a blank line, and the text.
An inline forward carries no Message-ID; its date often names no zone (it is the forwarder's wall clock).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from domain.mail_text import HEADER_MAX, SUBJECT_MAX, TEXT_KEPT, Mail, addresses_in, one_line, tidy

MARKER = re.compile(
    r"^[>\s]*(?:-{2,}\s*(?:forwarded message|original message)\s*-{2,}|begin forwarded message:|_{10,})[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
UNMARKED = re.compile(r"^[>\s]*from:.*\n[>\s]*sent:", re.IGNORECASE | re.MULTILINE)  # Outlook without a line above
FIELD = re.compile(r"^[>\s]*\**(from|sent|date|to|cc|subject)\**\s*:\**\s*(.*)$", re.IGNORECASE)
FORWARD_PREFIX = re.compile(r"^\s*(?:(?:fwd?|fw)\s*:\s*)+", re.IGNORECASE)


def inline_forward(outer: Mail, text: str) -> Mail | None:
    """The message `text` forwards under a header block naming at least its sender, or None."""
    marker = MARKER.search(text)
    start = marker.end() if marker else (found.start() if (found := UNMARKED.search(text)) else None)
    if start is None:
        return None
    fields, body = _header_block(text[start:].splitlines())
    if "from" not in fields:
        return None
    senders = addresses_in(fields["from"])
    sent_at, local_time = forward_date(fields.get("date") or fields.get("sent") or "")
    return Mail(
        message_id=None,
        sender=senders[0] if senders else None,
        to=addresses_in(fields.get("to", "")),
        cc=addresses_in(fields.get("cc", "")),
        from_header=fields["from"][:HEADER_MAX],
        to_header=fields.get("to", "")[:HEADER_MAX],
        cc_header=fields.get("cc", "")[:HEADER_MAX],
        sent_at=sent_at,
        local_time=local_time,
        subject=(one_line(fields.get("subject", "")) or without_forward_prefix(outer.subject))[:SUBJECT_MAX],
        text=tidy(body)[:TEXT_KEPT],
    )


def _header_block(lines: list[str]) -> tuple[dict[str, str], str]:
    """The fields of the header block at the top of `lines` (blank lines before it skipped), and the text after."""
    fields: dict[str, str] = {}
    at, last = 0, None
    while at < len(lines) and not lines[at].strip(" >\t"):
        at += 1
    while at < len(lines) and lines[at].strip(" >\t"):
        line = lines[at]
        if match := FIELD.match(line):
            last = match.group(1).lower()
            fields.setdefault(last, one_line(match.group(2)))
        elif last is not None and line[:1] in (" ", "\t"):  # a long To: or Cc: wrapped onto the next line
            fields[last] = one_line(fields[last] + " " + line)
        else:
            break
        at += 1
    return fields, "\n".join(re.sub(r"^>\s?", "", line) for line in lines[at:])


def forward_date(text: str) -> tuple[datetime | None, datetime | None]:
    """An inline forward's date: (UTC, None) when it names a zone, (None, wall clock) when not, (None, None)."""
    if not text:
        return None, None
    import dateparser  # imported lazily: it is slow to import, and only inline forwards need it

    parsed = dateparser.parse(re.sub(r"\bat\b", " ", text), languages=["en"], settings={"PREFER_DATES_FROM": "past"})
    if parsed is None:
        return None, None
    if parsed.tzinfo is None:
        return None, parsed
    return parsed.astimezone(UTC), None


def without_forward_prefix(subject: str) -> str:
    """A subject without the Fwd: or Fw: the forwarder's mail program put before it."""
    return FORWARD_PREFIX.sub("", subject)
