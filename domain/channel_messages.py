"""Messages in linked channels: stored as they arrive, then read as contacts or as client messages waiting for us.

A message is stored first (one insert, idempotent on its channel and ts, so Slack's retries and the backfill
overlap harmlessly) and read later, after Slack's people have been looked up outside any transaction:

- by a person of our workspace: a contact with the client (one per person, client and local day), and an
  answer to the client messages before it (in its thread, or anywhere in the channel for a channel message);
- by someone from the client's side (a Slack Connect member, a guest, a person added to the client): a message
  that waits for our answer until its reply time runs out (domain.reply_time), then nudges the owner;
- by a bot, the app, or someone Slack does not know: nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session

from domain.channels import kept_text
from domain.contacts import Source, record_contact
from domain.dates import local_today
from domain.hours import WorkingHours
from domain.people import Lookup, Profile, profile
from domain.personal import personal_of
from domain.reply_time import reply_due
from storage.dialect import insert
from storage.models import ChannelMessage, Client, ClientChannel, ClientPerson, Contact

BATCH = 100  # pending messages read in one transaction (short: SQLite's write lock is held meanwhile)


class Side(StrEnum):
    """Who wrote a message, as far as the client is concerned (stored in channel_messages.side)."""

    TEAM = "team"  # a person of our workspace
    CLIENT = "client"  # a Slack Connect member, a guest, or a person added to the client
    OTHER = "other"  # a bot, the app, someone Slack does not know


class Answer(StrEnum):
    """How a client's message was answered (stored in channel_messages.answer)."""

    REPLY = "reply"  # a teammate replied in its thread
    MESSAGE = "message"  # a teammate wrote in the channel after it
    REACTION = "reaction"  # a teammate reacted ✅ to it
    NUDGE = "nudge"  # its nudge was answered (Answered, or ✅ on the nudge)


@dataclass(frozen=True)
class Arrival:
    """A message as Slack sent it (an event, or conversations.history), in plain values."""

    channel_id: str
    ts: str
    thread_ts: str | None  # the parent's ts, for a reply in a thread
    broadcast: bool  # a thread reply also sent to the channel
    user_id: str | None  # None for a bot's message
    user_team_id: str | None
    text: str | None


@dataclass(frozen=True)
class Pending:
    """Stored messages not yet read, and the people to look up (authors, and owners for their working hours)."""

    ids: list[int]
    people: set[str]
    author_of: dict[int, str | None]


def message_time(ts: str) -> datetime:
    """A Slack ts ("1700000000.123456") as a UTC time, to the microsecond."""
    seconds, _, fraction = ts.partition(".")
    return datetime.fromtimestamp(int(seconds), UTC).replace(microsecond=int((fraction + "000000")[:6] or 0))


def store(session: Session, *, link: ClientChannel, arrivals: Iterable[Arrival], now: datetime) -> int:
    """Store messages of a linked channel to be read later; ones stored before are left alone. Returns how many rows."""
    rows = [
        {
            "team_id": link.team_id, "client_id": link.client_id, "channel_id": a.channel_id, "ts": a.ts,
            "thread_ts": a.thread_ts if a.thread_ts != a.ts else None, "broadcast": a.broadcast,
            "user_id": a.user_id, "user_team_id": a.user_team_id, "at": message_time(a.ts),
            "text": kept_text(a.text, keep=link.keep_text), "deleted": False,
            "processed_at": None if a.user_id else now, "side": None if a.user_id else Side.OTHER,
        }
        for a in arrivals
    ]  # fmt: skip
    if not rows:
        return 0
    statement = insert(session, ChannelMessage).on_conflict_do_nothing(
        index_elements=[ChannelMessage.team_id, ChannelMessage.channel_id, ChannelMessage.ts]
    )
    session.execute(statement, rows)
    return len(rows)


def forget(session: Session, *, team_id: str, channel_id: str, ts: str) -> None:
    """A message was deleted: whatever text was kept of it goes, and it no longer waits for an answer."""
    session.execute(
        update(ChannelMessage)
        .where(ChannelMessage.team_id == team_id, ChannelMessage.channel_id == channel_id, ChannelMessage.ts == ts)
        .values(text=None, deleted=True),
        execution_options={"synchronize_session": False},
    )
    session.execute(
        update(Contact)
        .where(
            Contact.team_id == team_id,
            Contact.channel_id == channel_id,
            Contact.message_ts == ts,
            Contact.source == Source.CHANNEL,
        )
        .values(note=""),
        execution_options={"synchronize_session": False},
    )


def pending(session: Session, *, team_id: str, limit: int = BATCH) -> Pending:
    """The oldest messages waiting to be read, and who to look up first."""
    rows = session.execute(
        select(ChannelMessage.id, ChannelMessage.user_id, Client.owner_id)
        .join(Client, (Client.team_id == ChannelMessage.team_id) & (Client.id == ChannelMessage.client_id))
        .where(ChannelMessage.processed_at.is_(None), ChannelMessage.team_id == team_id)
        .order_by(ChannelMessage.at, ChannelMessage.id)
        .limit(limit)
    ).all()
    return Pending([r[0] for r in rows], {u for r in rows for u in r[1:] if u}, {r[0]: r[1] for r in rows})


def teams_with_pending(session: Session) -> list[str]:
    """Workspaces with messages waiting to be read (the sweep reads what no event got round to)."""
    return list(session.scalars(select(ChannelMessage.team_id).where(ChannelMessage.processed_at.is_(None)).distinct()))


def side_of(profile: Profile | None, *, team_id: str, user_team_id: str | None, listed: bool) -> Side:
    """Which side a message's author is on: listed as the client's person, another workspace, a guest: the client."""
    if profile is None or profile.is_bot:
        return Side.OTHER
    external = profile.home_team_id not in (None, team_id) or user_team_id not in (None, team_id)
    if listed or external or profile.is_guest:
        return Side.CLIENT
    return Side.OTHER if profile.deleted else Side.TEAM


@dataclass(frozen=True)
class Read:
    """What reading pending messages did."""

    contacts: list[Contact]  # contacts it created
    waiting: int  # client messages now waiting for an answer
    answered: int  # client messages answered by a teammate


def process(
    session: Session, *, team_id: str, ids: list[int], lookup: Lookup, hours: WorkingHours, url: str | None,
    now: datetime,
) -> Read:  # fmt: skip
    """Read stored messages, oldest first: contacts, client messages waiting, answers. Each is read once."""
    _one_read_at_a_time(session, team_id)
    rows = list(
        session.scalars(
            select(ChannelMessage)
            .where(ChannelMessage.team_id == team_id, ChannelMessage.id.in_(ids), ChannelMessage.processed_at.is_(None))
            .order_by(ChannelMessage.at, ChannelMessage.id)
            .with_for_update(skip_locked=True)
        )
    )
    clients = _clients(session, team_id, {m.client_id for m in rows})
    listed = _listed(session, team_id, {m.user_id for m in rows if m.user_id})
    users = {m.user_id for m in rows if m.user_id} | {c.owner_id for c in clients.values() if c.owner_id}
    known = _profiles(session, team_id=team_id, users=users, lookup=lookup, now=now)
    contacts, waiting, answered = [], 0, 0
    for message in rows:
        message.processed_at = now
        author = known.get(message.user_id) if message.user_id else None
        message.side = side_of(author, team_id=team_id, user_team_id=message.user_team_id,
                               listed=listed.get(message.user_id or "") == message.client_id)  # fmt: skip
        message.permalink = permalink(url, message)
        client = clients[message.client_id]
        if message.side == Side.TEAM:
            assert author is not None
            contact, created = _contact(session, client, message, author, now)
            contacts += [contact] if created else []
            answered += _answer_earlier(session, message)
        elif message.side == Side.CLIENT:
            owner = known.get(client.owner_id) if client.owner_id else None
            waiting += _wait(session, client, message, owner, hours)
    return Read(contacts, waiting, answered)


def _profiles(session: Session, *, team_id: str, users: set[str], lookup: Lookup,
              now: datetime) -> dict[str, Profile | None]:  # fmt: skip
    """Authors' and owners' profiles, cached in the people table for next time (looked up before the transaction)."""
    found: dict[str, Profile | None] = {}
    for user_id in sorted(users):  # one order in every transaction: concurrent upserts never deadlock
        try:
            found[user_id] = profile(session, team_id=team_id, user_id=user_id, now=now, lookup=lookup)
        except LookupError:  # not looked up: an owner added meanwhile; their hours count in UTC this time
            found[user_id] = None
    return found


def _one_read_at_a_time(session: Session, team_id: str) -> None:
    """Reads of one workspace in several processes wait for each other (PostgreSQL; SQLite has one writer anyway).

    Two reads at once would each miss the other's half of a question and its answer: a false "nobody answered".
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(func.hashtext("channel_messages:" + team_id))))


def _clients(session: Session, team_id: str, ids: set[int]) -> dict[int, Client]:
    if not ids:
        return {}
    return {c.id: c for c in session.scalars(select(Client).where(Client.team_id == team_id, Client.id.in_(ids)))}


def _listed(session: Session, team_id: str, users: set[str]) -> dict[str, int]:
    """The client each of `users` was added to as a person of theirs (/client person), if any."""
    if not users:
        return {}
    rows = session.execute(
        select(ClientPerson.user_id, ClientPerson.client_id).where(
            ClientPerson.team_id == team_id, ClientPerson.user_id.in_(users)
        )
    )
    return {user: client for user, client in rows if user}


def permalink(url: str | None, message: ChannelMessage) -> str | None:
    """The message's link, built the way chat.getPermalink builds it, from the workspace's address."""
    if not url:
        return None
    link = f"{url.rstrip('/')}/archives/{message.channel_id}/p{message.ts.replace('.', '')}"
    if message.thread_ts:
        link += f"?thread_ts={message.thread_ts}&cid={message.channel_id}"
    return link


def _contact(session: Session, client: Client, message: ChannelMessage, author: Profile,
             now: datetime) -> tuple[Contact, bool]:  # fmt: skip
    """One contact per person, client and day in that person's time zone; later messages that day change nothing."""
    day = local_today(message.at, author.tz)
    return record_contact(
        session, client=client, user_id=author.user_id, note=message.text or "", now=now, source=Source.CHANNEL,
        idempotency_key=f"channel:{client.id}:{author.user_id}:{day.isoformat()}", occurred_at=message.at,
        channel_id=message.channel_id, message_ts=message.ts, permalink=message.permalink,
    )  # fmt: skip


def _same_conversation(message: ChannelMessage) -> ColumnElement[bool]:
    """The client messages a teammate's message answers: all before it in the channel, or in its thread only."""
    if message.thread_ts is None or message.broadcast:
        return ChannelMessage.channel_id == message.channel_id
    return (ChannelMessage.channel_id == message.channel_id) & or_(
        ChannelMessage.ts == message.thread_ts, ChannelMessage.thread_ts == message.thread_ts
    )


def _answer_earlier(session: Session, message: ChannelMessage) -> int:
    """A teammate's message answers the client messages before it that still wait."""
    how = Answer.REPLY if message.thread_ts and not message.broadcast else Answer.MESSAGE
    result = session.execute(
        update(ChannelMessage)
        .where(
            ChannelMessage.team_id == message.team_id,
            _same_conversation(message),
            ChannelMessage.side == Side.CLIENT,
            ChannelMessage.answered_at.is_(None),
            ChannelMessage.at < message.at,
        )
        .values(answered_at=message.at, answered_by=message.user_id, answer=how),
        execution_options={"synchronize_session": False},
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _wait(session: Session, client: Client, message: ChannelMessage, owner: Profile | None,
          hours: WorkingHours) -> int:  # fmt: skip
    """A client's message waits for our answer until its reply time runs out, unless a teammate already answered."""
    later = session.scalar(
        select(ChannelMessage)
        .where(
            ChannelMessage.team_id == message.team_id,
            ChannelMessage.side == Side.TEAM,
            ChannelMessage.at > message.at,
            _answers(message),
        )
        .order_by(ChannelMessage.at)
        .limit(1)
    )
    if later is not None and message.answered_at is None:  # read out of order (the backfill): answered already
        how = Answer.REPLY if later.thread_ts and not later.broadcast else Answer.MESSAGE
        message.answered_at, message.answered_by, message.answer = later.at, later.user_id, how
    if client.owner_id is not None:  # the owner answers for the client: their own holidays, when they set some
        hours = hours.with_holidays(personal_of(session, team_id=client.team_id, user_id=client.owner_id).holidays)
    message.due_at = reply_due(message.at, client.reply_time, hours=hours, tz=owner.tz if owner else None)
    return 0 if message.answered_at is not None else 1


def _answers(message: ChannelMessage) -> ColumnElement[bool]:
    """Teammate messages that answer `message`: any later one in the channel, or a reply in its own thread."""
    thread = message.thread_ts or message.ts
    in_channel = ChannelMessage.thread_ts.is_(None) | ChannelMessage.broadcast
    return (ChannelMessage.channel_id == message.channel_id) & (in_channel | (ChannelMessage.thread_ts == thread))


def react_answer(session: Session, *, team_id: str, channel_id: str, ts: str, by: str, at: datetime) -> bool:
    """A teammate's ✅ on a client's message answers it (also before the message is read); False if not waiting."""
    result = session.execute(
        update(ChannelMessage)
        .where(
            ChannelMessage.team_id == team_id,
            ChannelMessage.channel_id == channel_id,
            ChannelMessage.ts == ts,
            or_(ChannelMessage.side.is_(None), ChannelMessage.side == Side.CLIENT),
            ChannelMessage.answered_at.is_(None),
        )
        .values(answered_at=at, answered_by=by, answer=Answer.REACTION),
        execution_options={"synchronize_session": False},
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def answer_waiting(session: Session, *, message: ChannelMessage, by: str, at: datetime) -> bool:
    """Someone answered a waiting message's nudge (Answered, ✅): it no longer waits. False if it did not wait."""
    if message.answered_at is not None:
        return False
    message.answered_at, message.answered_by, message.answer = at, by, Answer.NUDGE
    return True


def waiting_messages(session: Session, *, client: Client, limit: int = 10) -> list[ChannelMessage]:
    """The client's messages still waiting for an answer, oldest first (for /client show and, later, health)."""
    return list(
        session.scalars(
            select(ChannelMessage)
            .where(
                ChannelMessage.team_id == client.team_id,
                ChannelMessage.client_id == client.id,
                ChannelMessage.side == Side.CLIENT,
                ChannelMessage.answered_at.is_(None),
                ChannelMessage.deleted.is_(False),
            )
            .order_by(ChannelMessage.at, ChannelMessage.id)
            .limit(limit)
        )
    )
