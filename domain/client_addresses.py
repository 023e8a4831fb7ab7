"""A client's email addresses: people not in Slack by their address, and whole email domains.

Meetings (domain.meetings) and, later, mail are matched against them. Kept small on purpose: the `/client person
<client> jo@acme.com` and `/client domain` commands (issue 11, point 1) are the way people add them, and can use
these two functions; checks such as refusing public mail domains belong with those commands.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from storage.dialect import insert
from storage.models import Client, ClientDomain, ClientPerson


def add_email_person(session: Session, *, client: Client, email: str, name: str | None, by: str, now: datetime) -> bool:
    """Someone at the client known by their email address (lower case); False when the address is listed already."""
    statement = insert(session, ClientPerson).values(
        team_id=client.team_id, client_id=client.id, email=email.strip().lower(), name=name, added_by=by, added_at=now
    )
    result = session.execute(
        statement.on_conflict_do_nothing(index_elements=[ClientPerson.team_id, ClientPerson.email]),
        execution_options={"synchronize_session": False},
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def add_domain(session: Session, *, client: Client, domain: str, by: str, now: datetime) -> bool:
    """Everyone at `domain` (and its subdomains) is at the client; False when the domain is listed already."""
    domain = domain.strip().lower().rstrip(".")
    statement = insert(session, ClientDomain).values(
        team_id=client.team_id, client_id=client.id, domain=domain.encode("idna").decode("ascii"), added_by=by,
        added_at=now,
    )  # fmt: skip
    result = session.execute(
        statement.on_conflict_do_nothing(index_elements=[ClientDomain.team_id, ClientDomain.domain]),
        execution_options={"synchronize_session": False},
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
