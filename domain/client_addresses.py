"""A client's email addresses: people known by email (client_people.email) and whole domains (client_domains).

An address is one person at one client, and a domain belongs to one client (the tables' unique keys). Anyone at
a client's domain belongs to it, subdomains included, unless a more specific domain or a person's own entry
says otherwise: that is how the team mailbox (domain.mail_matching) and calendars read them. So adding
mail.acme.com next to the same client's acme.com changes nothing (it is covered already), while eu.acme.com or
jo@acme.com can be another client's. Public mail domains (domain.public_mail) are never a client's, and nor is a
teammate's address or the domain it is at (as far as the Slack profiles rapport has seen tell: the mailbox would
take the team's own mail for the client's).

Addresses and domains arrive checked, in their stored form (domain.addresses, by the grammar); they are
normalised again here for callers that pass them as typed (the mail tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from domain.addresses import normal_address, normal_domain, parent_domains
from domain.errors import AddressTaken, AmbiguousPerson, DomainTaken, PublicMailDomain, TeamAddress, TooLong
from domain.mail_matching import is_teammate
from domain.people import profile_of
from domain.public_mail import is_public
from domain.text import one_line
from storage.base import NAME_MAX
from storage.dialect import insert
from storage.models import Client, ClientDomain, ClientPerson, Person


class Outcome(StrEnum):
    """What adding an address or a domain did."""

    ADDED = "added"
    RENAMED = "renamed"  # the client's person already, now under the name given
    ALREADY = "already"  # the client's already: nothing changed
    COVERED = "covered"  # a domain inside one of the client's domains: nothing changed


@dataclass(frozen=True)
class Holder:
    """The most specific client domain that a domain is, or is part of, and its client."""

    domain: str
    client_id: int
    client: str


@dataclass(frozen=True)
class PersonAdded:
    """`person <client> jo@acme.com [name]`; `other` is another client's domain the address is at (it now wins)."""

    email: str
    name: str | None
    outcome: Outcome
    other: Holder | None = None


@dataclass(frozen=True)
class PersonRemoved:
    """`person <client> off jo@acme.com|name`; `still_by` is the client's domain the address is still at."""

    email: str | None
    name: str | None
    removed: bool
    still_by: str | None = None


@dataclass(frozen=True)
class DomainAdded:
    """One domain of `domain <client> …`: `within` is the client's domain covering it (COVERED), or another
    client's domain it is part of (ADDED: addresses there now count for this client)."""

    domain: str
    outcome: Outcome
    within: Holder | None = None


def person_name(name: str | None) -> str | None:
    """A person's name as kept: one line, at most NAME_MAX characters; None when there is none."""
    if name is None:
        return None
    name = one_line(what="name", text=name)
    if len(name) > NAME_MAX:
        raise TooLong("name", NAME_MAX, len(name))
    return name or None


def add_email_person(
    session: Session, *, client: Client, email: str, name: str | None, by: str, now: datetime
) -> PersonAdded:
    """Someone at the client known by email (a new name renames them); AddressTaken when another client's."""
    email, name = normal_address(email), person_name(name)
    row = _person(session, team_id=client.team_id, email=email)
    if row is None:
        _not_the_teams_or_raise(session, team_id=client.team_id, address=email)
        statement = insert(session, ClientPerson).values(
            team_id=client.team_id, client_id=client.id, email=email, name=name, added_by=by, added_at=now
        )
        inserted = statement.on_conflict_do_nothing(index_elements=["team_id", "email"]).returning(ClientPerson.id)
        if session.execute(inserted).first() is not None:  # (an ORM insert's rowcount is -1 on PostgreSQL)
            holder = holder_of(session, team_id=client.team_id, domain=email.rpartition("@")[2])
            return PersonAdded(email, name, Outcome.ADDED, holder if holder and holder.client_id != client.id else None)
        row = _person(session, team_id=client.team_id, email=email)  # added at the same moment by someone else
    if row is None or row.client_id != client.id:
        raise AddressTaken(email, _client_name(session, client=client, client_id=row.client_id if row else None))
    if name is not None and name != row.name:
        row.name = name
        return PersonAdded(email, name, Outcome.RENAMED)
    return PersonAdded(email, row.name, Outcome.ALREADY)


def remove_email_person(session: Session, *, client: Client, email: str) -> PersonRemoved:
    """Someone known by email is no longer the client's person; `removed` is False when they were not one."""
    email = normal_address(email)
    row = _person(session, team_id=client.team_id, email=email)
    if row is None:
        return PersonRemoved(email, None, False, _still_by(session, client=client, email=email))
    if row.client_id != client.id:  # another client's person: their own entry decides, not our domain
        return PersonRemoved(email, None, False)
    return _remove(session, client=client, row=row)


def remove_person_named_or_raise(session: Session, *, client: Client, name: str) -> PersonRemoved:
    """Someone known by email, by the name given with their address; AmbiguousPerson when several have it."""
    wanted = (person_name(name) or "").casefold()
    named = session.scalars(
        select(ClientPerson)
        .where(ClientPerson.team_id == client.team_id, ClientPerson.client_id == client.id)
        .where(ClientPerson.name.is_not(None))
        .order_by(ClientPerson.added_at, ClientPerson.id)
    )
    rows = [row for row in named if (row.name or "").casefold() == wanted]
    if len(rows) > 1:
        raise AmbiguousPerson(name, [row.email or "" for row in rows])
    if not rows:
        return PersonRemoved(None, name, False)
    return _remove(session, client=client, row=rows[0])


def _remove(session: Session, *, client: Client, row: ClientPerson) -> PersonRemoved:
    email, name = row.email, row.name
    session.execute(
        delete(ClientPerson).where(ClientPerson.id == row.id), execution_options={"synchronize_session": False}
    )
    return PersonRemoved(email, name, True, _still_by(session, client=client, email=email) if email else None)


def _still_by(session: Session, *, client: Client, email: str) -> str | None:
    """The client's domain that an address is at, when that domain decides it (no other client's is nearer)."""
    holder = holder_of(session, team_id=client.team_id, domain=email.rpartition("@")[2])
    return holder.domain if holder and holder.client_id == client.id else None


def add_domains_or_raise(
    session: Session, *, client: Client, domains: list[str], by: str, now: datetime
) -> list[DomainAdded]:
    """Everyone at these domains belongs to the client; PublicMailDomain or DomainTaken (another's) change nothing."""
    wanted = list(dict.fromkeys(normal_domain(d) for d in domains))
    public = next((d for d in wanted if is_public(d)), None)
    if public is not None:
        raise PublicMailDomain(public)
    for domain in wanted:
        _not_the_teams_or_raise(session, team_id=client.team_id, domain=domain)
    planned = [_plan(session, client=client, domain=d, adding=wanted) for d in wanted]
    done = []
    for plan in planned:
        if plan.outcome is Outcome.ADDED:
            statement = insert(session, ClientDomain).values(
                team_id=client.team_id, client_id=client.id, domain=plan.domain, added_by=by, added_at=now
            )
            inserted = statement.on_conflict_do_nothing(index_elements=["team_id", "domain"]).returning(ClientDomain.id)
            if session.execute(inserted).first() is None:
                plan = _plan(session, client=client, domain=plan.domain, adding=[])  # added at the same moment
        done.append(plan)
    return done


def _plan(session: Session, *, client: Client, domain: str, adding: list[str]) -> DomainAdded:
    """What adding `domain` does, before anything is written: `adding` are the other domains of the command."""
    holder = holder_of(session, team_id=client.team_id, domain=domain)
    if holder is not None and holder.domain == domain:
        if holder.client_id != client.id:
            raise DomainTaken(domain, holder.client)
        return DomainAdded(domain, Outcome.ALREADY)
    parent = next((p for p in parent_domains(domain) if p in adding), None)
    if parent is not None:
        return DomainAdded(domain, Outcome.COVERED, Holder(parent, client.id, client.name))
    if holder is not None and holder.client_id == client.id:
        return DomainAdded(domain, Outcome.COVERED, holder)
    return DomainAdded(domain, Outcome.ADDED, holder)


def add_domain(session: Session, *, client: Client, domain: str, by: str, now: datetime) -> bool:
    """Everyone at `domain` (and its subdomains) belongs to the client; False when it is theirs already."""
    [added] = add_domains_or_raise(session, client=client, domains=[domain], by=by, now=now)
    return added.outcome is Outcome.ADDED


def remove_domains(session: Session, *, client: Client, domains: list[str]) -> list[str]:
    """These domains' people no longer belong to the client by their address; the ones that were its domains."""
    wanted = [normal_domain(d) for d in domains]
    removed = session.scalars(
        delete(ClientDomain)
        .where(ClientDomain.team_id == client.team_id, ClientDomain.client_id == client.id)
        .where(ClientDomain.domain.in_(wanted))
        .returning(ClientDomain.domain),
        execution_options={"synchronize_session": False},
    )
    gone = set(removed)
    return [d for d in dict.fromkeys(wanted) if d in gone]


def domains_of(session: Session, *, client: Client) -> list[ClientDomain]:
    """The client's domains, in the order they were added."""
    return list(
        session.scalars(
            select(ClientDomain)
            .where(ClientDomain.team_id == client.team_id, ClientDomain.client_id == client.id)
            .order_by(ClientDomain.added_at, ClientDomain.id)
        )
    )


def holder_of(session: Session, *, team_id: str, domain: str) -> Holder | None:
    """The workspace's most specific client domain that `domain` is or is part of, with its client."""
    candidates = [domain, *parent_domains(domain)]
    rows = session.execute(
        select(ClientDomain.domain, Client.id, Client.name)
        .join(Client, (Client.team_id == ClientDomain.team_id) & (Client.id == ClientDomain.client_id))
        .where(ClientDomain.team_id == team_id, ClientDomain.domain.in_(candidates))
    )
    found = {row.domain: Holder(row.domain, row.id, row.name) for row in rows}
    return next((found[d] for d in candidates if d in found), None)


def _not_the_teams_or_raise(session: Session, *, team_id: str, address: str = "", domain: str = "") -> None:
    """TeamAddress when a teammate's Slack address is `address`, or at `domain` or one of its subdomains."""
    at = Person.email == address if address else or_(Person.email.like(f"%@{domain}"), Person.email.like(f"%.{domain}"))
    for row in session.scalars(select(Person).where(Person.team_id == team_id, at).order_by(Person.user_id)):
        if is_teammate(profile_of(row), team_id=team_id):
            raise TeamAddress(address or domain, row.user_id)


def _person(session: Session, *, team_id: str, email: str) -> ClientPerson | None:
    return session.scalar(select(ClientPerson).where(ClientPerson.team_id == team_id, ClientPerson.email == email))


def _client_name(session: Session, *, client: Client, client_id: int | None) -> str:
    """Another client's name (this one's, should the other be gone by now)."""
    name = session.scalar(select(Client.name).where(Client.team_id == client.team_id, Client.id == client_id))
    return name or client.name
