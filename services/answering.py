"""Answering nudges from buttons and reactions: one transaction, then the messages are edited."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from domain.dates import local_today
from domain.languages import language_of
from domain.nudge_answers import Action, Answered, answer
from domain.nudges import MessageKey
from domain.people import Lookup, profile
from domain.story import timeline
from render.blocks import Message
from render.i18n import speaking
from render.nudges import handed_over_dm
from services.directory import look_up
from services.failures import SLACK_FAILURES, failure
from services.nudging import refresh_message, update
from storage.db import unit_of_work
from storage.models import Nudge

log = logging.getLogger("rapport.answers")
HANDOVER_ENTRIES = 5


@dataclass(frozen=True)
class Note:
    """A direct message to send once the answer is committed (the new owner's hand-over note)."""

    user_id: str
    message: Message


@dataclass
class After:
    """What to do in Slack once an answer is committed: messages to edit, notes to send."""

    messages: set[MessageKey] = field(default_factory=set)
    notes: list[Note] = field(default_factory=list)

    def add(self, other: After) -> None:
        """Also do what `other` needs."""
        self.messages |= other.messages
        self.notes += other.notes


def apply(
    session: Session, nudge: Nudge, *, action: Action, actor_id: str, now: datetime, lookup: Lookup, **options: Any
) -> tuple[Answered, After]:
    """Answer one nudge and work out which messages to edit and whom to tell (`lookup`: people looked up before)."""
    result = answer(session, nudge=nudge, action=action, actor_id=actor_id, now=now, **options)
    after = After()
    for each in result.nudges:
        if each.channel_id and each.ts:
            after.messages.add(MessageKey(each.team_id, each.channel_id, each.ts))
        if each.escalation_channel_id and each.escalation_ts:
            after.messages.add(MessageKey(each.team_id, each.escalation_channel_id, each.escalation_ts))
    new_owner = result.new_owner
    if action == Action.HAND_OVER and result.changed and new_owner and new_owner != actor_id:
        reader = profile(session, team_id=nudge.team_id, user_id=new_owner, now=now, lookup=lookup)
        tz = reader.tz if reader else None
        entries = timeline(session, client=result.client, limit=HANDOVER_ENTRIES)
        with speaking(language_of(session, team_id=nudge.team_id, user_id=new_owner)):  # theirs, not the actor's
            note = handed_over_dm(result.client.name, actor_id, entries, tz=tz, today=local_today(now, tz))
        after.notes.append(Note(new_owner, note))
    return result, after


def finish(sessions: sessionmaker[Session], slack: WebClient, after: After, *, now: datetime, reader_id: str) -> None:
    """Edit the answered messages (buttons go, the outcome shows) and send hand-over notes."""
    teams = {key.team_id for key in after.messages}
    readers = {team: look_up(sessions, slack, team_id=team, user_ids=[reader_id], now=now) for team in teams}
    for key in after.messages:
        with unit_of_work(sessions) as session:
            message = refresh_message(session, readers[key.team_id], team_id=key.team_id, channel_id=key.channel_id,
                                      ts=key.ts, now=now, reader_id=reader_id)  # fmt: skip
        if message is not None:
            update(slack, key.channel_id, key.ts, message)
    for note in after.notes:
        try:
            slack.chat_postMessage(channel=note.user_id, **note.message.to_dict())
        except SLACK_FAILURES as exc:  # the hand-over is stored; only the note did not arrive
            log.warning("could not tell %s about a hand-over: %s", note.user_id, failure(exc))


def today_for(session: Session, lookup: Lookup, *, team_id: str, user_id: str, now: datetime) -> date:
    """The user's own today (new promise dates must be after it)."""
    found = profile(session, team_id=team_id, user_id=user_id, now=now, lookup=lookup)
    return local_today(now, found.tz if found else None)
