"""Which clients an email is with, and which teammate it counts for.

A client's address is a person's email (client_people.email) or any address at one of its domains
(client_domains), subdomains included (mail.acme.com is acme.com's); a person's own entry wins over a domain,
and the most specific domain over its parents. Addresses compare as client addresses are stored (lower case,
international domains in IDNA: domain.addresses), whichever way a mail writes them.

The teammate is, in this order: the sender (a teammate's mail to a client, BCC'd to the mailbox), else the
forwarder (a client's mail forwarded to the mailbox), else a teammate among To and Cc (a client writing to
a teammate, the mailbox in Cc). A teammate is a person of the workspace by their Slack profile's email: not a
guest, a bot, a deactivated account or someone of another workspace; a client's address is never a teammate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.addresses import normal_address, normal_domain
from domain.mail_text import Mail, Received
from domain.people import Profile, profile_of
from storage.models import ClientDomain, ClientPerson, Person


class FoundBy(StrEnum):
    """How the teammate of an email was found (emails.found_by)."""

    SENDER = "sender"
    FORWARDER = "forwarder"
    RECIPIENT = "recipient"


@dataclass(frozen=True)
class ClientBook:
    """The workspace's client addresses: people's emails and whole domains, each to its client's id."""

    people: Mapping[str, int]
    domains: Mapping[str, int]

    def client_of(self, address: str) -> int | None:
        """The client an address belongs to, or None."""
        address = normal_address(address)
        if address in self.people:
            return self.people[address]
        domain = address.rpartition("@")[2]
        while domain:
            if domain in self.domains:
                return self.domains[domain]
            domain = domain.partition(".")[2]
        return None


@dataclass(frozen=True)
class Reading:
    """An email as it counts: the message (a forward's original), its clients, who may be its teammate."""

    mail: Mail
    clients: tuple[int, ...]
    candidates: tuple[tuple[str, FoundBy], ...]  # addresses that may be the teammate, in the order they count
    forwarder: str | None


def client_book(session: Session, *, team_id: str) -> ClientBook:
    """Every client address of the workspace (a few rows per client: read whole, once per batch of mail)."""
    people = session.execute(
        select(ClientPerson.email, ClientPerson.client_id).where(
            ClientPerson.team_id == team_id, ClientPerson.email.is_not(None)
        )
    )
    domains = session.execute(
        select(ClientDomain.domain, ClientDomain.client_id).where(ClientDomain.team_id == team_id)
    )
    return ClientBook(
        people={normal_address(str(email)): client for email, client in people},
        domains={normal_domain(domain): client for domain, client in domains},
    )


def read_as(received: Received, book: ClientBook, *, mailbox_user: str) -> Reading:
    """The email as it counts: a forward to the mailbox (no client address on it) counts as its original."""
    outer = received.mail
    forward = received.forwarded is not None and not any(book.client_of(a) is not None for a in outer.addresses)
    mail = received.forwarded if forward and received.forwarded is not None else outer
    forwarder = outer.sender if forward else None
    clients = tuple(sorted({c for a in mail.addresses if (c := book.client_of(a)) is not None}))
    ordered = [(mail.sender, FoundBy.SENDER), (forwarder, FoundBy.FORWARDER)]
    ordered += [(address, FoundBy.RECIPIENT) for address in mail.to + mail.cc]
    candidates: dict[str, FoundBy] = {}
    for address, how in ordered:
        if address and address != mailbox_user.lower() and book.client_of(address) is None:
            candidates.setdefault(address, how)  # the first way an address counts is how it counts
    return Reading(mail, clients, tuple(candidates.items()), forwarder)


def people_by_address(session: Session, *, team_id: str, addresses: Iterable[str]) -> dict[str, Profile]:
    """The people of the workspace whose Slack profile has one of these addresses (teammates or not)."""
    wanted = sorted(set(addresses))
    if not wanted:
        return {}
    rows = session.scalars(
        select(Person).where(Person.team_id == team_id, Person.email.in_(wanted)).order_by(Person.user_id)
    )
    found: dict[str, Profile] = {}
    for row in rows:  # two accounts with one address (rare): the first by id, every time
        found.setdefault(str(row.email), profile_of(row))
    return found


def is_teammate(found: Profile, *, team_id: str) -> bool:
    """A human, active member of the workspace: no guest, bot, deactivated account or Slack Connect member."""
    at_home = found.home_team_id in (None, team_id)
    return at_home and not (found.is_bot or found.deleted or found.is_guest)


def teammate_of(reading: Reading, known: Mapping[str, Profile], *, team_id: str) -> tuple[Profile, FoundBy] | None:
    """The first candidate who is a teammate, and how they were found; None when nobody is."""
    for address, how in reading.candidates:
        found = known.get(address)
        if found is not None and is_teammate(found, team_id=team_id):
            return found, how
    return None
