"""Nudges: their vocabulary, the limits the sweep keeps, and the plain values passed between its steps.

A sweep reads candidates (domain.nudge_candidates), decides what is due (domain.nudge_planning, pure
functions over what was read) and claims and records nudges (domain.nudge_claims). The unanswered kind, about
a client's message waiting for our answer, has its own module (domain.nudge_messages).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, or_

from domain.hours import WorkingHours
from domain.personal import Away, Personal
from domain.survey_followups import Waiting
from domain.workspace import WorkspaceSettings
from storage.models import Person


class NudgeKind(StrEnum):
    """What a nudge is about (stored in nudges.kind)."""

    QUIET = "quiet"
    HEADS_UP = "heads_up"
    SLIP = "slip"
    UNANSWERED = "unanswered"  # a client's message nobody of ours answered within the client's reply time
    SPONSOR = "sponsor"  # a client's sponsor has not talked to it themselves within their own cadence


class Status(StrEnum):
    """Where a nudge is in its life (stored in nudges.status)."""

    CLAIMED = "claimed"  # a sweep took it and is posting it
    POSTED = "posted"  # waiting for an answer
    ANSWERED = "answered"  # someone answered it (button or reaction)
    CLOSED = "closed"  # no longer needed: a contact was logged, the promise was kept or moved
    FAILED = "failed"  # Slack refused it MAX_ATTEMPTS times, or we built a message Slack cannot take


class ClosingReason(StrEnum):
    """Why the sweep closed a nudge nobody answered (stored in nudges.answer, beside the answer actions)."""

    CONTACTED = "contacted"  # a contact was logged since the nudge
    KEPT = "kept"  # the promise was kept
    CHANGED = "changed"  # no longer due: a new cadence, owner, date or reply deadline
    ANSWERED = "answered"  # the client's message was answered (in the channel, by ✅, or through another nudge)
    DELETED = "deleted"  # the client's message was deleted, or its channel unlinked (rapport reads it no more)


LEASE = timedelta(minutes=10)
RETRY_AFTER = timedelta(minutes=4)  # a failed post is tried again by a sweep after this
FAILED_RESTS = timedelta(days=1)  # after MAX_ATTEMPTS failures in a row, the next try is a day later
MAX_ATTEMPTS = 5
REMINDER_AFTER = 3  # working days without an answer
ESCALATE_AFTER = 2  # working days after the reminder
DAILY_SEPARATE = 5  # separate nudges per recipient per day; the rest share one combined message
COMBINED_MAX = 20  # items in a combined message (two blocks each, within Slack's 50)
SWEEP_POSTS_MAX = 400  # messages one sweep posts at most; the next sweep takes the rest
PROFILE_MAX_AGE = timedelta(days=1)
PER_OWNER = DAILY_SEPARATE + COMBINED_MAX  # the most one person can be nudged about in a day


@dataclass(frozen=True)
class WaitingMessage:
    """A client's message waiting for our answer, as its nudge (the unanswered kind) tells it."""

    user_id: str | None  # who asked
    channel_id: str
    at: datetime
    permalink: str | None
    text: str | None  # kept only for a channel that keeps text; gone once the message is deleted
    due_at: datetime | None = None
    answered_at: datetime | None = None
    answered_by: str | None = None
    deleted: bool = False


@dataclass(frozen=True)
class Target:
    """What a nudge is about, as the sweep sees it."""

    team_id: str
    kind: NudgeKind
    target_id: int
    cycle_at: datetime
    client_id: int
    client_name: str
    promise_id: int | None
    owner_id: str | None
    created_by: str
    is_key: bool = False
    cadence_days: int | None = None
    quiet_since: datetime | None = None
    last_contact_at: datetime | None = None
    what: str | None = None
    due_on: date | None = None
    message: WaitingMessage | None = None  # the unanswered kind's message
    sponsor_id: str | None = None  # the sponsor kind's sponsor, who gets it (quiet_since: since their own contact)


@dataclass(frozen=True)
class PromiseCandidate:
    """An open promise that may need a heads-up or a slip nudge, with the cycles already nudged."""

    target: Target  # its kind and cycle are decided by the planner
    snoozed_until: datetime | None
    heads_up_seen: datetime | None  # the cycle of the last heads-up sent, if any
    slip_seen: datetime | None  # the cycle of the last slip nudge sent, if any


@dataclass(frozen=True)
class RecentNudge:
    """A nudge posted lately, or being posted right now: it counts towards its recipient's daily limits."""

    team_id: str
    recipient_id: str
    kind: NudgeKind
    target_id: int
    at: datetime  # posted, or claimed when still in flight
    channel_id: str | None
    ts: str  # a claim in flight stands as its own message ("claim:<id>")
    combined: bool


@dataclass(frozen=True)
class Recipient:
    """Who gets a nudge: a user's DM, or a channel (one recipient, whatever time zone it is seen in)."""

    team_id: str
    id: str
    is_channel: bool
    tz: str | None = field(compare=False)  # working hours; a channel's day is counted in UTC

    @property
    def day_tz(self) -> str | None:
        """The zone a recipient's day is counted in (daily limits): theirs, or UTC for a channel."""
        return None if self.is_channel else self.tz


@dataclass
class Post:
    """One message the sweep will post: one nudge, or several combined."""

    recipient: Recipient
    targets: list[Target]
    combined: bool = False
    nudge_ids: list[int] = field(default_factory=list)
    # Set when an earlier sweep claimed these nudges (its first claim): it may have posted them before it died
    # or lost Slack's answer, so the sweep looks for the message before posting again.
    unsure_since: datetime | None = None


@dataclass(frozen=True)
class OpenNudge:
    """A posted nudge waiting for an answer, with what the sweep needs to follow it up."""

    id: int
    team_id: str
    kind: NudgeKind
    client_id: int
    client_name: str
    promise_id: int | None
    recipient_id: str
    channel_id: str | None
    ts: str | None
    posted_at: datetime
    reminded_at: datetime | None
    escalated_at: datetime | None
    escalation_channel_id: str | None
    escalation_ts: str | None
    combined: bool
    still_due: bool
    contacted: bool
    owner_id: str | None
    created_by: str
    what: str | None
    due_on: date | None
    message: WaitingMessage | None = None  # the unanswered kind's message, as it is now
    cadence_days: int | None = None  # the client's cadence (the quiet kind's escalation tells it)
    quiet_since: datetime | None = None  # the client's last contact, else when it was added


@dataclass(frozen=True)
class Escalation:
    """An unanswered nudge to take to the team channel (or whoever stands in for it)."""

    nudge: OpenNudge
    to: Recipient


@dataclass(frozen=True)
class Closing:
    """A posted nudge no longer needed, and why."""

    nudge_id: int
    reason: ClosingReason
    by: str | None = None  # who answered the client's message, when that is why (kept in nudges.answered_by)


@dataclass
class BriefingPost:
    """One person's briefing for their local day: new nudges, open ones listed again, surveys waiting for them."""

    recipient: Recipient
    day: date
    new: list[Target] = field(default_factory=list)  # due now: claimed as nudges when the briefing is
    still_open: list[OpenNudge] = field(default_factory=list)  # posted before and still unanswered
    surveys: list[Waiting] = field(default_factory=list)
    more: int = 0  # items left out to stay within Slack's block limit (they come up again tomorrow)
    nudge_ids: list[int] = field(default_factory=list)  # the new nudges' ids, once claimed

    @property
    def empty(self) -> bool:
        """Nothing due: no message, but the day's briefing counts as sent."""
        return not (self.new or self.still_open or self.surveys)


@dataclass(frozen=True)
class Handover:
    """Open nudges of someone now away, handed to whoever covers for them (one message per former message)."""

    nudges: list[OpenNudge]
    to: Recipient
    away: Away  # who is away, until when


@dataclass
class Plan:
    """What one sweep does."""

    posts: list[Post] = field(default_factory=list)
    reminders: list[OpenNudge] = field(default_factory=list)
    escalations: list[Escalation] = field(default_factory=list)
    closings: list[OpenNudge] = field(default_factory=list)
    briefings: list[BriefingPost] = field(default_factory=list)
    handovers: list[Handover] = field(default_factory=list)


@dataclass
class Candidates:
    """Everything a sweep reads, in a fixed number of queries."""

    now: datetime
    settings: dict[str, WorkspaceSettings]
    people: dict[tuple[str, str], Person]
    quiet: list[Target]
    promises: list[PromiseCandidate]
    recent: list[RecentNudge]
    open: list[OpenNudge]
    invitations: list[Waiting] = field(default_factory=list)
    unanswered: list[Target] = field(default_factory=list)  # client messages past their reply time
    sponsors: list[Target] = field(default_factory=list)  # sponsors past their own cadence (domain.nudge_sponsors)
    personal: dict[tuple[str, str], Personal] = field(default_factory=dict)  # briefings and absences, by person
    briefed: set[tuple[str, str, date]] = field(default_factory=set)  # (team, user, local day) briefed or in flight

    def tz_of(self, team_id: str, user_id: str) -> str | None:
        """A person's time zone, as far as we know it."""
        person = self.people.get((team_id, user_id))
        return person.tz if person else None

    def hours_of(self, team_id: str, user_id: str | None = None) -> WorkingHours:
        """A workspace's working hours (defaults without settings), with `user_id`'s own holidays when they set some."""
        settings = self.settings.get(team_id)
        hours = settings.hours if settings else WorkingHours()
        personal = self.personal.get((team_id, user_id)) if user_id else None
        return hours.with_holidays(personal.holidays) if personal else hours


@dataclass(frozen=True)
class MessageKey:
    """One Slack message of a workspace."""

    team_id: str
    channel_id: str
    ts: str


@dataclass(frozen=True)
class PostedNudge:
    """Where a nudge went."""

    nudge_id: int
    recipient_id: str
    channel_id: str
    ts: str


@dataclass(frozen=True)
class FailedNudge:
    """A nudge that was not posted, and why."""

    nudge_id: int
    error: str


@dataclass(frozen=True)
class EscalationPosted:
    """Where a nudge's team-channel post went."""

    nudge_id: int
    channel_id: str
    ts: str


def reclaimable(nudge: Any, now: datetime) -> ColumnElement[bool]:
    """A claim whose sweep died or failed to post, once its lease ran out: a later sweep takes it over.

    A nudge Slack refused MAX_ATTEMPTS times rests a day (status failed) and is then tried again: never lost.
    """
    return and_(or_(nudge.status == Status.CLAIMED, nudge.status == Status.FAILED), nudge.lease_until < now)


def utc(value: datetime | None) -> datetime | None:
    """Aggregates may come back naive on SQLite; they are UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
