"""Benchmark the health score over many clients, on SQLite and on PostgreSQL.

Seeds a fresh database (a temporary SQLite file; a PostgreSQL database created on --postgres-url and dropped
afterwards) through the real migrations with a year of history per client (contacts, promises kept, late and
moved, client messages answered in time, late or never, surveys with both sides' ratings), then times
`domain.health.scores` for every client, `clients_at_risk` (what `/client list risk` runs) and
`domain.health.weekly` for the key clients over 12 weeks (the digest's chart), printing per database the time,
the SQL statements (a fixed number, whatever the number of clients), peak Python memory and the bands found.

    python -m bench.health                     # 100 000 clients, both databases
    python -m bench.health --clients 10000 --skip-postgres

See bench/README.md for figures.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, text
from sqlalchemy.orm import Session

from bench.databases import engine_on, postgres_database, sqlite_database
from bench.sweep import analyze, batches, median, peak_memory, statements, timed
from domain.channel_messages import Side as Author
from domain.events import Kind
from domain.health import Health, clients_at_risk, scores, weekly
from domain.surveys import DEFAULT_SET, Side
from storage.db import upgrade
from storage.models import (
    ChannelMessage,
    Client,
    ClientEvent,
    Contact,
    Promise,
    QuestionSet,
    Survey,
    SurveyAnswer,
    SurveyParticipant,
    Workspace,
)

TEAM = "TBENCH"
DEFAULT_NOW = "2026-11-23T10:00:00+00:00"
CADENCES = (7, 14, 30, 90, None, None)  # a third of the clients have no cadence
ITEMS = ("informed", "dates", "quality", "priorities", "overall")
HISTORY_DAYS = 240  # what the score reads: 90 days, 4 weeks back for the trend, 12 weeks of the digest's chart
WEEKS = 12


@dataclass(frozen=True)
class Options:
    clients: int
    now: datetime
    postgres_url: str
    skip_postgres: bool
    batch: int
    seed: int
    repeat: int


# seeding -----------------------------------------------------------------------------------------------------


@dataclass
class Rows:
    """The rows of a batch of clients, table by table."""

    clients: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    promises: list[dict[str, Any]] = field(default_factory=list)
    moves: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    surveys: list[dict[str, Any]] = field(default_factory=list)


def owner(rng: random.Random) -> str:
    return f"U{rng.randrange(50):08d}"


def client_rows(number: int, options: Options, rng: random.Random, rows: Rows) -> None:
    """One client with a year of contacts (some clients slipping lately), promises and client messages."""
    now, cadence = options.now, rng.choice(CADENCES)
    by = owner(rng)
    created = now - timedelta(days=HISTORY_DAYS + rng.uniform(0, 300))
    rows.clients.append({
        "id": number, "team_id": TEAM, "name": f"Client {number:06d}", "name_key": f"client {number:06d}",
        "is_key": rng.random() < 0.2, "cadence_days": cadence, "owner_id": by, "created_by": by,
        "created_at": created, "updated_at": now,
    })  # fmt: skip
    spacing = (cadence or 30) * rng.uniform(0.6, 1.4)  # some keep their cadence, some drift
    silence = rng.uniform(0, 2.0 * (cadence or 30))  # since the last contact
    at = now - timedelta(days=silence)
    while at > now - timedelta(days=HISTORY_DAYS):
        rows.contacts.append({"team_id": TEAM, "client_id": number, "user_id": by, "occurred_at": at,
                              "source": "command", "note": "Call about the renewal", "created_at": at})  # fmt: skip
        at -= timedelta(days=spacing * rng.uniform(0.7, 1.3))
    for k in range(rng.choice((0, 1, 2, 3, 4))):
        promise_rows(number * 10 + k, number, by, options, rng, rows)
    for _ in range(rng.choice((0, 0, 1, 2, 4))):
        message_rows(number, options, rng, rows)


def promise_rows(promise_id: int, client_id: int, by: str, options: Options, rng: random.Random, rows: Rows) -> None:
    """A promise due in the last four months or the next month: kept on time, kept late, open, or moved."""
    due = options.now - timedelta(days=rng.uniform(-30, 120))
    fate = rng.random()
    done = None if fate < 0.2 else due + timedelta(days=rng.uniform(-5, 0) if fate < 0.8 else rng.uniform(1, 10))
    rows.promises.append({
        "id": promise_id, "team_id": TEAM, "client_id": client_id, "what": "Send the revised proposal",
        "due_on": due.date(), "owner_id": by, "created_by": by, "created_at": due - timedelta(days=14),
        "done_at": done if done is None or done < options.now else None,
    })  # fmt: skip
    if rng.random() < 0.1:
        rows.moves.append({"team_id": TEAM, "client_id": client_id, "promise_id": promise_id,
                           "kind": Kind.PROMISE_MOVED, "actor_id": by, "at": due - timedelta(days=1),
                           "data": {"old": due.date().isoformat(), "new": due.date().isoformat()}})  # fmt: skip


def message_rows(client_id: int, options: Options, rng: random.Random, rows: Rows) -> None:
    """A client's message in the last four months, its reply time a day: mostly answered in time."""
    at = options.now - timedelta(days=rng.uniform(0, 120))
    wait = rng.choice((0.1, 0.3, 0.5, 0.8, 2.0, None))
    answered = None if wait is None else at + timedelta(days=wait)
    rows.messages.append({
        "team_id": TEAM, "client_id": client_id, "channel_id": f"C{client_id:08d}",
        "ts": f"{at.timestamp():.6f}{len(rows.messages):04d}", "broadcast": False, "user_id": "UGUEST",
        "at": at, "deleted": False, "processed_at": at, "side": Author.CLIENT, "due_at": at + timedelta(days=1),
        "answered_at": answered if answered is None or answered < options.now else None,
    })  # fmt: skip


def seed(engine: Engine, options: Options) -> None:
    """The workspace and its clients with their history, `batch` clients a transaction; then surveys."""
    rng = random.Random(options.seed)
    with engine.begin() as connection:
        connection.execute(insert(Workspace), [{"team_id": TEAM, "created_at": options.now}])
    for numbers in batches(iter(range(1, options.clients + 1)), options.batch):
        rows = Rows()
        for number in numbers:
            client_rows(number, options, rng, rows)
        with engine.begin() as connection:
            connection.execute(insert(Client), rows.clients)
            for model, found in ((Contact, rows.contacts), (Promise, rows.promises), (ChannelMessage, rows.messages)):
                bulk_insert(connection, model, found)
            if rows.moves:
                connection.execute(insert(ClientEvent), rows.moves)
    seed_surveys(engine, options, rng)


def bulk_insert(connection: Connection, model: Any, rows: list[dict[str, Any]]) -> None:
    """Rows of one table: COPY on PostgreSQL (an executemany of a million rows takes minutes there), else inserts."""
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        connection.execute(insert(model), rows)
        return
    columns = list(rows[0])
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {model.__tablename__} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def seed_surveys(engine: Engine, options: Options, rng: random.Random) -> None:
    """One client in ten had a survey in the last year: the client and the team rate the five items."""
    with engine.begin() as connection:
        questions = connection.scalar(select(QuestionSet.id).where(QuestionSet.team_id == DEFAULT_SET))
        picked = rng.sample(range(1, options.clients + 1), options.clients // 10)
        surveys = [{"team_id": TEAM, "client_id": cid, "project": "Website", "requester_id": "U00000000",
                    "question_set_id": questions, "created_at": options.now - timedelta(days=rng.uniform(5, 360))}
                   for cid in picked]  # fmt: skip
        connection.execute(insert(Survey), surveys)
        sent = select(Survey.id, Survey.created_at).where(Survey.team_id == TEAM).order_by(Survey.id)
        ids = connection.execute(sent).all()  # in order: the same ratings on both databases
        sides = (("UGUEST", Side.CLIENT), ("U00000000", Side.TEAM))
        people = [{"team_id": TEAM, "survey_id": sid, "user_id": user, "side": side, "invited_via": "dm",
                   "answered_at": sent + timedelta(days=2)} for sid, sent in ids for user, side in sides]  # fmt: skip
        connection.execute(insert(SurveyParticipant), people)
        answers = [
            {"team_id": TEAM, "survey_id": sid, "participant_id": pid, "question_set_id": questions, "item": item,
             "rating": rng.choice((2, 3, 4, 4, 5, 5)) if side == Side.CLIENT else rng.choice((4, 5))}
            for pid, sid, side in connection.execute(select(SurveyParticipant.id, SurveyParticipant.survey_id,
                                                            SurveyParticipant.side).order_by(SurveyParticipant.id))
            for item in ITEMS
        ]  # fmt: skip
        for batch in batches(iter(answers), options.batch * 5):
            connection.execute(insert(SurveyAnswer), batch)
    if engine.dialect.name == "postgresql":  # ids were given explicitly: move the sequences past them
        with engine.begin() as connection:
            for table in ("clients", "promises"):
                sequence = f"pg_get_serial_sequence('{table}', 'id')"
                connection.execute(text(f"SELECT setval({sequence}, max(id)) FROM {table}"))


def counts(engine: Engine) -> dict[str, int]:
    """Rows seeded, table by table."""
    with engine.connect() as connection:
        return {
            model.__tablename__: connection.scalar(select(text("count(*)")).select_from(model)) or 0
            for model in (Client, Contact, Promise, ClientEvent, ChannelMessage, Survey, SurveyAnswer)
        }


# measuring ---------------------------------------------------------------------------------------------------


@dataclass
class Run:
    """One measured call: wall time, its statements, what it returned; peak memory of one more run."""

    wall: float
    sql: list[tuple[str, float]]
    result: Any
    peak_mib: float = 0.0


def measured(engine: Engine, call: Callable[[Session], Any], repeat: int) -> Run:
    """The median of `repeat` runs of `call` in a read-only session, and the peak memory of one more."""

    def once() -> Run:
        with Session(engine) as session, statements(engine) as sql:
            result, wall = timed(lambda: call(session))
        return Run(wall, sql, result)

    run = median([once() for _ in range(repeat)], key=lambda r: r.wall)

    def untimed() -> None:
        with Session(engine) as session:
            call(session)

    run.peak_mib = peak_memory(untimed)
    return run


@dataclass
class Figures:
    database: str
    seeding: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    runs: dict[str, Run] = field(default_factory=dict)


def measure(engine: Engine, name: str, options: Options) -> Figures:
    figures = Figures(name)
    upgrade(engine)
    _, figures.seeding = timed(lambda: seed(engine, options))
    analyze(engine)
    figures.rows = counts(engine)
    now = options.now
    with engine.connect() as connection:
        key = list(connection.scalars(select(Client.id).where(Client.team_id == TEAM, Client.is_key.is_(True))))
    figures.runs = {
        "scores, every client": measured(engine, lambda s: scores(s, team_id=TEAM, now=now), options.repeat),
        "list risk (worst 100)": measured(
            engine, lambda s: clients_at_risk(s, team_id=TEAM, now=now, limit=100), options.repeat
        ),
        f"weekly, key clients, {WEEKS} weeks": measured(
            engine, lambda s: weekly(s, team_id=TEAM, client_ids=key, weeks=WEEKS, now=now), options.repeat
        ),
    }
    return figures


# databases ---------------------------------------------------------------------------------------------------


def on_sqlite(options: Options) -> Figures:
    with sqlite_database() as url, engine_on(url) as engine:
        return measure(engine, "SQLite", options)


def on_postgres(options: Options) -> Figures:
    with postgres_database(options.postgres_url) as url, engine_on(url) as engine:
        return measure(engine, "PostgreSQL", options)


# reporting ---------------------------------------------------------------------------------------------------


def bands(found: dict[int, Health]) -> str:
    tally = Counter(h.band.value for h in found.values())
    return " / ".join(f"{tally[band]}" for band in ("green", "yellow", "red"))


def rows_of(figures: Figures) -> dict[str, str]:
    found: dict[str, str] = {"seeding (inserts), s": f"{figures.seeding:.1f}"}
    found |= {f"rows: {table}": f"{count}" for table, count in figures.rows.items()}
    for name, run in figures.runs.items():
        found[f"{name}: wall, s"] = f"{run.wall:.2f}"
        found[f"{name}: statements"] = f"{len(run.sql)}"
        found[f"{name}: peak memory, MiB"] = f"{run.peak_mib:.1f}"
    every = figures.runs["scores, every client"].result
    found["clients scored / green / yellow / red"] = f"{len(every)} / {bands(every)}"
    return found


def table(results: list[Figures]) -> str:
    columns = [rows_of(figures) for figures in results]
    lines = ["| | " + " | ".join(f.database for f in results) + " |", "|---" * (len(results) + 1) + "|"]
    lines += [f"| {name} | " + " | ".join(c[name] for c in columns) + " |" for name in columns[0]]
    return "\n".join(lines)


def slowest(sql: list[tuple[str, float]], count: int = 4) -> Iterator[str]:
    for statement, seconds in sorted(sql, key=lambda s: -s[1])[:count]:
        yield f"  {seconds:8.3f} s  {statement}"


def print_report(results: list[Figures], options: Options) -> None:
    print(f"\n{options.clients} clients; scored at {options.now.isoformat()}\n")
    print(table(results))
    for figures in results:
        for name in ("scores, every client", "list risk (worst 100)"):
            print(f"\n{figures.database}: slowest statements of {name}")
            print("\n".join(slowest(figures.runs[name].sql)))


# command line ------------------------------------------------------------------------------------------------


def parse(argv: list[str] | None, *, prog: str = "python -m bench.health", about: str | None = __doc__) -> Options:
    """The options of this bench, or of one that seeds the same workspace (bench.home: its own name and text)."""
    parser = argparse.ArgumentParser(prog=prog, description=(about or "").split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--now", default=DEFAULT_NOW, help=f"score at this time (default {DEFAULT_NOW})")
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--batch", type=int, default=5_000, help="clients per insert transaction")
    parser.add_argument("--seed", type=int, default=1, help="random seed (the same data every run)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the median is shown")
    args = parser.parse_args(argv)
    now = datetime.fromisoformat(args.now)
    return Options(
        clients=args.clients, now=(now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(UTC),
        postgres_url=args.postgres_url, skip_postgres=args.skip_postgres, batch=args.batch, seed=args.seed,
        repeat=args.repeat,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    options = parse(argv)
    results = [on_sqlite(options)]
    if not options.skip_postgres:
        results.append(on_postgres(options))
    print_report(results, options)


if __name__ == "__main__":
    main()
