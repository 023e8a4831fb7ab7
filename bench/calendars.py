"""Benchmark polling many calendar feeds, on SQLite and on PostgreSQL.

Seeds a fresh database (through the real migrations) with one workspace, a teammate per feed and clients with
email domains, serves every feed from `fakes.calendars.CalendarServer` (real https on loopback, a CA made for
the run), then runs the sweep's calendar step (`services.calendars.sweep_calendars`) three times: the first
poll of every feed (whole reads: expanding, storing, logging ended meetings), the next one 15 minutes later
(every feed answers 304 Not Modified), and one more after every feed changed (whole reads again).

    python -m bench.calendars                  # 500 feeds of 60 events, both databases
    python -m bench.calendars --feeds 100 --skip-postgres

Run it from the repository root (it imports fakes). See bench/README.md for figures.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import trustme
from pydantic import SecretStr
from sqlalchemy import Engine, create_engine, insert, text
from sqlalchemy.engine import make_url

from bench.sweep import peak_memory, statements, timed
from bot.app import make_client
from bot.settings import Settings
from fakes.calendars import CalendarServer, calendar, event
from fakes.slack import FakeSlack
from services.calendar_fetch import FeedPolicy
from services.calendars import CalendarReport, sweep_calendars
from storage.db import make_engine, make_session_factory, normalize_url, upgrade
from storage.models import CalendarFeed, Client, ClientDomain, Person, Workspace

TEAM = "TBENCH"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
CLIENTS = 100
WEEKLY = "DTSTART;TZID=Europe/Warsaw:20261005T100000\nDURATION:PT1H\nRRULE:FREQ=WEEKLY;BYDAY=MO,TH"


def feed_text(number: int, events: int, version: int, rng: random.Random) -> str:
    """A teammate's fortnight: a twice-weekly series with a client, and `events` single meetings around now,
    a third of them with a client."""
    series = "\n".join(["BEGIN:VEVENT", f"UID:series-{number}@bench", WEEKLY, f"SUMMARY:Sync v{version}",
                        f"ATTENDEE:mailto:pm@client{number % CLIENTS}.example", "END:VEVENT"])  # fmt: skip
    singles = []
    for i in range(events):
        start = NOW + timedelta(minutes=rng.randrange(-14 * 24 * 60, 14 * 24 * 60, 30))
        guest = f"x{i}@client{rng.randrange(CLIENTS)}.example" if i % 3 == 0 else f"x{i}@ours.example"
        singles.append(event(f"e{i}-{number}@bench", start, title=f"Meeting {i}", attendees=(guest,),
                             organizer=f"u{number}@ours.example"))  # fmt: skip
    return calendar(series, *singles)


def seed(engine: Engine, server: CalendarServer, feeds: int, events: int) -> None:
    rng = random.Random(1)
    with engine.begin() as connection:
        connection.execute(insert(Workspace).values(team_id=TEAM, created_at=NOW))
        connection.execute(insert(Person), [
            {"team_id": TEAM, "user_id": f"U{n}", "tz": "Europe/Warsaw", "is_bot": False, "deleted": False,
             "is_guest": False, "email": f"u{n}@ours.example", "fetched_at": NOW} for n in range(feeds)])  # fmt: skip
        connection.execute(insert(Client), [
            {"id": c + 1, "team_id": TEAM, "name": f"Client {c}", "name_key": f"client {c}", "is_key": False,
             "cadence_days": 30, "owner_id": "U0", "created_by": "U0", "created_at": NOW - timedelta(days=60),
             "updated_at": NOW} for c in range(CLIENTS)])  # fmt: skip
        connection.execute(insert(ClientDomain), [
            {"team_id": TEAM, "client_id": c + 1, "domain": f"client{c}.example", "added_by": "U0", "added_at": NOW}
            for c in range(CLIENTS)])  # fmt: skip
        connection.execute(insert(CalendarFeed), [
            {"team_id": TEAM, "user_id": f"U{n}", "url": server.serve(f"/f/{n}.ics", feed_text(n, events, 1, rng),
             etag=f'"{n}-1"'), "titles": n % 2 == 0, "brief": False, "next_poll_at": NOW, "failures": 0,
             "created_at": NOW} for n in range(feeds)])  # fmt: skip


def change(server: CalendarServer, feeds: int, events: int, *, version: int) -> None:
    rng = random.Random(version)
    for n in range(feeds):
        server.serve(f"/f/{n}.ics", feed_text(n, events, version, rng), etag=f'"{n}-{version}"')


def due(engine: Engine, at: datetime) -> datetime:
    """Every feed due at `at`."""
    with engine.begin() as connection:
        connection.execute(text("UPDATE calendar_feeds SET next_poll_at = :at"), {"at": at})
    return at


def run(engine: Engine, slack_url: str, policy: FeedPolicy, now: datetime) -> tuple[CalendarReport, float, int]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=SecretStr("xoxb-bench"),
        slack_signing_secret=SecretStr("x"),
        slack_api_url=slack_url,
    )
    sessions = make_session_factory(engine)
    with statements(engine) as sent:
        report, seconds = timed(lambda: sweep_calendars(sessions, make_client(settings), policy, now=now, workers=8))
    return report, seconds, len(sent)


def measure(engine: Engine, name: str, feeds: int, events: int) -> None:
    upgrade(engine)
    ca = trustme.CA()
    slack = FakeSlack().start()
    server = CalendarServer(ca).start()
    with tempfile.NamedTemporaryFile(suffix=".pem") as pem:
        ca.cert_pem.write_to_path(pem.name)
        policy = FeedPolicy(allow_private=True, ca_file=pem.name)
        try:
            seed(engine, server, feeds, events)
            for label, at in (("first poll", NOW), ("304s", NOW + timedelta(minutes=15))):
                print(f"{name:10} {label:14} {_line(*run(engine, slack.api_url, policy, at))}")
            at = NOW + timedelta(minutes=30)
            change(server, feeds, events, version=2)
            print(f"{name:10} {'changed feeds':14} {_line(*run(engine, slack.api_url, policy, due(engine, at)))}")
            at += timedelta(minutes=15)
            change(server, feeds, events, version=3)
            memory = peak_memory(lambda: run(engine, slack.api_url, policy, due(engine, at)))
            print(f"{name:10} peak memory of polling changed feeds: {memory:.0f} MiB (tracemalloc)")
        finally:
            server.stop()
            slack.stop()


def _line(report: CalendarReport, seconds: float, sql: int) -> str:
    return f"{seconds:6.2f} s  {sql:6} statements  {report}"


@contextmanager
def databases(postgres_url: str, skip_postgres: bool) -> Iterator[list[tuple[str, Engine]]]:
    with tempfile.TemporaryDirectory(prefix="rapport-bench-") as folder:
        found = [("SQLite", make_engine(f"sqlite:///{Path(folder) / 'bench.db'}"))]
        name = f"rapport_bench_{uuid.uuid4().hex[:10]}"
        admin = None if skip_postgres else create_engine(normalize_url(postgres_url), isolation_level="AUTOCOMMIT")
        if admin is not None:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            url = make_url(normalize_url(postgres_url)).set(database=name).render_as_string(hide_password=False)
            found.append(("PostgreSQL", make_engine(url)))
        try:
            yield found
        finally:
            for _, engine in found:
                engine.dispose()
            if admin is not None:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--events", type=int, default=60, help="single meetings per feed, over four weeks")
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args(argv)
    with databases(args.postgres_url, args.skip_postgres) as found:
        for name, engine in found:
            measure(engine, name, args.feeds, args.events)


if __name__ == "__main__":
    main()
