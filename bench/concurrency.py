"""Benchmark a sweep against a slow Slack: 60 owners each due one nudge, every Web API call taking 200 ms.

Each DM is its own Slack rate-limit bucket, so the sweep posts to different recipients at once
(SWEEP_CONCURRENCY). This prints, per concurrency: the Slack calls made, the serial estimate (calls x delay),
the measured wall time and their ratio; with the owners' profiles cached (warm, the usual case) and not
(cold: the sweep first asks users.info about every owner, one call after another).

    python -m bench.concurrency
    python -m bench.concurrency --owners 60 --delay 0.2 --concurrency 1 8 16

Run it from the repository root (it imports fakes.slack, as bench.sweep does). See bench/README.md.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import Engine, delete, insert

from bot.app import make_client
from bot.settings import Settings
from domain.clock import FixedClock
from domain.quiet import quiet_due
from fakes.slack import Call, Canned, FakeSlack
from services.sweep import Report, Sweeper
from storage.db import make_engine, make_session_factory, upgrade
from storage.models import Client, Nudge, Person, Workspace

TEAM = "TBENCH"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # Monday 11:00 in Warsaw, where every owner works


class SlowSlack(FakeSlack):
    """The fake Slack Web API, answering every call after `delay` seconds (its server answers calls in parallel)."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay

    def _default(self, call: Call) -> Canned:
        time.sleep(self.delay)
        return super()._default(call)


def owner(number: int) -> str:
    return f"U{number:08d}"


def seed(engine: Engine, owners: int) -> None:
    """One workspace; per owner one key client, quiet for a week past its 14-day cadence."""
    clients = []
    for n in range(owners):
        client = Client(
            id=n + 1, team_id=TEAM, name=f"Client {n:03d}", name_key=f"client {n:03d}", is_key=True,
            cadence_days=14, owner_id=owner(n), created_by=owner(n), created_at=NOW - timedelta(days=60),
            updated_at=NOW, last_contact_at=NOW - timedelta(days=21), snoozed_until=None,
        )  # fmt: skip
        clients.append({column.name: getattr(client, column.name) for column in Client.__table__.columns})
        clients[-1]["quiet_due_at"] = quiet_due(client)
    with engine.begin() as connection:
        connection.execute(insert(Workspace), [{"team_id": TEAM, "created_at": NOW}])
        connection.execute(insert(Client), clients)


def profiles(engine: Engine, owners: int, *, warm: bool) -> None:
    """Cached profiles (fetched now: the sweep asks Slack nothing about people) or none at all."""
    with engine.begin() as connection:
        connection.execute(delete(Person))
        if warm:
            connection.execute(
                insert(Person),
                [{"team_id": TEAM, "user_id": owner(n), "home_team_id": TEAM, "tz": "Europe/Warsaw",
                  "is_bot": False, "deleted": False, "fetched_at": NOW} for n in range(owners)],
            )  # fmt: skip


@dataclass
class Run:
    """One sweep: its report, wall time and the Slack calls it made, by method."""

    concurrency: int
    warm: bool
    report: Report
    wall: float
    calls: Counter[str]


def sweep(engine: Engine, fake: SlowSlack, *, owners: int, concurrency: int, warm: bool) -> Run:
    with engine.begin() as connection:
        connection.execute(delete(Nudge))  # every run posts the same nudges
    profiles(engine, owners, warm=warm)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=SecretStr("xoxb-bench"),
        slack_signing_secret=SecretStr("bench"),
        slack_api_url=fake.api_url,
    )
    sweeper = Sweeper(make_session_factory(engine), make_client(settings), FixedClock(NOW), concurrency=concurrency)
    before = len(fake.calls)
    start = time.perf_counter()
    report = sweeper.run()
    wall = time.perf_counter() - start
    return Run(concurrency, warm, report, wall, Counter(c.method for c in fake.calls[before:]))


def line(run: Run, delay: float) -> str:
    calls = sum(run.calls.values())
    serial = calls * delay
    methods = ", ".join(f"{count} {method}" for method, count in sorted(run.calls.items()))
    return (
        f"| {run.concurrency} | {'warm' if run.warm else 'cold'} | {run.report.posted} | {methods} | "
        f"{serial:.1f} | {run.wall:.2f} | {run.wall / serial:.2f} |"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.concurrency", description=__doc__.split("\n\n")[0])
    parser.add_argument("--owners", type=int, default=60)
    parser.add_argument("--delay", type=float, default=0.2, help="seconds every Slack call takes (default 0.2)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8], help="SWEEP_CONCURRENCY values")
    args = parser.parse_args(argv)
    fake = SlowSlack(args.delay)
    fake.start()
    for n in range(args.owners):
        fake.add_user(owner(n), team=TEAM)
    runs = []
    with tempfile.TemporaryDirectory(prefix="rapport-bench-") as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        try:
            upgrade(engine)
            seed(engine, args.owners)
            for warm in (True, False):
                runs += [sweep(engine, fake, owners=args.owners, concurrency=c, warm=warm) for c in args.concurrency]
        finally:
            engine.dispose()
            fake.stop()
    print(f"\n{args.owners} owners, one due nudge each; every Slack call takes {args.delay * 1000:.0f} ms\n")
    print("| SWEEP_CONCURRENCY | profiles | posted | Slack calls | serial estimate, s | measured, s | ratio |")
    print("|---|---|---|---|---|---|---|")
    for run in runs:
        print(line(run, args.delay))


if __name__ == "__main__":
    main()
