"""A sweep's follow-ups of earlier nudges: one reminder in the thread, the team channel, closing those not needed.

A follow-up Slack refused is given back for the next sweep; one we built wrong (our bug) is logged as an error
and keeps its claim, so it is not retried every sweep.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict

from domain.briefings import briefings_on
from domain.covering import cover_note
from domain.dates import local_today
from domain.nudge_candidates import last_contacts
from domain.nudge_claims import claim_escalations, claim_reminders, close, record_escalations, unclaim
from domain.nudge_planning import closing
from domain.nudge_shown import shown_on_messages
from domain.nudges import Candidates, Escalation, EscalationPosted, MessageKey, NudgeKind, OpenNudge
from domain.survey_followups import waiting
from render.blocks import Message
from render.i18n import speaking
from render.nudges import About, escalation_message, reminder_message
from services.failures import failure
from services.fan_out import per_conversation
from services.nudging import message_reader, post, render_briefing, render_shown, update
from services.sweep_common import DELIVERY_ERRORS, Crew, Report, invalid_message, our_bug, reader, reader_languages
from storage.db import unit_of_work
from storage.models import Contact, Nudge

log = logging.getLogger("rapport.sweep")


def remind(crew: Crew, reminders: list[OpenNudge], candidates: Candidates, report: Report) -> None:
    """One reminder in the nudge's thread (one per message, for a combined one)."""
    with unit_of_work(crew.sessions) as session:
        won = set(claim_reminders(session, [n.id for n in reminders], now=candidates.now))
        # in the nudge's own conversation: a DM's reader, or (a nudge posted to a channel) the workspace's language
        languages = reader_languages(session, [(n.team_id, n.recipient_id) for n in reminders if n.id in won])
    by_message: dict[tuple[str | None, str | None], list[OpenNudge]] = defaultdict(list)
    for nudge in reminders:
        if nudge.id in won:
            by_message[(nudge.channel_id, nudge.ts)].append(nudge)
    failed: list[int] = []
    lock = threading.Lock()  # the workers below report from several threads

    def send(nudges: list[OpenNudge]) -> None:
        first = nudges[0]
        today = local_today(candidates.now, candidates.tz_of(first.team_id, first.recipient_id))
        with speaking(languages.of(first.team_id, first.recipient_id)):
            message = reminder_message(_about(first, to_channel=False), today=today)
        try:
            crew.slack.chat_postMessage(channel=first.channel_id or first.recipient_id, thread_ts=first.ts,
                                        **message.to_dict())  # fmt: skip
            with lock:
                report.reminders += 1
        except DELIVERY_ERRORS as exc:
            if invalid_message(exc):
                our_bug("reminder", [n.id for n in nudges], exc)  # it keeps its claim: not retried
            else:
                log.warning("reminder for %s failed: %s", first.client_name, failure(exc))
                with lock:
                    failed.extend(n.id for n in nudges)

    per_conversation(
        by_message.values(), conversation=lambda n: n[0].channel_id or n[0].recipient_id, work=send,
        workers=crew.concurrency,
    )  # fmt: skip
    if failed:
        with unit_of_work(crew.sessions) as session:
            unclaim(session, failed, Nudge.reminded_at)


def escalate(crew: Crew, escalations: list[Escalation], candidates: Candidates, report: Report) -> None:
    """Nudges still unanswered after the reminder go to the team channel, where anyone can take them."""
    now = candidates.now
    with unit_of_work(crew.sessions) as session:
        won = set(claim_escalations(session, [e.nudge.id for e in escalations], now=now))
        languages = reader_languages(session, [reader(e.to) for e in escalations if e.nudge.id in won])
        quiet = {(e.nudge.team_id, e.nudge.client_id) for e in escalations if e.nudge.kind == NudgeKind.QUIET}
        last = last_contacts(session, quiet)  # the team reads how long the client has been quiet, and since whom
    done: list[EscalationPosted] = []
    failed: list[int] = []
    lock = threading.Lock()  # the workers below report from several threads

    def send(escalation: Escalation) -> None:
        nudge, to = escalation.nudge, escalation.to
        with speaking(languages.of(*reader(to))):  # the team channel: the workspace's language
            message = _escalation(escalation, candidates, last.get((nudge.team_id, nudge.client_id)))
        try:
            channel, ts = post(crew.slack, to.id, message, [nudge.id])
            with lock:
                done.append(EscalationPosted(nudge.id, channel, ts))
                report.escalations += 1
        except DELIVERY_ERRORS as exc:
            if invalid_message(exc):
                our_bug("team-channel post", [nudge.id], exc)  # it keeps its claim: not retried
            else:
                log.warning("team-channel post for %s failed: %s", nudge.client_name, failure(exc))
                with lock:
                    failed.append(nudge.id)

    try:
        per_conversation(
            [e for e in escalations if e.nudge.id in won], conversation=lambda e: e.to.id, work=send,
            workers=crew.concurrency,
        )  # fmt: skip
    finally:
        with unit_of_work(crew.sessions) as session:
            record_escalations(session, done)
            unclaim(session, failed, Nudge.escalated_at)


def _escalation(escalation: Escalation, candidates: Candidates, last: Contact | None) -> Message:
    """The team-channel post of a nudge nobody answered, naming who had it when the owner is away."""
    nudge, to, now = escalation.nudge, escalation.to, candidates.now
    hours = candidates.hours_of(nudge.team_id, to.id)
    covered = cover_note(candidates, nudge.team_id, nudge.owner_id, nudge.recipient_id)  # the owner is away
    return escalation_message(
        _about(nudge, to_channel=True, last=last), now=now, tz=to.tz, today=local_today(now, to.tz), hours=hours,
        silent_id=nudge.recipient_id if covered else None,
    )  # fmt: skip


def close_unneeded(crew: Crew, closings: list[OpenNudge], candidates: Candidates, report: Report) -> None:
    """Nudges no longer needed (a contact was logged, the promise kept or moved, the message answered) lose their
    buttons."""
    if not closings:
        return
    readers: dict[MessageKey, str] = {}
    for n in closings:
        if n.channel_id and n.ts:
            readers[MessageKey(n.team_id, n.channel_id, n.ts)] = n.recipient_id
        if n.escalation_channel_id and n.escalation_ts:
            readers[MessageKey(n.team_id, n.escalation_channel_id, n.escalation_ts)] = n.owner_id or n.created_by
    with unit_of_work(crew.sessions) as session:
        close(session, [closing(n) for n in closings], now=candidates.now)
        shown = shown_on_messages(session, list(readers))
        briefed = briefings_on(session, list(shown))  # briefings stay briefings, with their surveys
        surveys = {key: waiting(session, team_id=key.team_id, user_id=user) for key, (user, _) in briefed.items()}
        reading = {
            key: briefed[key][0] if key in briefed else message_reader(key, items) for key, items in shown.items()
        }
        languages = reader_languages(session, [(key.team_id, user) for key, user in reading.items()])
    for key, items in shown.items():
        tz = candidates.tz_of(key.team_id, readers.get(key, ""))
        with speaking(languages.of(key.team_id, reading[key])):  # whoever reads the message, not whoever answered
            if key in surveys:
                hours = candidates.hours_of(key.team_id, briefed[key][0])
                message = render_briefing(items, surveys[key], tz=tz, now=candidates.now, hours=hours,
                                          of=briefed[key][1])  # fmt: skip
            else:
                message = render_shown(items, tz=tz, now=candidates.now)
        if message is not None:
            update(crew.slack, key.channel_id, key.ts, message)
    report.closed += len(closings)


def _about(nudge: OpenNudge, *, to_channel: bool, last: Contact | None = None) -> About:
    return About(
        nudge_id=nudge.id, kind=nudge.kind, client_name=nudge.client_name, owner_id=nudge.owner_id,
        cadence_days=nudge.cadence_days, quiet_since=nudge.quiet_since,
        last_at=last.occurred_at if last else None, last_by=last.user_id if last else None,
        last_note=last.note if last else None, last_link=last.permalink if last else None,
        what=nudge.what, due_on=nudge.due_on, to_channel=to_channel, message=nudge.message,
    )  # fmt: skip
