"""Benchmark the App Home's dashboard over many clients, on SQLite and on PostgreSQL.

Seeds the workspace bench.health seeds (50 owners, a year of history per client), makes one owner a manager
(a digest recipient), then times `domain.dashboard.dashboard` for a member (one owner: about 2% of the clients)
and for the manager (whose team section scores every client), printing the time, the SQL statements (a fixed
number, whatever the number of clients) and peak Python memory.

    python -m bench.home                       # 100 000 clients, both databases
    python -m bench.home --clients 10000 --skip-postgres
"""

from __future__ import annotations

from sqlalchemy import Engine, insert

from bench.databases import engine_on, postgres_database, sqlite_database
from bench.health import TEAM, Options, Run, measured, parse, seed
from bench.sweep import analyze, timed
from domain.dashboard import Dashboard, dashboard
from storage.db import upgrade
from storage.models import DigestRecipient

MEMBER, MANAGER = f"U{0:08d}", f"U{1:08d}"  # two of bench.health's owners


def measure(engine: Engine, options: Options) -> tuple[float, dict[str, Run]]:
    upgrade(engine)
    _, seeding = timed(lambda: seed(engine, options))
    analyze(engine)
    with engine.begin() as connection:
        connection.execute(insert(DigestRecipient), [{"team_id": TEAM, "user_id": MANAGER, "added_by": MANAGER,
                                                      "added_at": options.now}])  # fmt: skip
    return seeding, {who: home_of(engine, user, options) for who, user in (("member", MEMBER), ("manager", MANAGER))}


def home_of(engine: Engine, user: str, options: Options) -> Run:
    now, today = options.now, options.now.date()
    return measured(engine, lambda s: dashboard(s, team_id=TEAM, user_id=user, now=now, today=today), options.repeat)


def on_sqlite(options: Options) -> tuple[float, dict[str, Run]]:
    with sqlite_database() as url, engine_on(url) as engine:
        return measure(engine, options)


def on_postgres(options: Options) -> tuple[float, dict[str, Run]]:
    with postgres_database(options.postgres_url) as url, engine_on(url) as engine:
        return measure(engine, options)


def lines(database: str, seeding: float, runs: dict[str, Run]) -> list[str]:
    found = [f"| {database} | seeding (inserts) | {seeding:.1f} s | | |"]
    for who, run in runs.items():
        board: Dashboard = run.result
        shown = f"{board.clients.total} clients, {board.promises.total} promises, {board.messages.total} messages"
        if board.team is not None:
            shown += f"; team: {board.team.red.total} red, {board.team.slipped.total} slipped"
        found.append(f"| {database} | {who}: {shown} | {run.wall:.2f} s | {len(run.sql)} | {run.peak_mib:.1f} MiB |")
    return found


def main(argv: list[str] | None = None) -> None:
    options = parse(argv, prog="python -m bench.home", about=__doc__)
    results = [("SQLite", *on_sqlite(options))]
    if not options.skip_postgres:
        results.append(("PostgreSQL", *on_postgres(options)))
    print(f"\n{options.clients} clients; Home read at {options.now.isoformat()}\n")
    print("| database | what | wall | statements | peak memory |\n|---|---|---|---|---|")
    for database, seeding, runs in results:
        print("\n".join(lines(database, seeding, runs)))


if __name__ == "__main__":
    main()
