"""A sweep's briefings and handovers: claim, post one DM each, then record, as new nudges are (nudge_posting).

A briefing is claimed once per person and local day; the new nudges it lists are claimed like any others, and
the open ones it lists again are moved onto it, so its buttons and reactions answer them. A handover moves the
open nudges of someone away onto one message to whoever covers. Slack is never called inside a transaction.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from domain.briefing_planning import briefs
from domain.briefings import claim_briefings, mark_briefed, move_to_message, release_briefings
from domain.covering import cover_note, meant_for
from domain.dates import local_today
from domain.nudge_candidates import last_contacts
from domain.nudge_claims import claim, claim_reminders, mark_posted, release
from domain.nudges import BriefingPost, Candidates, FailedNudge, Handover, OpenNudge, Post, PostedNudge, Recipient
from domain.survey_followups import claim_reminders as count_survey_reminders
from render.blocks import Message
from render.briefings import Item, SurveyItem, briefing_message, handover_message
from render.i18n import speaking
from render.nudges import About
from services.failures import failure
from services.fan_out import per_conversation
from services.nudging import about_target, find_posted, post
from services.sweep_common import DELIVERY_ERRORS, Crew, Report, reader, reader_languages
from storage.db import read_only, unit_of_work
from storage.models import Contact

log = logging.getLogger("rapport.sweep")
Contacts = dict[tuple[str, int], Contact]


@dataclass
class Outcome:
    """What became of the briefings and handovers; posting workers add to it from several threads."""

    posted: list[PostedNudge] = field(default_factory=list)
    moved: list[tuple[int, str, str, str]] = field(default_factory=list)  # (nudge, recipient, channel, ts)
    briefed: list[tuple[int, str | None, str | None]] = field(default_factory=list)  # (briefing, channel, ts)
    failed: list[FailedNudge] = field(default_factory=list)
    unbriefed: list[tuple[int, str]] = field(default_factory=list)  # (briefing, error)
    surveys: list[int] = field(default_factory=list)  # participants reminded by a briefing
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


def post_briefings(crew: Crew, briefings: list[BriefingPost], candidates: Candidates, report: Report) -> None:
    """Claim the day's briefings due now and their new nudges, post each, record what happened in one go."""
    now = candidates.now
    if not briefings:
        return
    with unit_of_work(crew.sessions) as session:
        won = claim_briefings(session, briefings, now=now)
        mine = [b for b in briefings if (b.recipient.team_id, b.recipient.id, b.day) in won]
        owned = {p.recipient: p for p in claim(session, [Post(b.recipient, b.new, True) for b in mine if b.new],
                                                now=now)}  # fmt: skip
        for briefing in mine:
            found = owned.get(briefing.recipient)
            briefing.new, briefing.nudge_ids = (found.targets, found.nudge_ids) if found else ([], [])
        contacts = last_contacts(session, {(t.team_id, t.client_id) for b in mine for t in b.new if t.last_contact_at})
        languages = reader_languages(session, [reader(b.recipient) for b in mine if not b.empty])
    done = Outcome()

    def send(briefing: BriefingPost) -> None:
        briefing_id, first = won[(briefing.recipient.team_id, briefing.recipient.id, briefing.day)]
        with speaking(languages.of(*reader(briefing.recipient))):  # the briefing is in its reader's language
            _send(crew, briefing, briefing_id, candidates, contacts, done, unsure_since=first if first < now else None)

    try:
        per_conversation(mine, conversation=lambda b: b.recipient, work=send, workers=crew.concurrency)
    finally:
        with unit_of_work(crew.sessions) as session:
            _record(session, done, candidates)
    report.briefings += len([b for b in done.briefed if b[1]])
    report.failed += len(done.unbriefed)


def _send(crew: Crew, briefing: BriefingPost, briefing_id: int, candidates: Candidates, contacts: Contacts,
          done: Outcome, *, unsure_since: datetime | None) -> None:  # fmt: skip
    """Post one briefing (nothing for an empty day, which still counts as briefed), unless an earlier sweep did."""
    if briefing.empty:
        with done.lock:
            done.briefed.append((briefing_id, None, None))
        return
    to = briefing.recipient
    ids = [*briefing.nudge_ids, *(n.id for n in briefing.still_open)]
    try:
        found = _posted_before(crew, to, ids, unsure_since)
        channel, ts = found or post(crew.slack, to.id, _render(briefing, candidates, contacts), ids)
    except DELIVERY_ERRORS as exc:
        error = failure(exc)
        log.warning("could not post the briefing of %s: %s; the next sweep tries again", to.id, error)
        with done.lock:
            done.unbriefed.append((briefing_id, error))
            done.failed += [FailedNudge(i, error) for i in briefing.nudge_ids]
        return
    with done.lock:
        done.briefed.append((briefing_id, channel, ts))
        done.posted += [PostedNudge(i, to.id, channel, ts) for i in briefing.nudge_ids]
        done.moved += [(n.id, to.id, channel, ts) for n in briefing.still_open]
        done.surveys += [s.participant_id for s in briefing.surveys
                         if local_today(s.since, to.tz) < briefing.day]  # fmt: skip


def _posted_before(crew: Crew, to: Recipient, ids: list[int], since: datetime | None) -> tuple[str, str] | None:
    """The briefing an earlier sweep posted but never recorded, found by its nudge ids in the DM's history."""
    if since is None or not ids:
        return None
    try:
        found = find_posted(crew.slack, to=to.id, is_channel=False, nudge_ids=ids, since=since)
    except DELIVERY_ERRORS as exc:  # a missing scope or a Slack error: posting twice beats never posting
        log.warning("could not look for the briefing of %s (%s); posting it", to.id, failure(exc))
        return None
    return next(iter(found.values()), None)


def _record(session: Session, done: Outcome, candidates: Candidates) -> None:
    """Write down what was posted, moved, refused; surveys a briefing listed count as reminded."""
    now = candidates.now
    mark_posted(session, done.posted, now=now)
    move_to_message(session, done.moved)
    mark_briefed(session, done.briefed, now=now)
    release_briefings(session, done.unbriefed, now=now)
    release(session, done.failed, now=now)
    count_survey_reminders(session, done.surveys, now=now, not_since=now - timedelta(hours=12))


def _render(briefing: BriefingPost, candidates: Candidates, contacts: Contacts) -> Message:
    to, now = briefing.recipient, candidates.now
    hours = candidates.hours_of(to.team_id, to.id)
    items = [
        Item(_covered(about_target(i, t, contacts.get((t.team_id, t.client_id)), to_channel=False), candidates,
                      to, meant_for(t)))
        for i, t in zip(briefing.nudge_ids, briefing.new, strict=True)
    ]  # fmt: skip
    items += [
        Item(_covered(open_about(n), candidates, to, n.owner_id), open_since=local_today(n.posted_at, to.tz))
        for n in briefing.still_open
    ]
    surveys = [SurveyItem(s.survey_id, s.project, s.client_name, s.requester_id) for s in briefing.surveys]
    return briefing_message(items, surveys, more=briefing.more, now=now, tz=to.tz, today=briefing.day, hours=hours)


def _covered(about: About, candidates: Candidates, to: Recipient, person: str | None) -> About:
    """The item, with why it came to `to` when it is meant for someone away."""
    away = cover_note(candidates, to.team_id, person, to.id)
    return About(**{**about.__dict__, "away": away}) if away else about


def open_about(nudge: OpenNudge) -> About:
    """What an open nudge is about, as a briefing or a handover lists it again."""
    return About(
        nudge_id=nudge.id, kind=nudge.kind, client_name=nudge.client_name, owner_id=nudge.owner_id,
        what=nudge.what, due_on=nudge.due_on, message=nudge.message,
    )  # fmt: skip


def fold_reminders(crew: Crew, reminders: list[OpenNudge], candidates: Candidates) -> list[OpenNudge]:
    """Reminders of people with a briefing are in it (open items are listed daily): counted, not posted. The rest
    go out as usual."""
    folded = [n for n in reminders if briefs(candidates, Recipient(n.team_id, n.recipient_id, False, None))]
    if folded:
        with unit_of_work(crew.sessions) as session:
            claim_reminders(session, [n.id for n in folded], now=candidates.now)
    return [n for n in reminders if n not in folded]


def hand_over(crew: Crew, handovers: list[Handover], candidates: Candidates, report: Report) -> None:
    """Open nudges of someone away go to whoever covers, in one message per former message, then move there."""
    if not handovers:
        return
    done = Outcome()
    today_of = {h.to.id: local_today(candidates.now, h.to.tz) for h in handovers}
    with read_only(crew.sessions) as session:
        languages = reader_languages(session, [reader(h.to) for h in handovers])

    def send(handover: Handover) -> None:
        items = [open_about(n) for n in handover.nudges]
        with speaking(languages.of(*reader(handover.to))):  # whoever covers reads it in their language
            message = handover_message(items, handover.away, today=today_of[handover.to.id],
                                       to_channel=handover.to.is_channel)  # fmt: skip
        try:
            channel, ts = post(crew.slack, handover.to.id, message, [n.id for n in handover.nudges])
        except DELIVERY_ERRORS as exc:
            log.warning("could not hand %s's nudges to %s: %s", handover.away.user_id, handover.to.id, failure(exc))
            return
        with done.lock:
            done.moved += [(n.id, handover.to.id, channel, ts) for n in handover.nudges]

    per_conversation(handovers, conversation=lambda h: h.to.id, work=send, workers=crew.concurrency)
    if done.moved:
        with unit_of_work(crew.sessions) as session:
            move_to_message(session, done.moved)
    report.handovers += len({(m[2], m[3]) for m in done.moved})
