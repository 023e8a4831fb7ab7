"""Reading what a sweep decides on, in a fixed number of queries whatever the number of clients.

The candidates come from indexed columns (clients.quiet_due_at, open promises by due date, client messages by
their reply deadline: domain.nudge_messages); the decisions are made by domain.nudge_planning, in Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Subquery, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from domain.briefings import briefed_days
from domain.nudge_messages import of_nudge, still_waiting, unanswered_targets, waiting_of
from domain.nudge_sponsors import of_nudge as of_sponsor_nudge
from domain.nudge_sponsors import sponsor_state, sponsor_targets
from domain.nudges import (
    PER_OWNER,
    Candidates,
    NudgeKind,
    OpenNudge,
    PromiseCandidate,
    RecentNudge,
    Status,
    Target,
    WaitingMessage,
    reclaimable,
    utc,
)
from domain.personal import personal_settings
from domain.promises import midnight, slip_cycle
from domain.survey_followups import waiting
from domain.workspace import settings_of
from storage.boss_models import ClientSponsor
from storage.models import ChannelMessage, Client, Contact, Nudge, Person, Promise, Workspace


def load_candidates(session: Session, *, now: datetime) -> Candidates:
    """Read what the sweep needs: settings, people, due clients, promises and messages, recent and open nudges."""
    settings = {row.team_id: settings_of(row) for row in session.scalars(select(Workspace))}
    quiet = _quiet_targets(session, now)
    promises = _promise_targets(session, now)
    unanswered = unanswered_targets(session, now)
    sponsors = sponsor_targets(session, now)
    teams = {t.team_id for t in [*quiet, *unanswered, *sponsors]} | {c.target.team_id for c in promises}
    recent = _recent(session, now)
    open_ = _open(session)
    invitations = waiting(session)
    personal = personal_settings(session, now=now)
    briefed = briefed_days(session, now=now)
    teams |= {n.team_id for n in open_} | {i.team_id for i in invitations} | {team for team, _ in personal}
    people = {
        (p.team_id, p.user_id): p
        for p in (session.scalars(select(Person).where(Person.team_id.in_(teams))) if teams else [])
    }
    return Candidates(
        now, settings, people, quiet, promises, recent, open_, invitations, unanswered, sponsors, personal, briefed
    )


def _quiet_targets(session: Session, now: datetime) -> list[Target]:
    """Quiet clients not yet nudged this cycle: at most a day's worth per owner, key and quietest first.

    A day's worth is all one recipient can get (DAILY_SEPARATE + COMBINED_MAX); the rest come up on later
    days. Cutting in SQL (a window function) keeps every sweep fast however many clients went quiet at once.
    """
    due = _quiet_clients(now)
    columns = [c for c in due.c if c is not due.c.rank]
    rows = session.execute(select(*columns).where(due.c.rank <= PER_OWNER))
    return [
        Target(
            team_id=team,
            kind=NudgeKind.QUIET,
            target_id=cid,
            cycle_at=utc(due) or now,
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


def _quiet_clients(now: datetime) -> Subquery:
    """Clients past their quiet date without a live nudge for this cycle, ranked per owner."""
    done = aliased(Nudge)
    rank = func.row_number().over(
        partition_by=(Client.team_id, Client.owner_id), order_by=(Client.is_key.desc(), Client.quiet_due_at, Client.id)
    )
    return (
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
                ~reclaimable(done, now),
            ),
        )
        .where(Client.quiet_due_at <= now, done.id.is_(None))
        .subquery()
    )


def _promise_targets(session: Session, now: datetime) -> list[PromiseCandidate]:
    """Open promises that may need a heads-up (due soon) or a slip nudge (past due), not yet nudged this cycle.

    The cycles are stored columns (promises.heads_up_at, slip_at), so nudges already sent drop out in SQL
    through the nudges' unique key, and each owner's list is cut to a day's worth, soonest due first.
    """
    due = _open_promises(now)
    rows = session.execute(select(*[c for c in due.c if c is not due.c.rank]).where(due.c.rank <= PER_OWNER))
    found = []
    for team, pid, what, due_on, owner, snoozed, cid, name, creator, heads_up_seen, slip_seen in rows:
        # kind and cycle_at stand in until the planner picks a heads-up or a slip nudge
        target = Target(
            team_id=team, kind=NudgeKind.HEADS_UP, target_id=pid, cycle_at=midnight(due_on), client_id=cid,
            client_name=name, promise_id=pid, owner_id=owner, created_by=creator, what=what, due_on=due_on,
        )  # fmt: skip
        found.append(PromiseCandidate(target, utc(snoozed), utc(heads_up_seen), utc(slip_seen)))
    return found


def _open_promises(now: datetime) -> Subquery:
    """Open promises due soon or past due without a live nudge for their cycle, ranked per owner."""
    heads_up, slip = aliased(Nudge), aliased(Nudge)
    earliest, latest = (now - timedelta(hours=14)).date(), (now + timedelta(hours=14)).date()
    rank = func.row_number().over(
        partition_by=(Promise.team_id, Promise.owner_id), order_by=(Promise.due_on, Promise.id)
    )
    return (
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


def _sent(nudge: Any, kind: NudgeKind, cycle: Any, now: datetime) -> ColumnElement[bool]:
    """The join to a promise's nudge of `kind` for its current cycle (a claim that expired does not count)."""
    return and_(
        nudge.team_id == Promise.team_id,
        nudge.kind == kind,
        nudge.target_id == Promise.id,
        nudge.cycle_at == cycle,
        ~reclaimable(nudge, now),
    )


def _recent(session: Session, now: datetime) -> list[RecentNudge]:
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
        RecentNudge(
            team, recipient, NudgeKind(kind), target, utc(at) or now, channel, ts or f"claim:{nudge_id}", combined
        )
        for nudge_id, team, recipient, kind, target, at, channel, ts, combined in rows
    ]


def _open(session: Session) -> list[OpenNudge]:
    """Posted nudges waiting for an answer, with whether they are still due and whether it was done anyway."""
    rows = session.execute(
        select(
            Nudge,
            ChannelMessage,
            ClientSponsor,
            Client.name,
            Client.quiet_due_at,
            Client.last_contact_at,
            Client.owner_id,
            Client.created_by,
            Client.cadence_days,
            Client.created_at,
            Promise.done_at,
            Promise.due_on,
            Promise.snoozed_until,
            Promise.what,
            Promise.owner_id,
        )
        .join(Client, and_(Client.team_id == Nudge.team_id, Client.id == Nudge.client_id))
        .outerjoin(Promise, and_(Promise.team_id == Nudge.team_id, Promise.id == Nudge.promise_id))
        .outerjoin(ChannelMessage, of_nudge())
        .outerjoin(ClientSponsor, of_sponsor_nudge())
        .where(Nudge.status == Status.POSTED)
    )
    return [_open_nudge(nudge, waiting_of(message), sponsor, *rest) for nudge, message, sponsor, *rest in rows]


def _open_nudge(
    nudge: Nudge, message: WaitingMessage | None, sponsor: ClientSponsor | None, name: str, quiet_due: datetime | None,
    last_contact: datetime | None, owner: str | None, creator: str, cadence: int | None, created: datetime,
    done_at: datetime | None, due_on: date | None, snoozed: datetime | None, what: str | None,
    promise_owner: str | None,
) -> OpenNudge:  # fmt: skip
    if nudge.kind == NudgeKind.QUIET:
        still_due = quiet_due is not None and utc(quiet_due) == nudge.cycle_at
        contacted = last_contact is not None and nudge.posted_at is not None and last_contact >= nudge.posted_at
    elif nudge.kind == NudgeKind.UNANSWERED:
        still_due = still_waiting(message, nudge.cycle_at)
        contacted = message is not None and message.answered_at is not None
    elif nudge.kind == NudgeKind.SPONSOR:
        still_due, contacted = sponsor_state(
            sponsor, recipient_id=nudge.recipient_id, cycle_at=nudge.cycle_at, posted_at=nudge.posted_at
        )
    else:
        contacted = done_at is not None
        if done_at is not None or due_on is None:
            still_due = False
        elif nudge.kind == NudgeKind.HEADS_UP:
            still_due = midnight(due_on) == nudge.cycle_at
        else:
            still_due = slip_cycle(due_on, utc(snoozed)) == nudge.cycle_at
    return OpenNudge(
        id=nudge.id, team_id=nudge.team_id, kind=NudgeKind(nudge.kind), client_id=nudge.client_id, client_name=name,
        promise_id=nudge.promise_id, recipient_id=nudge.recipient_id, channel_id=nudge.channel_id, ts=nudge.ts,
        posted_at=nudge.posted_at or nudge.claimed_at, reminded_at=nudge.reminded_at,
        escalated_at=nudge.escalated_at, escalation_channel_id=nudge.escalation_channel_id,
        escalation_ts=nudge.escalation_ts, combined=nudge.combined, still_due=still_due, contacted=contacted,
        owner_id=promise_owner if nudge.promise_id else owner, created_by=creator, what=what, due_on=due_on,
        message=message, cadence_days=cadence, quiet_since=utc(last_contact) or utc(created),
    )  # fmt: skip


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
