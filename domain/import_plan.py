"""What importing a book of clients would do, row by row: create, update (and what changes), or nothing.

Plain values in, plain values out: the rows read from the file (domain.import_csv), the workspace's clients as the
session has them, and the people Slack described before the transaction (a Directory). An import only adds and
changes; it never removes a client, a domain or a person. A client is found by its name or any of its aliases,
as names are compared (domain.names.name_key): `ACME corp` updates *Acme Corp*.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.addresses import parent_domains
from domain.client_people import client_side_or_raise
from domain.clients import DEFAULT_KEY_CADENCE_DAYS
from domain.errors import AddressTaken, DomainTaken, KeyNeedsCadence, PersonTaken, RapportError, TeamAddress
from domain.import_csv import NO_CADENCE, Book, PersonRef, Row, RowCheck
from domain.import_errors import BadCell, CellProblem, RowProblem, TwiceInFile
from domain.mail_matching import is_teammate
from domain.names import name_key
from domain.people import Profile, person_or_raise, profile_of
from storage.models import Client, ClientAlias, ClientDomain, ClientPerson, Person

Taken = Callable[[str, str], RapportError]  # DomainTaken, AddressTaken, PersonTaken: what, and whose it is


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


class Field(StrEnum):
    OWNER = "owner"
    KEY = "key"
    CADENCE = "cadence"
    DOMAIN = "domain"  # added
    PERSON = "person"  # added


@dataclass(frozen=True)
class Change:
    """One thing a row changes: before and after (an owner's id, the key flag, cadence days), or what it adds."""

    field: Field
    before: str | int | bool | None = None
    after: str | int | bool | None = None
    person: PersonRef | None = None


@dataclass(frozen=True)
class Entry:
    """What one row does."""

    line: int
    action: Action
    name: str  # the client's own name (a row may have named it by an alias: `named`)
    changes: tuple[Change, ...]
    row: Row
    owner_id: str | None  # a new client's owner, or the owner a row gives an existing one
    client_id: int | None = None
    named: str | None = None


@dataclass
class Plan:
    """Every row's entry, and every problem (the file's and the workspace's), in line order."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    def count(self, action: Action) -> int:
        return sum(entry.action == action for entry in self.entries)


@dataclass(frozen=True)
class Directory:
    """People as Slack described them before the transaction: by user id, and by address (owners given by email)."""

    by_id: Mapping[str, Profile | None]
    by_email: Mapping[str, Profile | None] = field(default_factory=dict)


@dataclass
class _Workspace:
    """The workspace's clients, names, aliases, domains and people, as the session has them."""

    team_id: str
    clients: dict[int, Client]
    by_key: dict[str, int]  # name and alias keys
    domains: dict[str, int]
    emails: dict[str, int]
    users: dict[str, int]
    team_addresses: dict[str, str]  # teammates' Slack profile addresses (never a client's), and whose
    team_domains: dict[str, str]  # the domains they are at, with the domains those are part of

    @classmethod
    def load(cls, session: Session, team_id: str, directory: Directory) -> _Workspace:
        clients = {c.id: c for c in session.scalars(select(Client).where(Client.team_id == team_id))}
        by_key = {c.name_key: c.id for c in clients.values()}
        aliases = select(ClientAlias.alias_key, ClientAlias.client_id).where(ClientAlias.team_id == team_id)
        by_key.update({key: client_id for key, client_id in session.execute(aliases)})
        domains = select(ClientDomain.domain, ClientDomain.client_id).where(ClientDomain.team_id == team_id)
        people = session.execute(
            select(ClientPerson.user_id, ClientPerson.email, ClientPerson.client_id).where(
                ClientPerson.team_id == team_id
            )
        ).all()
        team = _team_addresses(session, team_id, directory)
        by_id = sorted(team.items(), key=lambda t: t[1], reverse=True)  # the first teammate by id is the one named
        return cls(
            team_addresses=team,
            team_domains={domain: user for address, user in by_id for domain in _domains_of(address)},
            team_id=team_id,
            clients=clients,
            by_key=by_key,
            domains={domain: client_id for domain, client_id in session.execute(domains)},
            emails={email: client_id for _, email, client_id in people if email},
            users={user: client_id for user, _, client_id in people if user},
        )


def plan_import(session: Session, *, team_id: str, book: Book, directory: Directory, by: str | None) -> Plan:
    """What each row of `book` would do in the workspace; `by` owns new clients that name no owner (None: nobody)."""
    known = _Workspace.load(session, team_id, directory)
    plan = Plan(problems=list(book.problems))
    unreadable = {problem.line for problem in book.problems}
    first: dict[int, int] = {}  # an existing client's id -> the first row naming it (by name or alias)
    for row in book.rows:
        check = RowCheck(row.line)
        client_id = known.by_key.get(name_key(row.name))
        if client_id is not None and first.setdefault(client_id, row.line) != row.line:
            name = known.clients[client_id].name
            check.found.append(RowProblem(row.line, TwiceInFile("client", name, first[client_id])))
        owner_id = check.take(_owner, row, directory, team_id)
        client = known.clients.get(client_id) if client_id is not None else None
        changes = [*_settings(row, client, owner_id, by, check), *_addresses(row, client, known, directory, check)]
        plan.problems += check.found
        if not check.found and row.line not in unreadable:
            plan.entries.append(_entry(row, client, owner_id or (by if client is None else None), changes))
    plan.problems.sort(key=lambda p: p.line)
    return plan


def _entry(row: Row, client: Client | None, owner_id: str | None, changes: list[Change]) -> Entry:
    if client is None:
        return Entry(row.line, Action.CREATE, row.name, tuple(changes), row, owner_id)
    action = Action.UPDATE if changes else Action.UNCHANGED
    named = row.name if name_key(row.name) != client.name_key else None
    return Entry(row.line, action, client.name, tuple(changes), row, owner_id, client.id, named)


def _owner(row: Row, directory: Directory, team_id: str) -> str | None:
    """The owner a row names, as a user id: a member of the workspace, human and active."""
    if row.owner is None:
        return None
    if "@" in row.owner:
        found = directory.by_email.get(row.owner)
        if found is None:
            raise BadCell(CellProblem.UNKNOWN_EMAIL, row.owner)
        return person_or_raise(found.user_id, found, member_of=team_id).user_id
    return person_or_raise(row.owner, directory.by_id.get(row.owner), member_of=team_id).user_id


def _settings(row: Row, client: Client | None, owner_id: str | None, by: str | None, check: RowCheck) -> list[Change]:
    """Owner, key flag and cadence: what changes (for a new client, what it will have)."""
    before_owner, before_key, before_days = (client.owner_id, client.is_key, client.cadence_days) if client else (
        None, False, None
    )  # fmt: skip
    owner = owner_id or (by if client is None else before_owner)
    if client is None and owner is None and row.owner is None and "owner" not in row.unread:
        check.found.append(RowProblem(row.line, BadCell(CellProblem.OWNER_NEEDED)))
    key = before_key if row.key is None else row.key
    days = before_days if row.cadence_days is None else (None if row.cadence_days == NO_CADENCE else row.cadence_days)
    if key and days is None:
        if row.cadence_days == NO_CADENCE:
            check.found.append(RowProblem(row.line, KeyNeedsCadence(client.name if client else row.name)))
        days = DEFAULT_KEY_CADENCE_DAYS  # as `/client add … key` and `/client key … on` give it
    changes = []
    if owner != before_owner:
        changes.append(Change(Field.OWNER, before_owner, owner))
    if key != before_key:
        changes.append(Change(Field.KEY, before_key, key))
    if days != before_days:
        changes.append(Change(Field.CADENCE, before_days, days))
    return changes


def _addresses(
    row: Row, client: Client | None, known: _Workspace, directory: Directory, check: RowCheck
) -> list[Change]:
    """The domains and people a row adds; one that is another client's, or the team's own, is a problem."""
    mine = client.id if client is not None else None
    changes = [Change(Field.DOMAIN, after=domain) for domain in _new_domains(row, mine, known, check)]
    for person in row.people:
        taken: Taken
        if person.user_id is None:
            if not check.take(_not_the_teams, known.team_addresses.get(person.email or ""), person.email or ""):
                continue
            holder, taken = known.emails.get(person.email or ""), AddressTaken
        elif check.take(client_side_or_raise, person.user_id, directory.by_id.get(person.user_id),
                        team_id=known.team_id) is None:  # fmt: skip
            continue
        else:
            holder, taken = known.users.get(person.user_id), PersonTaken
        if check.take(_free, holder, mine, known, taken, person.key):
            changes.append(Change(Field.PERSON, person=person))
    return changes


def _new_domains(row: Row, mine: int | None, known: _Workspace, check: RowCheck) -> list[str]:
    """The row's domains that are not the client's yet; one inside another of its domains changes nothing."""
    new = []
    for domain in row.domains:
        if not check.take(_not_the_teams, known.team_domains.get(domain), domain):
            continue
        covered = any(p in row.domains or (mine is not None and known.domains.get(p) == mine)
                      for p in parent_domains(domain))  # fmt: skip
        if not covered and check.take(_free, known.domains.get(domain), mine, known, DomainTaken, domain):
            new.append(domain)
    return new


def _not_the_teams(teammate: str | None, text: str) -> bool:
    """True, or TeamAddress when `text` is a teammate's address or the domain one is at (as /client domain says)."""
    if teammate is not None:
        raise TeamAddress(text, teammate)
    return True


def _team_addresses(session: Session, team_id: str, directory: Directory) -> dict[str, str]:
    """The Slack profile addresses of the teammates rapport knows (cached, or looked up for this file), and whose."""
    cached = select(Person).where(Person.team_id == team_id, Person.email.is_not(None)).order_by(Person.user_id)
    known = [profile_of(row) for row in session.scalars(cached)] + [p for p in directory.by_id.values() if p]
    known.sort(key=lambda p: p.user_id, reverse=True)  # the first teammate by id is the one named
    return {p.email: p.user_id for p in known if p.email and is_teammate(p, team_id=team_id)}


def _domains_of(address: str) -> list[str]:
    """The domain an address is at, and the domains that one is part of (eu.ourco.com, ourco.com)."""
    domain = address.rpartition("@")[2]
    return [domain, *parent_domains(domain)]


def _free(holder: int | None, mine: int | None, known: _Workspace, taken: Taken, what: str) -> bool:
    """True when `what` is nobody's yet (to be added), False when it is the client's own; raises when another's."""
    if holder is None:
        return True
    if holder != mine:
        raise taken(what, known.clients[holder].name)
    return False
