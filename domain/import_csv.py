"""Reading a book of clients from a CSV file into rows, each problem at its line; no session, no Slack.

The format (README, "Importing clients"): UTF-8 with or without a byte order mark; a comma, semicolon or tab
between cells (the header row decides: Excel in Poland or Germany writes semicolons); cells in double quotes may
hold the delimiter, quotes ("") and line breaks. The header row names the columns, in any order and any case:
`name` (required), `owner`, `key`, `cadence`, `domains`, `people`. Several domains or people in one cell are
separated by `;` (as Outlook separates addresses) or line breaks. Line numbers are the file's: the header is line 1,
and a row whose quoted cell spans lines is at the line it starts on.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import ParamSpec, TypeVar

from domain.addresses import parse_address, parse_domain
from domain.cadences import parse_cadence
from domain.clients import check_name
from domain.errors import PublicMailDomain, RapportError, TooLong
from domain.import_errors import BadCell, BadFile, CellProblem, FileProblem, RowProblem, TwiceInFile
from domain.mail_record import slack_escaped
from domain.names import name_key
from domain.public_mail import is_public
from domain.text import check_text, one_line
from storage.base import NAME_MAX

FILE_MAX = 5 * 1024 * 1024  # bytes: a CSV of 10,000 clients with their domains and people fits in a fraction
ROWS_MAX = 10_000
COLUMNS = ("name", "owner", "key", "cadence", "domains", "people")
DELIMITERS = (",", ";", "\t")  # the header's most frequent one wins; ties go to the first
ITEMS = re.compile(r"[;\r\n]+")  # between the domains or people of one cell
NO_CADENCE = 0  # `cadence` says off (or none): no cadence, which a key client cannot have
FLAGS = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False, "false": False, "0": False}
OFF = frozenset({"off", "none", "no"})
SLACK_ID = re.compile(r"^(?:<@)?([UW][A-Z0-9]{2,31})(?:\|[^>]*)?>?$", re.IGNORECASE)
NAMED_ADDRESS = re.compile(r"^(.*?)\s*<([^<>]*)>$")  # Jo Smith <jo@acme.com>

T = TypeVar("T")
P = ParamSpec("P")


@dataclass(frozen=True)
class PersonRef:
    """Someone at a client as a row names them: a Slack user id, or an address with an optional name."""

    user_id: str | None = None
    email: str | None = None
    name: str | None = None  # as stored: one line, with Slack's escapes

    @property
    def key(self) -> str:
        """What makes two of them the same person: the Slack id or the address."""
        return self.user_id or self.email or ""


@dataclass(frozen=True)
class Row:
    """One client as the file describes it; None and empty mean "not given" (an update leaves those alone)."""

    line: int
    name: str  # as stored: one line, with Slack's escapes (`A &amp; B`)
    owner: str | None = None  # a Slack user id (upper case) or an email address (lower case)
    key: bool | None = None
    cadence_days: int | None = None  # NO_CADENCE: switched off
    domains: tuple[str, ...] = ()
    people: tuple[PersonRef, ...] = ()
    unread: frozenset[str] = frozenset()  # columns with a problem (their good parts are still read)


@dataclass
class Book:
    """Every row whose name could be read, and every problem found reading the file, in line order.

    A row with a problem is still planned (domain.import_plan), so that all of its problems are told at once.
    """

    rows: list[Row] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    def owners(self) -> set[str]:
        return {r.owner for r in self.rows if r.owner}

    def slack_people(self) -> set[str]:
        return {p.user_id for r in self.rows for p in r.people if p.user_id}


def read_book(data: bytes) -> Book:
    """Every row of the file, or BadFile when the file as a whole cannot be read."""
    if len(data) > FILE_MAX:
        raise BadFile(FileProblem.TOO_BIG, limit=FILE_MAX)
    text = _decode(data)
    records = _records(text, _delimiter(text))
    header = next(records, None)
    if header is None:
        raise BadFile(FileProblem.EMPTY)
    columns = _columns(header[1])
    book, read, count = Book(), list[Row](), 0
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, and the `;;;;` lines spreadsheets leave
        count += 1
        if count > ROWS_MAX:
            raise BadFile(FileProblem.TOO_MANY_ROWS, limit=ROWS_MAX)
        problems = RowCheck(line)
        row = _row(line, cells, columns, problems)
        book.problems += problems.found
        if row is not None:
            read.append(row)
    if not read and not book.problems:
        raise BadFile(FileProblem.EMPTY)
    book.problems += _twice(read)
    book.problems.sort(key=lambda p: p.line)
    book.rows = read
    return book


def _decode(data: bytes) -> str:
    """UTF-8, with or without a byte order mark; anything else (UTF-16, Windows-1250) at the line it breaks."""
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadFile(FileProblem.NOT_UTF8, line=data.count(b"\n", 0, exc.start) + 1) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Windows and old Mac line breaks, in cells too
    nul = text.find("\x00")  # UTF-16 without its byte order mark reads as UTF-8 with a NUL in every other byte
    if nul >= 0:
        raise BadFile(FileProblem.NOT_UTF8, line=text.count("\n", 0, nul) + 1)
    return text


def _delimiter(text: str) -> str:
    """The delimiter the header row uses most (outside quotes)."""
    header = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    unquoted = re.sub(r'"[^"]*"', "", header)
    return max(DELIMITERS, key=lambda d: (unquoted.count(d), -DELIMITERS.index(d)))


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """The records of the file with the line each starts on (a quoted line break spans lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    last = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise BadFile(FileProblem.BAD_QUOTES, line=last + 1) from None
        yield last + 1, cells
        last = reader.line_num


def _columns(header: list[str]) -> list[str | None]:
    """The column of each cell (None for an unnamed one); a column we don't know is refused, not ignored."""
    columns: list[str | None] = []
    for cell in header:
        column = cell.strip().lower() or None
        if column is not None and column not in COLUMNS:
            raise BadFile(FileProblem.UNKNOWN_COLUMN, line=1, detail=cell.strip()[:40])
        if column is not None and column in columns:
            raise BadFile(FileProblem.DUPLICATE_COLUMN, line=1, detail=column)
        columns.append(column)
    if "name" not in columns:
        raise BadFile(FileProblem.NO_NAME_COLUMN, line=1)
    return columns


class RowCheck:
    """The problems of one row: each cell's value, or None after noting why it can't be used."""

    def __init__(self, line: int) -> None:
        self.line = line
        self.found: list[RowProblem] = []
        self.unread: set[str] = set()  # the columns that had a problem

    def take(self, read: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T | None:
        try:
            return read(*args, **kwargs)
        except RapportError as error:
            self.found.append(RowProblem(self.line, error))
            return None

    def cell(self, column: str, read: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T | None:
        """`take`, noting the column as unread when it fails."""
        before = len(self.found)
        value = self.take(read, *args, **kwargs)
        if len(self.found) > before:
            self.unread.add(column)
        return value


def _row(line: int, cells: list[str], columns: list[str | None], problems: RowCheck) -> Row | None:
    """One row read cell by cell: every problem is noted, and the row is kept when its name can be read."""
    if any(cell.strip() for cell in cells[len(columns) :]):  # an unquoted delimiter in a value, most likely
        problems.found.append(RowProblem(line, BadCell(CellProblem.TOO_MANY_CELLS, str(len(cells)))))
        return None
    given = {column: cell for column, cell in zip(columns, cells, strict=False) if column}
    text = {c: problems.cell(c, check_text, what=f"{c} cell", text=given.get(c, ""), multi_line=True) or ""
            for c in COLUMNS}  # fmt: skip
    if "name" in problems.unread:  # a control character in it
        return None
    name = problems.cell("name", check_name, what="client name", name=slack_escaped(text["name"]))
    if name is None:
        return None
    return Row(
        line=line,
        name=name,
        owner=problems.cell("owner", _owner, text["owner"]),
        key=problems.cell("key", _flag, text["key"]),
        cadence_days=problems.cell("cadence", _cadence, text["cadence"]),
        domains=tuple(dict.fromkeys(d for d in _items("domains", text["domains"], _domain, problems) if d)),
        people=tuple({p.key: p for p in _items("people", text["people"], _person, problems) if p}.values()),
        unread=frozenset(problems.unread),
    )


def _owner(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    found = SLACK_ID.match(text)
    if found:
        return found.group(1).upper()
    if "@" in text:
        return parse_address(text)
    raise BadCell(CellProblem.OWNER, text[:100])


def _flag(text: str) -> bool | None:
    text = text.strip().lower()
    if not text:
        return None
    if text not in FLAGS:
        raise BadCell(CellProblem.FLAG, text[:100])
    return FLAGS[text]


def _cadence(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    return NO_CADENCE if text.lower() in OFF else parse_cadence(text[:100])


def _items(column: str, text: str, read: Callable[[str], T], problems: RowCheck) -> list[T | None]:
    """Each of a cell's items (separated by `;` or line breaks) read on its own: every bad one is a problem."""
    items = [item.strip() for item in ITEMS.split(text)]
    return [problems.cell(column, read, item) for item in items if item]


def _domain(text: str) -> str:
    """A client's domain as `/client domain` takes it: no public mail."""
    domain = parse_domain(text)
    if is_public(domain):
        raise PublicMailDomain(domain)
    return domain


def _person(text: str) -> PersonRef:
    """`U0123ABC`, `jo@acme.com`, `Jo Smith <jo@acme.com>` or `"Smith, Jo" <jo@acme.com>`."""
    found = SLACK_ID.match(text)
    if found:
        return PersonRef(user_id=found.group(1).upper())
    named = NAMED_ADDRESS.match(text)
    if named is None and "@" not in text:
        raise BadCell(CellProblem.PERSON, text[:100])
    if named is None:
        return PersonRef(email=parse_address(text))
    name = slack_escaped(one_line(what="person's name", text=named.group(1).strip().strip('"').strip()))
    if len(name) > NAME_MAX:
        raise TooLong("person's name", NAME_MAX, len(name))
    return PersonRef(email=parse_address(named.group(2)), name=name or None)


def _twice(rows: list[Row]) -> list[RowProblem]:
    """Clients, domains and people that more than one row names: each later row is a problem."""
    first: dict[tuple[str, str], int] = {}
    problems: list[RowProblem] = []
    for row in rows:
        named = [("client", name_key(row.name), row.name)]
        named += [("domain", d, d) for d in row.domains] + [("person", p.key, p.key) for p in row.people]
        for what, key, shown in named:
            earlier = first.setdefault((what, key), row.line)
            if earlier != row.line:
                problems.append(RowProblem(row.line, TwiceInFile(what, shown, earlier)))
    return problems
