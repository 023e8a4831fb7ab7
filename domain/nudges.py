"""Nudges: which are due now, claiming each exactly once, and the follow-ups (reminder, team channel, closing).

A sweep runs a fixed number of queries whatever the number of clients: the candidates come from indexed
columns (clients.quiet_due_at, open promises by due date), the decisions are made in Python, and claims,
records and releases are single statements (executemany for per-row values).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Table,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, aliased

from domain.dates import local_today
from domain.hours import WorkingHours
from domain.promises import midnight, slip_cycle
from domain.survey_followups import Waiting, waiting
from domain.workspace import Settings, settings_of
from storage.dialect import insert
from storage.models import Client, Contact, Nudge, Person, Promise, Workspace

NUDGES: Table = Nudge.__table__  # type: ignore[assignment]


class NudgeKind:
    QUIET = "quiet"
    HEADS_UP = "heads_up"
    SLIP = "slip"


class Status:
    CLAIMED = "claimed"  # a sweep took it and is posting it
    POSTED = "posted"  # waiting for an answer
    ANSWERED = "answered"  # someone answered it (button or reaction)
    CLOSED = "closed"  # no longer needed: a contact was logged, the promise was kept or moved
    FAILED = "failed"  # Slack refused it MAX_ATTEMPTS times


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
class Target:
    """What a nudge is about, as the sweep sees it."""

    team_id: str
    kind: str
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
    kind: str
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


@dataclass
class Plan:
    """What one sweep does."""

    posts: list[Post] = field(default_factory=list)
    reminders: list[OpenNudge] = field(default_factory=list)
    escalations: list[tuple[OpenNudge, Recipient]] = field(default_factory=list)
    closings: list[OpenNudge] = field(default_factory=list)


@dataclass
class Candidates:
    """Everything a sweep reads, in a fixed number of queries."""

    now: datetime
    settings: dict[str, Settings]
    people: dict[tuple[str, str], Person]
    quiet: list[Target]
    promises: list[tuple[Target, datetime | None, datetime | None, datetime | None]]
    recent: list[tuple[str, str, str, int, datetime, str | None, str | None, bool]]
    open: list[OpenNudge]
    invitations: list[Waiting] = field(default_factory=list)

    def tz_of(self, team_id: str, user_id: str) -> str | None:
        """A person's time zone, as far as we know it."""
        person = self.people.get((team_id, user_id))
        return person.tz if person else None


# reading -----------------------------------------------------------------------------------------------------


def load_candidates(session: Session, *, now: datetime) -> Candidates:
    """Read what the sweep needs: settings, people, due clients and promises, recent and open nudges."""
    settings = {row.team_id: settings_of(row) for row in session.scalars(select(Workspace))}
    quiet = _quiet_targets(session, now)
    promises = _promise_targets(session, now)
    teams = {t.team_id for t in quiet} | {t.team_id for t, *_ in promises}
    recent = _recent(session, now)
    open_ = _open(session)
    invitations = waiting(session)
    teams |= {n.team_id for n in open_} | {i.team_id for i in invitations}
    people = {
        (p.team_id, p.user_id): p
        for p in (session.scalars(select(Person).where(Person.team_id.in_(teams))) if teams else [])
    }
    return Candidates(now, settings, people, quiet, promises, recent, open_, invitations)


def _reclaimable(nudge: Any, now: datetime) -> ColumnElement[bool]:
    """A claim whose sweep died or failed to post, once its lease ran out: a later sweep takes it over.

    A nudge Slack refused MAX_ATTEMPTS times rests a day (status failed) and is then tried again: never lost.
    """
    return and_(or_(nudge.status == Status.CLAIMED, nudge.status == Status.FAILED), nudge.lease_until < now)


def _quiet_targets(session: Session, now: datetime) -> list[Target]:
    """Quiet clients not yet nudged this cycle: at most a day's worth per owner, key and quietest first.

    A day's worth is all one recipient can get (DAILY_SEPARATE + COMBINED_MAX); the rest come up on later
    days. Cutting in SQL (a window function) keeps every sweep fast however many clients went quiet at once.
    """
    done = aliased(Nudge)
    rank = func.row_number().over(
        partition_by=(Client.team_id, Client.owner_id), order_by=(Client.is_key.desc(), Client.quiet_due_at, Client.id)
    )
    due = (
        select(
            Client.team_id,
            Client.id,
            Client.name,
            Client.owner_id,
            Client.created_by,
            Client.is_key,
            Client.cadence_days,
            Client.quiet_due_at,
            Client.last_contact_at,
            Client.created_at,
            rank.label("rank"),
        )
        .outerjoin(
            done,
            and_(
                done.team_id == Client.team_id,
                done.kind == NudgeKind.QUIET,
                done.target_id == Client.id,
                done.cycle_at == Client.quiet_due_at,
                ~_reclaimable(done, now),
            ),
        )
        .where(Client.quiet_due_at <= now, done.id.is_(None))
        .subquery()
    )
    columns = [c for c in due.c if c.name != "rank"]
    rows = session.execute(select(*columns).where(due.c.rank <= PER_OWNER))
    return [
        Target(
            team_id=team,
            kind=NudgeKind.QUIET,
            target_id=cid,
            cycle_at=_utc(due) or now,
            client_id=cid,
            client_name=name,
            promise_id=None,
            owner_id=owner,
            created_by=creator,
            is_key=key,
            cadence_days=cadence,
            quiet_since=last or created,
            last_contact_at=last,
        )
        for team, cid, name, owner, creator, key, cadence, due, last, created in rows
    ]


def _promise_targets(
    session: Session, now: datetime
) -> list[tuple[Target, datetime | None, datetime | None, datetime | None]]:
    """Open promises that may need a heads-up (due soon) or a slip nudge (past due), not yet nudged this cycle.

    The cycles are stored columns (promises.heads_up_at, slip_at), so nudges already sent drop out in SQL
    through the nudges' unique key, and each owner's list is cut to a day's worth, soonest due first.
    """
    heads_up, slip = aliased(Nudge), aliased(Nudge)
    earliest, latest = (now - timedelta(hours=14)).date(), (now + timedelta(hours=14)).date()
    rank = func.row_number().over(
        partition_by=(Promise.team_id, Promise.owner_id), order_by=(Promise.due_on, Promise.id)
    )
    due = (
        select(
            Promise.team_id,
            Promise.id,
            Promise.what,
            Promise.due_on,
            Promise.owner_id,
            Promise.snoozed_until,
            Client.id.label("client_id"),
            Client.name,
            Client.created_by,
            heads_up.cycle_at.label("heads_up_seen"),
            slip.cycle_at.label("slip_seen"),
            rank.label("rank"),
        )
        .join(Client, and_(Client.team_id == Promise.team_id, Client.id == Promise.client_id))
        .outerjoin(heads_up, _sent(heads_up, NudgeKind.HEADS_UP, Promise.heads_up_at, now))
        .outerjoin(slip, _sent(slip, NudgeKind.SLIP, Promise.slip_at, now))
        .where(
            Promise.done_at.is_(None),
            Promise.due_on
            <= latest + timedelta(days=8),  # a heads-up comes the working day before (a week of days off)
            or_(
                and_(Promise.due_on < latest, Promise.slip_at <= now, slip.id.is_(None)),
                and_(Promise.due_on >= earliest, heads_up.id.is_(None)),
            ),
        )
        .subquery()
    )
    rows = session.execute(select(*[c for c in due.c if c.name != "rank"]).where(due.c.rank <= PER_OWNER))
    found = []
    for team, pid, what, due_on, owner, snoozed, cid, name, creator, heads_up_seen, slip_seen in rows:
        target = Target(
            team_id=team, kind="", target_id=pid, cycle_at=midnight(due_on), client_id=cid, client_name=name,
            promise_id=pid, owner_id=owner, created_by=creator, what=what, due_on=due_on,
        )  # fmt: skip
        found.append((target, _utc(snoozed), _utc(heads_up_seen), _utc(slip_seen)))
    return found


def _sent(nudge: Any, kind: str, cycle: Any, now: datetime) -> ColumnElement[bool]:
    """The join to a promise's nudge of `kind` for its current cycle (a claim that expired does not count)."""
    return and_(
        nudge.team_id == Promise.team_id,
        nudge.kind == kind,
        nudge.target_id == Promise.id,
        nudge.cycle_at == cycle,
        ~_reclaimable(nudge, now),
    )


def _recent(session: Session, now: datetime) -> list[tuple[str, str, str, int, datetime, str | None, str | None, bool]]:
    """Nudges posted in the last two days, or being posted by another sweep right now (a live claim).

    Daily limits are counted in each recipient's own day; a claim in flight counts as a message of its own.
    """
    since = now - timedelta(days=2)
    in_flight = and_(Nudge.status == Status.CLAIMED, Nudge.lease_until >= now, Nudge.claimed_at >= since)
    rows = session.execute(
        select(
            Nudge.id,
            Nudge.team_id,
            Nudge.recipient_id,
            Nudge.kind,
            Nudge.target_id,
            func.coalesce(Nudge.posted_at, Nudge.claimed_at),
            Nudge.channel_id,
            Nudge.ts,
            Nudge.combined,
        ).where(or_(Nudge.posted_at >= since, in_flight))
    )
    return [
        (team, recipient, kind, target, _utc(at) or now, channel, ts or f"claim:{nudge_id}", combined)
        for nudge_id, team, recipient, kind, target, at, channel, ts, combined in rows
    ]


def _open(session: Session) -> list[OpenNudge]:
    rows = session.execute(
        select(
            Nudge,
            Client.name,
            Client.quiet_due_at,
            Client.last_contact_at,
            Client.owner_id,
            Client.created_by,
            Promise.done_at,
            Promise.due_on,
            Promise.snoozed_until,
            Promise.what,
            Promise.owner_id,
        )
        .join(Client, and_(Client.team_id == Nudge.team_id, Client.id == Nudge.client_id))
        .outerjoin(Promise, and_(Promise.team_id == Nudge.team_id, Promise.id == Nudge.promise_id))
        .where(Nudge.status == Status.POSTED)
    )
    found = []
    for nudge, name, quiet_due, last_contact, owner, creator, done_at, due_on, snoozed, what, p_owner in rows:
        if nudge.kind == NudgeKind.QUIET:
            still_due = quiet_due is not None and _utc(quiet_due) == nudge.cycle_at
            contacted = last_contact is not None and nudge.posted_at is not None and last_contact >= nudge.posted_at
        elif nudge.kind == NudgeKind.HEADS_UP:
            still_due = done_at is None and due_on is not None and midnight(due_on) == nudge.cycle_at
            contacted = done_at is not None
        else:
            still_due = done_at is None and due_on is not None and slip_cycle(due_on, _utc(snoozed)) == nudge.cycle_at
            contacted = done_at is not None
        found.append(
            OpenNudge(
                id=nudge.id,
                team_id=nudge.team_id,
                kind=nudge.kind,
                client_id=nudge.client_id,
                client_name=name,
                promise_id=nudge.promise_id,
                recipient_id=nudge.recipient_id,
                channel_id=nudge.channel_id,
                ts=nudge.ts,
                posted_at=nudge.posted_at or nudge.claimed_at,
                reminded_at=nudge.reminded_at,
                escalated_at=nudge.escalated_at,
                escalation_channel_id=nudge.escalation_channel_id,
                escalation_ts=nudge.escalation_ts,
                combined=nudge.combined,
                still_due=still_due,
                contacted=contacted,
                owner_id=p_owner if nudge.promise_id else owner,
                created_by=creator,
                what=what,
                due_on=due_on,
            )
        )
    return found


def _utc(value: datetime | None) -> datetime | None:
    """Aggregates may come back naive on SQLite; they are UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def profiles_to_refresh(candidates: Candidates) -> set[tuple[str, str]]:
    """(team, user) whose time zone or status we must ask Slack for (unknown or older than a day)."""
    wanted: set[tuple[str, str]] = set()
    for target in [*candidates.quiet, *(t for t, *_ in candidates.promises)]:
        for user in (target.owner_id, target.created_by):
            if user:
                wanted.add((target.team_id, user))
    for nudge in candidates.open:
        if not nudge.recipient_id.startswith(("C", "G")):
            wanted.add((nudge.team_id, nudge.recipient_id))
    wanted |= {(i.team_id, i.user_id) for i in candidates.invitations}
    stale = candidates.now - PROFILE_MAX_AGE
    return {key for key in wanted if key not in candidates.people or candidates.people[key].fetched_at < stale}


# deciding ----------------------------------------------------------------------------------------------------


def plan(candidates: Candidates) -> Plan:
    """Decide what to post now: working hours, one nudge per target a day, five separate per recipient a day."""
    now = candidates.now
    result = Plan()
    due: dict[Recipient, list[Target]] = defaultdict(list)
    for target in candidates.quiet:
        recipient = _recipient(candidates, target.team_id, target.owner_id, target.created_by)
        if recipient is not None:
            due[recipient].append(target)
    for target, snoozed, heads_up_cycle, slip_cycle_seen in candidates.promises:
        recipient = _recipient(candidates, target.team_id, target.owner_id, target.created_by)
        if recipient is None:
            continue
        chosen = _promise_nudge(target, snoozed, heads_up_cycle, slip_cycle_seen, recipient, candidates)
        if chosen is not None:
            due[recipient].append(chosen)
    today_counts, nudged_today = _today(candidates)
    posts = 0
    for recipient, targets in sorted(due.items(), key=lambda item: (item[0].team_id, item[0].id)):
        hours = _hours(candidates, recipient.team_id)
        if not hours.is_working(now, recipient.tz):
            continue
        today = local_today(now, recipient.day_tz)
        fresh = [t for t in targets if (t.team_id, _group(t.kind), t.target_id, today) not in nudged_today]
        fresh.sort(key=_priority)
        separate, combined_sent = today_counts.get((recipient.team_id, recipient.id, today), (0, False))
        slots = max(0, DAILY_SEPARATE - separate)
        for target in fresh[:slots]:
            if posts < SWEEP_POSTS_MAX:
                result.posts.append(Post(recipient, [target]))
                posts += 1
        rest = fresh[slots:][:COMBINED_MAX]
        if rest and not combined_sent and posts < SWEEP_POSTS_MAX:
            result.posts.append(Post(recipient, rest, combined=True))
            posts += 1
    _follow_ups(candidates, result)
    return result


def _hours(candidates: Candidates, team_id: str) -> WorkingHours:
    settings = candidates.settings.get(team_id)
    return settings.hours if settings else WorkingHours()


def _recipient(candidates: Candidates, team_id: str, owner_id: str | None, created_by: str) -> Recipient | None:
    """The owner's DM; the team channel when there is no owner or the owner is deactivated; else the creator."""
    owner = candidates.people.get((team_id, owner_id)) if owner_id else None
    if owner_id and owner is not None and not owner.deleted:
        return Recipient(team_id, owner_id, False, owner.tz)
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
        return Recipient(team_id, created_by, False, tz)
    return None


def _promise_nudge(
    target: Target,
    snoozed: datetime | None,
    heads_up_seen: datetime | None,
    slip_seen: datetime | None,
    recipient: Recipient,
    candidates: Candidates,
) -> Target | None:
    """A heads-up the working day before the due date, a slip nudge once it has passed (after any snooze)."""
    assert target.due_on is not None
    hours = _hours(candidates, target.team_id)
    today = local_today(candidates.now, recipient.tz)
    if today < target.due_on:
        cycle = midnight(target.due_on)
        if today >= hours.previous_working_day(target.due_on) and heads_up_seen != cycle:
            return _with(target, NudgeKind.HEADS_UP, cycle)
        return None
    if today == target.due_on:
        return None
    cycle = slip_cycle(target.due_on, snoozed)
    if cycle > candidates.now or (slip_seen is not None and slip_seen >= cycle):
        return None
    return _with(target, NudgeKind.SLIP, cycle)


def _with(target: Target, kind: str, cycle: datetime) -> Target:
    return Target(**{**target.__dict__, "kind": kind, "cycle_at": cycle})


def _group(kind: str) -> str:
    """Nudges about the same thing: one per client (quiet) or per promise (heads-up, slip) a day."""
    return "client" if kind == NudgeKind.QUIET else "promise"


def _priority(target: Target) -> tuple[int, float]:
    order = {NudgeKind.SLIP: 0, NudgeKind.QUIET: 1, NudgeKind.HEADS_UP: 2}[target.kind]
    key_first = 0 if target.is_key else 1
    since = (target.quiet_since or target.cycle_at).timestamp()
    return order * 2 + key_first, since


def _today(
    candidates: Candidates,
) -> tuple[dict[tuple[str, str, date], tuple[int, bool]], set[tuple[str, str, int, date]]]:
    """Per recipient and their local day: separate messages and whether a combined one went out; targets nudged."""
    tz_of = {key: person.tz for key, person in candidates.people.items()}
    messages: dict[tuple[str, str, date], set[tuple[str | None, str | None]]] = defaultdict(set)
    combined: set[tuple[str, str, date]] = set()
    nudged: set[tuple[str, str, int, date]] = set()
    for team, recipient, kind, target_id, posted_at, channel, ts, was_combined in candidates.recent:
        day = local_today(posted_at, tz_of.get((team, recipient)))
        key = (team, recipient, day)
        if was_combined:
            combined.add(key)
        else:
            messages[key].add((channel, ts))
        nudged.add((team, _group(kind), target_id, day))
    counts = {key: (len(messages.get(key, ())), key in combined) for key in {*messages, *combined}}
    return counts, nudged


def _follow_ups(candidates: Candidates, result: Plan) -> None:
    """Close nudges no longer needed; remind after 3 working days; then take quiet clients to the team."""
    now = candidates.now
    for nudge in candidates.open:
        if not nudge.still_due:
            result.closings.append(nudge)
            continue
        if nudge.kind == NudgeKind.HEADS_UP:
            continue
        hours = _hours(candidates, nudge.team_id)
        person = candidates.people.get((nudge.team_id, nudge.recipient_id))
        tz = person.tz if person else None
        if not hours.is_working(now, tz):
            continue
        today = local_today(now, tz)
        if nudge.reminded_at is None:
            if hours.working_days_between(local_today(nudge.posted_at, tz), today) >= REMINDER_AFTER:
                result.reminders.append(nudge)
        elif nudge.escalated_at is None and nudge.kind != NudgeKind.HEADS_UP:
            waited = hours.working_days_between(local_today(nudge.reminded_at, tz), today)
            target = fallback_recipient(candidates, nudge.team_id, nudge.created_by, exclude=nudge.recipient_id)
            if waited >= ESCALATE_AFTER and target is not None and target.id != nudge.channel_id:
                result.escalations.append((nudge, target))


# claiming and recording --------------------------------------------------------------------------------------


def claim(session: Session, posts: list[Post], *, now: datetime) -> list[Post]:
    """Insert one row per planned nudge, or take over an expired claim; a live row is another sweep's.

    Returns what this sweep now owns: INSERT … ON CONFLICT DO UPDATE … WHERE returns only the rows it
    inserted or took over, so concurrent sweeps (threads, processes, replicas) never own the same nudge.
    A take-over keeps the first claimed_at: an earlier claim before `now` marks a post that may have reached
    Slack (the sweep died, or timed out waiting for Slack's answer), to be looked for since then.
    """
    rows = [
        {
            "team_id": t.team_id,
            "kind": t.kind,
            "target_id": t.target_id,
            "cycle_at": t.cycle_at,
            "client_id": t.client_id,
            "promise_id": t.promise_id,
            "recipient_id": post.recipient.id,
            "status": Status.CLAIMED,
            "claimed_at": now,
            "lease_until": now + LEASE,
            "attempts": 0,
            "combined": post.combined,
        }
        for post in posts
        for t in post.targets
    ]
    if not rows:
        return []
    # Rows with and without a promise_id go in separate batches (a NULL changes the statement's shape):
    # grouped, that is two statements at most, whatever the number of nudges.
    rows.sort(key=lambda row: row["promise_id"] is None)
    fresh = insert(session, Nudge)
    statement = fresh.on_conflict_do_update(
        index_elements=["team_id", "kind", "target_id", "cycle_at"],
        set_={
            "status": Status.CLAIMED,
            "lease_until": now + LEASE,
            "recipient_id": fresh.excluded.recipient_id,
            "combined": fresh.excluded.combined,
        },
        where=_reclaimable(NUDGES.c, now),
    ).returning(Nudge.id, Nudge.team_id, Nudge.kind, Nudge.target_id, Nudge.cycle_at, Nudge.claimed_at)
    owned = {
        (team, kind, target_id, _utc(cycle)): (nudge_id, _utc(first) or now)
        for nudge_id, team, kind, target_id, cycle, first in session.execute(statement, rows)
    }
    claimed = []
    for post in posts:
        mine = [
            (t, *owned[key]) for t in post.targets if (key := (t.team_id, t.kind, t.target_id, t.cycle_at)) in owned
        ]
        if mine:
            earlier = min((first for _, _, first in mine if first < now), default=None)
            ids = [nudge_id for _, nudge_id, _ in mine]
            claimed.append(Post(post.recipient, [t for t, _, _ in mine], post.combined, ids, unsure_since=earlier))
    return claimed


def last_contacts(session: Session, client_ids: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Contact]:
    """The latest contact of each client (for the nudge text), in one query."""
    keys = list(client_ids)
    if not keys:
        return {}
    rows = session.scalars(
        select(Contact)
        .join(
            Client,
            and_(
                Client.team_id == Contact.team_id,
                Client.id == Contact.client_id,
                Client.last_contact_at == Contact.occurred_at,
            ),
        )
        .where(or_(*(and_(Contact.team_id == team, Contact.client_id == cid) for team, cid in keys)))
        .order_by(Contact.id)
    )
    return {(c.team_id, c.client_id): c for c in rows}


def mark_posted(session: Session, posted: list[tuple[int, str, str, str]], *, now: datetime) -> None:
    """Record where each nudge went: (id, recipient, channel, ts), in one executemany."""
    if posted:
        session.connection().execute(
            update(NUDGES)
            .where(NUDGES.c.id == _param("nudge_id"))
            .values(
                status=Status.POSTED,
                recipient_id=_param("to"),
                channel_id=_param("channel"),
                ts=_param("message_ts"),
                posted_at=now,
                lease_until=None,
            ),
            [{"nudge_id": i, "to": r, "channel": c, "message_ts": ts} for i, r, c, ts in posted],
        )


def release(session: Session, failed: list[tuple[int, str]], *, now: datetime) -> None:
    """Give failed posts back to a later sweep, (id, error); after MAX_ATTEMPTS they rest a day (failed)."""
    if failed:
        table = NUDGES
        session.connection().execute(
            update(table)
            .where(table.c.id == _param("nudge_id"))
            .values(
                attempts=table.c.attempts + 1,
                last_error=_param("error"),
                lease_until=case((table.c.attempts + 1 >= MAX_ATTEMPTS, now + FAILED_RESTS), else_=now + RETRY_AFTER),
                status=case((table.c.attempts + 1 >= MAX_ATTEMPTS, Status.FAILED), else_=Status.CLAIMED),
            ),
            [{"nudge_id": i, "error": e[:200]} for i, e in failed],
        )


def give_back(session: Session, ids: list[int], *, now: datetime) -> None:
    """Claims this sweep had no time to post: the next sweep takes them over at once (no attempt counted)."""
    if ids:
        session.execute(update(Nudge).where(Nudge.id.in_(ids), Nudge.status == Status.CLAIMED).values(lease_until=now))


def _param(name: str) -> BindParameter[Any]:
    return bindparam(name)


def _mark(session: Session, ids: list[int], column: str, now: datetime, *, only_if_unset: bool = True) -> list[int]:
    """Set `column` to now on posted nudges (where still unset): a claim on a follow-up; returns the ids won."""
    if not ids:
        return []
    target = getattr(Nudge, column)
    statement = update(Nudge).where(Nudge.id.in_(ids), Nudge.status == Status.POSTED)
    if only_if_unset:
        statement = statement.where(target.is_(None))
    return list(session.scalars(statement.values({column: now}).returning(Nudge.id)))


def claim_reminders(session: Session, ids: list[int], *, now: datetime) -> list[int]:
    """Claim reminders (one per nudge, ever)."""
    return _mark(session, ids, "reminded_at", now)


def claim_escalations(session: Session, ids: list[int], *, now: datetime) -> list[int]:
    """Claim posts to the team channel (one per nudge, ever)."""
    return _mark(session, ids, "escalated_at", now)


def unclaim(session: Session, ids: list[int], column: str) -> None:
    """Give a follow-up back (Slack refused it) so the next sweep tries again."""
    if ids:
        session.execute(update(Nudge).where(Nudge.id.in_(ids)).values({column: None}))


def record_escalations(session: Session, rows: list[tuple[int, str, str]]) -> None:
    """Where each escalation was posted: (id, channel, ts)."""
    if rows:
        table = NUDGES
        session.connection().execute(
            update(table)
            .where(table.c.id == _param("nudge_id"))
            .values(escalation_channel_id=_param("channel"), escalation_ts=_param("message_ts")),
            [{"nudge_id": i, "channel": c, "message_ts": ts} for i, c, ts in rows],
        )


def close(session: Session, reasons: list[tuple[int, str]], *, now: datetime) -> None:
    """Close posted nudges that are no longer needed, (id, reason): `contacted`, `kept` or `changed`."""
    if reasons:
        session.connection().execute(
            update(NUDGES)
            .where(NUDGES.c.id == _param("nudge_id"), NUDGES.c.status == Status.POSTED)
            .values(status=Status.CLOSED, answer=_param("reason"), answered_at=now),
            [{"nudge_id": i, "reason": r} for i, r in reasons],
        )


def closing_reason(nudge: OpenNudge) -> str:
    """Why an open nudge is no longer needed."""
    if nudge.kind == NudgeKind.QUIET:
        return "contacted" if nudge.contacted else "changed"
    return "kept" if nudge.contacted else "changed"
