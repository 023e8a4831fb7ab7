"""The sweep reads and writes in a fixed number of SQL statements, however many clients it deals with.

Each scenario seeds a workspace with core inserts (people with a fresh profile, so the sweep asks Slack nothing
about them; key clients whose quiet clock ran out; their last contact), then counts the statements the real
`Sweeper` sends while it talks to the fake Slack over HTTP. Counts for a few clients and for ten times as many
must be equal: posting nudges (with and without slipped promises, with and without client messages waiting for
an answer), the next sweep with nothing new, closing nudges after contacts and answers, and following up surveys
(reminding, and closing with the summaries). What the sweep reads to decide is counted exactly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, insert, select, update

from bot.app import make_client
from bot.settings import Settings
from domain.channel_messages import Side as Author
from domain.clock import FixedClock
from domain.nudge_candidates import load_candidates
from domain.nudges import COMBINED_MAX, DAILY_SEPARATE, Status
from domain.promises import midnight, slip_cycle
from domain.surveys import DEFAULT_SET, MAX_REMINDERS, Side
from fakes.slack import TEAM, FakeSlack
from services.sweep import Report, Sweeper
from storage.base import Base
from storage.db import make_session_factory, read_only
from storage.models import (
    ChannelMessage,
    Client,
    Contact,
    Nudge,
    Person,
    Promise,
    QuestionSet,
    Survey,
    SurveyParticipant,
    Workspace,
)

# Monday 23 Nov 2026, 10:00 in Warsaw: inside working hours.
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TZ = "Europe/Warsaw"
CADENCE_DAYS = 7
CLIENTS_PER_OWNER = 10  # five separate nudges and one combined message of five: both kinds of post
SMALL, LARGE = 3, 30


# seeding -----------------------------------------------------------------------------------------------------


def owners_for(clients: int) -> list[str]:
    """Enough owners for `clients` at CLIENTS_PER_OWNER each."""
    return [f"UOWNER{i:03d}" for i in range(-(-clients // CLIENTS_PER_OWNER))]


def seed(engine: Engine, clients: int, *, now: datetime, slipped: bool = False, waiting: bool = False) -> None:
    """A workspace, its owners (fresh profiles in TZ) and `clients` key clients gone quiet, each with one contact.

    With `slipped`, each client also has a promise its owner let slip three days ago; with `waiting`, a message
    from the client's side, read yesterday, whose reply time ran out an hour ago.
    """
    owners = owners_for(clients)
    last_contact = now - timedelta(days=30)
    with engine.begin() as connection:
        connection.execute(insert(Workspace), [{"team_id": TEAM, "created_at": now}])
        connection.execute(insert(Person), [_person(user, now) for user in owners])
        connection.execute(insert(Client), [_client(i, owners[i % len(owners)], last_contact) for i in range(clients)])
        rows = connection.execute(select(Client.id, Client.owner_id).order_by(Client.id)).all()
        connection.execute(insert(Contact), [_contact(cid, str(by), last_contact) for cid, by in rows])
        if slipped:
            connection.execute(insert(Promise), [_promise(cid, str(by), now) for cid, by in rows])
        if waiting:
            connection.execute(insert(ChannelMessage), [_question(cid, now) for cid, _ in rows])


def _person(user: str, now: datetime) -> dict[str, Any]:
    return {"team_id": TEAM, "user_id": user, "home_team_id": TEAM, "tz": TZ, "is_bot": False, "deleted": False,
            "fetched_at": now}  # fmt: skip


def _client(number: int, owner: str, last_contact: datetime) -> dict[str, Any]:
    created = last_contact - timedelta(days=90)
    return {
        "team_id": TEAM, "name": f"Client {number:05d}", "name_key": f"client {number:05d}", "is_key": True,
        "cadence_days": CADENCE_DAYS, "owner_id": owner, "created_by": owner, "created_at": created,
        "updated_at": last_contact, "last_contact_at": last_contact,
        "quiet_due_at": last_contact + timedelta(days=CADENCE_DAYS),
    }  # fmt: skip


def _contact(client_id: int, user: str, at: datetime) -> dict[str, Any]:
    return {"team_id": TEAM, "client_id": client_id, "user_id": user, "occurred_at": at, "note": "Call",
            "source": "command", "created_at": at}  # fmt: skip


def _promise(client_id: int, owner: str, now: datetime) -> dict[str, Any]:
    due_on = (now - timedelta(days=3)).date()
    return {"team_id": TEAM, "client_id": client_id, "what": "Send the proposal", "owner_id": owner,
            "due_on": due_on, "created_by": owner, "created_at": now - timedelta(days=9),
            "heads_up_at": midnight(due_on), "slip_at": slip_cycle(due_on, None)}  # fmt: skip


def _question(client_id: int, now: datetime) -> dict[str, Any]:
    at = now - timedelta(days=1)
    return {"team_id": TEAM, "client_id": client_id, "channel_id": f"C{client_id:05d}", "ts": f"{at.timestamp():.6f}",
            "broadcast": False, "user_id": f"UGUEST{client_id:04d}", "at": at, "text": None, "deleted": False,
            "processed_at": at, "side": Author.CLIENT, "due_at": now - timedelta(hours=1)}  # fmt: skip


def add_surveys(engine: Engine, *, now: datetime, reminders: int) -> None:
    """A survey about each client, sent ten days ago; its guest (client side) has not answered after `reminders`."""
    with engine.begin() as connection:
        questions = connection.scalar(select(QuestionSet.id).where(QuestionSet.team_id == DEFAULT_SET))
        clients = connection.execute(select(Client.id, Client.owner_id).order_by(Client.id)).all()
        connection.execute(insert(Survey), [_survey(cid, str(by), questions, now) for cid, by in clients])
        surveys = connection.scalars(select(Survey.id).where(Survey.team_id == TEAM).order_by(Survey.id)).all()
        guests = [f"UGUEST{i:04d}" for i in range(len(surveys))]
        connection.execute(insert(Person), [_person(guest, now) for guest in guests])
        connection.execute(
            insert(SurveyParticipant),
            [_guest(survey, guest, reminders, now) for survey, guest in zip(surveys, guests, strict=True)],
        )


def _survey(client_id: int, owner: str, questions: int | None, now: datetime) -> dict[str, Any]:
    return {"team_id": TEAM, "client_id": client_id, "project": "Website", "requester_id": owner,
            "question_set_id": questions, "created_at": now - timedelta(days=10)}  # fmt: skip


def _guest(survey_id: int, user: str, reminders: int, now: datetime) -> dict[str, Any]:
    return {"team_id": TEAM, "survey_id": survey_id, "user_id": user, "side": Side.CLIENT, "invited_via": "dm",
            "channel_id": f"D{user}", "ts": f"1790000000.{survey_id:06d}", "reminders": reminders,
            "reminded_at": now - timedelta(days=4)}  # fmt: skip


def contact_everyone(engine: Engine, *, at: datetime) -> None:
    """A contact logged for every client (and every waiting message answered) after its nudge: the next sweep
    closes every open nudge."""
    with engine.begin() as connection:
        connection.execute(update(ChannelMessage).values(answered_at=at, answered_by="UOWNER000", answer="message"))
        ids = connection.scalars(select(Client.id)).all()
        connection.execute(insert(Contact), [_contact(cid, "UOWNER000", at) for cid in ids])
        connection.execute(
            update(Client).values(last_contact_at=at, quiet_due_at=at + timedelta(days=CADENCE_DAYS), updated_at=at)
        )


def empty(engine: Engine) -> None:
    """Remove the workspace and everything in it (rows the migrations seed for every workspace stay)."""
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete().where(table.c.team_id == TEAM))


# counting ----------------------------------------------------------------------------------------------------


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL sent to the database inside the block, one entry per execute (an executemany is one)."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(" ".join(statement.split())[:100])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


@dataclass
class Sweep:
    """One sweep as the test sees it: what it reported, the statements it sent, the messages it posted and edited."""

    report: Report
    sql: list[str]
    posted: int
    edited: int


def sweep(engine: Engine, settings: Settings, fake: FakeSlack, *, now: datetime) -> Sweep:
    sweeper = Sweeper(make_session_factory(engine), make_client(settings), FixedClock(now))
    posts_before, edits_before = len(fake.calls_to("chat.postMessage")), len(fake.calls_to("chat.update"))
    with statements(engine) as sql:
        report = sweeper.run(now)
    posts, edits = len(fake.calls_to("chat.postMessage")), len(fake.calls_to("chat.update"))
    return Sweep(report, sql, posts - posts_before, edits - edits_before)


def expected_posts(clients: int, per_client: int = 1) -> int:
    """Messages for `clients` spread over their owners: five separate each, then one combined of up to 20."""
    per_owner = Counter(i % len(owners_for(clients)) for i in range(clients))
    nudges = [n * per_client for n in per_owner.values()]
    return sum(min(n, DAILY_SEPARATE) + (n > DAILY_SEPARATE) for n in nudges)


def nudges_with(engine: Engine, status: str) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Nudge).where(Nudge.status == status)) or 0


def same_count(small: list[str], large: list[str]) -> str:
    """An assertion message naming the statements that ran a different number of times."""
    a, b = Counter(small), Counter(large)
    differ = {sql: (a[sql], b[sql]) for sql in a.keys() | b.keys() if a[sql] != b[sql]}
    return (
        f"{len(small)} statements for {SMALL} clients, {len(large)} for {LARGE}; (small, large) by statement: {differ}"
    )


# scenarios ---------------------------------------------------------------------------------------------------


def post_then_sweep_again(
    engine: Engine, settings: Settings, fake: FakeSlack, clients: int, *, slipped: bool, waiting: bool = False
) -> tuple[Sweep, Sweep]:
    """Seed `clients`, sweep (posting every nudge), sweep again a minute later (nothing new); then empty."""
    seed(engine, clients, now=MONDAY, slipped=slipped, waiting=waiting)
    first = sweep(engine, settings, fake, now=MONDAY)
    second = sweep(engine, settings, fake, now=MONDAY + timedelta(minutes=1))
    per_client = 1 + slipped + waiting
    assert first.posted == first.report.posted == expected_posts(clients, per_client)
    assert nudges_with(engine, Status.POSTED) == clients * per_client
    assert second.posted == 0 and second.report.posted == 0
    empty(engine)
    return first, second


# Slipped promises mix rows with and without a promise_id in the claim: an ORM bulk INSERT starts a new statement
# whenever the set of non-NULL columns changes, so claim() must group them to stay at two statements.
@pytest.mark.parametrize(
    ("slipped", "waiting"),
    [(False, False), (True, False), (False, True)],
    ids=["quiet", "quiet+slipped", "quiet+waiting"],
)
def test_nudges_due_are_posted_in_a_fixed_number_of_statements(
    engine: Engine, settings: Settings, fake_slack: FakeSlack, slipped: bool, waiting: bool
) -> None:
    assert 2 * CLIENTS_PER_OWNER <= DAILY_SEPARATE + COMBINED_MAX  # every nudge fits in one day's posts

    small_first, small_second = post_then_sweep_again(engine, settings, fake_slack, SMALL, slipped=slipped,
                                                      waiting=waiting)  # fmt: skip
    large_first, large_second = post_then_sweep_again(engine, settings, fake_slack, LARGE, slipped=slipped,
                                                      waiting=waiting)  # fmt: skip

    assert expected_posts(LARGE) > expected_posts(SMALL) > 0
    assert len(small_first.sql) == len(large_first.sql), same_count(small_first.sql, large_first.sql)
    assert len(small_second.sql) == len(large_second.sql), same_count(small_second.sql, large_second.sql)
    assert len(small_second.sql) < len(small_first.sql)  # the second sweep claims and records nothing


def close_after_contacts(engine: Engine, settings: Settings, fake: FakeSlack, clients: int, *, waiting: bool) -> Sweep:
    """Seed and post `clients`, log a contact with each (and answer what waits), then the sweep that closes their
    nudges; then empty."""
    seed(engine, clients, now=MONDAY, waiting=waiting)
    sweep(engine, settings, fake, now=MONDAY)
    contact_everyone(engine, at=MONDAY + timedelta(hours=1))
    closing = sweep(engine, settings, fake, now=MONDAY + timedelta(hours=2))
    assert closing.report.closed == clients * (1 + waiting)
    assert nudges_with(engine, Status.CLOSED) == clients * (1 + waiting)
    assert closing.edited == expected_posts(clients, 1 + waiting)
    empty(engine)
    return closing


@pytest.mark.parametrize("waiting", [False, True], ids=["quiet", "quiet+waiting"])
def test_closing_nudges_takes_a_fixed_number_of_statements(
    engine: Engine, settings: Settings, fake_slack: FakeSlack, waiting: bool
) -> None:
    """Closed messages are read in one query, whatever their number, then each is edited (chat.update)."""
    small = close_after_contacts(engine, settings, fake_slack, SMALL, waiting=waiting)
    large = close_after_contacts(engine, settings, fake_slack, LARGE, waiting=waiting)

    assert len(small.sql) == len(large.sql), same_count(small.sql, large.sql)


def survey_follow_ups(engine: Engine, settings: Settings, fake: FakeSlack, clients: int, *, reminders: int) -> Sweep:
    """Seed and post `clients`; then a survey about each, waiting for its guest; the sweep that follows them up."""
    seed(engine, clients, now=MONDAY)
    sweep(engine, settings, fake, now=MONDAY)  # the nudges, out of the way
    add_surveys(engine, now=MONDAY, reminders=reminders)
    found = sweep(engine, settings, fake, now=MONDAY + timedelta(minutes=1))
    assert found.report.posted == 0
    assert (found.report.survey_reminders, found.report.surveys_closed) == (
        (clients, 0) if reminders < MAX_REMINDERS else (0, clients)
    )
    empty(engine)
    return found


@pytest.mark.parametrize("reminders", [0, MAX_REMINDERS], ids=["reminding", "closing"])
def test_survey_follow_ups_take_a_fixed_number_of_statements(
    engine: Engine, settings: Settings, fake_slack: FakeSlack, reminders: int
) -> None:
    small = survey_follow_ups(engine, settings, fake_slack, SMALL, reminders=reminders)
    large = survey_follow_ups(engine, settings, fake_slack, LARGE, reminders=reminders)

    assert len(small.sql) == len(large.sql), same_count(small.sql, large.sql)


# Workspaces, quiet clients, open promises, client messages past their reply time (the unanswered kind's one
# query), sponsors past their own cadence (the sponsor kind's one), nudges posted lately, open nudges, survey
# invitations waiting, people's own settings (briefings and absences) and the briefings of the last days, and the
# people all of these name. A new kind of nudge adds its query here, deliberately: the count changes with the
# code, never with the data.
CANDIDATE_READS = 11


@pytest.mark.parametrize("clients", [SMALL, LARGE])
def test_the_sweep_reads_its_candidates_in_a_known_number_of_queries(engine: Engine, clients: int) -> None:
    seed(engine, clients, now=MONDAY, slipped=True, waiting=True)
    add_surveys(engine, now=MONDAY, reminders=0)
    with read_only(make_session_factory(engine)) as session, statements(engine) as sql:
        found = load_candidates(session, now=MONDAY)
    assert (len(found.quiet), len(found.promises), len(found.unanswered)) == (clients, clients, clients)
    assert len([s for s in sql if s.startswith("SELECT")]) == CANDIDATE_READS, sql
    empty(engine)
