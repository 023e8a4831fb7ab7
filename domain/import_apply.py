"""Importing a book of clients: every row, in the caller's one transaction, or (with any problem) none."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from domain.client_addresses import add_domain, add_email_person
from domain.client_people import add_person_or_raise
from domain.clients import add_client, set_cadence, set_key, set_owner
from domain.errors import AddressTaken, DomainTaken
from domain.import_csv import NO_CADENCE, Book
from domain.import_errors import ImportRefused
from domain.import_plan import Action, Change, Directory, Entry, Field, Plan, plan_import
from domain.names import get_client
from domain.people import Lookup
from storage.models import Client

ANOTHER_CLIENT = "another client"  # who took a domain or address between the plan and its write (a race)


def import_clients(
    session: Session, *, team_id: str, book: Book, directory: Directory, by: str | None, now: datetime
) -> Plan:
    """Plan the rows and apply them all; ImportRefused (so the transaction rolls back) when any row has a problem.

    `by` is who imports (Slack: they own new clients that name no owner); the command line has nobody, and a new
    client's owner is then also recorded as who added it. Running the same file again changes nothing.
    """
    plan = plan_import(session, team_id=team_id, book=book, directory=directory, by=by)
    if plan.problems:
        raise ImportRefused(plan.problems)
    lookup: Lookup = directory.by_id.get  # people of the client's side, described by Slack before the transaction
    for entry in plan.entries:
        if entry.action == Action.CREATE:
            _create(session, entry, team_id=team_id, by=by, now=now, lookup=lookup)
        elif entry.action == Action.UPDATE:
            client = get_client(session, team_id=team_id, client_id=entry.client_id or 0)
            assert client is not None  # read by plan_import in this very transaction
            _update(session, client, entry.changes, by=by or client.owner_id or "", now=now, lookup=lookup)
    return plan


def _create(session: Session, entry: Entry, *, team_id: str, by: str | None, now: datetime, lookup: Lookup) -> None:
    row = entry.row
    adder = by or entry.owner_id or ""  # plan_import refuses a new client nobody would own
    client = add_client(
        session, team_id=team_id, name=row.name, by=adder, now=now, is_key=bool(row.key),
        cadence_days=None if row.cadence_days in (None, NO_CADENCE) else row.cadence_days, owner_id=entry.owner_id,
    )  # fmt: skip
    added = [c for c in entry.changes if c.field in (Field.DOMAIN, Field.PERSON)]
    _update(session, client, tuple(added), by=adder, now=now, lookup=lookup)


def _update(
    session: Session, client: Client, changes: tuple[Change, ...], *, by: str, now: datetime, lookup: Lookup
) -> None:
    """The changes in the plan's order: owner, key flag, cadence (after the flag, which may give one), additions."""
    for change in changes:
        if change.field == Field.OWNER and isinstance(change.after, str):
            set_owner(session, client=client, owner_id=change.after, now=now)
        elif change.field == Field.KEY:
            set_key(session, client=client, on=bool(change.after), now=now)
        elif change.field == Field.CADENCE and client.cadence_days != change.after:
            set_cadence(session, client=client, days=change.after if isinstance(change.after, int) else None, now=now)
        elif change.field == Field.DOMAIN and isinstance(change.after, str):
            if not add_domain(session, client=client, domain=change.after, by=by, now=now):
                raise DomainTaken(change.after, ANOTHER_CLIENT)
        elif change.field == Field.PERSON and change.person is not None:
            _add_person(session, client, change, by=by, now=now, lookup=lookup)


def _add_person(session: Session, client: Client, change: Change, *, by: str, now: datetime, lookup: Lookup) -> None:
    person = change.person
    assert person is not None
    if person.user_id is not None:
        add_person_or_raise(session, client=client, user_id=person.user_id, by=by, now=now, lookup=lookup)
    elif not add_email_person(session, client=client, email=person.email or "", name=person.name, by=by, now=now):
        raise AddressTaken(person.email or "", ANOTHER_CLIENT)
