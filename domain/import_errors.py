"""The typed errors of importing a book of clients from a CSV file (render/imports.py has their words)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.errors import RapportError


class FileProblem(StrEnum):
    """What makes a whole CSV file unreadable (render/imports.py says it in words)."""

    TOO_BIG = "too_big"  # `limit` bytes at most
    TOO_MANY_ROWS = "too_many_rows"  # `limit` rows at most
    NOT_UTF8 = "not_utf8"  # at `line`
    NOT_CSV = "not_csv"  # `detail`: the file's name or type
    EMPTY = "empty"  # no client in it
    NO_NAME_COLUMN = "no_name_column"
    UNKNOWN_COLUMN = "unknown_column"  # `detail`: the column
    DUPLICATE_COLUMN = "duplicate_column"  # `detail`: the column
    BAD_QUOTES = "bad_quotes"  # at `line`: a quote not closed, or text after a closing quote


@dataclass
class BadFile(RapportError):
    """The CSV file cannot be read at all; nothing was imported."""

    problem: FileProblem
    line: int = 0
    limit: int = 0
    detail: str = ""


class CellProblem(StrEnum):
    """What is wrong with one cell of a row (render/imports.py says it in words); `detail` holds its text."""

    FLAG = "flag"  # key: not yes/no/true/false/1/0
    OWNER = "owner"  # not a Slack user id or an email address
    PERSON = "person"  # not a Slack user id, an address, or `Name <address>`
    TOO_MANY_CELLS = "too_many_cells"  # more cells than the header has columns (`detail`: how many)
    UNKNOWN_EMAIL = "unknown_email"  # an owner's address nobody in Slack has
    OWNER_NEEDED = "owner_needed"  # a new client and nobody to own it (the command line has no "you")


@dataclass
class BadCell(RapportError):
    """One cell of a CSV row cannot be used."""

    problem: CellProblem
    detail: str = ""


@dataclass
class TwiceInFile(RapportError):
    """A client, domain or person is in the file twice (first on `first_line`): which one counts is unclear."""

    what: str  # "client", "domain" or "person"
    text: str
    first_line: int


@dataclass
class RowProblem:
    """A problem of one CSV row, at the row's first line (the header is line 1)."""

    line: int
    error: RapportError


@dataclass
class ImportRefused(RapportError):
    """Some rows cannot be imported; nothing was."""

    problems: list[RowProblem]


class FileRefusal(StrEnum):
    """Why an uploaded file is not imported (render/imports.py says it in words)."""

    NOT_YOURS = "not_yours"  # uploaded by someone else, or in another workspace
    CHANGED = "changed"  # not the file that was checked
    UNAVAILABLE = "unavailable"  # Slack would not give it (`detail`: Slack's error)
    NOT_A_MEMBER = "not_a_member"  # only the workspace's own members import clients


@dataclass
class FileRefused(RapportError):
    """An uploaded file cannot be imported for who or where it comes from, or Slack would not give it."""

    reason: FileRefusal
    detail: str = ""


@dataclass
class ImportRaced(RapportError):
    """Someone added the same client, domain or person while the import was writing; nothing was imported."""
