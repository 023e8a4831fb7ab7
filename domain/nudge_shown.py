"""What a nudge message shows: each of its nudges with the current facts of its client, promise or message.

Answering a nudge, and the sweep closing one, re-render its messages from this (services.nudging).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, case, or_, select
from sqlalchemy.orm import Session

from domain.nudge_messages import of_nudge, waiting_of
from domain.nudge_sponsors import of_nudge as of_sponsor_nudge
from domain.nudges import MessageKey, NudgeKind, WaitingMessage
from storage.boss_models import ClientSponsor
from storage.models import ChannelMessage, Client, Nudge, Promise


@dataclass(frozen=True)
class Shown:
    """A nudge as its message shows it now: its state and the current facts of its client or promise."""

    nudge: Nudge
    client_name: str
    owner_id: str | None
    what: str | None
    due_on: date | None
    snoozed_until: datetime | None  # a client's or promise's snooze; for a client's message, its deadline now
    in_channel: bool
    message: WaitingMessage | None = None  # the unanswered kind's message, as it is now


def shown_on_message(session: Session, *, team_id: str, channel_id: str, ts: str) -> list[Shown]:
    """Every nudge a message shows (several for a combined message), with what it is about."""
    key = MessageKey(team_id, channel_id, ts)
    return shown_on_messages(session, [key]).get(key, [])


def shown_on_messages(session: Session, messages: list[MessageKey]) -> dict[MessageKey, list[Shown]]:
    """What several messages show, in one query, by (team, channel, ts): a nudge's own message or a team post."""
    if not messages:
        return {}
    wanted = set(messages)
    rows = session.execute(
        select(
            Nudge,
            Client.name,
            Client.owner_id,
            _snoozed_until(),
            Promise.what,
            Promise.due_on,
            Promise.owner_id,
            Promise.snoozed_until,
            ChannelMessage,
        )
        .join(Client, (Client.team_id == Nudge.team_id) & (Client.id == Nudge.client_id))
        .outerjoin(Promise, (Promise.team_id == Nudge.team_id) & (Promise.id == Nudge.promise_id))
        .outerjoin(ChannelMessage, of_nudge())
        .outerjoin(ClientSponsor, of_sponsor_nudge())
        .where(_on_messages(wanted))
        .order_by(Nudge.id)
    )
    found: dict[MessageKey, list[Shown]] = {}
    for nudge, name, owner, snoozed, what, due_on, p_owner, p_snoozed, row in rows:
        message = waiting_of(row)
        places = [
            MessageKey(nudge.team_id, nudge.channel_id or "", nudge.ts or ""),
            MessageKey(nudge.team_id, nudge.escalation_channel_id or "", nudge.escalation_ts or ""),
        ]
        for key in places:
            if key in wanted:
                in_channel = key.channel_id.startswith(("C", "G"))
                snooze = message.due_at if message else p_snoozed if nudge.promise_id else snoozed
                shown = Shown(nudge, name, p_owner if nudge.promise_id else owner, what, due_on, snooze, in_channel,
                              message)  # fmt: skip
                found.setdefault(key, []).append(shown)
    return found


def _snoozed_until() -> ColumnElement[datetime | None]:
    """Until when a client's nudge was snoozed: the client's quiet clock, or for a sponsor's nudge, the sponsor's."""
    return case((Nudge.kind == NudgeKind.SPONSOR, ClientSponsor.snoozed_until), else_=Client.snoozed_until)


def _on_messages(wanted: set[MessageKey]) -> ColumnElement[bool]:
    """Nudges shown on any of `wanted`: as their own message or as a team-channel post."""
    on_message = or_(
        *((Nudge.team_id == m.team_id) & (Nudge.channel_id == m.channel_id) & (Nudge.ts == m.ts) for m in wanted)
    )
    on_team_post = or_(
        *(
            (Nudge.team_id == m.team_id) & (Nudge.escalation_channel_id == m.channel_id) & (Nudge.escalation_ts == m.ts)
            for m in wanted
        )
    )
    return or_(on_message, on_team_post)
