"""The workspace bench.mail reads mail for: clients with their domains and people's addresses, a few earlier
contacts each, and (unless cold) the teammates' cached Slack profiles, with their email, in the people table."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert, text

from bench.mail_corpus import Directory, Teammate
from domain.quiet import quiet_due
from fakes.slack import TEAM
from storage.models import Client, ClientDomain, ClientPerson, Contact, Person, Workspace

EARLIER_CONTACTS = 3  # per client, a command-logged contact every ten days or so
CLIENT_COLUMNS = ("id", "team_id", "name", "name_key", "is_key", "cadence_days", "owner_id", "created_by",
                  "created_at", "updated_at", "last_contact_at", "snoozed_until")  # fmt: skip


def seed(engine: Engine, people: Directory, *, now: datetime, cold: bool, rng: random.Random) -> None:
    """Cold: no profile cached, so users.lookupByEmail finds every teammate (once, then they are cached)."""
    clients, contacts = client_rows(people, now=now, rng=rng)
    profiles = [] if cold else [profile_row(p, now=now, deleted=False) for p in people.teammates]
    profiles += [] if cold else [profile_row(p, now=now, deleted=True) for p in people.deactivated]
    added = {"added_by": people.teammates[0].user_id, "added_at": now - timedelta(days=200), "team_id": TEAM}
    domains = [{"client_id": c.id, "domain": c.domain, **added} for c in people.clients if c.domain]
    addresses = [{"client_id": c.id, "email": a, "name": None, **added} for c in people.clients for a in c.people]
    with engine.begin() as connection:
        connection.execute(insert(Workspace), [{"team_id": TEAM, "created_at": now - timedelta(days=365)}])
        if profiles:
            connection.execute(insert(Person), profiles)
        connection.execute(insert(Client), clients)
        connection.execute(insert(Contact), contacts)
        if domains:
            connection.execute(insert(ClientDomain), domains)
        if addresses:
            connection.execute(insert(ClientPerson), addresses)
        if engine.dialect.name == "postgresql":  # ids were given explicitly: move the sequence past them
            connection.execute(text("SELECT setval(pg_get_serial_sequence('clients', 'id'), max(id)) FROM clients"))
    statement = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(statement))


def profile_row(person: Teammate, *, now: datetime, deleted: bool) -> dict[str, Any]:
    return {"team_id": TEAM, "user_id": person.user_id, "home_team_id": TEAM, "tz": person.tz, "is_bot": False,
            "deleted": deleted, "is_guest": False, "email": person.email, "fetched_at": now}  # fmt: skip


def client_rows(people: Directory, *, now: datetime, rng: random.Random) -> tuple[list[dict[str, Any]], list[Any]]:
    """Clients with a 30-day cadence, each owned by a teammate, with their earlier contacts."""
    clients, contacts = [], []
    for seed_ in people.clients:
        owner = rng.choice(people.teammates).user_id
        times = [now - timedelta(days=rng.uniform(1, 40) + 10 * k) for k in range(EARLIER_CONTACTS)]
        client = Client(
            id=seed_.id, team_id=TEAM, name=seed_.name, name_key=seed_.name.lower(), is_key=rng.random() < 0.2,
            cadence_days=30, owner_id=owner, created_by=owner, created_at=now - timedelta(days=300),
            updated_at=now, last_contact_at=max(times), snoozed_until=None,
        )  # fmt: skip
        row = {column: getattr(client, column) for column in CLIENT_COLUMNS}
        clients.append(row | {"quiet_due_at": quiet_due(client)})
        contacts += [
            {"team_id": TEAM, "client_id": seed_.id, "user_id": owner, "occurred_at": at, "source": "command",
             "note": "Call about the renewal.", "created_at": at}
            for at in times
        ]  # fmt: skip
    return clients, contacts
