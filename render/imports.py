"""The words of importing clients, for Slack (mrkdwn, mentions) and for the terminal (`rapport import`).

Client names arrive as stored (with Slack's escapes: `A &amp; B`); text from the file's cells arrives as typed.
In Slack the words are the reader's language; the terminal (outside any `speaking`) reads English. The file's
column names and values (`name`, `14d`, `off`) stay as the file writes them where they are quoted as such.
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
from render.errors import error_text, nothing_changed
from render.formats import escape, mention, number, unescape
from render.i18n import _, n_, p_


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
    shown = {"line": entry.line, "action": action_word(entry.action), "client": style.name(entry.name)}
    if entry.named:
        text = _("line {line}: {action} {client} (as {named})", named=style.name(entry.named), **shown)
    else:
        text = _("line {line}: {action} {client}", **shown)
    changes = [change_text(change, style, new=entry.action == Action.CREATE) for change in entry.changes]
    return f"{text}: {', '.join(changes)}" if changes else text


def action_word(action: Action) -> str:
    """What a row does: create, update, unchanged."""
    if action == Action.CREATE:
        return p_("import", "create")
    if action == Action.UPDATE:
        return p_("import", "update")
    return p_("import", "unchanged")


def field_word(field: Field) -> str:
    """A changed column, as a word: owner, key, cadence (domains and people are added: `+ domain`)."""
    if field == Field.OWNER:
        return p_("import", "owner")
    if field == Field.KEY:
        return p_("import", "key")
    if field == Field.CADENCE:
        return p_("import", "cadence")
    if field == Field.DOMAIN:
        return p_("import", "domain")
    return p_("import", "person")


def change_text(change: Change, style: Style, *, new: bool) -> str:
    """One change: `owner A → B`, `cadence 14d → 7d`, `+ domain acme.com`; for a new client, what it gets."""
    if change.field == Field.DOMAIN:
        return _("+ domain {domain}", domain=change.after)
    if change.field == Field.PERSON:
        return _("+ person {person}", person=person_text(change.person, style))
    if change.field == Field.OWNER:
        shown = [style.user(str(change.before) if change.before else None), style.user(str(change.after))]
    elif change.field == Field.KEY:
        if new:
            return field_word(Field.KEY)
        shown = [_yes_no(bool(change.before)), _yes_no(bool(change.after))]
    else:
        shown = [_days(change.before), _days(change.after)]
    field = field_word(change.field)
    return f"{field} {shown[1]}" if new else f"{field} {shown[0]} → {shown[1]}"


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


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
    created, updated, same = (number(plan.count(a), 0) for a in (Action.CREATE, Action.UPDATE, Action.UNCHANGED))
    total = len(plan.entries)
    clients = n_("{shown} client", "{shown} clients", total, shown=number(total, 0))
    if applied:
        return _("Imported {clients}: {created} created, {updated} updated, {same} unchanged.", clients=clients,
                 created=created, updated=updated, same=same)  # fmt: skip
    return _("{clients}: {created} to create, {updated} to update, {same} unchanged.", clients=clients,
             created=created, updated=updated, same=same)  # fmt: skip


def refused_summary(problems: list[RowProblem]) -> str:
    """Rows with problems stop the whole import."""
    lines = len({p.line for p in problems})
    return n_("{count} row can't be imported, so nothing was: fix it first.",
              "{count} rows can't be imported, so nothing was: fix them first.", lines)  # fmt: skip


def problem_line(line: int, error: errors.RapportError, style: Style) -> str:
    """`line 4: …` (the header is line 1)."""
    return _("line {line}: {problem}", line=line, problem=problem_text(error, style))


@singledispatch
def problem_text(error: errors.RapportError, style: Style) -> str:
    """What is wrong with a row (an error of our other commands says it its own way)."""
    return error_text(error).removesuffix(f" {nothing_changed()}")


@problem_text.register
def _bad_cell(error: BadCell, style: Style) -> str:
    detail = style.typed(error.detail)
    if error.problem == CellProblem.FLAG:
        return _("key {value} is not yes, no, true, false, 1 or 0", value=detail)
    if error.problem == CellProblem.OWNER:
        return _("owner {value} is neither a Slack user id (U…) nor an email address", value=detail)
    if error.problem == CellProblem.PERSON:
        return _("person {value} is neither a Slack user id (U…), an email address nor Name <address>", value=detail)
    if error.problem == CellProblem.TOO_MANY_CELLS:
        return _("{count} cells, more than the header has columns: put a value that holds the delimiter in double "
                 "quotes", count=error.detail)  # fmt: skip
    if error.problem == CellProblem.UNKNOWN_EMAIL:
        return _("nobody in this Slack workspace has the address {value}, so they can't own it", value=detail)
    return _("a new client needs an owner (the command line has no “you” to default to)")


@problem_text.register
def _twice_in_file(error: TwiceInFile, style: Style) -> str:
    if error.what == "client":
        return _("client {client} is on line {line} already", client=style.name(error.text), line=error.first_line)
    if error.what == "domain":
        return _("domain {domain} is on line {line} already", domain=style.typed(error.text), line=error.first_line)
    if error.what == "person":
        return _("person {person} is on line {line} already", person=style.typed(error.text), line=error.first_line)
    return f"{error.what} {style.typed(error.text)} is on line {error.first_line} already"  # no other kind is checked


def thing(what: str) -> str:
    """What a cell holds, as the domain names it (`client name`, `owner cell`), in the reader's words."""
    if what == "client name":
        return _("client name")
    if what == "person's name":
        return _("person's name")
    if what.endswith(" cell"):
        return _("{column} cell", column=what.removesuffix(" cell"))
    return what


@problem_text.register
def _too_long(error: errors.TooLong, style: Style) -> str:
    return _("the {what} is too long: {length} characters, {limit} at most", what=thing(error.what),
             length=error.length, limit=error.limit)  # fmt: skip


@problem_text.register
def _unreadable_text(error: errors.UnreadableText, style: Style) -> str:
    code = f"U+{error.code_point:04X}"
    return _("the {what} holds an invisible control character ({code}) that I can't store", what=thing(error.what),
             code=code)  # fmt: skip


@problem_text.register
def _empty(error: errors.Empty, style: Style) -> str:
    return _("the {what} is empty", what=thing(error.what))


@problem_text.register
def _invalid_cadence(error: errors.InvalidCadence, style: Style) -> str:
    return _("cadence {value} is not days or weeks from 1d to 365d (14d, 2w) or off", value=style.typed(error.text))


@problem_text.register
def _key_needs_cadence(error: errors.KeyNeedsCadence, style: Style) -> str:
    return _("{client} is a key client, and key clients always have a cadence", client=style.name(error.client))


@problem_text.register
def _not_a_person(error: errors.NotAPerson, style: Style) -> str:
    owner = style.user(error.user_id)
    if error.reason == errors.WhyNot.BOT:
        return _("owner {person} is a bot, so they can't own a client", person=owner)
    if error.reason == errors.WhyNot.DEACTIVATED:
        return _("owner {person} is deactivated, so they can't own a client", person=owner)
    if error.reason == errors.WhyNot.EXTERNAL:
        return _("owner {person} is not a member of this workspace, so they can't own a client", person=owner)
    return _("owner {person} is not someone Slack knows, so they can't own a client", person=owner)


@problem_text.register
def _not_client_side(error: errors.NotClientSide, style: Style) -> str:
    person = style.user(error.user_id)
    if error.reason == errors.WhyNot.MEMBER:
        return _("person {person} is a member of this workspace: a client's people are guests or Slack Connect "
                 "members", person=person)  # fmt: skip
    if error.reason == errors.WhyNot.BOT:
        return _("person {person} is a bot: a client's people are guests or Slack Connect members", person=person)
    if error.reason == errors.WhyNot.DEACTIVATED:
        return _("person {person} is deactivated: a client's people are guests or Slack Connect members",
                 person=person)  # fmt: skip
    return _("person {person} is not someone Slack knows: a client's people are guests or Slack Connect members",
             person=person)  # fmt: skip


@problem_text.register
def _person_taken(error: errors.PersonTaken, style: Style) -> str:
    return _("person {person} is one of {client}'s people already", person=style.user(error.user_id),
             client=style.name(error.client))  # fmt: skip


@problem_text.register
def _address_taken(error: errors.AddressTaken, style: Style) -> str:
    return _("person {person} is one of {client}'s people already", person=error.email,
             client=style.name(error.client))  # fmt: skip


@problem_text.register
def _domain_taken(error: errors.DomainTaken, style: Style) -> str:
    return _("domain {domain} is {client}'s already", domain=error.domain, client=style.name(error.client))


@problem_text.register
def _team_address(error: errors.TeamAddress, style: Style) -> str:
    if "@" in error.text:
        return _("person {address} is {person}'s address: a teammate is never a client's person", address=error.text,
                 person=style.user(error.user_id))  # fmt: skip
    return _("domain {domain} is the team's own: {person}'s address is there", domain=error.text,
             person=style.user(error.user_id))  # fmt: skip


@problem_text.register
def _public_mail_domain(error: errors.PublicMailDomain, style: Style) -> str:
    return _(
        "{domain} is public mail: anyone can have an address there, so it can't say who is at a client (add such "
        "people one by one, in the people column)",
        domain=error.domain,
    )


@problem_text.register
def _invalid_domain(error: errors.InvalidDomain, style: Style) -> str:
    domain = style.typed(error.text)
    if error.problem == errors.DomainProblem.ADDRESS:
        text = _("domain {domain} is an email address, not a domain", domain=domain)
    elif error.problem == errors.DomainProblem.URL:
        text = _("domain {domain} is a web address, not a domain", domain=domain)
    elif error.problem == errors.DomainProblem.WEBSITE:
        text = _("domain {domain} is a website's name, not the domain of people's addresses", domain=domain)
    elif error.problem == errors.DomainProblem.NO_DOT:
        text = _("domain {domain} is not a whole domain (like acme.com)", domain=domain)
    else:
        text = _("domain {domain} is not an email domain (like acme.com)", domain=domain)
    return _("{problem}: write {suggestion}", problem=text, suggestion=error.suggestion) if error.suggestion else text


@problem_text.register
def _invalid_address(error: errors.InvalidAddress, style: Style) -> str:
    if error.problem == errors.AddressProblem.TOO_LONG:
        return _("{text} is too long for an email address", text=style.typed(error.text[:60] + "…"))
    return _("{text} is not an email address (like jo@acme.com)", text=style.typed(error.text))


def bad_file_text(error: BadFile, style: Style) -> str:
    """Why the whole file can't be read."""
    detail, columns, problem = style.typed(error.detail), ", ".join(COLUMNS), error.problem
    if problem == FileProblem.TOO_BIG:
        return _("The file is larger than {size} MB.", size=error.limit // MB)
    if problem == FileProblem.TOO_MANY_ROWS:
        return _("The file has more than {limit} clients: import it in parts.", limit=number(error.limit, 0))
    if problem == FileProblem.NOT_UTF8:
        return _("Line {line} is not UTF-8 text: save the file as “CSV UTF-8”.", line=error.line)
    if problem == FileProblem.NOT_CSV:
        return _("{file} is not a CSV file.", file=detail)
    if problem == FileProblem.EMPTY:
        return _("The file has no clients: a header row ({columns}), then one row per client.", columns=columns)
    if problem == FileProblem.NO_NAME_COLUMN:
        return _("The header (line 1) has no `name` column. The columns are {columns}.", columns=columns)
    if problem == FileProblem.UNKNOWN_COLUMN:
        return _("The header (line 1) has a column {column} I don't know. The columns are {columns}.", column=detail,
                 columns=columns)  # fmt: skip
    if problem == FileProblem.DUPLICATE_COLUMN:
        return _("The header (line 1) has the column {column} twice.", column=detail)
    return _("Line {line} has a quote that is never closed, or text after a closing quote.", line=error.line)


def refused_file_text(error: FileRefused) -> str:
    """Why an uploaded file is not imported."""
    if error.reason == FileRefusal.NOT_YOURS:
        return _("That file isn't one you uploaded in this workspace, so I won't import it.")
    if error.reason == FileRefusal.CHANGED:
        return _("The file is not the one that was checked. Check it again before applying it.")
    if error.reason == FileRefusal.UNAVAILABLE:
        return _("Slack would not give me the file ({reason}). Try again in a minute.", reason=escape(error.detail))
    return _("Only members of this workspace can import clients.")


def raced_text() -> str:
    """ImportRaced."""
    return _("Someone changed the same clients while they were being imported, so nothing was. Check the file again.")


def format_help() -> str:
    """The file's format in a few lines (the modal and `rapport import --help` say it)."""
    return _(
        "A CSV file (UTF-8; comma, semicolon or tab between cells) of {rows} clients at most and {size} MB, with a "
        "header row naming its columns: `name` (required), `owner` (a Slack user id or an email address), `key` "
        "(yes/no), `cadence` (14d, 2w or off), `domains` and `people` (several separated by `;`; people as "
        "jo@acme.com, Jo Smith <jo@acme.com> or a Slack user id). A client already here (by name or alias) is "
        "updated, never duplicated; empty cells leave it as it is.",
        rows=number(ROWS_MAX, 0),
        size=FILE_MAX // MB,
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
