"""Benchmark the team mailbox: N realistic messages APPENDed to a real IMAP server, read by the real polling.

Starts the pymap IMAP server the tests use (tests/imap_server.py) in a process of its own on loopback, APPENDs
the messages (bench/mail_corpus.py: plain and multipart, HTML only, legacy charsets and encoded words, forwards
inline and as message/rfc822, the same email again), then, per database, in a fresh process: seeds a workspace
(clients, their domains and people's addresses, teammates' profiles with their email cached in `people`) and
runs services.mail_polling.MailPoller, as `rapport sweep` does with IMAP_URL set, sweep after sweep until the
mailbox is caught up (500 messages a sweep), then polls with no new mail. Exits 1 when a message was not
accounted for exactly once (a contact, a duplicate folded, or unmatched).

    python -m bench.mail                            # 10 000 mails, SQLite and PostgreSQL
    python -m bench.mail --mails 2000 --skip-postgres
    python -m bench.mail --cold                     # no profile cached: users.lookupByEmail finds teammates

Run it from the repository root (it imports fakes.slack and fakes.imap_server). See bench/README.md.
"""

from __future__ import annotations

import argparse
import multiprocessing
import multiprocessing.forkserver
import random
import re
import socket
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection

from bench.mail_corpus import Directory, Letter, Outcome, Shares, Writer, directory
from bench.mail_report import print_report
from bench.mail_run import Figures, Job, measure, unseen_all
from fakes.imap_server import Account, ImapServer

DEFAULT_NOW = "2026-11-23T09:00:00+00:00"
SPAN = timedelta(days=20)  # the mail was sent over the 20 days before the first sweep (after October's DST change)


@dataclass(frozen=True)
class Options:
    mails: int
    clients: int
    teammates: int
    shares: Shares
    now: datetime
    postgres_url: str
    skip_postgres: bool
    cold: bool
    seed: int
    profile: bool


def serve_imap(pipe: Connection) -> None:
    """The IMAP server's process: makes a mailbox (an account) per request until told to stop."""
    server = ImapServer().start()
    try:
        while pipe.recv() == "account":
            pipe.send(server.account())
    finally:
        server.stop()


@contextmanager
def imap_server() -> Iterator[Account]:
    """pymap on loopback in its own process (its CPU and memory are not the app's), with one new mailbox."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=serve_imap, args=(theirs,), name="imap-server", daemon=True)
    process.start()
    try:
        ours.send("account")
        yield ours.recv()
    finally:
        ours.send("stop")
        process.join(timeout=30)


def deliver(account: Account, letters: list[Letter]) -> list[int]:
    """APPEND every message, unread, in order; their UIDs."""
    client = account.connect()
    # Without this, each APPEND waits ~40 ms: imaplib sends the literal after the server's "+" in two writes.
    client.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        uids = []
        for letter in letters:
            typ, data = client.append("INBOX", None, None, letter.raw)
            found = re.search(rb"APPENDUID \d+ (\d+)", data[0] or b"") if typ == "OK" else None
            if found is None:
                raise RuntimeError(f"APPEND answered {typ} {data!r}")
            uids.append(int(found.group(1)))
        return uids
    finally:
        client.logout()


def write_mail(options: Options, mailbox: str) -> tuple[Directory, list[Letter]]:
    rng = random.Random(options.seed)
    people = directory(clients=options.clients, teammates=options.teammates, rng=rng)
    end = options.now - timedelta(minutes=30)
    writer = Writer(people, mailbox, options.shares, rng, end - SPAN, end)
    return people, writer.letters(options.mails)


def run(options: Options) -> tuple[list[Figures], dict[str, float], dict[int, Letter]]:
    """Write and deliver the mail once; measure each database in a fresh process."""
    # Each database's process is forked from a fork server started now, while this process is small: a process
    # forked (or spawned) later from this one would start with its peak RSS (getrusage counts it across fork
    # and exec), which the mail written below makes hundreds of MiB.
    multiprocessing.forkserver.ensure_running()
    took: dict[str, float] = {}
    with imap_server() as account:
        start = time.perf_counter()
        people, letters = write_mail(options, account.user)
        took["writing the messages"] = time.perf_counter() - start
        start = time.perf_counter()
        uids = deliver(account, letters)
        took["APPEND to the IMAP server"] = time.perf_counter() - start
        took["megabytes in the mailbox"] = sum(len(letter.raw) for letter in letters) / 2**20
        expected = {uid: replace(letter, raw=b"") for uid, letter in zip(uids, letters, strict=True)}
        results: list[Figures] = []
        for database in ["SQLite"] + ([] if options.skip_postgres else ["PostgreSQL"]):
            if results:
                unseen_all(account)
            job = Job(database, options.postgres_url, account, people, expected, options.now, options.cold,
                      options.profile)  # fmt: skip
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("forkserver")) as pool:
                results.append(pool.submit(measure, job).result())
    return results, took, expected


def parse(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench.mail", description=__doc__.split("\n\n")[0])
    parser.add_argument("--mails", type=int, default=10_000, help="messages in the mailbox (default 10 000)")
    parser.add_argument("--clients", type=int, default=1_000)
    parser.add_argument("--teammates", type=int, default=40)
    parser.add_argument("--matched-share", type=float, default=0.7,
                        help="of the new emails, a client's with a teammate; the rest match no client or no "
                             "teammate (default 0.7)")  # fmt: skip
    parser.add_argument("--forwards-share", type=float, default=0.2,
                        help="of the matched, forwarded inline or attached (default 0.2)")  # fmt: skip
    parser.add_argument("--duplicates-share", type=float, default=0.05,
                        help="of all messages, an email that came before, again (default 0.05)")  # fmt: skip
    parser.add_argument("--attachments-share", type=float, default=0.05,
                        help="of the messages, with a 20-150 KB PDF attached (default 0.05)")  # fmt: skip
    parser.add_argument("--now", default=DEFAULT_NOW, help=f"the first sweep's time (default {DEFAULT_NOW})")
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--cold", action="store_true",
                        help="no teammate profile cached: users.lookupByEmail (fake Slack) finds them")  # fmt: skip
    parser.add_argument("--seed", type=int, default=1, help="random seed (the same mail every run)")
    parser.add_argument("--profile", action="store_true", help="cProfile the catch-up sweeps (slows them)")
    args = parser.parse_args(argv)
    now = datetime.fromisoformat(args.now)
    shares = Shares(args.matched_share, args.forwards_share, args.duplicates_share, args.attachments_share)
    return Options(
        mails=args.mails, clients=args.clients, teammates=args.teammates, shares=shares,
        now=(now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(UTC), postgres_url=args.postgres_url,
        skip_postgres=args.skip_postgres, cold=args.cold, seed=args.seed, profile=args.profile,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    results, took, expected = run(options)
    outcomes = Counter(letter.outcome for letter in expected.values())
    kinds = Counter(letter.kind for letter in expected.values())
    print_report(results, took=took, outcomes={o.value: outcomes[o] for o in Outcome}, kinds=kinds,
                 cold=options.cold)  # fmt: skip
    return 1 if any(figures.problems for figures in results) else 0


if __name__ == "__main__":
    sys.exit(main())
