"""The figures of bench.channels: one column per database and phase, and what broke a promise of the issue."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

from bench.channel_app import Cpu, Stored
from bench.event_load import SLACK_ACK_DEADLINE, Burst, Delivery, percentile

WRITES = ("INSERT", "UPDATE", "DELETE")
ERROR_ID = re.compile(r"\b[0-9a-f]{8}\b")  # handlers.errors logs each unexpected error with an id of its own
WARM_AFTER = 1.0  # seconds into the unlinked phase after which every channel's link is cached


@dataclass(frozen=True)
class Linked:
    """A client and its linked channel."""

    client_id: int
    channel_id: str


@dataclass(frozen=True)
class Message:
    channel: str
    ts: str
    user: str
    user_team: str


@dataclass(frozen=True)
class Phase:
    """A burst: its messages, each delivered once or more, in a linked channel or in channels linked to none."""

    name: str
    link: Linked | None
    messages: list[Message]
    deliveries: list[Delivery]
    contacts: int  # contacts the messages should make: one per teammate and local day


@dataclass(frozen=True)
class Settled:
    """When (epoch) every acked message was stored and read (complete), or the app went idle short of that."""

    at: float
    complete: bool


@dataclass(frozen=True)
class Figures:
    """A phase on a database: the burst as the client saw it, and what the app did with it."""

    database: str
    phase: Phase
    burst: Burst
    acked: frozenset[str]  # ts of the messages with a delivery answered 200
    settled: Settled
    before: Stored
    after: Stored
    statements: list[tuple[float, str]]
    locks: tuple[list[tuple[float, str, float, bool]], list[tuple[float, str, float]]]  # SQLite: waits, holds
    logs: list[tuple[float, str, str, str]]
    calls: Counter[str]
    cpu: Cpu  # from the first send until the app was idle again

    @property
    def latencies(self) -> list[float]:
        return [s.latency * 1000 for s in self.burst.sent]

    @property
    def late_acks(self) -> int:
        return sum(s.latency > SLACK_ACK_DEADLINE for s in self.burst.sent)

    @property
    def refused(self) -> int:
        return sum(s.status != 200 for s in self.burst.sent)

    @property
    def distinct(self) -> int:
        return len({m.ts for m in self.phase.messages}) if self.phase.link else 0

    @property
    def lost(self) -> int:
        """Messages acked (so never sent again by Slack) that are not stored."""
        return len(self.acked - self.after.ts)

    @property
    def new_rows(self) -> int:
        return self.after.rows - self.before.rows

    @property
    def writes(self) -> int:
        return sum(word in WRITES for _, word in self.statements)


# rows of the table -------------------------------------------------------------------------------------------


def sending(f: Figures) -> dict[str, str]:
    sent, ms = f.burst.sent, f.latencies
    span = f.burst.last_send() - f.burst.first_send()
    return {
        "events sent (deliveries)": f"{len(sent)}",
        "distinct messages": f"{len({m.ts for m in f.phase.messages})}",
        "achieved send rate, /s": f"{(len(sent) - 1) / span:.0f}" if span > 0 else "-",
        "latest send behind schedule, ms": f"{max(s.sent - s.due for s in sent) * 1000:.0f}",
        "ack latency min / median, ms": f"{min(ms):.1f} / {statistics.median(ms):.1f}",
        "ack latency p95 / p99 / max, ms": f"{percentile(ms, 0.95):.1f} / {percentile(ms, 0.99):.1f} / {max(ms):.1f}",
        "acks over 3 s / not 200": f"{f.late_acks} / {f.refused}",
    }


def unlinked(f: Figures) -> dict[str, str]:
    warm = f.burst.first_send() + WARM_AFTER
    return {
        "rows written (channel_messages; INSERT/UPDATE/DELETE)": f"{f.new_rows}; {f.writes}",
        "SQL statements (all; after the first second)": f"{len(f.statements)}; "
        f"{sum(at >= warm for at, _ in f.statements)}",
        "SQL statements per event": f"{len(f.statements) / len(f.burst.sent):.3f}",
    }


def linked(f: Figures) -> dict[str, str]:
    elapsed = f.settled.at - f.burst.first_send()
    read = f"{elapsed:.2f} / {f.settled.at - f.burst.last_send():.2f}"
    return {
        "all read, s after first / last send": read if f.settled.complete else f"never (idle at {read})",
        "messages ingested (stored and read) per s": f"{f.new_rows / elapsed:.0f}",
        "rows stored / distinct messages sent": f"{f.new_rows} / {f.distinct}",
        "acked messages lost / left unread": f"{f.lost} / {f.after.pending}",
        "contacts created / expected": f"{f.after.contacts - f.before.contacts} / {f.phase.contacts}",
        "client messages waiting": f"{f.after.waiting}",
        "SQL statements per event": f"{len(f.statements) / len(f.burst.sent):.1f}",
    }


def write_lock(f: Figures) -> dict[str, str]:
    """SQLite only: the longest waits for the write lock and holds of it, storing (listeners) and reading."""
    waits, holds = f.locks
    if not waits:
        return {}

    def longest(values: list[float]) -> str:
        return f"{max(values) * 1000:.0f}" if values else "-"

    return {
        "SQLite write lock, longest wait ms: store / read": " / ".join(
            longest([w for _, who, w, _ in waits if who == kind]) for kind in ("store", "read")
        ),
        "SQLite write lock, longest hold ms: store / read": " / ".join(
            longest([h for _, who, h in holds if who == kind]) for kind in ("store", "read")
        ),
        "SQLite write lock: transactions that gave up waiting": f"{sum(not got for *_, got in waits)}",
    }


def common(f: Figures) -> dict[str, str]:
    calls = ", ".join(f"{n} {method}" for method, n in sorted(f.calls.items())) or "none"
    levels = Counter(level for _, level, _, _ in f.logs)
    cpu, sender = f.cpu, f.burst.cpu
    others = cpu.busy - cpu.process - sender
    return {
        "Slack Web API calls": calls,
        "app log: errors / warnings": f"{levels['ERROR']} / {levels['WARNING']}",
        "CPU s: app / sender / others (the database server, other work)": f"{cpu.process:.1f} / {sender:.1f} / "
        f"{others:.1f}",
        "machine CPU busy (s of the cores' s)": f"{cpu.busy:.1f} of {cpu.total:.1f}",
    }


def rows_of(f: Figures) -> dict[str, str]:
    return sending(f) | (linked(f) | write_lock(f) if f.phase.link else unlinked(f)) | common(f)


def table(results: list[Figures]) -> str:
    columns = [rows_of(f) for f in results]
    names = list(dict.fromkeys(name for column in columns for name in column))
    lines = ["| | " + " | ".join(f"{f.database} {f.phase.name}" for f in results) + " |"]
    lines.append("|---" * (len(results) + 1) + "|")
    lines += [f"| {name} | " + " | ".join(c.get(name, "-") for c in columns) + " |" for name in names]
    return "\n".join(lines)


# what broke a promise ----------------------------------------------------------------------------------------


def failures(f: Figures) -> list[str]:
    where = f"{f.database} {f.phase.name}"
    found = []
    if f.late_acks or f.refused:
        found.append(f"{where}: {f.late_acks} acks over 3 s, {f.refused} requests not answered 200")
    if f.phase.link is None:
        if f.new_rows or f.writes:
            found.append(f"{where}: a channel linked to no client wrote {f.new_rows} rows ({f.writes} statements)")
        return found
    if f.lost:
        found.append(f"{where}: {f.lost} acked messages lost ({f.new_rows} stored of {f.distinct} sent)")
    if f.new_rows > f.distinct:
        found.append(f"{where}: {f.new_rows - f.distinct} messages doubled ({f.new_rows} stored of {f.distinct} sent)")
    if f.after.pending:
        found.append(f"{where}: {f.after.pending} stored messages left unread when the app went idle")
    made = f.after.contacts - f.before.contacts
    if made != f.phase.contacts:
        found.append(f"{where}: {made} contacts made, {f.phase.contacts} expected")
    return found


def notes(f: Figures) -> list[str]:
    """Stores that gave up on SQLite's write lock within the ack path's short wait (stored again off Bolt's thread)."""
    gave_up = sum(not got for *_, got in f.locks[0])
    if not gave_up or not any(d.retry for d in f.phase.deliveries):
        return []
    return [
        f"{f.database} {f.phase.name}: stores that gave up on SQLite's write lock within 1.5 s: {gave_up}; the app "
        "stored them again without the short limit (its warnings above)"
    ]


def unanswered(f: Figures, limit: int = 3) -> list[str]:
    """Why requests got no answer, most frequent first."""
    seen = Counter(s.error or f"HTTP {s.status}" for s in f.burst.sent if s.status != 200)
    return [f"  {n} x {error}" for error, n in seen.most_common(limit)]


def log_lines(f: Figures, limit: int = 5) -> list[str]:
    """The distinct warnings and errors the app logged during the phase, most frequent first."""
    seen = Counter(
        f"{level} {name}: {ERROR_ID.sub('<id>', message.splitlines()[0])[:160]}" for _, level, name, message in f.logs
    )  # the error handler's ids differ; the same error counts once
    return [f"  {n} x {line}" for line, n in seen.most_common(limit)]


def print_report(results: list[Figures], header: str) -> list[str]:
    """Print the table, the app's log lines and what failed; returns the failures."""
    print(f"\n{header}\n")
    print(table(results))
    for f in results:
        if f.logs:
            print(f"\n{f.database} {f.phase.name}: the app logged\n" + "\n".join(log_lines(f)))
        if f.refused:
            print(f"\n{f.database} {f.phase.name}: requests not answered 200\n" + "\n".join(unanswered(f)))
    found = [line for f in results for line in failures(f)]
    for line in [line for f in results for line in notes(f)]:
        print(f"\nNOTE: {line}")
    print("\n" + ("\n".join(f"FAILED: {line}" for line in found) if found else "Nothing lost, nothing doubled."))
    return found
