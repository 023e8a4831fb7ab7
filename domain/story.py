"""A client's whole story for `/client show`, and the contact history for `/client export`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.channel_messages import waiting_messages
from domain.channels import channels_of
from domain.client_addresses import domains_of
from domain.client_people import people_of
from domain.contacts import Source, recent_contacts
from domain.events import Kind, promise_moves, recent_events
from domain.health import Health, scores
from domain.mailboxes import emails_of
from domain.promises import client_promises
from domain.survey_results import Results, list_surveys
from domain.talking_to import Reach, people_we_talk_to
from storage.models import (
    ChannelMessage,
    Client,
    ClientChannel,
    ClientDomain,
    ClientEvent,
    ClientPerson,
    Contact,
    Email,
    EmailContact,
    Promise,
)

TIMELINE_CONTACTS = 10
SHOWN_SURVEYS = 5
SHOWN_WAITING = 10


@dataclass(frozen=True)
class Story:
    """What `/client show` tells about one client."""

    client: Client
    contacts: list[Contact]
    contact_count: int
    open_promises: list[Promise]
    slipped_promises: list[Promise]
    kept_promises: list[Promise]
    moves: list[ClientEvent]  # every new date given to a promise, oldest first: the evidence of slips
    events: list[ClientEvent]  # latest snoozes and hand-overs, newest first
    surveys: list[Results]  # latest surveys with both sides' scores
    channels: list[ClientChannel]  # linked channels, the first linked (the survey channel) first
    people: list[ClientPerson]  # the people on the client's side: Slack users and email addresses
    waiting: list[ChannelMessage]  # the client's messages still waiting for our answer, oldest first
    emails: dict[int, Email]  # the email behind each contact from the team mailbox, by contact id
    domains: list[ClientDomain] = field(default_factory=list)  # anyone with an address there is the client's
    reach: Reach | None = None  # a key client's people we talk to (domain.talking_to); None for other clients
    health: Health | None = None  # its score, band and what lowered it (domain.health)


def client_story(
    session: Session, *, client: Client, today: date, now: datetime, contacts: int = TIMELINE_CONTACTS
) -> Story:
    """The client's last contacts, promises, channels, people, domains and messages waiting for us."""
    count = session.scalar(
        select(func.count())
        .select_from(Contact)
        .where(Contact.team_id == client.team_id, Contact.client_id == client.id)
    )
    promises = client_promises(session, client=client)
    pending = [p for p in promises if p.done_at is None]
    latest = recent_contacts(session, client=client, limit=contacts)
    return Story(
        client=client,
        contacts=latest,
        contact_count=count or 0,
        open_promises=[p for p in pending if p.due_on >= today],
        slipped_promises=[p for p in pending if p.due_on < today],
        kept_promises=[p for p in promises if p.done_at is not None],
        moves=promise_moves(session, client=client),
        events=[e for e in recent_events(session, client=client, limit=contacts) if e.kind != Kind.PROMISE_MOVED],
        surveys=list_surveys(session, team_id=client.team_id, client_id=client.id, limit=SHOWN_SURVEYS),
        channels=channels_of(session, client=client),
        people=people_of(session, client=client),
        waiting=waiting_messages(session, client=client, limit=SHOWN_WAITING),
        emails=emails_of(session, contact_ids=[c.id for c in latest if c.source == Source.EMAIL]),
        domains=domains_of(session, client=client),
        reach=people_we_talk_to(session, client=client, now=now) if client.is_key else None,
        health=scores(session, team_id=client.team_id, now=now, client_ids=[client.id]).get(client.id),
    )


@dataclass(frozen=True)
class ExportRow:
    """One contact as exported."""

    occurred_at: datetime
    client: str
    user_id: str
    channel_id: str | None
    note: str
    permalink: str | None
    source: str
    email: Email | None = None  # a contact from the team mailbox: its email, as evidence


def export_contacts(session: Session, *, team_id: str, client_id: int | None = None) -> Iterator[ExportRow]:
    """Every contact of the workspace (or of one client), oldest first, streamed."""
    query = (
        select(Contact, Client.name, Email)
        .join(Client, (Client.id == Contact.client_id) & (Client.team_id == Contact.team_id))
        .outerjoin(EmailContact, EmailContact.contact_id == Contact.id)
        .outerjoin(Email, Email.id == EmailContact.email_id)
        .where(Contact.team_id == team_id)
        .order_by(Contact.occurred_at, Contact.id)
        .execution_options(yield_per=1000)
    )
    if client_id is not None:
        query = query.where(Contact.client_id == client_id)
    for contact, name, email in session.execute(query):
        yield ExportRow(
            contact.occurred_at, name, contact.user_id, contact.channel_id, contact.note,
            contact.permalink, contact.source, email,
        )  # fmt: skip


@dataclass(frozen=True)
class Entry:
    """One line of a client's timeline: a contact or an event."""

    at: datetime
    contact: Contact | None = None
    event: ClientEvent | None = None


def timeline(session: Session, *, client: Client, limit: int) -> list[Entry]:
    """The client's latest contacts and events (snoozes, hand-overs, new dates), newest first."""
    contacts = [Entry(c.occurred_at, contact=c) for c in recent_contacts(session, client=client, limit=limit)]
    happened = [Entry(e.at, event=e) for e in recent_events(session, client=client, limit=limit)]
    return sorted([*contacts, *happened], key=lambda entry: entry.at, reverse=True)[:limit]
