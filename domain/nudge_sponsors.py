"""The sponsor kind of nudge: a client's sponsor has not talked to it themselves within their own cadence.

Its target is the client (one sponsor per client) and its cycle the sponsor's due date (client_sponsors.due_at):
a contact of the sponsor's own, a snooze or a new sponsor moves it. It goes to the sponsor's DM, never to the
team channel; an open one is closed once the sponsor talks to the client, or is no longer its sponsor.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Subquery, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from domain.nudges import PER_OWNER, NudgeKind, Target, reclaimable, utc
from storage.boss_models import ClientSponsor
from storage.models import Client, Contact, Nudge


def sponsor_targets(session: Session, now: datetime) -> list[Target]:
    """Sponsors past their own cadence, not yet nudged this cycle: a day's worth per sponsor, longest due first."""
    due = _due_sponsors(now)
    rows = session.execute(select(*[c for c in due.c if c is not due.c.rank]).where(due.c.rank <= PER_OWNER))
    found = []
    for team, client_id, name, owner, creator, key, sponsor, cadence, due_at, last, named in rows:
        target = Target(
            team_id=team, kind=NudgeKind.SPONSOR, target_id=client_id, cycle_at=utc(due_at) or now,
            client_id=client_id, client_name=name, promise_id=None, owner_id=owner, created_by=creator, is_key=key,
            cadence_days=cadence, quiet_since=utc(last) or utc(named), last_contact_at=utc(last), sponsor_id=sponsor,
        )  # fmt: skip
        found.append(target)
    return found


def _due_sponsors(now: datetime) -> Subquery:
    """Sponsors past their due date without a live nudge for it, ranked per sponsor."""
    done = aliased(Nudge)
    rank = func.row_number().over(
        partition_by=(ClientSponsor.team_id, ClientSponsor.user_id),
        order_by=(Client.is_key.desc(), ClientSponsor.due_at, ClientSponsor.id),
    )
    return (
        select(
            ClientSponsor.team_id,
            Client.id,
            Client.name,
            Client.owner_id,
            Client.created_by,
            Client.is_key,
            ClientSponsor.user_id,
            ClientSponsor.cadence_days,
            ClientSponsor.due_at,
            ClientSponsor.last_contact_at,
            ClientSponsor.named_at,
            rank.label("rank"),
        )
        .join(Client, and_(Client.team_id == ClientSponsor.team_id, Client.id == ClientSponsor.client_id))
        .outerjoin(done, _nudged(done, now))
        .where(ClientSponsor.due_at <= now, done.id.is_(None))
        .subquery()
    )


def _nudged(done: Any, now: datetime) -> ColumnElement[bool]:
    """The join to a sponsor's live nudge for their current due date (a claim that expired does not count)."""
    return and_(
        done.team_id == ClientSponsor.team_id,
        done.kind == NudgeKind.SPONSOR,
        done.target_id == ClientSponsor.client_id,
        done.cycle_at == ClientSponsor.due_at,
        ~reclaimable(done, now),
    )


def of_nudge() -> ColumnElement[bool]:
    """The join of a nudge to the sponsor it is about (sponsor nudges only)."""
    return and_(
        Nudge.kind == NudgeKind.SPONSOR,
        ClientSponsor.team_id == Nudge.team_id,
        ClientSponsor.client_id == Nudge.client_id,
    )


def sponsor_state(sponsor: ClientSponsor | None, *, recipient_id: str, cycle_at: datetime,
                  posted_at: datetime | None) -> tuple[bool, bool]:  # fmt: skip
    """(still due, contacted) for an open sponsor nudge: the same sponsor and due date; their own contact since."""
    if sponsor is None or sponsor.user_id != recipient_id:
        return False, False
    last = utc(sponsor.last_contact_at)
    contacted = last is not None and posted_at is not None and last >= posted_at
    return utc(sponsor.due_at) == utc(cycle_at), contacted


def others_last_contacts(session: Session, sponsors: Iterable[tuple[str, int, str]]) -> dict[tuple[str, int], Contact]:
    """The latest contact of each client by anyone but its sponsor (for the sponsor nudge's text), in one query."""
    keys = list(sponsors)
    if not keys:
        return {}
    rank = func.row_number().over(
        partition_by=(Contact.team_id, Contact.client_id), order_by=(Contact.occurred_at.desc(), Contact.id.desc())
    )
    ranked = (
        select(Contact.id, rank.label("rank"))
        .where(or_(*(and_(Contact.team_id == t, Contact.client_id == c, Contact.user_id != u) for t, c, u in keys)))
        .subquery()
    )
    rows = session.scalars(select(Contact).join(ranked, ranked.c.id == Contact.id).where(ranked.c.rank == 1))
    return {(c.team_id, c.client_id): c for c in rows}
