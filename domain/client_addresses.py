"""A client's email addresses: a person by email (client_people.email) and whole domains (client_domains).

The smallest writes the team mailbox needs, for `/client person <client> jo@acme.com [Jo Smith]` and
`/client domain <client> acme.com` to build on (their checks and replies are theirs: public mail domains,
addresses held by another client, removal). Addresses and domains are stored lower case.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from storage.dialect import insert
from storage.models import Client, ClientDomain, ClientPerson


def normal_address(address: str) -> str:
    """An email address as stored and compared: trimmed, lower case."""
    return address.strip().strip("<>").lower()


def normal_domain(domain: str) -> str:
    """A domain as stored and compared: no @ before it, no dot after it, lower case."""
    return domain.strip().lstrip("@").rstrip(".").lower()


def add_email_person(session: Session, *, client: Client, email: str, name: str | None, by: str, now: datetime) -> bool:
    """Someone at the client known by email; False when that address is already someone's in the workspace."""
    statement = insert(session, ClientPerson).values(
        team_id=client.team_id, client_id=client.id, email=normal_address(email), name=name, added_by=by, added_at=now
    )
    result = session.execute(statement.on_conflict_do_nothing(index_elements=["team_id", "email"]))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def add_domain(session: Session, *, client: Client, domain: str, by: str, now: datetime) -> bool:
    """Everyone at `domain` (and its subdomains) belongs to the client; False when the domain is already taken."""
    statement = insert(session, ClientDomain).values(
        team_id=client.team_id, client_id=client.id, domain=normal_domain(domain), added_by=by, added_at=now
    )
    result = session.execute(statement.on_conflict_do_nothing(index_elements=["team_id", "domain"]))
    return bool(result.rowcount)  # type: ignore[attr-defined]
