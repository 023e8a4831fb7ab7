"""Benchmark one nudge sweep over many clients and contacts, on SQLite and on PostgreSQL.

Seeds a fresh database (a temporary SQLite file; a PostgreSQL database created on --postgres-url and dropped
afterwards) through the real migrations, then runs the real `Sweeper` against a fake Slack Web API served over
loopback HTTP, and prints, per database: seeding time, the sweep's wall time and its database part
(load_candidates + plan), SQL statements, peak Python memory (tracemalloc) and the nudges planned and posted.

    python -m bench.sweep                      # 100 000 clients, 1 000 000 contacts, both databases
    python -m bench.sweep --clients 10000 --contacts 100000 --skip-postgres
    python -m bench.sweep --profile            # also cProfile the posting sweep
    python -m bench.sweep --holidays PL        # public holidays: the workspace's, and every third owner's own

Run it from the repository root (it imports fakes.slack). See bench/README.md for figures.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from pydantic import SecretStr
from slack_sdk import WebClient
from sqlalchemy import Engine, delete, event, func, insert, select, text

from bench.databases import engine_on, postgres_database, sqlite_database
from bot.app import make_client
from bot.settings import Settings
from domain.clock import FixedClock
from domain.nudge_candidates import load_candidates
from domain.nudge_planning import plan
from domain.nudges import NudgeKind, Status
from domain.promises import midnight, slip_cycle
from domain.quiet import quiet_due
from fakes.slack import FakeSlack
from services.sweep import Report, Sweeper
from storage.boss_models import PersonSettings
from storage.db import make_session_factory, upgrade
from storage.models import Client, Contact, Nudge, Person, Promise, Workspace

T = TypeVar("T")
TEAM = "TBENCH"
TEAM_CHANNEL = "CTEAM"
ZONES = ("Europe/Warsaw", "America/Los_Angeles", "Asia/Tokyo")
CADENCES = (7, 14, 30, 90, None, None)  # a third of the clients have no cadence and never go quiet
# Monday 23 Nov 2026, 11:00 in Warsaw (02:00 in Los Angeles, 19:00 in Tokyo): a third of the owners work.
DEFAULT_NOW = "2026-11-23T10:00:00+00:00"
STEADY_AFTER = timedelta(minutes=5)  # the scheduler's interval: the next sweep finds nothing new to post
CLIENT_COLUMNS = ("id", "team_id", "name", "name_key", "is_key", "cadence_days", "owner_id", "created_by",
                  "created_at", "updated_at", "last_contact_at", "snoozed_until")  # fmt: skip


@dataclass(frozen=True)
class Options:
    clients: int
    contacts: int
    promises: int
    owners: int
    now: datetime
    postgres_url: str
    skip_postgres: bool
    batch: int
    seed: int
    profile: bool
    repeat: int
    holidays: str | None = None  # the workspace's public holidays; every third owner then sets their own (US)


# seeding -----------------------------------------------------------------------------------------------------


def people_rows(options: Options) -> list[dict[str, Any]]:
    """The owners, with a fresh profile (no users.info during the sweep), time zones spread over ZONES."""
    return [
        {"team_id": TEAM, "user_id": owner(i), "home_team_id": TEAM, "tz": ZONES[i % len(ZONES)], "is_bot": False,
         "deleted": False, "fetched_at": options.now}
        for i in range(options.owners)
    ]  # fmt: skip


def owner(number: int) -> str:
    return f"U{number:08d}"


def contact_counts(options: Options, rng: random.Random) -> list[int]:
    """How many contacts each client has: `contacts` spread at random over `clients` (about 10 each by default)."""
    counts = Counter(rng.choices(range(options.clients), k=options.contacts))
    return [counts[i] for i in range(options.clients)]


@dataclass
class Seeded:
    """The rows for one client: the client, its contacts, and the nudge of its previous quiet spell (if any)."""

    client: dict[str, Any]
    contacts: list[dict[str, Any]]
    history: list[dict[str, Any]]


def client_rows(number: int, contacts: int, options: Options, rng: random.Random) -> Seeded:
    """One client and its contacts; last_contact_at and quiet_due_at follow from them as domain.quiet says."""
    now, cadence = options.now, rng.choice(CADENCES)
    by = owner(rng.randrange(options.owners))
    # The latest contact up to 1.25 cadences ago: about a fifth of the clients with a cadence are due. Earlier
    # contacts came a little late (1.1 cadences apart), each after a nudge.
    latest = now - timedelta(days=rng.uniform(0, 1.25 * cadence if cadence else 365))
    spacing = timedelta(days=1.1 * cadence if cadence else 30)
    times = [latest - k * spacing - timedelta(hours=rng.uniform(0, 48)) for k in range(contacts)]
    created = (times[-1] if times else latest) - timedelta(days=rng.uniform(1, 60))
    snoozed = now + timedelta(days=rng.uniform(1, 14)) if cadence and rng.random() < 0.02 else None
    client = Client(
        id=number, team_id=TEAM, name=f"Client {number:06d}", name_key=f"client {number:06d}",
        is_key=rng.random() < 0.2, cadence_days=cadence, owner_id=None if rng.random() < 0.05 else by,
        created_by=by, created_at=created, updated_at=now, last_contact_at=times[0] if times else None,
        snoozed_until=snoozed,
    )  # fmt: skip
    row = {column: getattr(client, column) for column in CLIENT_COLUMNS} | {"quiet_due_at": quiet_due(client)}
    return Seeded(row, [contact_row(number, by, at) for at in times], previous_spell(number, by, cadence, times))


def previous_spell(client_id: int, to: str, cadence: int | None, times: list[datetime]) -> list[dict[str, Any]]:
    """The nudge of the quiet spell before the latest contact (closed by that contact), if the client had one."""
    if cadence is None or len(times) < 2 or times[1] + timedelta(days=cadence) >= times[0]:
        return []
    due = times[1] + timedelta(days=cadence)
    return [{
        "team_id": TEAM, "kind": NudgeKind.QUIET, "target_id": client_id, "cycle_at": due, "client_id": client_id,
        "recipient_id": to, "status": Status.CLOSED, "claimed_at": due, "attempts": 0, "channel_id": f"D{to}",
        "ts": f"{due.timestamp():.6f}", "combined": False, "posted_at": due, "answered_at": times[0],
        "answer": "contacted",
    }]  # fmt: skip


def contact_row(client_id: int, by: str, at: datetime) -> dict[str, Any]:
    return {"team_id": TEAM, "client_id": client_id, "user_id": by, "occurred_at": at, "source": "command",
            "note": "Call about the renewal; they want the new pricing by Friday.", "created_at": at}  # fmt: skip


def promise_rows(options: Options, rng: random.Random) -> Iterator[dict[str, Any]]:
    """Promises due from three weeks ago to three weeks ahead; a third already kept."""
    today = options.now.date()
    for _ in range(options.promises):
        due_on = today + timedelta(days=rng.randint(-21, 21))
        at = options.now - timedelta(days=30)
        done = rng.random() < 0.33
        yield {
            "team_id": TEAM, "client_id": rng.randint(1, options.clients), "what": "Send the revised proposal",
            "due_on": due_on, "owner_id": owner(rng.randrange(options.owners)), "created_by": owner(0),
            "created_at": at, "done_at": options.now - timedelta(days=1) if done else None,
            "heads_up_at": midnight(due_on), "slip_at": slip_cycle(due_on, None),  # as domain.promises keeps them
        }  # fmt: skip


def batches(rows: Iterator[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def seed(engine: Engine, options: Options) -> None:
    """The workspace, its owners, the clients with their contacts, and promises, in batched executemany inserts."""
    rng = random.Random(options.seed)
    with engine.begin() as connection:
        connection.execute(
            insert(Workspace),
            [
                {
                    "team_id": TEAM,
                    "created_at": options.now,
                    "team_channel_id": TEAM_CHANNEL,
                    "team_channel_tz": ZONES[0],
                    "holidays": options.holidays,
                }
            ],
        )
        connection.execute(insert(Person), people_rows(options))
        if options.holidays:  # calendars resolved per person: the workspace's, and some people's own
            own = [{"team_id": TEAM, "user_id": owner(i), "holidays": "US", "updated_at": options.now}
                   for i in range(0, options.owners, 3)]  # fmt: skip
            connection.execute(insert(PersonSettings), own)
    seed_clients(engine, options, rng)
    for promises in batches(promise_rows(options, rng), options.batch):
        with engine.begin() as connection:
            connection.execute(insert(Promise), promises)
    if engine.dialect.name == "postgresql":  # ids were given explicitly: move the sequence past them
        with engine.begin() as connection:
            connection.execute(text("SELECT setval(pg_get_serial_sequence('clients', 'id'), max(id)) FROM clients"))


def seed_clients(engine: Engine, options: Options, rng: random.Random) -> None:
    """Clients with their contacts, `batch` clients a transaction."""
    counts = contact_counts(options, rng)
    for numbers in batches(iter(range(1, options.clients + 1)), options.batch):
        made = [client_rows(n, counts[n - 1], options, rng) for n in numbers]
        with engine.begin() as connection:
            connection.execute(insert(Client), [m.client for m in made])
            connection.execute(insert(Contact), [c for m in made for c in m.contacts])
            if history := [n for m in made for n in m.history]:
                connection.execute(insert(Nudge), history)


def analyze(engine: Engine) -> None:
    """Planner statistics, as a database that has been running a while has them."""
    statement = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(statement))


def inconsistent_clients(engine: Engine) -> int:
    """Clients whose last_contact_at is not their latest contact (0 when seeding kept them in step)."""
    latest = (
        select(func.max(Contact.occurred_at))
        .where(Contact.team_id == Client.team_id, Contact.client_id == Client.id)
        .scalar_subquery()
    )
    with engine.connect() as connection:
        found = select(func.count()).select_from(Client).where(Client.last_contact_at.is_distinct_from(latest))
        return connection.scalar(found) or 0


def nudge_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Nudge)) or 0


# measuring ---------------------------------------------------------------------------------------------------


@contextmanager
def statements(engine: Engine) -> Iterator[list[tuple[str, float]]]:
    """Each statement sent in the block (an executemany is one) with the seconds its execute took."""
    sent: list[tuple[str, float]] = []
    started: list[float] = []

    def before(*_args: Any) -> None:
        started.append(time.perf_counter())

    def after(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append((" ".join(statement.split())[:90], time.perf_counter() - started.pop()))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def timed(action: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def peak_memory(action: Callable[[], object]) -> float:
    """Peak memory Python allocated while `action` ran, in MiB (timed separately: tracemalloc slows Python)."""
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


@dataclass
class Planned:
    """What load_candidates + plan found, and how long each took."""

    quiet: int
    promises: int
    open: int
    messages: int
    nudges: int
    load: float
    plan: float
    sql: list[tuple[str, float]]


def plan_only(engine: Engine, now: datetime) -> Planned:
    """The sweep's database part, read-only (rolled back): load the candidates and decide what to post."""
    with make_session_factory(engine)() as session, statements(engine) as sql:
        candidates, load_time = timed(lambda: load_candidates(session, now=now))
        decided, plan_time = timed(lambda: plan(candidates))
    return Planned(
        quiet=len(candidates.quiet), promises=len(candidates.promises), open=len(candidates.open),
        messages=len(decided.posts), nudges=sum(len(p.targets) for p in decided.posts),
        load=load_time, plan=plan_time, sql=sql,
    )  # fmt: skip


@dataclass
class Swept:
    """One full sweep: its report, wall time, statements, and peak memory of an identical rerun."""

    report: Report
    wall: float
    sql: list[tuple[str, float]]
    slack_calls: int
    peak_mib: float = 0.0


def slack_client(fake: FakeSlack) -> WebClient:
    """The client the app uses (retries included), talking to the fake Slack over loopback HTTP."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=SecretStr("xoxb-bench"),
        slack_signing_secret=SecretStr("bench"),
        slack_api_url=fake.api_url,
    )
    return make_client(settings)


def run_sweep(engine: Engine, client: WebClient, fake: FakeSlack, now: datetime) -> Swept:
    sweeper = Sweeper(make_session_factory(engine), client, FixedClock(now))
    before = len(fake.calls)
    with statements(engine) as sql:
        report, wall = timed(lambda: sweeper.run(now))
    return Swept(report, wall, sql, len(fake.calls) - before)


def forget_nudges(engine: Engine, now: datetime) -> None:
    """Back to the seeded state: a sweep at `now` writes only nudges claimed at `now` (profiles are fresh)."""
    with engine.begin() as connection:
        connection.execute(delete(Nudge).where(Nudge.claimed_at >= now))


@dataclass
class Figures:
    """Everything measured on one database."""

    database: str
    seeding: float = 0.0
    analyze: float = 0.0
    inconsistent: int = 0
    history: int = 0
    planned: Planned | None = None
    first: Swept | None = None
    steady: Swept | None = None
    profile: str = ""


def measure(engine: Engine, name: str, options: Options, fake: FakeSlack) -> Figures:
    """Seed, then time the sweep's database part, a posting sweep and the next (steady) sweep."""
    figures = Figures(name)
    upgrade(engine)
    _, figures.seeding = timed(lambda: seed(engine, options))
    _, figures.analyze = timed(lambda: analyze(engine))
    figures.inconsistent = inconsistent_clients(engine)
    figures.history = nudge_count(engine)
    time_sweeps(engine, options, fake, figures)
    return figures


def time_sweeps(engine: Engine, options: Options, fake: FakeSlack, figures: Figures) -> None:
    """Medians of `repeat` runs; peak memory and the profile from one more run each (they slow Python down)."""
    client = slack_client(fake)
    now, later = options.now, options.now + STEADY_AFTER

    def sweeper(at: datetime) -> Sweeper:
        return Sweeper(make_session_factory(engine), client, FixedClock(at))

    def posting() -> Swept:
        forget_nudges(engine, now)  # each run posts the same nudges again
        return run_sweep(engine, client, fake, now)

    runs = range(options.repeat)
    figures.planned = median([plan_only(engine, now) for _ in runs], key=lambda p: p.load + p.plan)
    figures.first = median([posting() for _ in runs], key=lambda s: s.wall)
    forget_nudges(engine, now)
    figures.first.peak_mib = peak_memory(sweeper(now).run)
    figures.steady = median([run_sweep(engine, client, fake, later) for _ in runs], key=lambda s: s.wall)
    figures.steady.peak_mib = peak_memory(sweeper(later).run)
    if options.profile:
        forget_nudges(engine, now)
        figures.profile = profiled(sweeper(now).run)


def median(runs: list[T], *, key: Callable[[T], float]) -> T:
    """The run in the middle, by `key` (this machine runs other work too)."""
    return sorted(runs, key=key)[len(runs) // 2]


def profiled(action: Callable[[], object]) -> str:
    profiler = cProfile.Profile()
    profiler.runcall(action)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
    return out.getvalue()


# databases ---------------------------------------------------------------------------------------------------


def on_sqlite(options: Options, fake: FakeSlack) -> Figures:
    with sqlite_database() as url, engine_on(url) as engine:
        return measure(engine, "SQLite", options, fake)


def on_postgres(options: Options, fake: FakeSlack) -> Figures:
    with postgres_database(options.postgres_url) as url, engine_on(url) as engine:
        return measure(engine, "PostgreSQL", options, fake)


# reporting ---------------------------------------------------------------------------------------------------


def rows_of(figures: Figures) -> dict[str, str]:
    planned, first, steady = figures.planned, figures.first, figures.steady
    assert planned is not None and first is not None and steady is not None
    return {
        "seeding (inserts), s": f"{figures.seeding:.1f}",
        "ANALYZE, s": f"{figures.analyze:.1f}",
        "clients out of step with contacts": f"{figures.inconsistent}",
        "past nudges (closed) in the table": f"{figures.history}",
        "quiet clients due / promises read / open nudges": f"{planned.quiet} / {planned.promises} / {planned.open}",
        "planned: messages / nudges": f"{planned.messages} / {planned.nudges}",
        "database part: load_candidates, s": f"{planned.load:.3f}",
        "database part: plan, s": f"{planned.plan:.3f}",
        "database part: statements": f"{len(planned.sql)}",
        "sweep (posting): wall, s": f"{first.wall:.3f}",
        "sweep (posting): statements": f"{len(first.sql)}",
        "sweep (posting): SQL execute time, s": f"{sum(t for _, t in first.sql):.3f}",
        "sweep (posting): posted / Slack calls": f"{first.report.posted} / {first.slack_calls}",
        "sweep (posting): peak memory, MiB": f"{first.peak_mib:.1f}",
        "next sweep (steady): wall, s": f"{steady.wall:.3f}",
        "next sweep (steady): statements": f"{len(steady.sql)}",
        "next sweep (steady): posted": f"{steady.report.posted}",
        "next sweep (steady): peak memory, MiB": f"{steady.peak_mib:.1f}",
    }


def table(results: list[Figures]) -> str:
    columns = [rows_of(figures) for figures in results]
    lines = ["| | " + " | ".join(f.database for f in results) + " |", "|---" * (len(results) + 1) + "|"]
    lines += [f"| {name} | " + " | ".join(c[name] for c in columns) + " |" for name in columns[0]]
    return "\n".join(lines)


def slowest(sql: list[tuple[str, float]], count: int = 6) -> str:
    return "\n".join(
        f"  {seconds:8.3f} s  {statement}" for statement, seconds in sorted(sql, key=lambda s: -s[1])[:count]
    )


def print_report(results: list[Figures], options: Options) -> None:
    print(f"\n{options.clients} clients, {options.contacts} contacts, {options.promises} promises, "
          f"{options.owners} owners; sweep at {options.now.isoformat()}\n")  # fmt: skip
    print(table(results))
    for figures in results:
        assert figures.first is not None
        print(f"\n{figures.database}: slowest statements of the posting sweep\n{slowest(figures.first.sql)}")
        if figures.profile:
            print(f"\n{figures.database}: cProfile of the posting sweep\n{figures.profile}")


# command line ------------------------------------------------------------------------------------------------


def parse(
    argv: list[str] | None, *, prog: str = "python -m bench.sweep", about: str | None = __doc__,
    parents: Sequence[argparse.ArgumentParser] = (),
) -> Options:  # fmt: skip
    """This bench's options, or those of one seeding the same workspace (bench.digest: its name, text and flags)."""
    parser = argparse.ArgumentParser(prog=prog, description=(about or "").split("\n\n")[0], parents=list(parents))
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--promises", type=int, default=20_000)
    parser.add_argument("--owners", type=int, default=50, help="people who own the clients (default 50)")
    parser.add_argument("--now", default=DEFAULT_NOW, help=f"sweep at this time (default {DEFAULT_NOW})")
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--batch", type=int, default=5_000, help="clients (or promises) per insert transaction")
    parser.add_argument("--seed", type=int, default=1, help="random seed (the same data every run)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the median is shown")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of the posting sweep")
    parser.add_argument("--holidays", help="the workspace's public holidays (PL); every third owner's own: US")
    args = parser.parse_args(argv)
    now = datetime.fromisoformat(args.now)
    return Options(
        clients=args.clients, contacts=args.contacts, promises=args.promises, owners=args.owners,
        now=(now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(UTC), postgres_url=args.postgres_url,
        skip_postgres=args.skip_postgres, batch=args.batch, seed=args.seed, profile=args.profile,
        repeat=args.repeat, holidays=args.holidays,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    options = parse(argv)
    fake = FakeSlack().start()
    try:
        results = [on_sqlite(options, fake)]
        if not options.skip_postgres:
            results.append(on_postgres(options, fake))
    finally:
        fake.stop()
    print_report(results, options)


if __name__ == "__main__":
    main()
