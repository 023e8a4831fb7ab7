"""Replies to `/client` subcommands and the message shortcut."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from slack_sdk.models.blocks import Block

from domain.clients import ClientSummary
from domain.commands import ListFilter, Subcommand
from domain.contacts import Source
from domain.personal import Personal
from domain.story import Story
from render import sponsors as render_sponsors
from render.blocks import Message, context, divider, fit, header, section, sections, simple
from render.client_channels import channel_facts, quoted, reply_time_fact, waiting_line
from render.client_people import people_facts
from render.formats import cadence, channel, clip, day, day_of, mention, moment, one_line
from render.health import health_badge
from render.help import overview, overview_blocks, usage
from render.i18n import N_, _, n_, p_
from render.mail import email_contact
from render.nudges import event_text
from render.surveys import survey_line
from storage.models import Client, ClientEvent, Contact, Email, Promise

LIST_TITLES = {  # translated where shown: _(LIST_TITLES[which])
    ListFilter.ALL: N_("All clients"),
    ListFilter.MINE: N_("Your clients"),
    ListFilter.KEY: N_("Key clients"),
    ListFilter.QUIET: N_("Clients gone quiet (past their cadence)"),
}
LIST_EMPTY = {
    ListFilter.ALL: N_("No clients yet. Add one with `/client add <name>`."),
    ListFilter.MINE: N_("You don't own any clients yet. `/client owner <client> @you` hands one to you."),
    ListFilter.KEY: N_("No key clients yet. Flag one with `/client key <client> on`."),
    ListFilter.QUIET: N_("Nobody has gone quiet: every client with a cadence heard from us in time. :tada:"),
}


@dataclass(frozen=True)
class Reader:
    """Who reads a reply: their time zone and today's date there."""

    user_id: str
    tz: str | None
    today: date


def help_message(topic: Subcommand | None) -> Message:
    """`/client help [topic]`."""
    if topic:
        return simple(usage(topic))
    return Message(text=overview(), blocks=overview_blocks())


def error_message(text: str) -> Message:
    """An error, as an ephemeral reply."""
    return simple(f":warning: {text}")


def _client_line(client: Client) -> str:
    flag = ":star: " if client.is_key else ""
    return f"{flag}*{client.name}*"


def client_added(client: Client) -> Message:
    """`/client add`."""
    values = {"client": client.name, "owner": mention(client.owner_id), "cadence": cadence(client.cadence_days)}
    if client.is_key:
        return simple(
            _(
                "Added *{client}* as a key client, owned by {owner}, {cadence}. "
                "Log a contact with `/client log {client} <note>`.",
                **values,
            )
        )
    return simple(
        _("Added *{client}*, owned by {owner}, {cadence}. Log a contact with `/client log {client} <note>`.", **values)
    )


def contact_logged(
    client: Client, contact: Contact, created: bool, reader: Reader, *, back_dated: bool = False
) -> Message:
    """`/client log` and the shortcut's confirmation; a contact logged for an earlier day shows that day alone."""
    if back_dated:  # its time is a stand-in (domain.dates.contact_time): only the day was said
        when = day_of(contact.occurred_at, reader.tz, today=reader.today)
    else:
        when = moment(contact.occurred_at, reader.tz, today=reader.today)
    if not created:
        return simple(
            _("That contact with *{client}* was already logged ({when}). Nothing was changed.", client=client.name,
              when=when)
        )  # fmt: skip
    label = p_("link", "message")
    link = f" (<{contact.permalink}|{label}>)" if contact.permalink else ""
    note = one_line(contact.note, 200)
    if back_dated:
        text = _("Logged a contact with *{client}* on {when}: “{note}”", client=client.name, when=when, note=note)
    else:
        text = _("Logged a contact with *{client}*, {when}: “{note}”", client=client.name, when=when, note=note)
    return simple(text + link)


def client_list(summaries: Sequence[ClientSummary], total: int, which: ListFilter, reader: Reader) -> Message:
    """`/client list [mine|key|quiet]`."""
    title = _(LIST_TITLES[which])
    if not summaries:
        return simple(_(LIST_EMPTY[which]))
    lines = [summary_line(s, reader) for s in summaries]
    blocks = [header(f"{title} ({total})"), *sections(lines)]
    if total > len(summaries):
        shown = _("Showing {shown} of {total}. `/client export` has everything.", shown=len(summaries), total=total)
        blocks.append(context(shown))
    return Message(text=f"{title}: {total}", blocks=fit(blocks, _("More in `/client export`.")))


def summary_line(summary: ClientSummary, reader: Reader) -> str:
    client = summary.client
    quiet = summary.days_quiet
    if summary.last_contact_at is None:
        last = n_("no contact yet (added {count} day ago)", "no contact yet (added {count} days ago)", quiet)
    else:
        when = day_of(summary.last_contact_at, reader.tz, today=reader.today)
        last = n_("last contact {day} ({count} day ago)", "last contact {day} ({count} days ago)", quiet, day=when)
    late = " :hourglass: " + _("*overdue*") if summary.overdue else ""
    return f"{_client_line(client)}: {mention(client.owner_id)}, {cadence(client.cadence_days)}, {last}{late}"


def client_story(story: Story, reader: Reader) -> Message:
    """`/client show`: the facts, what needs us now (messages waiting, promises), then the history."""
    client = story.client
    blocks = [header(client.name), section("\n".join(_facts(story, reader))), *_needs_us(story, reader), divider()]
    blocks += _history(story, reader)
    added = day_of(client.created_at, reader.tz, today=reader.today)
    blocks.append(context(_("Added {day} by {who}", day=added, who=mention(client.created_by))))
    text = _("{client}: owner {owner}", client=client.name, owner=mention(client.owner_id))
    return Message(text=text, blocks=fit(blocks, "…"))


def _facts(story: Story, reader: Reader) -> list[str]:
    """Owner, sponsor, key flag, cadence, contacts, other names, channels, people, domains and reply time."""
    client = story.client
    facts = [
        _("*Owner:* {owner}", owner=mention(client.owner_id)) + away_note(story.owner_away),
        *render_sponsors.show_facts(story.sponsor, tz=reader.tz, today=reader.today),
        _("*Key client:* yes") if client.is_key else _("*Key client:* no"),
        _("*Cadence:* {cadence}", cadence=cadence(client.cadence_days)),
        _("*Contacts:* {count}", count=story.contact_count),
    ]
    if story.health is not None:
        facts.insert(0, _("*Health:* {health}", health=health_badge(story.health)))
    if client.aliases:
        facts.append(_("*Also known as:* {names}", names=", ".join(a.alias for a in client.aliases)))
    facts += channel_facts(story.channels) + people_facts(client.name, story.people, story.domains, story.reach)
    return [*facts, reply_time_fact(client.reply_time)]


def away_note(away: Personal | None) -> str:
    """After an owner who is away: " (away until Fri 20 Nov, @lee covering)"."""
    if away is None or away.away_until is None:
        return ""
    return " " + _("(away until {day}, {backup} covering)", day=day(away.away_until), backup=mention(away.backup_id))


def _needs_us(story: Story, reader: Reader) -> list[Block]:
    """The client's messages waiting for our answer, slipped promises and open ones."""
    blocks: list[Block] = []
    if story.waiting:
        lines = (waiting_line(m, reader.tz, reader.today) for m in story.waiting)
        blocks += sections(lines, heading=":hourglass: " + _("*Waiting for our answer*"))
    if story.slipped_promises:
        blocks += sections(
            (_promise_line(p, reader, slipped=True) for p in story.slipped_promises),
            heading=":rotating_light: " + _("*Slipped promises*"),
        )
    if story.open_promises:
        blocks += sections((_promise_line(p, reader) for p in story.open_promises), heading=_("*Open promises*"))
    return blocks


def _history(story: Story, reader: Reader) -> list[Block]:
    """Last contacts, snoozes and hand-overs, moved dates, surveys and kept promises."""
    blocks: list[Block] = []
    if story.contacts:
        heading = _("*Last contacts* ({shown} of {total})", shown=len(story.contacts), total=story.contact_count)
        lines = (_contact_line(c, reader, story.emails.get(c.id)) for c in story.contacts)
        blocks += sections(lines, heading=heading)
    else:
        blocks.append(
            section(_("No contacts yet. `/client log {client} <note>` records one.", client=story.client.name))
        )
    if story.events:
        lines = (f"• {event_line(e, reader)}" for e in story.events)
        blocks += sections(lines, heading=_("*Snoozes, hand-overs and silences* (not contacts)"))
    if story.moves:
        blocks += sections((_move_line(e, story, reader) for e in story.moves), heading=_("*Promise dates moved*"))
    if story.surveys:
        lines = (survey_line(r, tz=reader.tz, today=reader.today, with_client=False) for r in story.surveys)
        blocks += sections(lines, heading=_("*Surveys*"))
    if story.kept_promises:
        kept = story.kept_promises[:5]
        blocks += sections((_promise_line(p, reader) for p in kept), heading=_("*Kept promises*"))
    return blocks


def _contact_line(contact: Contact, reader: Reader, email: Email | None = None) -> str:
    """When, who, where, what was said (a channel's message keeps no text unless told) and the link."""
    where = " " + _("in {channel}", channel=channel(contact.channel_id)) if contact.channel_id else ""
    where = " " + _("in a meeting") if contact.source == Source.MEETING else where
    note = f": {quoted(one_line(contact.note, 200))}" if contact.note else ""
    label = _("(message)")
    link = f" <{contact.permalink}|{label}>" if contact.permalink else ""
    when = moment(contact.occurred_at, reader.tz, today=reader.today)
    if contact.source == Source.COMMAND and contact.occurred_at != contact.created_at:
        when = day_of(contact.occurred_at, reader.tz, today=reader.today)  # logged for a day, at no known hour
    if email is not None:
        return f"• {when}, {mention(contact.user_id)} {email_contact(contact.note, email)}"
    return f"• {when}, {mention(contact.user_id)}{where}{note}{link}"


def _promise_line(promise: Promise, reader: Reader, *, slipped: bool = False) -> str:
    due = day(promise.due_on, today=reader.today)
    text = "• " + _("#{id} “{what}” by {due}, {owner}", id=promise.id, what=clip(promise.what, 200), due=due,
                    owner=mention(promise.owner_id))  # fmt: skip
    if promise.done_at is not None:
        kept = day_of(promise.done_at, reader.tz, today=reader.today)
        if promise.done_by:
            return text + ": " + _("kept {day} by {who}", day=kept, who=mention(promise.done_by))
        return text + ": " + _("kept {day}", day=kept)
    if slipped:
        return text + ": " + n_("{count} day late", "{count} days late", (reader.today - promise.due_on).days)
    return text


def key_set(client: Client) -> Message:
    """`/client key`."""
    if client.is_key:
        return simple(
            _(
                ":star: *{client}* is now a key client ({cadence}).",
                client=client.name,
                cadence=cadence(client.cadence_days),
            )
        )
    return simple(_("*{client}* is no longer a key client.", client=client.name))


def cadence_set(client: Client) -> Message:
    """`/client cadence`."""
    if client.cadence_days is None:
        return simple(_("*{client}* has no cadence now: rapport won't say when it goes quiet.", client=client.name))
    return simple(
        _("We now mean to talk to *{client}* {cadence}.", client=client.name, cadence=cadence(client.cadence_days))
    )


def owner_set(client: Client, previous: str | None) -> Message:
    """`/client owner`, to the person who handed it over."""
    if previous == client.owner_id:
        return simple(_("{owner} already owns *{client}*. Nothing was changed.", owner=mention(client.owner_id),
                        client=client.name))  # fmt: skip
    return simple(
        _("*{client}* now belongs to {owner} (was {previous}).", client=client.name, owner=mention(client.owner_id),
          previous=mention(previous))
    )  # fmt: skip


def handed_over(client: Client, by: str) -> Message:
    """The DM to the new owner."""
    return simple(
        _(
            "{by} handed *{client}* over to you ({cadence}). `/client show {client}` has its story so far.",
            by=mention(by),
            client=client.name,
            cadence=cadence(client.cadence_days),
        )
    )


def alias_added(client: Client, alias: str) -> Message:
    return simple(_("*{client}* can now also be found as *{alias}*.", client=client.name, alias=alias))


def alias_removed(client: Client, alias: str, removed: bool) -> Message:
    if not removed:
        return simple(
            _("*{client}* has no other name *{alias}*. Nothing was changed.", client=client.name, alias=alias)
        )
    return simple(_("*{client}* is no longer found as *{alias}*.", client=client.name, alias=alias))


def promise_made(client: Client, promise: Promise, created: bool, reader: Reader) -> Message:
    """`/client promise`."""
    due = day(promise.due_on, today=reader.today)
    if not created:
        return simple(_("That promise was already recorded as #{id}. Nothing was changed.", id=promise.id))
    return simple(
        _(
            "Promise #{id} to *{client}*: “{what}” by {due}, owned by {owner}. Mark it kept with `/client done {id}`.",
            id=promise.id,
            client=client.name,
            what=clip(promise.what, 300),
            due=due,
            owner=mention(promise.owner_id),
        )
    )


def promise_done(client: Client, promise: Promise, reader: Reader) -> Message:
    """`/client done`."""
    due = day(promise.due_on, today=reader.today)
    late = (reader.today - promise.due_on).days
    values = {"id": promise.id, "client": client.name, "what": clip(promise.what, 300), "due": due}
    if late > 0:
        return simple(
            n_(
                ":white_check_mark: Promise #{id} to *{client}* kept, {count} day after the promised {due}: “{what}”",
                ":white_check_mark: Promise #{id} to *{client}* kept, {count} days after the promised {due}: “{what}”",
                late,
                **values,
            )
        )
    return simple(_(":white_check_mark: Promise #{id} to *{client}* kept (due {due}): “{what}”", **values))


def _history_counts(counts: dict[str, int]) -> str:
    """ "2 contacts, 1 promise, 1 survey" (what a reader looks for first; the rest is in the files)."""
    return ", ".join(
        [
            n_("{count} contact", "{count} contacts", counts.get("contacts", 0)),
            n_("{count} promise", "{count} promises", counts.get("promises", 0)),
            n_("{count} survey", "{count} surveys", counts.get("surveys", 0)),
        ]
    )


def export_ready(counts: dict[str, int], client_name: str | None) -> Message:
    if client_name:
        return simple(
            _("Here is *{client}*'s whole history ({counts}): one CSV file per kind, in a ZIP.", client=client_name,
              counts=_history_counts(counts))
        )  # fmt: skip
    return simple(
        _("Here is every client's whole history ({counts}): one CSV file per kind, in a ZIP.",
          counts=_history_counts(counts))
    )  # fmt: skip


def export_sent_to_dm(counts: dict[str, int], client_name: str | None) -> Message:
    if client_name:
        return simple(
            _("I sent you *{client}*'s whole history ({counts}) as a ZIP of CSV files in a direct message.",
              client=client_name, counts=_history_counts(counts))
        )  # fmt: skip
    return simple(
        _("I sent you every client's whole history ({counts}) as a ZIP of CSV files in a direct message.",
          counts=_history_counts(counts))
    )  # fmt: skip


def export_empty(client_name: str | None) -> Message:
    if client_name:
        return simple(_("There is nothing about *{client}* to export yet.", client=client_name))
    return simple(_("There is nothing to export yet."))


def unknown_command_message(text: str) -> Message:
    return Message(text=text, blocks=[section(text), *overview_blocks()])


def event_line(event: ClientEvent, reader: Reader) -> str:
    """A snooze or hand-over, with when and who."""
    when = day_of(event.at, reader.tz, today=reader.today)
    return (
        f"{when}, {event_text(event.kind, event.actor_id, event.data, today=reader.today, promise_id=event.promise_id)}"
    )


def _move_line(event: ClientEvent, story: Story, reader: Reader) -> str:
    """A slip: which promise, from which date to which, who moved it and when."""
    promises = {p.id: p for p in [*story.open_promises, *story.slipped_promises, *story.kept_promises]}
    promise = promises.get(event.promise_id or 0)
    what = f"#{event.promise_id} {quoted(clip(promise.what, 120))}" if promise else f"#{event.promise_id}"
    old, new = date.fromisoformat(event.data["old"]), date.fromisoformat(event.data["new"])
    moved = day_of(event.at, reader.tz, today=reader.today)
    return "• " + _(
        "{what}: {old} → {new}, moved by {who} on {day}",
        what=what,
        old=day(old, today=reader.today),
        new=day(new, today=reader.today),
        who=mention(event.actor_id),
        day=moved,
    )
