"""Benchmark message events from client channels: how fast they are acked and ingested, linked or not.

Starts the real app (bot.app.create_app behind bot.wsgi's threaded server on loopback, Slack's Web API being
fakes.slack.FakeSlack) on a fresh database (a temporary SQLite file; a PostgreSQL database created on
--postgres-url and dropped afterwards) and sends it signed message events, from a process of its own, at --rate
a second for --seconds, in three phases: (a) channels linked to no client; (b) a linked channel, teammates and
Slack Connect users writing; (c) another linked channel, every event delivered twice (a Slack retry: the same
event_id with X-Slack-Retry-Num). Prints the ack latencies, the SQL the app sent, how long the stored messages
took to be read, and what the CPU did meanwhile. Exits 1 when an acked message was lost or one was doubled,
contacts came out wrong, a message was left unread, an unlinked channel wrote anything, or an ack missed
Slack's 3 s (or was not a 200).

    python -m bench.channels                       # 200 events a second for 5 s, SQLite and PostgreSQL
    python -m bench.channels --skip-postgres --rate 400 --seconds 10
    python -m bench.channels --cold                # no cached profiles: reading asks the fake Slack (users.info)

Run it from the repository root (it imports fakes.slack, as bench.sweep does). See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session

from bench.channel_app import BOLT_LISTENER_THREADS, Cpu, Running, Stored, running_app, stored
from bench.channel_report import Figures, Linked, Message, Phase, Settled, print_report
from bench.databases import postgres_database, sqlite_database
from bench.event_load import Burst, Delivery, LoadProcess
from domain.channel_messages import message_time
from domain.dates import local_today
from domain.quiet import quiet_due
from fakes.slack import TEAM, FakeSlack
from handlers.background import BACKLOG, WORKERS
from storage.db import make_engine, normalize_url, upgrade
from storage.models import Client, ClientChannel, Person, Workspace

CLIENT_TEAM = "TCLIENT"  # the Slack Connect users' own workspace
ZONES = ("Europe/Warsaw", "America/Los_Angeles", "Asia/Tokyo")
UNLINKED = [f"CRANDOM{n:02d}" for n in range(20)]  # channels linked to no client: phase (a) writes in these
CLIENT_SHARE = 0.25  # of the messages in a linked channel, by Slack Connect users (the rest by teammates)
SETTLE_TIMEOUT = 120.0  # seconds to wait for the stored messages to be read before calling them stuck


@dataclass(frozen=True)
class Options:
    rate: float
    seconds: float
    teammates: int
    connect_users: int
    senders: int
    cold: bool
    postgres_url: str
    skip_postgres: bool
    skip_sqlite: bool
    seed: int
    backlog: int


# seeding -----------------------------------------------------------------------------------------------------


def teammate(n: int) -> str:
    return f"UT{n:05d}"


def connect_user(n: int) -> str:
    return f"UC{n:05d}"


def people(options: Options) -> list[tuple[str, str, str]]:
    """Everyone who writes: (user, home workspace, time zone); teammates first, then Slack Connect users."""
    ours = [(teammate(n), TEAM, ZONES[n % len(ZONES)]) for n in range(options.teammates)]
    return ours + [(connect_user(n), CLIENT_TEAM, ZONES[n % len(ZONES)]) for n in range(options.connect_users)]


def seed(engine: Engine, options: Options, now: datetime) -> list[Linked]:
    """A workspace, two clients each with a linked channel (joined, history read), and the people's profiles.

    With warm profiles (fetched now) reading asks Slack nothing, so the figures are our code's, not users.info's.
    """
    links = []
    with Session(engine) as session:
        session.add(Workspace(team_id=TEAM, created_at=now - timedelta(days=90), url="https://acme.slack.com/"))
        session.flush()  # no relationship tells the unit of work that clients need their workspace first
        for name, channel in (("Acme Corp", "CACME"), ("Globex", "CGLOBEX")):
            client = Client(
                team_id=TEAM, name=name, name_key=name.lower(), is_key=True, cadence_days=14, owner_id=teammate(0),
                created_by=teammate(0), created_at=now - timedelta(days=60), updated_at=now, channel_id=channel,
            )  # fmt: skip
            client.quiet_due_at = quiet_due(client)
            session.add(client)
            session.flush()
            session.add(
                ClientChannel(
                    team_id=TEAM, client_id=client.id, channel_id=channel, joined=True, linked_by=teammate(0),
                    linked_at=now - timedelta(days=30), history_read_to=now - timedelta(days=1),
                )
            )  # fmt: skip
            links.append(Linked(client.id, channel))
        if not options.cold:
            session.add_all(
                Person(team_id=TEAM, user_id=user, home_team_id=home, tz=tz, is_bot=False, deleted=False,
                       fetched_at=now)
                for user, home, tz in people(options)
            )  # fmt: skip
        session.commit()
    return links


# the phases --------------------------------------------------------------------------------------------------

_serial = iter(range(1, 1_000_000))  # ts fractions: every message of the run has its own ts


def messages(options: Options, channels: list[str], rng: random.Random) -> list[Message]:
    """rate x seconds messages, a rate's worth a second from a little after now, spread over `channels`."""
    start, count = time.time() + 1, round(options.rate * options.seconds)
    writers = people(options)
    found = []
    for n in range(count):
        by_client = options.connect_users > 0 and rng.random() < CLIENT_SHARE
        user, home, _ = rng.choice(writers[options.teammates :] if by_client else writers[: options.teammates])
        ts = f"{int(start + n / options.rate)}.{next(_serial):06d}"
        found.append(Message(rng.choice(channels), ts, user, home))
    return found


def message_body(message: Message) -> bytes:
    """The Events API callback of a message (a retry sends the very same body: the same event_id)."""
    event = {"type": "message", "channel": message.channel, "user": message.user, "team": message.user_team,
             "ts": message.ts, "event_ts": message.ts, "text": "Any news?", "channel_type": "channel"}  # fmt: skip
    envelope = {"token": "legacy", "team_id": TEAM, "api_app_id": "A1", "type": "event_callback", "event": event,
                "event_id": f"Ev{message.ts.replace('.', '')}", "event_time": int(float(message.ts))}  # fmt: skip
    return json.dumps(envelope).encode()


def deliveries(found: list[Message], rate: float, *, retried: bool) -> list[Delivery]:
    """One delivery a message at `rate`; retried: each also delivered again half a slot later (X-Slack-Retry-Num 1)."""
    sent = []
    for n, message in enumerate(found):
        sent.append(Delivery(n / rate, message_body(message), key=message.ts))
        if retried:
            sent.append(Delivery((n + 0.5) / rate, message_body(message), retry=1, key=message.ts))
    return sent


def expected_contacts(found: list[Message], options: Options) -> int:
    """One contact per teammate and local day (the day of the message in the teammate's time zone)."""
    zones = {user: tz for user, home, tz in people(options) if home == TEAM}
    return len({(m.user, local_today(message_time(m.ts), zones[m.user])) for m in found if m.user in zones})


def phases(options: Options, links: list[Linked], rng: random.Random) -> list[Phase]:
    unlinked = messages(options, UNLINKED, rng)
    first, second = (messages(options, [link.channel_id], rng) for link in links)
    return [
        Phase("(a) unlinked", None, unlinked, deliveries(unlinked, options.rate, retried=False), 0),
        Phase("(b) linked", links[0], first, deliveries(first, options.rate, retried=False),
              expected_contacts(first, options)),
        Phase("(c) linked, retried", links[1], second, deliveries(second, options.rate, retried=True),
              expected_contacts(second, options)),
    ]  # fmt: skip


# running a phase ---------------------------------------------------------------------------------------------


def run_phase(database: str, phase: Phase, app: Running, load: LoadProcess, options: Options,
              inspect: Engine) -> Figures:  # fmt: skip
    """Send the phase's burst, then wait until the app has read every message it acked (or went idle short of it)."""
    channels, client_id = ([phase.link.channel_id], phase.link.client_id) if phase.link else (UNLINKED, None)
    before = stored(inspect, channels, client_id)
    mark, calls, cpu = time.time(), len(app.fake.calls), Cpu.now()
    burst = load.send(app.url, app.secret, phase.deliveries, options.senders)
    acked = acked_messages(phase, burst) if phase.link else frozenset()
    settled = settle(app, lambda: stored(inspect, channels, client_id), acked)
    app.wait_idle()
    after, used = stored(inspect, channels, client_id), Cpu.now() - cpu
    return Figures(database, phase, burst, acked, settled, before, after, app.statements.since(mark),
                   app.locks.since(mark), app.logs.since(mark), Counter(c.method for c in app.fake.calls[calls:]),
                   used)  # fmt: skip


def acked_messages(phase: Phase, burst: Burst) -> frozenset[str]:
    """The ts of the messages Slack would count as delivered: at least one of their deliveries answered 200."""
    return frozenset(d.key for d, s in zip(phase.deliveries, burst.sent, strict=True) if s.status == 200)


def settle(app: Running, count: Callable[[], Stored], acked: frozenset[str]) -> Settled:
    """When every acked message was stored and read; or when the app went idle (or timed out) short of that."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while True:
        idle = app.idle()  # asked before the counts: idle, the counts are final
        found = count()
        if acked <= found.ts and found.pending == 0:
            return Settled(time.time(), complete=True)
        if idle or time.monotonic() > deadline:
            return Settled(time.time(), complete=False)
        time.sleep(0.01)


def warm_up(app: Running, load: LoadProcess) -> None:
    """One event first: Bolt asks auth.test once, and the app's first connections are opened (not timed)."""
    message = Message("CWARMUP", f"{int(time.time())}.{next(_serial):06d}", teammate(0), TEAM)
    load.send(app.url, app.secret, [Delivery(0, message_body(message))], 1)
    app.wait_idle()


# databases ---------------------------------------------------------------------------------------------------


def measure(url: str, database: str, options: Options, load: LoadProcess) -> list[Figures]:
    engine, inspect = make_engine(url), create_engine(normalize_url(url))
    fake = FakeSlack().start()
    for user, home, tz in people(options):
        fake.add_user(user, team=home, tz=tz)
    try:
        upgrade(engine)
        links = seed(engine, options, datetime.now(UTC))
        rng = random.Random(options.seed)
        with running_app(engine, fake, backlog=options.backlog) as app:
            warm_up(app, load)
            return [run_phase(database, phase, app, load, options, inspect) for phase in phases(options, links, rng)]
    finally:
        fake.stop()
        engine.dispose()
        inspect.dispose()


# command line ------------------------------------------------------------------------------------------------


def parse(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench.channels", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=200, help="events a second (default 200)")
    parser.add_argument("--seconds", type=float, default=5, help="length of each phase's burst (default 5)")
    parser.add_argument("--teammates", type=int, default=50, help="teammates who write (default 50)")
    parser.add_argument("--connect-users", type=int, default=5, help="Slack Connect users who write (default 5)")
    parser.add_argument("--senders", type=int, default=32, help="concurrent HTTP client threads (default 32)")
    parser.add_argument("--cold", action="store_true", help="no cached profiles: reading asks users.info")
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--backlog", type=int, default=2048, help="the app server's listen backlog (default 2048, "
                        "gunicorn's, as in production; threaded_server's own is 5)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=1, help="random seed (the same writers and channels every run)")
    args = parser.parse_args(argv)
    return Options(
        rate=args.rate, seconds=args.seconds, teammates=args.teammates, connect_users=args.connect_users,
        senders=args.senders, cold=args.cold, postgres_url=args.postgres_url, skip_postgres=args.skip_postgres,
        skip_sqlite=args.skip_sqlite, seed=args.seed, backlog=args.backlog,
    )  # fmt: skip


def header(options: Options) -> str:
    profiles = "none cached: users.info asked of the fake Slack" if options.cold else "cached and fresh: no users.info"
    return (
        f"{options.rate:.0f} events a second for {options.seconds:g} s a phase, from {options.senders} HTTP client "
        f"threads in another process; {options.teammates} teammates and {options.connect_users} Slack Connect users "
        f"write ({CLIENT_SHARE:.0%} of the messages); profiles {profiles}. The app: threaded_server with a listen "
        f"backlog of {options.backlog}; Bolt's listener pool {BOLT_LISTENER_THREADS} threads (its default); post-ack "
        f"pool {WORKERS} workers, backlog {BACKLOG}. (a) spreads over {len(UNLINKED)} channels linked to no client."
    )


def main(argv: list[str] | None = None) -> None:
    options = parse(argv)
    results: list[Figures] = []
    with LoadProcess() as load:
        if not options.skip_sqlite:
            with sqlite_database() as url:
                results += measure(url, "SQLite", options, load)
        if not options.skip_postgres:
            with postgres_database(options.postgres_url) as url:
                results += measure(url, "PostgreSQL", options, load)
    failures = print_report(results, header(options))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
