"""One database's part of bench.mail, run in a process of its own (so its peak RSS is its own).

Creates the database (a temporary SQLite file, or a PostgreSQL database dropped at the end) through the real
migrations, seeds the workspace, starts the fake Slack, then runs the real MailPoller against the loopback IMAP
server until the mailbox is caught up, then a few polls with no new mail. Checks that every message was
accounted for exactly once, as the mail bench wrote it.
"""

from __future__ import annotations

import cProfile
import imaplib
import io
import os
import pstats
import random
import resource
import statistics
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url

from bench.mail_corpus import Directory, Letter, Outcome
from bench.mail_seed import seed
from bench.sweep import statements
from bot.app import make_client
from bot.settings import Settings
from fakes.imap_server import Account
from fakes.slack import TEAM, FakeSlack
from services.mail_polling import MailPoller
from storage.db import make_engine, make_session_factory, normalize_url, upgrade
from storage.models import Contact, Email, EmailContact, MailboxState, Person, UnmatchedEmail

SWEEP_EVERY = timedelta(minutes=5)  # the scheduler's interval
STEADY_POLLS = 3
Profiler = cProfile.Profile | None


@dataclass(frozen=True)
class Job:
    """What the process measures: one database, the mailbox and what each message in it should become."""

    database: str  # "SQLite" or "PostgreSQL"
    postgres_url: str
    account: Account
    people: Directory
    expected: dict[int, Letter]  # by UID (without the raw message)
    now: datetime  # the first sweep's time; the next ones SWEEP_EVERY apart
    cold: bool  # no teammate in the people table: users.lookupByEmail finds them
    profile: bool


@dataclass(frozen=True)
class Sweep:
    read: int
    contacts: int
    unmatched: int
    wall: float
    statements: int
    sql_seconds: float
    rss_mib: float  # resident after the sweep
    peak_mib: float  # the process's peak resident so far (getrusage)


@dataclass
class Figures:
    database: str
    seeding: float = 0.0
    sweeps: list[Sweep] = field(default_factory=list)
    steady: list[Sweep] = field(default_factory=list)
    slack_calls: Counter[str] = field(default_factory=Counter)
    rows: dict[str, int] = field(default_factory=dict)
    frequent: list[tuple[str, int, float]] = field(default_factory=list)  # statements: text, count, seconds
    problems: list[str] = field(default_factory=list)
    rss_before: float = 0.0  # resident before the first sweep
    peak_before: float = 0.0  # peak resident before the first sweep (imports, seeding)
    peak_rss: float = 0.0
    profile: str = ""


def measure(job: Job) -> Figures:
    """Seed, catch up, poll with nothing new, check; in this process."""
    figures = Figures(job.database)
    with fresh_database(job) as engine:
        upgrade(engine)
        start = time.perf_counter()
        seed(engine, job.people, now=job.now, cold=job.cold, rng=random.Random(1))
        figures.seeding = time.perf_counter() - start
        fake = FakeSlack().start()
        try:
            for person in job.people.teammates:
                fake.add_user(person.user_id, tz=person.tz, team=TEAM, email=person.email, real_name=person.name)
            for person in job.people.deactivated:
                fake.add_user(person.user_id, tz=person.tz, team=TEAM, email=person.email, deleted=True)
            poll(engine, fake, job, figures)
        finally:
            fake.stop()
        figures.rows = row_counts(engine)
        figures.problems = problems(engine, job, figures)
    figures.peak_rss = peak_mib()
    return figures


@contextmanager
def fresh_database(job: Job) -> Iterator[Engine]:
    if job.database == "SQLite":
        with tempfile.TemporaryDirectory(prefix="rapport-bench-") as folder:
            engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
            try:
                yield engine
            finally:
                engine.dispose()
        return
    server = normalize_url(job.postgres_url)
    name = f"rapport_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(server).set(database=name).render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def poll(engine: Engine, fake: FakeSlack, job: Job, figures: Figures) -> None:
    """Sweep after sweep (as the scheduler would, SWEEP_EVERY apart) until one reads nothing; then STEADY_POLLS more."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=SecretStr("xoxb-bench"), slack_signing_secret=SecretStr("bench"),
        slack_api_url=fake.api_url, imap_url=SecretStr(job.account.url()),
    )  # fmt: skip
    assert settings.mailbox is not None
    poller = MailPoller(make_session_factory(engine), make_client(settings), settings.mailbox)
    profiler = cProfile.Profile() if job.profile else None
    frequent: dict[str, list[float]] = {}  # statement: [count, seconds] (kept small: RSS is measured too)
    figures.rss_before, figures.peak_before = resident_mib(), peak_mib()
    at, most = job.now, len(job.expected) // 500 + 5
    while len(figures.sweeps) <= most:
        swept = one_sweep(engine, poller, at, frequent, profiler)
        at += SWEEP_EVERY
        if swept.read == 0:
            figures.steady.append(swept)
            break
        figures.sweeps.append(swept)
    figures.steady += [one_sweep(engine, poller, at + SWEEP_EVERY * n, {}, None) for n in range(STEADY_POLLS - 1)]
    figures.slack_calls = Counter(call.method for call in fake.calls)
    ranked = sorted(frequent.items(), key=lambda item: -item[1][0])
    figures.frequent = [(statement, int(count), seconds) for statement, (count, seconds) in ranked]
    if profiler is not None:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
        figures.profile = out.getvalue()


def one_sweep(
    engine: Engine, poller: MailPoller, at: datetime, frequent: dict[str, list[float]], profiler: Profiler
) -> Sweep:
    with statements(engine) as sql:
        start = time.perf_counter()
        report = profiler.runcall(poller.poll, now=at) if profiler else poller.poll(now=at)
        wall = time.perf_counter() - start
    for statement, seconds in sql:
        tally = frequent.setdefault(statement, [0, 0.0])
        tally[0] += 1
        tally[1] += seconds
    return Sweep(report.read, report.contacts, report.unmatched, wall, len(sql), sum(s for _, s in sql),
                 resident_mib(), peak_mib())  # fmt: skip


def peak_mib() -> float:
    """The process's peak resident memory so far (getrusage: KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def resident_mib() -> float:
    """The process's resident memory now (Linux; 0 elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


# checking ----------------------------------------------------------------------------------------------------


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:

        def count(model: Any, *where: Any) -> int:
            return connection.scalar(select(func.count()).select_from(model).where(*where)) or 0

        return {
            "emails": count(Email),
            "email_contacts": count(EmailContact),
            "contacts (from email)": count(Contact, Contact.source == "email"),
            "unmatched_emails": count(UnmatchedEmail),
            "people": count(Person),
        }


def problems(engine: Engine, job: Job, figures: Figures) -> list[str]:
    """Every message accounted for exactly once (a contact, a duplicate or unmatched), as the bench wrote it."""
    expected = job.expected
    want = {outcome: {uid for uid, letter in expected.items() if letter.outcome == outcome} for outcome in Outcome}
    found: list[str] = []
    read = sum(s.read for s in figures.sweeps)
    kept, listed = sum(s.contacts for s in figures.sweeps), sum(s.unmatched for s in figures.sweeps)
    if read != len(expected):
        found.append(f"read {read} messages of {len(expected)}")
    counted = {Outcome.CONTACT: kept, Outcome.DUPLICATE: read - kept - listed, Outcome.UNMATCHED: listed}
    if any(counted[o] != len(want[o]) for o in Outcome):
        found.append(f"the polls counted {', '.join(f'{n} {o}' for o, n in counted.items())}; the mailbox holds "
                     f"{', '.join(f'{len(want[o])} {o}' for o in Outcome)}")  # fmt: skip
    with engine.connect() as connection:
        emails = {uid: subject for uid, subject in connection.execute(select(Email.uid, Email.subject))}
        unmatched = set(connection.scalars(select(UnmatchedEmail.uid)))
        last_uid = connection.scalar(select(MailboxState.last_uid))
    found += differences("kept as emails", set(emails), want[Outcome.CONTACT], expected)
    found += differences("listed as unmatched", unmatched, want[Outcome.UNMATCHED], expected)
    wrong = [uid for uid, subject in emails.items() if uid in expected and subject != expected[uid].subject]
    if wrong:
        found.append(f"{len(wrong)} subjects read wrong, e.g. UID {wrong[0]}: {emails[wrong[0]]!r}")
    contacts = sum(expected[uid].contacts for uid in want[Outcome.CONTACT])
    for table in ("email_contacts", "contacts (from email)"):
        if figures.rows[table] != contacts:
            found.append(f"{figures.rows[table]} {table} rows, not {contacts}")
    if last_uid != max(expected):
        found.append(f"the mailbox's position is UID {last_uid}, not {max(expected)}")
    found += differences("marked read", seen_uids(job.account), {u for u, e in expected.items() if e.matched}, expected)
    return found


def differences(what: str, got: set[int], want: set[int], expected: dict[int, Letter]) -> list[str]:
    """What is wrong with a set of UIDs, with the kinds of message it went wrong for."""
    found = []
    for label, uids in (("should not be", got - want), ("missing", want - got)):
        if uids:
            kinds = Counter(expected[uid].kind if uid in expected else "?" for uid in uids).most_common(3)
            found.append(f"{what}: {len(uids)} {label} ({', '.join(f'{n} {kind}' for kind, n in kinds)})")
    return found


def seen_uids(account: Account) -> set[int]:
    client = account.connect()
    try:
        client.select("INBOX", readonly=True)
        typ, data = client.uid("SEARCH", "SEEN")
        assert typ == "OK", data
        return {int(uid) for uid in b" ".join(d for d in data if d).split()}
    finally:
        client.logout()


def unseen_all(account: Account) -> None:
    """Mark every message unread again (the next database reads the same mailbox)."""
    client: imaplib.IMAP4 = account.connect()
    try:
        client.select("INBOX")
        typ, data = client.uid("STORE", "1:*", "-FLAGS.SILENT", r"(\Seen)")
        assert typ == "OK", data
    finally:
        client.logout()


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0
