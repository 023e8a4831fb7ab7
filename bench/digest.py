"""Benchmark building the weekly digest of one large workspace, on SQLite and on PostgreSQL.

Seeds a fresh database through the real migrations as bench.sweep does (100 000 clients, 1 000 000 contacts,
20 000 promises by default), adds the week's other events (clients' messages waiting for an answer, surveys
closed with their answers and fixes), then builds the digest as the sweep and `/client digest` do
(domain.digest.week_digest in one read-only transaction), renders it and draws its chart. Prints, per database:
the SQL statements the digest took, its time (median of --repeat runs), peak Python memory (tracemalloc), the
rendering and chart times, the chart's size, and the message's blocks and characters.

    python -m bench.digest                      # both databases, 100 000 clients
    python -m bench.digest --clients 10000 --contacts 100000 --skip-postgres
    python -m bench.digest --without-health     # the digest's own queries, without domain.health's

Run it from the repository root. See bench/README.md for figures.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, insert, select

from bench.databases import engine_on, postgres_database, sqlite_database
from bench.sweep import TEAM, Options, analyze, batches, owner, peak_memory, seed, statements, timed
from bench.sweep import parse as parse_sweep_options
from domain.dates import local_today
from domain.digest import WeekDigest, week_digest
from render.chart import digest_chart
from render.digest import digest_message
from storage.db import make_session_factory, read_only, upgrade
from storage.models import ChannelMessage, QuestionSet, Survey, SurveyAnswer, SurveyFix, SurveyParticipant

WAITING_SHARE = 0.02  # clients with a message of theirs waiting for our answer
SURVEYS = 300  # surveys closed during the week
ZONE = "Europe/Warsaw"


@dataclass
class Figures:
    database: str
    seeding: float = 0.0
    statements: int = 0
    build: float = 0.0
    peak_mib: float = 0.0
    render: float = 0.0
    chart: float = 0.0
    chart_kib: float = 0.0
    blocks: int = 0
    characters: int = 0
    slowest: str = ""


def seed_week(engine: Engine, options: Options) -> None:
    """The week's clients' messages still waiting for an answer, and surveys closed with answers and fixes."""
    rng, now = random.Random(options.seed + 1), options.now
    asked = now - timedelta(days=2)
    waiting = (
        {"team_id": TEAM, "client_id": n, "channel_id": f"C{n:08d}", "ts": f"{asked.timestamp():.6f}",
         "user_id": f"UCLIENT{n}", "at": now - timedelta(days=2), "deleted": False, "broadcast": False,
         "processed_at": now - timedelta(days=2), "side": "client", "due_at": now - timedelta(days=1),
         "permalink": f"https://bench.slack.com/archives/C{n:08d}/p1"}
        for n in range(1, options.clients + 1) if rng.random() < WAITING_SHARE
    )  # fmt: skip
    for rows in batches(waiting, options.batch):
        with engine.begin() as connection:
            connection.execute(insert(ChannelMessage), rows)
    with engine.begin() as connection:
        questions = connection.scalar(select(QuestionSet.id).where(QuestionSet.team_id == "*"))
        for number in range(SURVEYS):
            seed_survey(connection, rng, options, number, questions)


def seed_survey(connection: Any, rng: random.Random, options: Options, number: int, questions: int | None) -> None:
    """One survey closed during the week: one client and one team answer, a fix decided for one item."""
    now, client = options.now, rng.randint(1, options.clients)
    closed = now - timedelta(days=rng.uniform(0, 6.9))
    survey = connection.execute(
        insert(Survey).returning(Survey.id),
        [
            {
                "team_id": TEAM,
                "client_id": client,
                "project": f"Project {number}",
                "requester_id": owner(0),
                "question_set_id": questions,
                "created_at": closed - timedelta(days=7),
                "completed_at": closed,
                "closed_at": closed,
            }
        ],
    ).scalar_one()
    for side, user in (("client", f"UCLIENT{client}"), ("team", owner(1))):
        participant = connection.execute(
            insert(SurveyParticipant).returning(SurveyParticipant.id),
            [
                {
                    "team_id": TEAM,
                    "survey_id": survey,
                    "user_id": user,
                    "side": side,
                    "answered_at": closed,
                    "reminders": 0,
                }
            ],
        ).scalar_one()
        connection.execute(
            insert(SurveyAnswer),
            [
                {
                    "team_id": TEAM,
                    "survey_id": survey,
                    "participant_id": participant,
                    "question_set_id": questions,
                    "item": item,
                    "rating": rng.randint(1, 5),
                }
                for item in ("informed", "dates", "quality")
            ],
        )
    connection.execute(
        insert(SurveyFix),
        [
            {
                "team_id": TEAM,
                "survey_id": survey,
                "item": "dates",
                "reason": "the client moved the scope",
                "by": owner(0),
                "at": closed,
            }
        ],
    )


def build(engine: Engine, options: Options) -> WeekDigest:
    with read_only(make_session_factory(engine)) as session:
        return week_digest(session, team_id=TEAM, now=options.now)


def measure(engine: Engine, name: str, options: Options) -> Figures:
    figures = Figures(name)
    upgrade(engine)
    started = time.perf_counter()
    seed(engine, options)
    seed_week(engine, options)
    figures.seeding = time.perf_counter() - started
    analyze(engine)
    with statements(engine) as sql:
        digest = build(engine, options)
    figures.statements = len(sql)
    figures.slowest = "\n".join(f"  {s:8.3f} s  {q}" for q, s in sorted(sql, key=lambda item: -item[1])[:5])
    figures.build = statistics.median(timed(lambda: build(engine, options))[1] for _ in range(options.repeat))
    figures.peak_mib = peak_memory(lambda: build(engine, options))
    today = local_today(options.now, ZONE)
    message, figures.render = timed(lambda: digest_message(digest, tz=ZONE, today=today))
    payload = message.to_dict()
    figures.blocks, figures.characters = len(payload["blocks"]), len(json.dumps(payload["blocks"]))
    png, figures.chart = timed(lambda: digest_chart(digest.chart))
    figures.chart_kib = len(png) / 1024
    return figures


def on_sqlite(options: Options) -> Figures:
    with sqlite_database() as url, engine_on(url) as engine:
        return measure(engine, "SQLite", options)


def on_postgres(options: Options) -> Figures:
    with postgres_database(options.postgres_url) as url, engine_on(url) as engine:
        return measure(engine, "PostgreSQL", options)


def report(results: list[Figures], options: Options) -> None:
    rows = {
        "seeding (inserts), s": lambda f: f"{f.seeding:.1f}",
        "digest: SQL statements": lambda f: f"{f.statements}",
        "digest: build (median), s": lambda f: f"{f.build:.3f}",
        "digest: peak memory, MiB": lambda f: f"{f.peak_mib:.1f}",
        "digest: render, s": lambda f: f"{f.render:.4f}",
        "message: blocks / characters": lambda f: f"{f.blocks} / {f.characters}",
        "chart: draw PNG, s": lambda f: f"{f.chart:.3f}",
        "chart: size, KiB": lambda f: f"{f.chart_kib:.0f}",
    }
    print(f"\n{options.clients} clients, {options.contacts} contacts, {options.promises} promises; digest at "
          f"{options.now.isoformat()}\n")  # fmt: skip
    print("| | " + " | ".join(f.database for f in results) + " |\n" + "|---" * (len(results) + 1) + "|")
    for name, value in rows.items():
        print(f"| {name} | " + " | ".join(value(f) for f in results) + " |")
    for f in results:
        print(f"\n{f.database}: slowest statements\n{f.slowest}")


def without_health() -> None:
    """Leave out the health engineer's part (scores now and a week ago, weekly series): figures for the rest alone."""
    import domain.digest
    import domain.digest_health

    domain.digest.scores = lambda *_args, **_kwargs: {}
    domain.digest_health.scores = lambda *_args, **_kwargs: {}
    domain.digest_health.weekly = lambda *_args, **_kwargs: {}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--postgres-only", action="store_true")
    parser.add_argument("--without-health", action="store_true", help="leave out domain.health's statements")
    own, rest = parser.parse_known_args(argv)
    options = parse_sweep_options(rest, prog="python -m bench.digest", about=__doc__, parents=[parser])
    if own.without_health:
        without_health()
    results = [] if own.postgres_only else [on_sqlite(options)]
    if not options.skip_postgres:
        results.append(on_postgres(options))
    report(results, options)


if __name__ == "__main__":
    main()
