"""Meetings with clients, from teammates' calendars: kept once per occurrence, logged as contacts once they end.

A meeting is with a client when an attendee (or the organizer) is one of the client's people (by email) or has
an address at one of the client's domains, subdomains included (jo@mail.acme.com is at acme.com; the longest
domain listed wins, so eu.acme.com can be another client's). A meeting with several clients is a contact with
each. The teammate's own address never matches.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from domain.addresses import normal_address, normal_domain
from domain.calendar_events import Meeting
from domain.calendars import LOOK_BACK, Target
from domain.contacts import Source, record_contact
from storage.calendar_models import TITLE_MAX, CalendarFeed, CalendarMeeting
from storage.dialect import insert
from storage.models import Client, ClientDomain, ClientPerson

LOG_BATCH = 500


@dataclass(frozen=True)
class Addresses:
    """Who is at which client: people by email, and email domains (lower case, IDNA)."""

    people: dict[str, int]
    domains: dict[str, int]


@dataclass(frozen=True)
class Stored:
    """What one read of a feed found: meetings in the window, and how many of them are with clients."""

    read: int
    with_clients: int


def addresses_of(session: Session, *, team_id: str) -> Addresses:
    """The workspace's client people with an email address, and its client domains."""
    people = session.execute(
        select(ClientPerson.email, ClientPerson.client_id).where(
            ClientPerson.team_id == team_id, ClientPerson.email.is_not(None)
        )
    )
    domains = session.execute(
        select(ClientDomain.domain, ClientDomain.client_id).where(ClientDomain.team_id == team_id)
    )
    return Addresses({normal_address(str(e)): c for e, c in people}, {normal_domain(d): c for d, c in domains})


def clients_among(attendees: Iterable[str], addresses: Addresses, *, own: str | None) -> list[int]:
    """The clients whose people or domains are among the attendees (the teammate's own address aside)."""
    found: set[int] = set()
    own = normal_address(own) if own else None
    for attendee in attendees:
        address = normal_address(attendee)  # as client_people keeps them: jo@müller.de is jo@xn--mller-kva.de
        if address == own:
            continue
        if address in addresses.people:
            found.add(addresses.people[address])
            continue
        labels = address.rpartition("@")[2].split(".")
        for i in range(len(labels) - 1):  # mail.acme.com, then acme.com: the longest listed domain wins
            client_id = addresses.domains.get(".".join(labels[i:]))
            if client_id is not None:
                found.add(client_id)
                break
    return sorted(found)


def store_meetings(session: Session, *, target: Target, meetings: list[Meeting]) -> Stored:
    """After a whole read: keep the meetings with clients; those not yet logged follow the feed (moved, cancelled,
    declined, gone)."""
    addresses = addresses_of(session, team_id=target.team_id)
    waiting = {
        (m.uid, m.recurrence_id): m
        for m in session.scalars(
            select(CalendarMeeting).where(
                CalendarMeeting.feed_id == target.feed_id, CalendarMeeting.logged_at.is_(None)
            )
        )
    }
    with_clients = 0
    for meeting in meetings:
        clients = clients_among(meeting.attendees, addresses, own=target.email)
        with_clients += bool(clients) and not (meeting.cancelled or meeting.declined)
        row = waiting.pop((meeting.uid, meeting.recurrence_id), None)
        values = _values(meeting, clients, titles=target.titles)
        if row is not None:
            for key, value in values.items():
                setattr(row, key, value)
        elif clients:
            statement = insert(session, CalendarMeeting).values(
                team_id=target.team_id, feed_id=target.feed_id, uid=meeting.uid,
                recurrence_id=meeting.recurrence_id, **values,
            )  # fmt: skip
            session.execute(statement.on_conflict_do_nothing(), execution_options={"synchronize_session": False})
    for row in waiting.values():  # what the feed no longer shows was deleted, or excluded from its series (EXDATE)
        row.cancelled = True
    return Stored(len(meetings), with_clients)


def _values(meeting: Meeting, clients: list[int], *, titles: bool) -> dict[str, object]:
    title = meeting.title[:TITLE_MAX] if titles and meeting.title else None
    return {
        "starts_at": meeting.starts_at, "ends_at": meeting.ends_at, "title": title, "client_ids": clients,
        "declined": meeting.declined, "cancelled": meeting.cancelled,
    }  # fmt: skip


def log_ended(session: Session, *, now: datetime, feed_id: int | None = None) -> int:
    """Log each ended meeting with clients as a contact per client, once; returns the contacts logged."""
    query = select(CalendarMeeting.id, CalendarMeeting.client_ids).where(
        CalendarMeeting.logged_at.is_(None), CalendarMeeting.ends_at <= now
    )
    if feed_id is not None:
        query = query.where(CalendarMeeting.feed_id == feed_id)
    found = session.execute(query.order_by(CalendarMeeting.ends_at, CalendarMeeting.id).limit(LOG_BATCH)).all()
    # Every transaction that logs meetings locks their clients first, in one order: concurrent polls and sweeps
    # logging meetings with the same clients wait for each other instead of deadlocking.
    ids = sorted({client_id for _, client_ids in found for client_id in client_ids})
    if ids:
        lock = select(Client.id).where(Client.id.in_(ids)).order_by(Client.id).with_for_update(key_share=True)
        session.scalars(lock).all()
    logged = 0
    for meeting_id, _ in found:
        claimed = session.execute(
            update(CalendarMeeting)
            .where(CalendarMeeting.id == meeting_id, CalendarMeeting.logged_at.is_(None))
            .values(logged_at=now),
            execution_options={"synchronize_session": False},
        )
        if claimed.rowcount:  # type: ignore[attr-defined]  # 0: another sweep logged it
            logged += _log(session, session.get_one(CalendarMeeting, meeting_id, populate_existing=True), now=now)
    return logged


def _log(session: Session, meeting: CalendarMeeting, *, now: datetime) -> int:
    """A contact with each of the meeting's clients, by the feed's owner at the meeting's end."""
    if meeting.cancelled or meeting.declined or meeting.ends_at < now - LOOK_BACK:
        return 0
    feed = session.get_one(CalendarFeed, meeting.feed_id)
    logged = 0
    for client_id in meeting.client_ids:
        client = session.get(Client, client_id)
        if client is None or client.team_id != meeting.team_id:  # removed since
            continue
        _, created = record_contact(
            session, client=client, user_id=feed.user_id, note=meeting.title or "", now=now, source=Source.MEETING,
            idempotency_key=f"meeting:{meeting.id}:{client_id}", occurred_at=meeting.ends_at,
        )  # fmt: skip
        logged += created
    return logged
