"""The weekly digest in words: one DM per manager, every line naming its client (and linking its message)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from slack_sdk.models.blocks import Block

from domain.digest import (
    ClientContacts,
    Drop,
    FixLine,
    Listed,
    OwnerContacts,
    PromiseLine,
    QuietClient,
    SurveyLine,
    WaitingLine,
    WeekDigest,
)
from domain.digests import DigestSchedule
from render.blocks import Message, context, fit, header, sections, simple
from render.formats import day, day_of, mention, moment, one_line, plural
from render.health import health_text

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def digest_message(digest: WeekDigest, *, tz: str | None, today: date) -> Message:
    """The digest of one week, dates in the reader's zone; each list ends with "and N more"."""
    first, last = day_of(digest.start, tz, today=today), day_of(digest.end, tz, today=today)
    blocks: list[Block] = [header(f"Weekly digest: {first} to {last}")]
    parts: list[tuple[str, Listed[Any], Callable[[Any], str]]] = [
        ("Contacts per owner", digest.owners, _owner),
        ("Key clients", digest.key_clients, _key_client),
        ("Clients that went quiet", digest.went_quiet, lambda q: _quiet(q, tz, today)),
        ("Promises kept", digest.kept, lambda p: _kept(p, tz, today)),
        ("Promises slipped", digest.slipped, lambda p: _slipped(p, tz, today)),
        ("Client messages waiting for our answer", digest.waiting, lambda w: _waiting(w, tz, today)),
        ("Surveys closed", digest.surveys, _survey),
        ("Survey fixes decided", digest.fixes, _fix),
        ("Biggest health drops", digest.drops, _drop),
    ]
    for title, listed, line in parts:
        blocks += sections(_lines(listed, line), heading=f"*{title}*")
    if digest.chart:
        blocks.append(context("The chart below shows the key clients' health and contacts over the last 12 weeks."))
    return Message(text=_summary(digest, first, last), blocks=fit(blocks, "The digest was too long for one message."))


def _lines(listed: Listed[Any], line: Callable[[Any], str]) -> list[str]:
    if not listed.rows:
        return ["_None this week._"]
    shown = [f"• {line(row)}" for row in listed.rows]
    return [*shown, f"…and {listed.more} more"] if listed.more else shown


def _summary(digest: WeekDigest, first: str, last: str) -> str:
    """The notification text: the week and its main counts."""
    contacts = sum(o.contacts for o in digest.owners.rows)
    return (
        f"Weekly digest, {first} to {last}: {plural(contacts, 'contact')}, {digest.went_quiet.total} went quiet, "
        f"{digest.kept.total} promises kept, {digest.slipped.total} slipped, {digest.waiting.total} client messages "
        "waiting"
    )


def _client(name: str) -> str:
    return f"*{name}*"


def _link(url: str | None, label: str = "message") -> str:
    return f" (<{url}|{label}>)" if url else ""


def _owner(row: OwnerContacts) -> str:
    who = mention(row.owner_id) if row.owner_id else "Clients nobody owns"
    return f"{who}: {plural(row.contacts, 'contact')} with {plural(row.clients_touched, 'client')}"


def _key_client(row: ClientContacts) -> str:
    owner = f" ({mention(row.owner_id)})" if row.owner_id else ""
    count = plural(row.contacts, "contact") if row.contacts else "no contact"
    return f"{_client(row.name)}{owner}: {count}{_link(row.last_link, 'latest')}"


def _quiet(row: QuietClient, tz: str | None, today: date) -> str:
    last = f"last contact {day_of(row.last_contact_at, tz, today=today)}" if row.last_contact_at else "no contact yet"
    owner = f" ({mention(row.owner_id)})" if row.owner_id else ""
    return f"{_client(row.name)}{owner}: quiet since {day_of(row.quiet_since, tz, today=today)}, {last}"


def _promise(row: PromiseLine, today: date) -> str:
    return (
        f"{_client(row.client_name)} #{row.promise_id} “{one_line(row.what, 120)}” ({mention(row.owner_id)}), "
        f"due {day(row.due_on, today=today)}"
    )


def _kept(row: PromiseLine, tz: str | None, today: date) -> str:
    done = f", kept {day_of(row.done_at, tz, today=today)}" if row.done_at else ""
    return _promise(row, today) + done


def _slipped(row: PromiseLine, tz: str | None, today: date) -> str:
    state = f"done late, {day_of(row.done_at, tz, today=today)}" if row.done_at else "still open"
    return f"{_promise(row, today)}, {state}"


def _waiting(row: WaitingLine, tz: str | None, today: date) -> str:
    who = mention(row.user_id) if row.user_id else "Someone"
    owner = f", owner {mention(row.owner_id)}" if row.owner_id else ""
    return (
        f"{_client(row.client_name)}: {who} wrote {moment(row.at, tz, today=today)}, answer due "
        f"{moment(row.due_at, tz, today=today)}{owner}{_link(row.link)}"
    )


def _survey(row: SurveyLine) -> str:
    rated = f"the client rated it {row.client_average:.1f}/5" if row.client_average is not None else "no client rating"
    fixes = plural(row.fixes, "fix", "fixes")
    link = _link(row.link, "results")
    return f"{_client(row.client_name)} “{one_line(row.project, 80)}”: {rated}, {fixes} decided{link}"


def _fix(row: FixLine) -> str:
    about = f"{_client(row.client_name)} “{one_line(row.project, 80)}”, {row.item}"
    if row.promise_id is not None:
        return f"{about}: fix #{row.promise_id} “{one_line(row.what or '', 120)}” ({mention(row.by)})"
    return f"{about}: no fix needed ({mention(row.by)}): “{one_line(row.reason or '', 120)}”"


def _drop(row: Drop) -> str:
    owner = f" ({mention(row.owner_id)})" if row.owner_id else ""
    return f"{_client(row.name)}{owner}: {row.before} → {health_text(row.now)}"


# the digest's file, `/client digest` and `/client config` -------------------------------------------------------


def chart_title(digest_end: date) -> str:
    """The chart's title in the DM."""
    return f"Key clients, 12 weeks to {day(digest_end)}"


def chart_filename(digest_end: date) -> str:
    return f"rapport-digest-{digest_end.isoformat()}.png"


def digest_on_its_way() -> Message:
    """`/client digest`: the reply, before the DM is posted."""
    return simple("I sent you this week's digest in a direct message.")


def digest_not_sent(error: str) -> Message:
    """`/client digest` when Slack refused the DM."""
    return simple(f":warning: I could not send you the digest ({error}). Please try again in a minute.")


def schedule_line(schedule: DigestSchedule) -> str:
    """The digest's line in `/client config`."""
    if not schedule.recipients:
        return "*Weekly digest:* off"
    to = ", ".join(mention(u) for u in schedule.recipients)
    return f"*Weekly digest:* {when(schedule)} in each recipient's own time zone, to {to}"


def when(schedule: DigestSchedule) -> str:
    """`Mondays at 09:00`."""
    return f"{WEEKDAYS[schedule.weekday]}s at {schedule.minute // 60:02d}:{schedule.minute % 60:02d}"
