"""The Slack side of nudges shared by the sweep and the listeners: turning rows into messages, and updating them."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from domain.briefings import briefings_on
from domain.dates import local_today
from domain.hours import WorkingHours
from domain.languages import language_of
from domain.nudge_answers import Action
from domain.nudge_shown import Shown, shown_on_message
from domain.nudges import MessageKey, NudgeKind, Status, Target
from domain.people import Lookup, Profile, profile
from domain.survey_followups import Waiting, waiting
from domain.workspace import hours_of_person
from render import unanswered
from render.blocks import Message
from render.briefings import Item, SurveyItem, briefing_message
from render.i18n import speaking
from render.nudges import About, answered_message, closed_outcome, outcome
from services.failures import SLACK_FAILURES, failure
from storage.models import Contact, Person

log = logging.getLogger("rapport.nudges")
NUDGE_EVENT = "rapport_nudge"
HISTORY_LIMIT = 200  # messages looked through for a nudge that may have been posted: one page, bounded
CLOCK_SKEW = timedelta(minutes=1)  # Slack's clock and ours may differ a little; look a bit further back


def about_target(nudge_id: int, target: Target, last: Contact | None, *, to_channel: bool) -> About:
    """What a freshly claimed nudge is about."""
    return About(
        nudge_id=nudge_id, kind=target.kind, client_name=target.client_name, owner_id=target.owner_id,
        cadence_days=target.cadence_days, quiet_since=target.quiet_since,
        last_at=last.occurred_at if last else None, last_by=last.user_id if last else None,
        last_note=last.note if last else None, last_link=last.permalink if last else None,
        what=target.what, due_on=target.due_on, to_channel=to_channel, message=target.message,
        own_last_at=target.last_contact_at if target.kind == NudgeKind.SPONSOR else None,
    )  # fmt: skip


def about_shown(shown: Shown) -> About:
    """What a nudge already posted is about (for its edited message)."""
    nudge = shown.nudge
    return About(
        nudge_id=nudge.id, kind=NudgeKind(nudge.kind), client_name=shown.client_name, owner_id=shown.owner_id,
        what=shown.what, due_on=shown.due_on, to_channel=shown.in_channel, message=shown.message,
    )  # fmt: skip


def result_of(shown: Shown, *, tz: str | None, today: date) -> str | None:
    """What became of a nudge, in words; None while it is open."""
    nudge = shown.nudge
    if nudge.status == Status.CLOSED:
        return closed_outcome(NudgeKind(nudge.kind), nudge.answer, nudge.answered_by)
    if nudge.status != Status.ANSWERED:
        return None
    action = Action(nudge.answer or Action.DONE)
    if nudge.kind == NudgeKind.UNANSWERED:
        return unanswered.outcome(action, nudge.answered_by or "", until=shown.snoozed_until, tz=tz, today=today)
    return outcome(
        action, nudge.answered_by or "", until=shown.snoozed_until, tz=tz, today=today,
        new_owner=shown.owner_id if action in (Action.TAKE, Action.HAND_OVER) else None,
        new_date=shown.due_on if action == Action.NEW_DATE else None,
    )  # fmt: skip


def post(slack: WebClient, channel: str, message: Message, nudge_ids: list[int]) -> tuple[str, str]:
    """Post a nudge message; returns (channel, ts). The ids ride along as message metadata."""
    answer = slack.chat_postMessage(
        channel=channel,
        unfurl_links=False,
        metadata={"event_type": NUDGE_EVENT, "event_payload": {"nudges": ",".join(map(str, nudge_ids))}},
        **message.to_dict(),
    )
    return str(answer["channel"]), str(answer["ts"])


def find_posted(
    slack: WebClient, *, to: str, is_channel: bool, nudge_ids: list[int], since: datetime
) -> dict[int, tuple[str, str]]:
    """Nudges among `nudge_ids` already posted to `to` since `since`, by their message metadata: {id: (channel, ts)}.

    A sweep that died, or gave up waiting for Slack's answer, may have posted a message it never recorded.
    """
    channel = to if is_channel else str(slack.conversations_open(users=to)["channel"]["id"])  # a user's DM
    answer = slack.conversations_history(
        channel=channel, oldest=f"{(since - CLOCK_SKEW).timestamp():.6f}", limit=HISTORY_LIMIT,
        include_all_metadata=True,
    )  # fmt: skip
    wanted = {str(nudge_id): nudge_id for nudge_id in nudge_ids}
    found: dict[int, tuple[str, str]] = {}
    for message in answer.get("messages") or []:
        metadata = message.get("metadata") or {}
        if metadata.get("event_type") != NUDGE_EVENT:
            continue
        for listed in str((metadata.get("event_payload") or {}).get("nudges") or "").split(","):
            if listed in wanted:
                found.setdefault(wanted[listed], (channel, str(message["ts"])))
    return found


def refresh_message(
    session: Session, lookup: Lookup, *, team_id: str, channel_id: str, ts: str, now: datetime, reader_id: str
) -> Message | None:
    """Re-render a nudge message from what its nudges are now (answered items lose their buttons), in the language
    of whoever reads it (its recipient; a team channel, the workspace's), not of whoever answered."""
    items = shown_on_message(session, team_id=team_id, channel_id=channel_id, ts=ts)
    key = MessageKey(team_id, channel_id, ts)
    briefed = briefings_on(session, [key]).get(key)
    if briefed is not None:  # a briefing stays one: grouped, its surveys still there, titled with its own day
        owner = session.get(Person, (team_id, briefed[0]))  # its days are its owner's, whoever answered
        hours = hours_of_person(session, team_id=team_id, user_id=briefed[0])
        surveys = waiting(session, team_id=team_id, user_id=briefed[0])
        with speaking(language_of(session, team_id=team_id, user_id=briefed[0])):
            return render_briefing(items, surveys, tz=owner.tz if owner else None, now=now, hours=hours, of=briefed[1])
    who = profile(session, team_id=team_id, user_id=reader_id, now=now, lookup=_quiet(lookup))
    with speaking(language_of(session, team_id=team_id, user_id=message_reader(key, items))):
        return render_shown(items, tz=who.tz if who else None, now=now)


def message_reader(key: MessageKey, items: list[Shown]) -> str | None:
    """Who reads a nudge message: its nudges' recipient (an id that is nobody's, a channel, reads as the
    workspace), or nobody in particular (None) for a post to the team channel."""
    for shown in items:
        if (shown.nudge.escalation_channel_id, shown.nudge.escalation_ts) == (key.channel_id, key.ts):
            return None
    return items[0].nudge.recipient_id if items else None


def render_shown(items: list[Shown], *, tz: str | None, now: datetime) -> Message | None:
    """A nudge message as its nudges stand now: outcomes for answered ones, buttons for open ones."""
    if not items:
        return None
    today = local_today(now, tz)
    return answered_message([(about_shown(i), result_of(i, tz=tz, today=today)) for i in items], today=today)


def render_briefing(
    items: list[Shown], surveys: list[Waiting], *, tz: str | None, now: datetime, hours: WorkingHours, of: date
) -> Message | None:
    """A briefing as its nudges and surveys stand now: outcomes for answered ones, buttons for open ones."""
    if not items and not surveys:
        return None
    today = local_today(now, tz)
    listed = [
        Item(about_shown(i), open_since=local_today(i.nudge.posted_at or now, tz), outcome=result_of(i, tz=tz,
                                                                                                      today=today))
        for i in items
    ]  # fmt: skip
    waiting_now = [SurveyItem(w.survey_id, w.project, w.client_name, w.requester_id) for w in surveys]
    return briefing_message(listed, waiting_now, more=0, now=now, tz=tz, today=today, hours=hours, of=of)


def update(slack: WebClient, channel_id: str, ts: str, message: Message) -> None:
    """chat.update, logged (not raised) on failure: the answer is stored whatever Slack says."""
    try:
        slack.chat_update(channel=channel_id, ts=ts, **message.to_dict())
    except SLACK_FAILURES as exc:
        log.warning("could not update nudge message %s/%s: %s", channel_id, ts, failure(exc))


def _quiet(lookup: Lookup) -> Lookup:
    """A look-up that gives up quietly: a time zone is nice to have for an edited message, not essential."""

    def safe(user_id: str) -> Profile | None:
        try:
            return lookup(user_id)
        except SLACK_FAILURES:
            return None

    return safe
