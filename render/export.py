"""Contacts as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from domain.story import ExportRow
from render.formats import unescape
from storage.models import Email

COLUMNS = ["date_utc", "client", "user_id", "channel_id", "note", "permalink", "source"]
# A contact from the team mailbox also carries its email, as kept: the evidence (empty for other contacts).
EMAIL_COLUMNS = ["email_from", "email_to", "email_cc", "email_subject", "email_text", "email_message_id"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str | None) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    text = value or ""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _email_cells(email: Email | None) -> list[str]:
    """The email behind a contact, as kept; empty cells for a contact that came from elsewhere."""
    if email is None:
        return [""] * len(EMAIL_COLUMNS)
    kept = [email.from_header, email.to_header, email.cc_header, email.subject, email.text, email.message_id]
    return [_cell(value) for value in kept]


@dataclass(frozen=True)
class Csv:
    """The export: its text, and how many contacts are in it."""

    content: str
    count: int


def contacts_csv(rows: Iterable[ExportRow]) -> Csv:
    """The CSV text and the number of contacts in it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS + EMAIL_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow(
            [
                row.occurred_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                _cell(row.client),
                row.user_id,
                row.channel_id or "",
                _cell(unescape(row.note)),
                row.permalink or "",
                row.source,
                *_email_cells(row.email),
            ]
        )
        count += 1
    return Csv(buffer.getvalue(), count)
