"""The weekly digest in words: one DM per manager, every line naming its client (and linking its message)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
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
from render.formats import day, day_of, mention, moment, one_line
from render.health import health_text
from render.i18n import N_, _, locale, n_, p_

# "Mondays at 09:00": the whole phrase per weekday, so that each language says it its own way.
WEEKDAYS = (
    N_("Mondays at {time}"),
    N_("Tuesdays at {time}"),
    N_("Wednesdays at {time}"),
    N_("Thursdays at {time}"),
    N_("Fridays at {time}"),
    N_("Saturdays at {time}"),
    N_("Sundays at {time}"),
)


def digest_message(digest: WeekDigest, *, tz: str | None, today: date) -> Message:
    """The digest of one week, dates in the reader's zone; each list ends with "and N more"."""
    first, last = day_of(digest.start, tz, today=today), day_of(digest.end, tz, today=today)
    blocks: list[Block] = [header(_("Weekly digest: {first} to {last}", first=first, last=last))]
    parts: list[tuple[str, Listed[Any], Callable[[Any], str]]] = [
        (_("Contacts per owner"), digest.owners, _owner),
        (_("Key clients"), digest.key_clients, _key_client),
        (_("Clients that went quiet"), digest.went_quiet, lambda q: _quiet(q, tz, today)),
        (_("Promises kept"), digest.kept, lambda p: _kept(p, tz, today)),
        (_("Promises slipped"), digest.slipped, lambda p: _slipped(p, tz, today)),
        (_("Client messages waiting for our answer"), digest.waiting, lambda w: _waiting(w, tz, today)),
        (_("Surveys closed"), digest.surveys, _survey),
        (_("Survey fixes decided"), digest.fixes, _fix),
        (_("Biggest health drops"), digest.drops, _drop),
    ]
    for title, listed, line in parts:
        blocks += sections(_lines(listed, line), heading=f"*{title}*")
    if digest.chart:
        blocks.append(context(_("The chart below shows the key clients' health and contacts over the last 12 weeks.")))
    too_long = _("The digest was too long for one message.")
    return Message(text=_summary(digest, first, last), blocks=fit(blocks, too_long))


def _lines(listed: Listed[Any], line: Callable[[Any], str]) -> list[str]:
    if not listed.rows:
        return [_("_None this week._")]
    shown = [f"• {line(row)}" for row in listed.rows]
    return [*shown, n_("…and {count} more", "…and {count} more", listed.more)] if listed.more else shown


def _summary(digest: WeekDigest, first: str, last: str) -> str:
    """The notification text: the week and its main counts."""
    contacts = sum(o.contacts for o in digest.owners.rows)
    return _(
        "Weekly digest, {first} to {last}: {contacts}, {quiet}, {kept}, {slipped}, {waiting}",
        first=first,
        last=last,
        contacts=n_("{count} contact", "{count} contacts", contacts),
        quiet=n_("{count} went quiet", "{count} went quiet", digest.went_quiet.total),
        # Translators: the English keeps its plural after 1 ("1 promises kept"), as it always read.
        kept=n_("{count} promises kept", "{count} promises kept", digest.kept.total),
        slipped=n_("{count} slipped", "{count} slipped", digest.slipped.total),
        waiting=n_("{count} client messages waiting", "{count} client messages waiting", digest.waiting.total),
    )


def _client(name: str) -> str:
    return f"*{name}*"


def _link(url: str | None, label: str) -> str:
    return f" (<{url}|{label}>)" if url else ""


def _owner(row: OwnerContacts) -> str:
    return n_(
        "{who}: {count} contact {with_clients}",
        "{who}: {count} contacts {with_clients}",
        row.contacts,
        who=mention(row.owner_id) if row.owner_id else _("Clients nobody owns"),
        with_clients=n_("with {count} client", "with {count} clients", row.clients_touched),
    )


def _key_client(row: ClientContacts) -> str:
    owner = f" ({mention(row.owner_id)})" if row.owner_id else ""
    count = n_("{count} contact", "{count} contacts", row.contacts) if row.contacts else _("no contact")
    latest = _link(row.last_link, p_("link", "latest"))
    return f"{_client(row.name)}{owner}: {count}{latest}"


def _quiet(row: QuietClient, tz: str | None, today: date) -> str:
    if row.last_contact_at:
        last = _("last contact {day}", day=day_of(row.last_contact_at, tz, today=today))
    else:
        last = _("no contact yet")
    owner = f" ({mention(row.owner_id)})" if row.owner_id else ""
    return _("{client}{owner}: quiet since {since}, {last}", client=_client(row.name), owner=owner,
             since=day_of(row.quiet_since, tz, today=today), last=last)  # fmt: skip


def _promise(row: PromiseLine, today: date, **more: str) -> dict[str, str]:
    """The values every promise line names."""
    return {
        "client": _client(row.client_name), "id": str(row.promise_id), "what": one_line(row.what, 120),
        "owner": mention(row.owner_id), "due": day(row.due_on, today=today), **more,
    }  # fmt: skip


def _kept(row: PromiseLine, tz: str | None, today: date) -> str:
    if row.done_at:
        done = day_of(row.done_at, tz, today=today)
        return _("{client} #{id} “{what}” ({owner}), due {due}, kept {done}", **_promise(row, today, done=done))
    return _("{client} #{id} “{what}” ({owner}), due {due}", **_promise(row, today))


def _slipped(row: PromiseLine, tz: str | None, today: date) -> str:
    if row.done_at:
        done = day_of(row.done_at, tz, today=today)
        return _("{client} #{id} “{what}” ({owner}), due {due}, done late, {done}", **_promise(row, today, done=done))
    return _("{client} #{id} “{what}” ({owner}), due {due}, still open", **_promise(row, today))


def _waiting(row: WaitingLine, tz: str | None, today: date) -> str:
    values = {
        "client": _client(row.client_name),
        "who": mention(row.user_id) if row.user_id else _("Someone"),
        "at": moment(row.at, tz, today=today),
        "due": moment(row.due_at, tz, today=today),
        "link": _link(row.link, p_("link", "message")),
    }
    if row.owner_id:
        return _("{client}: {who} wrote {at}, answer due {due}, owner {owner}{link}", owner=mention(row.owner_id),
                 **values)  # fmt: skip
    return _("{client}: {who} wrote {at}, answer due {due}{link}", **values)


def _survey(row: SurveyLine) -> str:
    if row.client_average is not None:
        rated = _("the client rated it {average}/5", average=_average(row.client_average))
    else:
        rated = _("no client rating")
    return _(
        "{client} “{project}”: {rated}, {fixes}{link}",
        client=_client(row.client_name),
        project=one_line(row.project, 80),
        rated=rated,
        fixes=n_("{count} fix decided", "{count} fixes decided", row.fixes),
        link=_link(row.link, p_("link", "results")),
    )


def _average(value: float) -> str:
    """An average with one decimal, as `4.0` (`4,0`): rounded as Python rounds it, written as the reader writes."""
    return format_decimal(Decimal(f"{value:.1f}"), format="0.0", locale=locale())


def _fix(row: FixLine) -> str:
    values = {"client": _client(row.client_name), "project": one_line(row.project, 80), "item": row.item,
              "by": mention(row.by)}  # fmt: skip
    if row.promise_id is not None:
        return _("{client} “{project}”, {item}: fix #{id} “{what}” ({by})", id=str(row.promise_id),
                 what=one_line(row.what or "", 120), **values)  # fmt: skip
    return _("{client} “{project}”, {item}: no fix needed ({by}): “{reason}”", reason=one_line(row.reason or "", 120),
             **values)  # fmt: skip


def _drop(row: Drop) -> str:
    owner = f" ({mention(row.owner_id)})" if row.owner_id else ""
    return f"{_client(row.name)}{owner}: {row.before} → {health_text(row.now)}"


# the digest's file, `/client digest` and `/client config` -------------------------------------------------------


def chart_title(digest_end: date) -> str:
    """The chart's title in the DM."""
    return _("Key clients, 12 weeks to {day}", day=day(digest_end))


def chart_filename(digest_end: date) -> str:
    return f"rapport-digest-{digest_end.isoformat()}.png"


def digest_on_its_way() -> Message:
    """`/client digest`: the reply, before the DM is posted."""
    return simple(_("I sent you this week's digest in a direct message."))


def digest_not_sent(error: str) -> Message:
    """`/client digest` when Slack refused the DM."""
    return simple(_(":warning: I could not send you the digest ({error}). Please try again in a minute.", error=error))


def schedule_line(schedule: DigestSchedule) -> str:
    """The digest's line in `/client config`."""
    if not schedule.recipients:
        return _("*Weekly digest:* off")
    to = ", ".join(mention(u) for u in schedule.recipients)
    return _("*Weekly digest:* {when} in each recipient's own time zone, to {to}", when=when(schedule), to=to)


def when(schedule: DigestSchedule) -> str:
    """`Mondays at 09:00`."""
    time = f"{schedule.minute // 60:02d}:{schedule.minute % 60:02d}"
    return _(WEEKDAYS[schedule.weekday], time=time)
