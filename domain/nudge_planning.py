"""Planning a sweep: which nudges are due now, and which earlier ones to remind, escalate or close.

Pure functions over what domain.nudge_candidates read (no session, no clock): working hours, one nudge per
client, promise or client message a day, five separate nudges per recipient a day and the rest combined (a
client waiting for an answer first), a reminder after REMINDER_AFTER working days, the team channel
ESCALATE_AFTER working days later.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime

from domain.briefing_planning import briefs, plan_briefings
from domain.covering import away_today, backups, covering, handovers
from domain.dates import local_today
from domain.hours import WorkingHours
from domain.nudges import (
    COMBINED_MAX,
    DAILY_SEPARATE,
    ESCALATE_AFTER,
    PROFILE_MAX_AGE,
    REMINDER_AFTER,
    SWEEP_POSTS_MAX,
    Candidates,
    Closing,
    ClosingReason,
    Escalation,
    NudgeKind,
    OpenNudge,
    Plan,
    Post,
    PromiseCandidate,
    Recipient,
    Target,
)
from domain.promises import midnight, slip_cycle


def profiles_to_refresh(candidates: Candidates) -> set[tuple[str, str]]:
    """(team, user) whose time zone or status we must ask Slack for (unknown or older than a day)."""
    wanted: set[tuple[str, str]] = set()
    for target in [*candidates.quiet, *candidates.unanswered, *(c.target for c in candidates.promises)]:
        for user in (target.owner_id, target.created_by):
            if user:
                wanted.add((target.team_id, user))
    wanted |= {(t.team_id, t.sponsor_id) for t in candidates.sponsors if t.sponsor_id}
    for nudge in candidates.open:
        if not nudge.recipient_id.startswith(("C", "G")):
            wanted.add((nudge.team_id, nudge.recipient_id))
    wanted |= {(i.team_id, i.user_id) for i in candidates.invitations}
    briefed_or_away = {k for k, p in candidates.personal.items() if p.briefing is not None or p.away_until is not None}
    wanted |= briefed_or_away | backups(candidates)  # briefings are in their zone; backups get nudges
    stale = candidates.now - PROFILE_MAX_AGE
    return {key for key in wanted if key not in candidates.people or candidates.people[key].fetched_at < stale}


def plan(candidates: Candidates) -> Plan:
    """Decide what to post now: working hours, one nudge per target a day, five separate per recipient a day."""
    result = Plan()
    limits = daily_limits(candidates)
    due = due_now(candidates)
    seen = lambda t, day: (t.team_id, _group(t.kind), t.target_id, day) in limits.nudged  # noqa: E731
    result.briefings = plan_briefings(candidates, due, seen)  # people with a briefing get it instead of posts
    for recipient, targets in sorted(due.items(), key=lambda item: (item[0].team_id, item[0].id)):
        if briefs(candidates, recipient):
            continue
        room = SWEEP_POSTS_MAX - len(result.posts)
        result.posts += posts_for(recipient, targets, candidates, limits)[:room]
    follow_ups(candidates, result)
    return result


def due_now(candidates: Candidates) -> dict[Recipient, list[Target]]:
    """Every quiet client, promise and waiting message needing a nudge now, by who gets it (none for an unknown owner).

    A client's message goes to whoever answers for the client, like a quiet client: its owner (or stand-ins).
    """
    due: dict[Recipient, list[Target]] = defaultdict(list)
    for target in [*candidates.quiet, *candidates.unanswered]:
        recipient = recipient_of(candidates, target.team_id, target.owner_id, target.created_by)
        if recipient is not None:
            due[recipient].append(target)
    for candidate in candidates.promises:
        target = candidate.target
        recipient = recipient_of(candidates, target.team_id, target.owner_id, target.created_by)
        if recipient is None:
            continue
        chosen = promise_nudge(candidate, today=local_today(candidates.now, recipient.tz), now=candidates.now,
                               hours=hours_of(candidates, target.team_id, recipient.id))  # fmt: skip
        if chosen is not None:
            due[recipient].append(chosen)
    for target in candidates.sponsors:
        recipient = sponsor_recipient(candidates, target)
        if recipient is not None:
            due[recipient].append(target)
    return due


def sponsor_recipient(candidates: Candidates, target: Target) -> Recipient | None:
    """The sponsor's own DM, and nobody else's: their cadence is personal (a deactivated sponsor gets nothing)."""
    sponsor = candidates.people.get((target.team_id, target.sponsor_id or ""))
    if sponsor is None or sponsor.deleted:
        return None  # unknown this time (asked again next sweep), or gone: `/client sponsor … off` ends it
    if away_today(candidates, target.team_id, sponsor.user_id) is not None:
        return None  # only the sponsor's own contact resets their clock: held until they are back (README)
    return Recipient(target.team_id, sponsor.user_id, False, sponsor.tz)


def posts_for(recipient: Recipient, targets: list[Target], candidates: Candidates, limits: DailyLimits) -> list[Post]:
    """A recipient's posts now: none outside their working hours, else up to five separate and one combined."""
    now = candidates.now
    if not hours_of(candidates, recipient.team_id, recipient.id).is_working(now, recipient.tz):
        return []
    today = local_today(now, recipient.day_tz)
    fresh = [t for t in targets if (t.team_id, _group(t.kind), t.target_id, today) not in limits.nudged]
    fresh.sort(key=_priority)
    separate, combined_sent = limits.sent.get((recipient.team_id, recipient.id, today), (0, False))
    slots = max(0, DAILY_SEPARATE - separate)
    posts = [Post(recipient, [target]) for target in fresh[:slots]]
    rest = fresh[slots:][:COMBINED_MAX]
    if rest and not combined_sent:
        posts.append(Post(recipient, rest, combined=True))
    return posts


def hours_of(candidates: Candidates, team_id: str, user_id: str | None = None) -> WorkingHours:
    """A workspace's working hours (the defaults for one without settings), with `user_id`'s own holidays if set."""
    return candidates.hours_of(team_id, user_id)


def recipient_of(candidates: Candidates, team_id: str, owner_id: str | None, created_by: str) -> Recipient | None:
    """The owner's DM; the team channel when there is no owner or the owner is deactivated; else the creator."""
    owner = candidates.people.get((team_id, owner_id)) if owner_id else None
    if owner_id and owner is not None and not owner.deleted:
        found = covering(candidates, Recipient(team_id, owner_id, False, owner.tz))  # away: their backup
        if found is not None:
            return found
    if owner_id and owner is None:
        return None  # Slack could not tell us about the owner this time; try again next sweep
    return fallback_recipient(candidates, team_id, created_by, exclude=owner_id)


def fallback_recipient(
    candidates: Candidates, team_id: str, created_by: str, *, exclude: str | None = None
) -> Recipient | None:
    """The team channel, or (with none set) whoever added the client."""
    creator = candidates.people.get((team_id, created_by))
    tz = creator.tz if creator else None
    settings = candidates.settings.get(team_id)
    if settings and settings.team_channel_id:
        return Recipient(team_id, settings.team_channel_id, True, settings.team_channel_tz)
    if created_by != exclude and creator is not None and not creator.deleted:
        return covering(candidates, Recipient(team_id, created_by, False, tz))  # away: their backup
    return None


def promise_nudge(candidate: PromiseCandidate, *, today: date, now: datetime, hours: WorkingHours) -> Target | None:
    """A heads-up the working day before the due date, a slip nudge once it has passed (after any snooze)."""
    target = candidate.target
    assert target.due_on is not None
    if today < target.due_on:
        cycle = midnight(target.due_on)
        if today >= hours.previous_working_day(target.due_on) and candidate.heads_up_seen != cycle:
            return replace(target, kind=NudgeKind.HEADS_UP, cycle_at=cycle)
        return None
    if today == target.due_on:
        return None
    cycle = slip_cycle(target.due_on, candidate.snoozed_until)
    if cycle > now or (candidate.slip_seen is not None and candidate.slip_seen >= cycle):
        return None
    return replace(target, kind=NudgeKind.SLIP, cycle_at=cycle)


def _group(kind: NudgeKind) -> str:
    """Nudges about the same thing: one per client (quiet), promise (heads-up, slip) or client message a day."""
    return {NudgeKind.QUIET: "client", NudgeKind.UNANSWERED: "message", NudgeKind.SPONSOR: "sponsor"}.get(
        kind, "promise"
    )


def _priority(target: Target) -> tuple[int, float]:
    """A client waiting for an answer first, then slipped promises, quiet clients, heads-ups; key clients first."""
    order = {NudgeKind.UNANSWERED: 0, NudgeKind.SLIP: 1, NudgeKind.QUIET: 2, NudgeKind.SPONSOR: 2,
             NudgeKind.HEADS_UP: 3}[target.kind]  # fmt: skip
    key_first = 0 if target.is_key else 1
    since = (target.quiet_since or target.cycle_at).timestamp()
    return order * 2 + key_first, since


@dataclass(frozen=True)
class DailyLimits:
    """What each recipient already got on their local day."""

    sent: dict[tuple[str, str, date], tuple[int, bool]]  # (team, recipient, day): separate messages, combined one
    nudged: set[tuple[str, str, int, date]]  # (team, group, target, day): nudged about that day


def daily_limits(candidates: Candidates) -> DailyLimits:
    """Per recipient and their local day: separate messages and whether a combined one went out; targets nudged."""
    tz_of = {key: person.tz for key, person in candidates.people.items()}
    messages: dict[tuple[str, str, date], set[tuple[str | None, str]]] = defaultdict(set)
    combined: set[tuple[str, str, date]] = set()
    nudged: set[tuple[str, str, int, date]] = set()
    for sent in candidates.recent:
        day = local_today(sent.at, tz_of.get((sent.team_id, sent.recipient_id)))
        key = (sent.team_id, sent.recipient_id, day)
        if sent.combined:
            combined.add(key)
        else:
            messages[key].add((sent.channel_id, sent.ts))
        nudged.add((sent.team_id, _group(sent.kind), sent.target_id, day))
    counts = {key: (len(messages.get(key, ())), key in combined) for key in {*messages, *combined}}
    return DailyLimits(counts, nudged)


def follow_ups(candidates: Candidates, result: Plan) -> None:
    """Close nudges no longer needed; remind after 3 working days; then take them to the team."""
    for nudge in candidates.open:
        if not nudge.still_due:
            result.closings.append(nudge)
        elif away_today(candidates, nudge.team_id, nudge.recipient_id) is not None:
            continue  # handed to whoever covers (handovers below), followed up there
        elif nudge.kind != NudgeKind.HEADS_UP:
            follow_up(nudge, candidates, result)
    result.handovers = handovers(candidates, lambda n: fallback_recipient(candidates, n.team_id, n.created_by,
                                                                           exclude=n.recipient_id))  # fmt: skip


def follow_up(nudge: OpenNudge, candidates: Candidates, result: Plan) -> None:
    """A reminder REMINDER_AFTER working days after the nudge; the team channel ESCALATE_AFTER days later."""
    now = candidates.now
    hours = hours_of(candidates, nudge.team_id, nudge.recipient_id)
    tz = candidates.tz_of(nudge.team_id, nudge.recipient_id)
    if not hours.is_working(now, tz):
        return
    today = local_today(now, tz)
    if nudge.reminded_at is None:
        if hours.working_days_between(local_today(nudge.posted_at, tz), today) >= REMINDER_AFTER:
            result.reminders.append(nudge)
    elif nudge.escalated_at is None and nudge.kind != NudgeKind.SPONSOR:  # the boss is not taken to the team
        waited = hours.working_days_between(local_today(nudge.reminded_at, tz), today)
        target = fallback_recipient(candidates, nudge.team_id, nudge.created_by, exclude=nudge.recipient_id)
        if waited >= ESCALATE_AFTER and target is not None and target.id != nudge.channel_id:
            result.escalations.append(Escalation(nudge, target))


def closing(nudge: OpenNudge) -> Closing:
    """An open nudge closed, with why and, for an answered client message, who answered it."""
    reason = closing_reason(nudge)
    by = nudge.message.answered_by if reason == ClosingReason.ANSWERED and nudge.message else None
    return Closing(nudge.id, reason, by)


def closing_reason(nudge: OpenNudge) -> ClosingReason:
    """Why an open nudge is no longer needed."""
    if nudge.kind == NudgeKind.UNANSWERED:
        message = nudge.message
        if message is not None and message.answered_at is not None:
            return ClosingReason.ANSWERED
        return ClosingReason.DELETED if message is None or message.deleted else ClosingReason.CHANGED
    if nudge.kind in (NudgeKind.QUIET, NudgeKind.SPONSOR):
        return ClosingReason.CONTACTED if nudge.contacted else ClosingReason.CHANGED
    return ClosingReason.KEPT if nudge.contacted else ClosingReason.CHANGED
