"""A client's whole history as CSV files in one ZIP, every cell safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

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


# The ZIP's files and their columns: a contract (README, "What /client export sends"). Add columns at the end only.
# A column ending in _utc is a UTC time (2026-11-24T09:00:00Z); its value comes from the row's key without _utc.
FILES: dict[str, list[str]] = {
    "clients": ["client", "owner_id", "key", "cadence_days", "reply_time", "created_by", "created_at_utc",
                "last_contact_at_utc"],
    "contacts": COLUMNS + EMAIL_COLUMNS,
    "promises": ["promise_id", "client", "what", "owner_id", "first_due_on", "due_on", "times_moved", "created_by",
                 "created_at_utc", "done_at_utc", "done_by", "survey_id", "survey_item"],
    "promise_moves": ["promise_id", "client", "at_utc", "by", "old_due_on", "new_due_on"],
    "hand_overs": ["client", "at_utc", "by", "promise_id", "previous_owner_id", "new_owner_id"],
    "timeline": ["client", "at_utc", "kind", "by", "promise_id", "data"],
    "sponsors": ["client", "sponsor_id", "cadence_days", "named_by", "named_at_utc", "last_contact_at_utc"],
    "unanswered": ["client", "at_utc", "user_id", "channel_id", "text", "permalink", "reply_due_at_utc"],
    "surveys": ["survey_id", "client", "project", "requester_id", "created_at_utc", "completed_at_utc",
                "closed_at_utc"],
    "survey_answers": ["survey_id", "client", "user_id", "email", "side", "answered_at_utc", "item", "rating",
                       "comment"],
    "survey_fixes": ["survey_id", "client", "item", "promise_id", "no_fix_reason", "by", "at_utc"],
    "aliases": ["client", "alias", "created_at_utc"],
    "channels": ["client", "channel_id", "keep_text", "linked_by", "linked_at_utc"],
    "people": ["client", "user_id", "email", "name", "added_by", "added_at_utc"],
    "domains": ["client", "domain", "added_by", "added_at_utc"],
}  # fmt: skip


def _value(value: Any) -> str:
    """One value as a cell: times in UTC, yes/no, JSON for details, text unescaped and safe."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return _cell(json.dumps(value, ensure_ascii=False, sort_keys=True))
    if isinstance(value, int):
        return str(value)
    return _cell(unescape(str(value)))


def _contact_cells(row: ExportRow) -> list[str]:
    when = row.occurred_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return [when, _cell(row.client), row.user_id, row.channel_id or "", _cell(unescape(row.note)), row.permalink or "",
            row.source, *_email_cells(row.email)]  # fmt: skip


def _cells(name: str, row: Any) -> list[str]:
    if name == "contacts":
        return _contact_cells(row)
    return [_value(row[column.removesuffix("_utc")]) for column in FILES[name]]


@dataclass(frozen=True)
class History:
    """The ZIP and how many rows each of its files has."""

    content: bytes
    counts: dict[str, int]

    @property
    def empty(self) -> bool:
        """Nothing but the clients themselves: no contact, promise, survey or anything else."""
        return not any(count for name, count in self.counts.items() if name != "clients")


def _csv(name: str, rows: Iterable[Any]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FILES[name])
    for row in rows:
        writer.writerow(_cells(name, row))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def history_zip(files: dict[str, Iterable[Any]]) -> History:
    """The files (name: rows) as CSV files in one ZIP, in FILES' order."""
    target, counts = io.BytesIO(), {}
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in FILES:
            with archive.open(f"{name}.csv", "w") as out:
                counts[name] = -1  # the header comes out with the first row
                for chunk in _csv(name, files[name]):
                    out.write(chunk.encode("utf-8"))
                    counts[name] += 1
    return History(target.getvalue(), counts)
