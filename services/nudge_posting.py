"""A sweep's new nudges: claim them, post to different recipients at once, then record what happened.

Slack is never called inside a transaction: claims are committed first, outcomes recorded once posting is over.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import timedelta

from domain.covering import cover_note, meant_for
from domain.dates import local_today
from domain.nudge_candidates import last_contacts
from domain.nudge_claims import claim, give_back, give_up, mark_posted, release
from domain.nudge_planning import fallback_recipient
from domain.nudge_sponsors import others_last_contacts
from domain.nudges import LEASE, Candidates, FailedNudge, NudgeKind, Post, PostedNudge, Recipient, Target
from render.blocks import Message
from render.i18n import speaking
from render.nudges import combined_message, nudge_message
from services.failures import failure
from services.fan_out import per_conversation
from services.nudging import about_target, find_posted, post
from services.sweep_common import (
    DELIVERY_ERRORS,
    UNREACHABLE,
    Crew,
    Languages,
    Report,
    invalid_message,
    our_bug,
    reader,
    reader_languages,
)
from storage.db import unit_of_work
from storage.models import Contact

log = logging.getLogger("rapport.sweep")
POSTING_BUDGET = LEASE - timedelta(minutes=3)  # a sweep posts for at most this long, so no lease expires mid-post


@dataclass(frozen=True)
class Contacts:
    """The latest contact of each (team, client), for the nudge text: by anyone; for a sponsor's, by anyone else.
    And the language each recipient reads (the team channel's too, should a DM be unreachable)."""

    anyone: dict[tuple[str, int], Contact] = field(default_factory=dict)
    others: dict[tuple[str, int], Contact] = field(default_factory=dict)
    languages: Languages = field(default_factory=Languages)

    def of(self, target: Target) -> Contact | None:
        """The contact a target's nudge tells of."""
        found = self.others if target.kind == NudgeKind.SPONSOR else self.anyone
        return found.get((target.team_id, target.client_id))


@dataclass
class Delivered:
    """What became of claimed nudges; the posting workers add to it from several threads."""

    posted: list[PostedNudge] = field(default_factory=list)
    failed: list[FailedNudge] = field(default_factory=list)  # Slack refused or was unreachable: retried later
    invalid: list[FailedNudge] = field(default_factory=list)  # we built a message Slack cannot take: our bug
    untried: list[int] = field(default_factory=list)  # not tried before the posting budget ran out
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, other: Delivered) -> None:
        """Take in one item's outcome."""
        with self.lock:
            self.posted += other.posted
            self.failed += other.failed
            self.invalid += other.invalid
            self.untried += other.untried


def post_new(crew: Crew, posts: list[Post], candidates: Candidates, report: Report) -> None:
    """Claim, post to different recipients at once (each one's messages in order), then record in one go."""
    now = candidates.now
    with unit_of_work(crew.sessions) as session:
        claimed = claim(session, posts, now=now)
        targets = [t for p in claimed for t in p.targets]
        keys = {(t.team_id, t.client_id) for t in targets if t.last_contact_at and t.kind != NudgeKind.SPONSOR}
        sponsors = {(t.team_id, t.client_id, t.sponsor_id) for t in targets if t.sponsor_id}
        readers = [r for p in claimed for r in (reader(p.recipient), (p.recipient.team_id, None))]
        contacts = Contacts(last_contacts(session, keys), others_last_contacts(session, sponsors),
                            reader_languages(session, readers))  # fmt: skip
    done = Delivered()
    deadline = time.monotonic() + POSTING_BUDGET.total_seconds()

    def attempt(item: Post) -> None:
        if time.monotonic() > deadline:  # Slack is slow today: leave the rest before our lease runs out
            done.add(Delivered(untried=item.nudge_ids))
        else:
            done.add(_deliver(crew, item, candidates, contacts))

    try:
        per_conversation(claimed, conversation=lambda p: p.recipient, work=attempt, workers=crew.concurrency)
    finally:  # Slack is never called inside a transaction: what happened is recorded once posting is over
        with unit_of_work(crew.sessions) as session:
            mark_posted(session, done.posted, now=now)
            release(session, done.failed, now=now)
            give_up(session, done.invalid, now=now)
            give_back(session, done.untried, now=now)
    report.posted += len({(p.channel_id, p.ts) for p in done.posted})
    report.failed += len(done.failed) + len(done.invalid)


def _deliver(crew: Crew, item: Post, candidates: Candidates, contacts: Contacts) -> Delivered:
    """Post one message (to the team channel if the DM is unreachable); a failure is this item's alone."""
    recipient = item.recipient
    outcome = _attempt(crew, recipient, item, candidates, contacts)
    if isinstance(outcome, Delivered):
        return outcome
    error = outcome
    names = ", ".join(t.client_name for t in item.targets)
    fallback = None
    personal = any(t.kind == NudgeKind.SPONSOR for t in item.targets)  # a sponsor's nudge is theirs alone
    if error in UNREACHABLE and not recipient.is_channel and not personal:
        first = item.targets[0]
        fallback = fallback_recipient(candidates, first.team_id, first.created_by, exclude=recipient.id)
    if fallback is not None and fallback.is_channel:
        log.warning("nudge for %s: %s unreachable (%s); posting to the team channel", names, recipient.id, error)
        outcome = _attempt(crew, fallback, item, candidates, contacts)
        if isinstance(outcome, Delivered):
            return outcome
        error = outcome
    log.warning("could not post the nudge for %s to %s: %s; the next sweep tries again", names, recipient.id, error)
    return Delivered(failed=[FailedNudge(nudge_id, error) for nudge_id in item.nudge_ids])


def _attempt(crew: Crew, to: Recipient, item: Post, candidates: Candidates, contacts: Contacts) -> Delivered | str:
    """Post to `to`: what was delivered (or found invalid, our bug: the nudges rest), else Slack's refusal."""
    try:
        return _post_to(crew, to, item, candidates, contacts)
    except DELIVERY_ERRORS as exc:
        if not invalid_message(exc):
            return failure(exc)
        error = our_bug("nudge", item.nudge_ids, exc)
    except Exception as exc:  # rendering or recording it failed: our bug, not Slack's, so it rests like one
        error = our_bug("nudge", item.nudge_ids, exc)
    return Delivered(invalid=[FailedNudge(nudge_id, error) for nudge_id in item.nudge_ids])


def _post_to(crew: Crew, to: Recipient, item: Post, candidates: Candidates, contacts: Contacts) -> Delivered:
    """Post the item's message to `to` unless an earlier sweep already did; raises DELIVERY_ERRORS."""
    found = _posted_before(crew, to, item)
    if found:  # recorded as it stands; nudges not in it go back to the next sweep, to be planned afresh
        return Delivered(
            posted=[PostedNudge(nudge_id, to.id, *found[nudge_id]) for nudge_id in item.nudge_ids if nudge_id in found],
            untried=[nudge_id for nudge_id in item.nudge_ids if nudge_id not in found],
        )
    channel, ts = post(crew.slack, to.id, _render(item, to, candidates, contacts), item.nudge_ids)
    return Delivered(posted=[PostedNudge(nudge_id, to.id, channel, ts) for nudge_id in item.nudge_ids])


def _posted_before(crew: Crew, to: Recipient, item: Post) -> dict[int, tuple[str, str]]:
    """For a claim an earlier sweep took: its message, if Slack got it (looked up in `to`'s conversation)."""
    if item.unsure_since is None:
        return {}
    try:
        found = find_posted(
            crew.slack, to=to.id, is_channel=to.is_channel, nudge_ids=item.nudge_ids, since=item.unsure_since
        )
    except DELIVERY_ERRORS as exc:  # a missing scope or a Slack error: posting twice beats never posting
        log.warning("could not look for nudges %s in %s's history (%s); posting them", item.nudge_ids, to.id,
                    failure(exc))  # fmt: skip
        return {}
    if found:
        log.info("nudges %s were already posted to %s (an earlier sweep lost the answer); recorded", sorted(found),
                 to.id)  # fmt: skip
    return found


def _render(item: Post, recipient: Recipient, candidates: Candidates, contacts: Contacts) -> Message:
    """The item's message, in its recipient's language."""
    with speaking(contacts.languages.of(*reader(recipient))):
        return _message(item, recipient, candidates, contacts)


def _message(item: Post, recipient: Recipient, candidates: Candidates, contacts: Contacts) -> Message:
    now, tz = candidates.now, recipient.tz
    today = local_today(now, tz)
    hours = candidates.hours_of(recipient.team_id, recipient.id)  # days late count the reader's holidays
    abouts = [
        replace(
            about_target(nudge_id, target, contacts.of(target), to_channel=recipient.is_channel),
            away=cover_note(candidates, target.team_id, meant_for(target), recipient.id),
        )  # someone away: why it came to whoever covers
        for nudge_id, target in zip(item.nudge_ids, item.targets, strict=True)
    ]
    if item.combined:
        return combined_message(abouts, now=now, tz=tz, today=today, hours=hours)
    return nudge_message(abouts[0], now=now, tz=tz, today=today, hours=hours)
