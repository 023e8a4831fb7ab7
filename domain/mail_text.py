"""The values an email is read into, and reading their parts: addresses, dates, one-line headers, text from HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

TEXT_KEPT = 2000  # characters of a message's text kept as evidence
SUBJECT_MAX = 998  # RFC 5322's longest line
HEADER_MAX = 4000  # the evidence keeps this much of From, To and Cc
MESSAGE_ID = re.compile(r"<([^<>\s]+)>|(\S+)")
MAILTO = re.compile(r"\[mailto:([^\]\s]+)\]", re.IGNORECASE)  # Outlook's "Jo Smith [mailto:jo@acme.com]"
BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "pre", "hr"}
HIDDEN = {"style", "script", "head", "title"}


@dataclass(frozen=True)
class Mail:
    """One message: its addresses lower case, its headers as people read them."""

    message_id: str | None  # without the angle brackets
    sender: str | None  # the From address
    to: tuple[str, ...]
    cc: tuple[str, ...]
    from_header: str
    to_header: str
    cc_header: str
    sent_at: datetime | None  # from its Date (UTC when it names no zone); None when missing or unreadable
    local_time: datetime | None  # an inline forward's date naming no zone: the forwarder's wall clock
    subject: str
    text: str  # the first TEXT_KEPT characters of its text (or of its HTML as text)

    @property
    def addresses(self) -> tuple[str, ...]:
        """From, To and Cc, in that order."""
        return ((self.sender,) if self.sender else ()) + self.to + self.cc


@dataclass(frozen=True)
class Received:
    """A message as it arrived in the mailbox, and the message it forwards, if it forwards one."""

    mail: Mail
    forwarded: Mail | None


def addresses_in(header: str) -> tuple[str, ...]:
    """The addresses in an address header, lower case, each once, in order."""
    found: list[str] = []
    for _, address in getaddresses([MAILTO.sub(r"<\1>", header)]):
        address = address.strip().strip("<>").lower()
        if "@" in address and " " not in address and address not in found:
            found.append(address)
    return tuple(found)


def message_id(header: str) -> str | None:
    """The Message-ID without its angle brackets."""
    match = MESSAGE_ID.search(header)
    return (match.group(1) or match.group(2))[:990] if match else None


def header_date(value: str) -> datetime | None:
    """An RFC 5322 date as UTC (a date naming no zone counts as UTC), or None."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def one_line(text: str) -> str:
    """Whitespace (line breaks, tabs) as single spaces; control characters dropped."""
    return " ".join("".join(ch for ch in text if ch.isprintable() or ch.isspace()).split())


def tidy(text: str) -> str:
    """Text with its line breaks kept, trailing spaces and runs of blank lines gone, control characters dropped."""
    lines = ["".join(map(_kept, line)).rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _kept(ch: str) -> str:
    """A character as kept: printable ones and tabs as they are, other spaces (no-break) as a space, others gone."""
    return ch if ch.isprintable() or ch == "\t" else " " if ch.isspace() else ""


def html_to_text(html: str) -> str:
    """What an HTML mail says, as text: tags gone, blocks on lines of their own, no styles or scripts."""
    reader = _TextOf()
    reader.feed(html)
    reader.close()
    return "".join(reader.parts)


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in HIDDEN
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in HIDDEN and self.hidden > 0
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(" ".join(data.split("\n")))
