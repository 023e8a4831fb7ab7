"""Importing a book of clients: every row, in the caller's one transaction, or (with any problem) none.

The plan has checked every name, domain and person against the workspace in this same transaction, so the rows
are written in bulk (a few batched statements for 10,000 clients, not a round trip per row); the tables' unique
keys still stop a concurrent writer's duplicate, and then the whole transaction rolls back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from domain.clients import ensure_workspace, new_client, set_cadence, set_key, set_owner
from domain.import_csv import NO_CADENCE, Book
from domain.import_errors import ImportRefused
from domain.import_plan import Action, Change, Directory, Entry, Field, Plan, plan_import
from storage.models import Client, ClientDomain, ClientPerson


def import_clients(
    session: Session, *, team_id: str, book: Book, directory: Directory, by: str | None, now: datetime
) -> Plan:
    """Plan the rows and apply them all; ImportRefused (so the transaction rolls back) when any row has a problem.

    `by` is who imports (from Slack: they own new clients that name no owner); the command line has nobody, and a
    new client's owner is then also recorded as who added it. Running the same file again changes nothing.
    """
    plan = plan_import(session, team_id=team_id, book=book, directory=directory, by=by)
    if plan.problems:
        raise ImportRefused(plan.problems)
    ensure_workspace(session, team_id=team_id, now=now)
    touched = [(_client(session, entry, team_id=team_id, by=by, now=now), entry) for entry in plan.entries
               if entry.action != Action.UNCHANGED]  # fmt: skip
    session.flush()  # the new clients, in one batched INSERT, get their ids
    for client, entry in touched:
        adder = by or client.owner_id or client.created_by
        session.add_all([_addition(client, change, by=adder, now=now) for change in entry.changes
                         if change.field in (Field.DOMAIN, Field.PERSON)])  # fmt: skip
    session.flush()
    return plan


def _client(session: Session, entry: Entry, *, team_id: str, by: str | None, now: datetime) -> Client:
    """A new client (added to the session), or an existing one with its owner, key flag and cadence changed."""
    row = entry.row
    if entry.action == Action.CREATE:
        client = new_client(
            team_id=team_id, name=row.name, by=by or entry.owner_id or "", now=now, is_key=bool(row.key),
            cadence_days=None if row.cadence_days in (None, NO_CADENCE) else row.cadence_days, owner_id=entry.owner_id,
        )  # fmt: skip
        session.add(client)
        return client
    found = session.get(Client, entry.client_id)  # loaded by plan_import in this transaction: no query
    assert found is not None and found.team_id == team_id
    for change in entry.changes:
        _set(session, found, change, now=now)
    return found


def _set(session: Session, client: Client, change: Change, *, now: datetime) -> None:
    """Owner, key flag, cadence, in the plan's order (the flag may give a cadence, which the row may then set)."""
    if change.field == Field.OWNER and isinstance(change.after, str):
        set_owner(session, client=client, owner_id=change.after, by=None, now=now)
    elif change.field == Field.KEY:
        set_key(session, client=client, on=bool(change.after), now=now)
    elif change.field == Field.CADENCE and client.cadence_days != change.after:
        set_cadence(session, client=client, days=change.after if isinstance(change.after, int) else None, now=now)


def _addition(client: Client, change: Change, *, by: str, now: datetime) -> ClientDomain | ClientPerson:
    """A domain or a person the row adds (stored as domain.client_addresses and client_people store them)."""
    if change.field == Field.DOMAIN:
        return ClientDomain(team_id=client.team_id, client_id=client.id, domain=str(change.after), added_by=by,
                            added_at=now)  # fmt: skip
    person = change.person
    assert person is not None
    return ClientPerson(team_id=client.team_id, client_id=client.id, user_id=person.user_id, email=person.email,
                        name=person.name, added_by=by, added_at=now)  # fmt: skip
