"""The words of importing clients, for Slack (mrkdwn, mentions) and for the terminal (`rapport import`).

Client names arrive as stored (with Slack's escapes: `A &amp; B`); text from the file's cells arrives as typed.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import singledispatch

from domain import errors
from domain.cadences import cadence_text
from domain.import_csv import COLUMNS, FILE_MAX, ROWS_MAX, PersonRef
from domain.import_errors import (
    BadCell,
    BadFile,
    CellProblem,
    FileProblem,
    FileRefusal,
    FileRefused,
    RowProblem,
    TwiceInFile,
)
from domain.import_plan import Action, Change, Entry, Field, Plan
from render.errors import NOTHING_CHANGED, error_text
from render.formats import escape, mention, plural, unescape


@dataclass(frozen=True)
class Style:
    """Where the words are read: Slack (mrkdwn, mentions) or a terminal (plain text)."""

    slack: bool

    def name(self, stored: str) -> str:
        """A client's name as stored."""
        return f"*{stored}*" if self.slack else f'"{unescape(stored)}"'

    def user(self, user_id: str | None) -> str:
        return mention(user_id) if self.slack else user_id or "nobody"

    def typed(self, text: str) -> str:
        """Text from the file, as typed."""
        return f"`{escape(text)}`" if self.slack else f'"{text}"'


SLACK = Style(slack=True)
TERMINAL = Style(slack=False)
MB = 1024 * 1024


def entry_line(entry: Entry, style: Style) -> str:
    """`line 3: update "Beta": owner U1 → U2, cadence 14d → 7d, + domain beta.io`."""
    named = f" (as {style.name(entry.named)})" if entry.named else ""
    text = f"line {entry.line}: {entry.action} {style.name(entry.name)}{named}"
    changes = [change_text(change, style, new=entry.action == Action.CREATE) for change in entry.changes]
    return f"{text}: {', '.join(changes)}" if changes else text


def change_text(change: Change, style: Style, *, new: bool) -> str:
    """One change: `owner A → B`, `cadence 14d → 7d`, `+ domain acme.com`; for a new client, what it gets."""
    if change.field == Field.DOMAIN:
        return f"+ domain {change.after}"
    if change.field == Field.PERSON:
        return f"+ person {person_text(change.person, style)}"
    if change.field == Field.OWNER:
        shown = [style.user(str(change.before) if change.before else None), style.user(str(change.after))]
    elif change.field == Field.KEY:
        if new:
            return "key"
        shown = ["yes" if change.before else "no", "yes" if change.after else "no"]
    else:
        shown = [_days(change.before), _days(change.after)]
    return f"{change.field} {shown[1]}" if new else f"{change.field} {shown[0]} → {shown[1]}"


def _days(days: object) -> str:
    return cadence_text(days) if isinstance(days, int) else "off"


def person_text(person: PersonRef | None, style: Style) -> str:
    if person is None:
        return ""
    if person.user_id:
        return style.user(person.user_id)
    name = (person.name if style.slack else unescape(person.name)) if person.name else ""
    address = f"&lt;{person.email}&gt;" if style.slack else f"<{person.email}>"
    return f"{name} {address}" if name else str(person.email)


def summary(plan: Plan, *, applied: bool) -> str:
    """`3 clients: 1 to create, 1 to update, 1 unchanged.` (or, applied: `1 created, …`)."""
    created, updated, same = (f"{plan.count(a):,}" for a in (Action.CREATE, Action.UPDATE, Action.UNCHANGED))
    clients = f"{len(plan.entries):,} client{'' if len(plan.entries) == 1 else 's'}"
    if applied:
        return f"Imported {clients}: {created} created, {updated} updated, {same} unchanged."
    return f"{clients}: {created} to create, {updated} to update, {same} unchanged."


def refused_summary(problems: list[RowProblem]) -> str:
    """Rows with problems stop the whole import."""
    lines = len({p.line for p in problems})
    return f"{plural(lines, 'row')} can't be imported, so nothing was: fix {'it' if lines == 1 else 'them'} first."


def problem_line(line: int, error: errors.RapportError, style: Style) -> str:
    """`line 4: …` (the header is line 1)."""
    return f"line {line}: {problem_text(error, style)}"


@singledispatch
def problem_text(error: errors.RapportError, style: Style) -> str:
    """What is wrong with a row (an error of our other commands says it its own way)."""
    return error_text(error).removesuffix(f" {NOTHING_CHANGED}")


@problem_text.register
def _bad_cell(error: BadCell, style: Style) -> str:
    detail = style.typed(error.detail)
    return {
        CellProblem.FLAG: f"key {detail} is not yes, no, true, false, 1 or 0",
        CellProblem.OWNER: f"owner {detail} is neither a Slack user id (U…) nor an email address",
        CellProblem.PERSON: f"person {detail} is neither a Slack user id (U…), an email address nor Name <address>",
        CellProblem.TOO_MANY_CELLS: f"{error.detail} cells, more than the header has columns: put a value that "
        "holds the delimiter in double quotes",
        CellProblem.UNKNOWN_EMAIL: f"nobody in this Slack workspace has the address {detail}, so they can't own it",
        CellProblem.OWNER_NEEDED: "a new client needs an owner (the command line has no “you” to default to)",
    }[error.problem]


@problem_text.register
def _twice_in_file(error: TwiceInFile, style: Style) -> str:
    shown = style.name(error.text) if error.what == "client" else style.typed(error.text)
    return f"{error.what} {shown} is on line {error.first_line} already"


@problem_text.register
def _too_long(error: errors.TooLong, style: Style) -> str:
    return f"the {error.what} is too long: {error.length} characters, {error.limit} at most"


@problem_text.register
def _unreadable_text(error: errors.UnreadableText, style: Style) -> str:
    return f"the {error.what} holds an invisible control character (U+{error.code_point:04X}) that I can't store"


@problem_text.register
def _empty(error: errors.Empty, style: Style) -> str:
    return f"the {error.what} is empty"


@problem_text.register
def _invalid_cadence(error: errors.InvalidCadence, style: Style) -> str:
    return f"cadence {style.typed(error.text)} is not days or weeks from 1d to 365d (14d, 2w) or off"


@problem_text.register
def _key_needs_cadence(error: errors.KeyNeedsCadence, style: Style) -> str:
    return f"{style.name(error.client)} is a key client, and key clients always have a cadence"


@problem_text.register
def _not_a_person(error: errors.NotAPerson, style: Style) -> str:
    why = {
        errors.WhyNot.BOT: "is a bot",
        errors.WhyNot.DEACTIVATED: "is deactivated",
        errors.WhyNot.EXTERNAL: "is not a member of this workspace",
    }.get(error.reason, "is not someone Slack knows")
    return f"owner {style.user(error.user_id)} {why}, so they can't own a client"


@problem_text.register
def _not_client_side(error: errors.NotClientSide, style: Style) -> str:
    why = {
        errors.WhyNot.MEMBER: "is a member of this workspace",
        errors.WhyNot.BOT: "is a bot",
        errors.WhyNot.DEACTIVATED: "is deactivated",
    }.get(error.reason, "is not someone Slack knows")
    return f"person {style.user(error.user_id)} {why}: a client's people are guests or Slack Connect members"


@problem_text.register
def _person_taken(error: errors.PersonTaken, style: Style) -> str:
    return f"person {style.user(error.user_id)} is one of {style.name(error.client)}'s people already"


@problem_text.register
def _address_taken(error: errors.AddressTaken, style: Style) -> str:
    return f"person {error.email} is one of {style.name(error.client)}'s people already"


@problem_text.register
def _domain_taken(error: errors.DomainTaken, style: Style) -> str:
    return f"domain {error.domain} is {style.name(error.client)}'s already"


@problem_text.register
def _team_address(error: errors.TeamAddress, style: Style) -> str:
    if "@" in error.text:
        return f"person {error.text} is {style.user(error.user_id)}'s address: a teammate is never a client's person"
    return f"domain {error.text} is the team's own: {style.user(error.user_id)}'s address is there"


@problem_text.register
def _public_mail_domain(error: errors.PublicMailDomain, style: Style) -> str:
    return (
        f"{error.domain} is public mail: anyone can have an address there, so it can't say who is at a client "
        "(add such people one by one, in the people column)"
    )


@problem_text.register
def _invalid_domain(error: errors.InvalidDomain, style: Style) -> str:
    what = {
        errors.DomainProblem.ADDRESS: "is an email address, not a domain",
        errors.DomainProblem.URL: "is a web address, not a domain",
        errors.DomainProblem.WEBSITE: "is a website's name, not the domain of people's addresses",
        errors.DomainProblem.NO_DOT: "is not a whole domain (like acme.com)",
    }.get(error.problem, "is not an email domain (like acme.com)")
    hint = f": write {error.suggestion}" if error.suggestion else ""
    return f"domain {style.typed(error.text)} {what}{hint}"


@problem_text.register
def _invalid_address(error: errors.InvalidAddress, style: Style) -> str:
    if error.problem == errors.AddressProblem.TOO_LONG:
        return f"{style.typed(error.text[:60] + '…')} is too long for an email address"
    return f"{style.typed(error.text)} is not an email address (like jo@acme.com)"


def bad_file_text(error: BadFile, style: Style) -> str:
    """Why the whole file can't be read."""
    detail, columns = style.typed(error.detail), ", ".join(COLUMNS)
    return {
        FileProblem.TOO_BIG: f"The file is larger than {error.limit // MB} MB.",
        FileProblem.TOO_MANY_ROWS: f"The file has more than {error.limit:,} clients: import it in parts.",
        FileProblem.NOT_UTF8: f"Line {error.line} is not UTF-8 text: save the file as “CSV UTF-8”.",
        FileProblem.NOT_CSV: f"{detail} is not a CSV file.",
        FileProblem.EMPTY: f"The file has no clients: a header row ({columns}), then one row per client.",
        FileProblem.NO_NAME_COLUMN: f"The header (line 1) has no `name` column. The columns are {columns}.",
        FileProblem.UNKNOWN_COLUMN: f"The header (line 1) has a column {detail} I don't know. The columns are "
        f"{columns}.",
        FileProblem.DUPLICATE_COLUMN: f"The header (line 1) has the column {detail} twice.",
        FileProblem.BAD_QUOTES: f"Line {error.line} has a quote that is never closed, or text after a closing quote.",
    }[error.problem]


def refused_file_text(error: FileRefused) -> str:
    """Why an uploaded file is not imported."""
    return {
        FileRefusal.NOT_YOURS: "That file isn't one you uploaded in this workspace, so I won't import it.",
        FileRefusal.CHANGED: "The file is not the one that was checked. Check it again before applying it.",
        FileRefusal.UNAVAILABLE: f"Slack would not give me the file ({escape(error.detail)}). Try again in a minute.",
        FileRefusal.NOT_A_MEMBER: "Only members of this workspace can import clients.",
    }[error.reason]


def raced_text() -> str:
    """ImportRaced."""
    return "Someone changed the same clients while they were being imported, so nothing was. Check the file again."


def format_help() -> str:
    """The file's format in a few lines (the modal and `rapport import --help` say it)."""
    return (
        f"A CSV file (UTF-8; comma, semicolon or tab between cells) of {ROWS_MAX:,} clients at most and "
        f"{FILE_MAX // MB} MB, with a header row naming its columns: `name` (required), `owner` (a Slack user id "
        "or an email address), `key` (yes/no), `cadence` (14d, 2w or off), `domains` and `people` (several "
        "separated by `;`; people as jo@acme.com, Jo Smith <jo@acme.com> or a Slack user id). A client already "
        "here (by name or alias) is updated, never duplicated; empty cells leave it as it is."
    )


def cli_format_help() -> str:
    """The file's format, for `rapport import --help` (wrapped for a terminal)."""
    columns = [
        ("name", "the client's name (required). A client already here by this name or one of its aliases, in any "
         "case, is updated, never duplicated"),
        ("owner", "a Slack user id (U…) or the email address of a Slack profile: a member of the workspace. A new "
         "client needs one here (the command line has no “you”); empty leaves an existing client's owner"),
        ("key", "yes or no (true/false, 1/0); empty leaves it (a new client: no)"),
        ("cadence", "how often we mean to talk: 14d, 2w, or off; empty leaves it (a key client gets 14d)"),
        ("domains", "email domains whose people are the client's (acme.com), several separated by ';'. Public mail "
         "(gmail.com) is refused"),
        ("people", "the client's people, several separated by ';': jo@acme.com, Jo Smith <jo@acme.com>, or the "
         "Slack user id of a guest or Slack Connect member"),
    ]  # fmt: skip
    text = [
        _wrap(
            f"The file: UTF-8 (a byte order mark is fine), a comma, semicolon or tab between cells (the header "
            f'row decides), double quotes around a cell that holds the delimiter, a quote ("") or a line break; '
            f"{FILE_MAX // MB} MB and {ROWS_MAX:,} clients at most. The header row names the columns, in any "
            "order and any case (any other column is refused):"
        ),
        "\n".join(
            textwrap.fill(what, 100, initial_indent=f"  {name:<9}", subsequent_indent=" " * 11)
            for name, what in columns
        ),
        _wrap(
            "An import adds and changes; it never removes clients, domains or people. Each row's line says "
            "create, update (and what: owner U1 → U2, cadence 14d → 7d, + domain acme.com) or unchanged; the "
            "same file imported twice changes nothing the second time."
        ),
        "Example:\n  name;owner;key;cadence;domains;people\n"
        '  Acme Corp;alice@ourco.com;yes;2w;acme.com;"Jo Smith <jo@acme.com>; ann@acme.com"',
        _wrap(
            "Exit status: 0 done, 1 rows refused (nothing imported) or Slack or the database failed, 2 a setting "
            "is missing or invalid."
        ),
    ]
    return "\n\n".join(text)


def _wrap(text: str) -> str:
    return textwrap.fill(text, 100)
