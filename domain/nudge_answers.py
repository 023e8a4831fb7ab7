"""Answering a nudge, by button or reaction: done, snooze, take it, hand over, new date, logged a contact.

A nudge about a client's message (the unanswered kind) understands two answers: done (Answered, ✅), which
answers the message, and snooze, which asks again a working day later (domain.nudge_messages).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from domain import events
from domain.channel_messages import answer_waiting
from domain.contacts import Source, log_contact
from domain.errors import NotInFuture, NotYourNudge, NudgeAlreadyAnswered, UnknownNudge
from domain.nudge_messages import message_of, snooze_message
from domain.nudges import ClosingReason, NudgeKind, Status
from domain.promises import get_promise_or_raise, refresh_cycles
from domain.quiet import refresh_quiet
from domain.sponsors import snooze_sponsor, sponsor_of
from domain.text import valid_id
from domain.workspace import hours_of_person
from storage.boss_models import ClientSponsor
from storage.models import ChannelMessage, Client, Nudge, Promise


class Action(StrEnum):
    """How a nudge was answered (stored in nudges.answer)."""

    DONE = "done"
    SNOOZE = "snooze"
    TAKE = "take"
    HAND_OVER = "hand_over"
    NEW_DATE = "new_date"
    LOGGED = "logged"


REACTIONS = {
    "white_check_mark": Action.DONE,
    "heavy_check_mark": Action.DONE,
    "ballot_box_with_check": Action.DONE,
    "zzz": Action.SNOOZE,
    "sleeping": Action.SNOOZE,
    "raising_hand": Action.TAKE,
}
CLIENT_SNOOZE_DAYS = 7
HANDOVER_GRACE = timedelta(days=3)  # a client handed over is the new owner's to contact within this
CONFIRMED_NOTE = "confirmed from nudge"


def reaction_action(name: str) -> Action | None:
    """The answer a reaction means (skin tones included: `raising_hand::skin-tone-3`), or None."""
    return REACTIONS.get(name.split("::", 1)[0])


@dataclass
class Answered:
    """What an answer did, for the message edit and the reply."""

    action: Action
    actor_id: str
    nudges: list[Nudge]
    client: Client
    promise: Promise | None = None
    until: datetime | None = None
    new_owner: str | None = None
    old_date: date | None = None
    new_date: date | None = None
    changed: bool = True


def nudge_or_raise(session: Session, *, team_id: str, nudge_id: int) -> Nudge:
    """The workspace's nudge, locked for the answer; another workspace's id is unknown here."""
    if not valid_id(nudge_id):
        raise UnknownNudge(str(nudge_id))
    nudge = session.scalar(
        select(Nudge).where(Nudge.team_id == team_id, Nudge.id == nudge_id).with_for_update(key_share=True)
    )
    if nudge is None:
        raise UnknownNudge(str(nudge_id))
    return nudge


def answerable_or_raise(session: Session, *, team_id: str, nudge_id: int, actor_id: str) -> Nudge:
    """The workspace's nudge, locked, if `actor_id` may answer it (may_answer); else NotYourNudge."""
    nudge = nudge_or_raise(session, team_id=team_id, nudge_id=nudge_id)
    if not may_answer(session, nudge, actor_id):
        raise NotYourNudge(nudge.recipient_id)
    return nudge


def may_answer(session: Session, nudge: Nudge, actor_id: str) -> bool:
    """In a channel anyone of the workspace may answer a nudge; in a DM, whoever got it or the owner now."""
    in_channel = nudge.escalation_channel_id is not None or not nudge.recipient_id.startswith(("U", "W"))
    return in_channel or actor_id in (nudge.recipient_id, current_owner(session, nudge))


def carries_nudges(session: Session, *, team_id: str, channel_id: str, ts: str) -> bool:
    """Whether a message is one of our nudges (a nudge, a combined one, a team-channel post): most reactions aren't."""
    on_it = or_(
        (Nudge.channel_id == channel_id) & (Nudge.ts == ts),
        (Nudge.escalation_channel_id == channel_id) & (Nudge.escalation_ts == ts),
    )
    return session.scalar(select(Nudge.id).where(Nudge.team_id == team_id, on_it).limit(1)) is not None


def nudges_on_message(session: Session, *, team_id: str, channel_id: str, ts: str) -> list[Nudge]:
    """The nudges a message carries: the nudge itself, a combined message's items, or a team-channel post."""
    return list(
        session.scalars(
            select(Nudge)
            .where(
                Nudge.team_id == team_id,
                or_(
                    (Nudge.channel_id == channel_id) & (Nudge.ts == ts),
                    (Nudge.escalation_channel_id == channel_id) & (Nudge.escalation_ts == ts),
                ),
            )
            .order_by(Nudge.id)
            .with_for_update(key_share=True)
        )
    )


def ensure_open(nudge: Nudge) -> None:
    """Raise NudgeAlreadyAnswered unless the nudge still waits for an answer."""
    if nudge.status != Status.POSTED:
        raise NudgeAlreadyAnswered(
            nudge.answered_by, nudge.answer if nudge.status == Status.ANSWERED else Status.CLOSED
        )


def _client(session: Session, nudge: Nudge) -> Client:
    client = session.scalar(
        select(Client)
        .where(Client.team_id == nudge.team_id, Client.id == nudge.client_id)
        .with_for_update(key_share=True)
    )
    assert client is not None  # the composite foreign key keeps them together
    return client


def _promise(session: Session, nudge: Nudge) -> Promise:
    assert nudge.promise_id is not None
    return get_promise_or_raise(session, team_id=nudge.team_id, promise_id=nudge.promise_id)


def _finish(nudge: Nudge, action: Action, actor_id: str, now: datetime) -> None:
    nudge.status = Status.ANSWERED
    nudge.answer = action
    nudge.answered_by = actor_id
    nudge.answered_at = now


def answer(
    session: Session,
    *,
    nudge: Nudge,
    action: Action,
    actor_id: str,
    now: datetime,
    snooze_days: int | None = None,
    new_owner: str | None = None,
    new_date: date | None = None,
    today: date | None = None,
    note: str | None = None,
) -> Answered:
    """Apply one answer to an open nudge; an answered or closed nudge raises NudgeAlreadyAnswered."""
    ensure_open(nudge)
    client = _client(session, nudge)
    promise = _promise(session, nudge) if nudge.promise_id is not None else None
    result = Answered(action=action, actor_id=actor_id, nudges=[nudge], client=client, promise=promise)
    if nudge.kind == NudgeKind.UNANSWERED:
        _answer_message(session, nudge, result, now)
    elif nudge.kind == NudgeKind.SPONSOR:
        _answer_sponsor(session, nudge, result, now, snooze_days, note)
    elif action == Action.DONE or action == Action.LOGGED:
        _done(session, nudge, result, now, note)
    elif action == Action.SNOOZE:
        _snooze(session, nudge, result, now, snooze_days)
    elif action in (Action.TAKE, Action.HAND_OVER):
        _hand_over(session, nudge, result, now, new_owner or actor_id)
    elif action == Action.NEW_DATE:
        assert new_date is not None and today is not None
        _new_date(session, nudge, result, now, new_date, today)
    else:
        raise ValueError(action)
    if result.changed:
        _finish(nudge, action, actor_id, now)
    return result


def _answer_message(session: Session, nudge: Nudge, result: Answered, now: datetime) -> None:
    """Done answers the client's message (no contact is logged), snooze asks again later; 🙋 changes nothing.

    A message answered in the channel or deleted since the nudge closes it, as the sweep would have.
    """
    message = message_of(session, nudge)
    if message is None or message.answered_at is not None or message.deleted:
        _close(nudge, message, now)
        result.changed = False
    elif result.action in (Action.DONE, Action.LOGGED):
        answer_waiting(session, message=message, by=result.actor_id, at=now)
    elif result.action == Action.SNOOZE:
        if message.due_at is not None and message.due_at > now:  # snoozed by a click a moment ago: once is enough
            result.until = message.due_at
        else:
            result.until = snooze_message(session, message=message, client=result.client, by=result.actor_id, now=now)
    else:
        result.changed = False


def _answer_sponsor(
    session: Session, nudge: Nudge, result: Answered, now: datetime, days: int | None, note: str | None
) -> None:
    """Done logs the sponsor's own contact (which resets their clock), snooze postpones it; 🙋 changes nothing.

    A sponsor's cadence is personal: there is nothing to take over or hand over (and no date to move). A nudge
    whose recipient is no longer the sponsor is closed, as the sweep would have.
    """
    current = sponsor_of(session, client=result.client, lock=True)
    if current is None or current.user_id != nudge.recipient_id:
        nudge.status, nudge.answer, nudge.answered_at = Status.CLOSED, ClosingReason.CHANGED, now
        result.changed = False
    elif result.action in (Action.DONE, Action.LOGGED):
        log_contact(
            session, client=result.client, user_id=result.actor_id, note=note or CONFIRMED_NOTE, now=now,
            source=Source.NUDGE, idempotency_key=f"nudge:{nudge.id}",
        )  # fmt: skip
    elif result.action == Action.SNOOZE:
        result.until = now + timedelta(days=days or CLIENT_SNOOZE_DAYS)
        snooze_sponsor(session, client=result.client, by=result.actor_id, until=result.until, now=now)
    else:
        result.changed = False


def _close(nudge: Nudge, message: ChannelMessage | None, now: datetime) -> None:
    answered = message is not None and message.answered_at is not None
    nudge.status = Status.CLOSED
    nudge.answer = ClosingReason.ANSWERED if answered else ClosingReason.DELETED
    nudge.answered_by = message.answered_by if message is not None and answered else None
    nudge.answered_at = now


def _done(session: Session, nudge: Nudge, result: Answered, now: datetime, note: str | None) -> None:
    if nudge.kind == NudgeKind.QUIET:
        log_contact(
            session, client=result.client, user_id=result.actor_id, note=note or CONFIRMED_NOTE, now=now,
            source=Source.NUDGE, idempotency_key=f"nudge:{nudge.id}",
        )  # fmt: skip
        return
    promise = result.promise
    assert promise is not None
    if promise.done_at is None:
        promise.done_at, promise.done_by = now, result.actor_id


def _snooze(session: Session, nudge: Nudge, result: Answered, now: datetime, days: int | None) -> None:
    client = result.client
    if nudge.kind == NudgeKind.QUIET:
        until = now + timedelta(days=days or CLIENT_SNOOZE_DAYS)
        client.snoozed_until = until
        refresh_quiet(client)
        events.record(session, client=client, kind=events.Kind.SNOOZED, actor_id=result.actor_id, at=now,
                      until=until.isoformat())  # fmt: skip
    else:
        promise = result.promise
        assert promise is not None
        hours = hours_of_person(session, team_id=client.team_id, user_id=promise.owner_id)  # their working day
        today = now.date()
        until = now + timedelta(days=days or (hours.add_working_days(today, 1) - today).days)
        promise.snoozed_until = until
        refresh_cycles(promise)
        events.record(session, client=client, kind=events.Kind.PROMISE_SNOOZED, actor_id=result.actor_id, at=now,
                      promise_id=promise.id, until=until.isoformat())  # fmt: skip
    result.until = until


def _hand_over(session: Session, nudge: Nudge, result: Answered, now: datetime, new_owner: str) -> None:
    previous: str | None
    if nudge.promise_id is not None and nudge.kind != NudgeKind.QUIET:
        promise = result.promise
        assert promise is not None
        previous, promise.owner_id = promise.owner_id, new_owner
        promise_id: int | None = promise.id
    else:
        previous, result.client.owner_id = result.client.owner_id, new_owner
        promise_id = None
    result.new_owner = new_owner
    if previous == new_owner:
        result.changed = False
        return
    _give_time(session, nudge, result, now)
    events.record(session, client=result.client, kind=events.Kind.HANDED_OVER, actor_id=result.actor_id, at=now,
                  promise_id=promise_id, previous=previous, owner=new_owner)  # fmt: skip


def _give_time(session: Session, nudge: Nudge, result: Answered, now: datetime) -> None:
    """A new owner gets a few days before being nudged themselves: a new cycle, so they are nudged then."""
    if nudge.kind == NudgeKind.QUIET:
        client = result.client
        client.snoozed_until = max(client.snoozed_until or now, now + HANDOVER_GRACE)
        refresh_quiet(client)
    elif result.promise is not None:
        promise = result.promise
        hours = hours_of_person(session, team_id=promise.team_id, user_id=promise.owner_id)
        today = now.date()
        promise.snoozed_until = now + timedelta(days=(hours.add_working_days(today, 1) - today).days)
        refresh_cycles(promise)


def _new_date(session: Session, nudge: Nudge, result: Answered, now: datetime, new_date: date, today: date) -> None:
    promise = result.promise
    assert promise is not None
    if new_date <= today:
        raise NotInFuture(new_date)
    result.old_date, result.new_date = promise.due_on, new_date
    events.record(session, client=result.client, kind=events.Kind.PROMISE_MOVED, actor_id=result.actor_id, at=now,
                  promise_id=promise.id, old=promise.due_on.isoformat(), new=new_date.isoformat())  # fmt: skip
    promise.due_on = new_date
    promise.snoozed_until = None
    refresh_cycles(promise)


def current_owner(session: Session, nudge: Nudge) -> str | None:
    """Who owns what the nudge is about now: the promise's owner, or the client's."""
    if nudge.kind == NudgeKind.SPONSOR:  # the sponsor now: the nudge is theirs to answer
        return session.scalar(
            select(ClientSponsor.user_id).where(
                ClientSponsor.team_id == nudge.team_id, ClientSponsor.client_id == nudge.client_id
            )
        )
    if nudge.promise_id is not None and nudge.kind != NudgeKind.QUIET:
        return session.scalar(
            select(Promise.owner_id).where(Promise.team_id == nudge.team_id, Promise.id == nudge.promise_id)
        )
    return session.scalar(select(Client.owner_id).where(Client.team_id == nudge.team_id, Client.id == nudge.client_id))
