"""Sponsors: the one person (the boss, an account director) who keeps their own cadence with a client.

Only the sponsor's own contacts reset their clock (any source: logged, channel, meeting, email); with none yet it
runs from when they were named. client_sponsors.due_at is kept in step, like clients.quiet_due_at, so the sweep
finds sponsors due through an index.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain import events
from storage.boss_models import ClientSponsor
from storage.models import Client, Contact


class Change(StrEnum):
    """What `/client sponsor` did."""

    NAMED = "named"  # a first sponsor
    REPLACED = "replaced"  # someone else instead
    CADENCE = "cadence"  # the same sponsor, a new cadence
    UNCHANGED = "unchanged"  # the same sponsor and cadence (a retry, a double submit)
    REMOVED = "removed"
    NONE = "none"  # `off` for a client without a sponsor


@dataclass(frozen=True)
class Sponsorship:
    """What `/client sponsor` left: the sponsor now (None once off), who it was before, and what changed."""

    client: Client
    sponsor: ClientSponsor | None
    previous_id: str | None
    change: Change


def sponsor_due(sponsor: ClientSponsor) -> datetime:
    """When the sponsor is due to talk to the client: their cadence after their last contact (or their naming)."""
    due = (sponsor.last_contact_at or sponsor.named_at) + timedelta(days=sponsor.cadence_days)
    if sponsor.snoozed_until is not None and sponsor.snoozed_until > due:
        return sponsor.snoozed_until
    return due


def refresh_sponsor(sponsor: ClientSponsor) -> ClientSponsor:
    """Recompute due_at after anything it depends on changed (a contact, the cadence, a snooze)."""
    sponsor.due_at = sponsor_due(sponsor)
    return sponsor


def sponsor_of(session: Session, *, client: Client, lock: bool = False) -> ClientSponsor | None:
    """The client's sponsor, if it has one."""
    query = select(ClientSponsor).where(ClientSponsor.team_id == client.team_id, ClientSponsor.client_id == client.id)
    return session.scalar(query.with_for_update() if lock else query)


def last_own_contact(session: Session, *, client: Client, user_id: str) -> datetime | None:
    """When `user_id` last had a contact with the client themselves (any source)."""
    return session.scalar(
        select(func.max(Contact.occurred_at)).where(
            Contact.team_id == client.team_id, Contact.client_id == client.id, Contact.user_id == user_id
        )
    )


def set_sponsor(
    session: Session, *, client: Client, user_id: str, cadence_days: int, by: str, now: datetime
) -> Sponsorship:
    """Name the client's sponsor (replacing any other) with their cadence; naming them again changes nothing."""
    session.refresh(client, with_for_update=True)  # two namings at once: the later one waits, then sees the first
    sponsor = sponsor_of(session, client=client, lock=True)
    if sponsor is not None and sponsor.user_id == user_id:
        if sponsor.cadence_days == cadence_days:
            return Sponsorship(client, sponsor, user_id, Change.UNCHANGED)
        sponsor.cadence_days = cadence_days
        _record(session, client, by, now, sponsor=user_id, cadence=cadence_days)
        return Sponsorship(client, refresh_sponsor(sponsor), user_id, Change.CADENCE)
    previous = sponsor.user_id if sponsor is not None else None
    if sponsor is None:
        sponsor = ClientSponsor(team_id=client.team_id, client_id=client.id)
        session.add(sponsor)
    sponsor.user_id, sponsor.cadence_days, sponsor.named_at, sponsor.named_by = user_id, cadence_days, now, by
    sponsor.snoozed_until = None  # a new sponsor's clock is theirs alone
    sponsor.last_contact_at = _utc(last_own_contact(session, client=client, user_id=user_id))
    refresh_sponsor(sponsor)
    _record(session, client, by, now, sponsor=user_id, previous=previous, cadence=cadence_days)
    session.flush()
    return Sponsorship(client, sponsor, previous, Change.REPLACED if previous else Change.NAMED)


def remove_sponsor(session: Session, *, client: Client, by: str, now: datetime) -> Sponsorship:
    """The client has no sponsor any more (already none: nothing is written)."""
    session.refresh(client, with_for_update=True)
    sponsor = sponsor_of(session, client=client, lock=True)
    if sponsor is None:
        return Sponsorship(client, None, None, Change.NONE)
    previous = sponsor.user_id
    session.delete(sponsor)
    events.record(session, client=client, kind=events.Kind.SPONSOR_OFF, actor_id=by, at=now, previous=previous)
    session.flush()
    return Sponsorship(client, None, previous, Change.REMOVED)


def sponsor_contact_happened(session: Session, *, client: Client, user_id: str, at: datetime) -> None:
    """A contact by `user_id`: if they are the client's sponsor, it resets their clock (a late, earlier one never)."""
    sponsor = session.scalar(
        select(ClientSponsor)
        .where(
            ClientSponsor.team_id == client.team_id,
            ClientSponsor.client_id == client.id,
            ClientSponsor.user_id == user_id,
        )
        .with_for_update()  # two of their contacts at once: the later one reads what the first wrote
    )
    if sponsor is not None and (sponsor.last_contact_at is None or at > sponsor.last_contact_at):
        sponsor.last_contact_at = at
        refresh_sponsor(sponsor)


def snooze_sponsor(session: Session, *, client: Client, by: str, until: datetime, now: datetime) -> None:
    """Postpone the sponsor's nudge without a contact (on the client's timeline, which says so)."""
    sponsor = sponsor_of(session, client=client, lock=True)
    if sponsor is not None:
        sponsor.snoozed_until = until
        refresh_sponsor(sponsor)
        events.record(session, client=client, kind=events.Kind.SPONSOR_SNOOZED, actor_id=by, at=now,
                      until=until.isoformat())  # fmt: skip


def _record(session: Session, client: Client, by: str, now: datetime, **data: str | int | None) -> None:
    events.record(session, client=client, kind=events.Kind.SPONSOR_NAMED, actor_id=by, at=now, promise_id=None, **data)


def _utc(value: datetime | None) -> datetime | None:
    """Aggregates may come back naive on SQLite; they are UTC."""
    return value if value is None or value.tzinfo is not None else value.replace(tzinfo=UTC)
