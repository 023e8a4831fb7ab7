"""Replies to `/client` subcommands and the message shortcut."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from slack_sdk.models.blocks import Block

from domain.clients import ClientSummary
from domain.commands import ConfigSetting, ListFilter, Subcommand
from domain.contacts import Source
from domain.digests import DigestSchedule
from domain.holidays import Holidays
from domain.hours import days_text
from domain.languages import Language
from domain.personal import Personal
from domain.story import Story
from domain.workspace import WorkspaceSettings
from render import sponsors as render_sponsors
from render.blocks import Message, context, divider, fit, header, section, sections, simple
from render.client_channels import channel_facts, reply_time_fact, waiting_line
from render.client_people import people_facts
from render.digest import schedule_line
from render.formats import cadence, channel, clip, day, day_of, language_name, mention, moment, one_line, plural
from render.health import health_badge
from render.help import USAGE, overview, overview_blocks, usage
from render.i18n import _
from render.mail import email_contact
from render.nudges import event_text
from render.surveys import survey_line
from storage.models import Client, ClientEvent, Contact, Email, Promise

LIST_TITLES = {
    ListFilter.ALL: "All clients",
    ListFilter.MINE: "Your clients",
    ListFilter.KEY: "Key clients",
    ListFilter.QUIET: "Clients gone quiet (past their cadence)",
}
LIST_EMPTY = {
    ListFilter.ALL: "No clients yet. Add one with `/client add <name>`.",
    ListFilter.MINE: "You don't own any clients yet. `/client owner <client> @you` hands one to you.",
    ListFilter.KEY: "No key clients yet. Flag one with `/client key <client> on`.",
    ListFilter.QUIET: "Nobody has gone quiet: every client with a cadence heard from us in time. :tada:",
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
    key = " as a key client" if client.is_key else ""
    text = (
        f"Added *{client.name}*{key}, owned by {mention(client.owner_id)}, {cadence(client.cadence_days)}. "
        f"Log a contact with `/client log {client.name} <note>`."
    )
    return simple(text)


def contact_logged(
    client: Client, contact: Contact, created: bool, reader: Reader, *, back_dated: bool = False
) -> Message:
    """`/client log` and the shortcut's confirmation; a contact logged for an earlier day shows that day alone."""
    if back_dated:  # its time is a stand-in (domain.dates.contact_time): only the day was said
        when = day_of(contact.occurred_at, reader.tz, today=reader.today)
    else:
        when = moment(contact.occurred_at, reader.tz, today=reader.today)
    if not created:
        return simple(f"That contact with *{client.name}* was already logged ({when}). Nothing was changed.")
    link = f" (<{contact.permalink}|message>)" if contact.permalink else ""
    at = f" on {when}" if back_dated else f", {when}"
    return simple(f"Logged a contact with *{client.name}*{at}: “{one_line(contact.note, 200)}”{link}")


def client_list(summaries: Sequence[ClientSummary], total: int, which: ListFilter, reader: Reader) -> Message:
    """`/client list [mine|key|quiet]`."""
    title = LIST_TITLES[which]
    if not summaries:
        return simple(LIST_EMPTY[which])
    lines = [summary_line(s, reader) for s in summaries]
    blocks = [header(f"{title} ({total})"), *sections(lines)]
    if total > len(summaries):
        blocks.append(context(f"Showing {len(summaries)} of {total}. `/client export` has everything."))
    return Message(text=f"{title}: {total}", blocks=fit(blocks, "More in `/client export`."))


def summary_line(summary: ClientSummary, reader: Reader) -> str:
    client = summary.client
    if summary.last_contact_at is None:
        last = f"no contact yet (added {plural(summary.days_quiet, 'day')} ago)"
    else:
        last = f"last contact {day_of(summary.last_contact_at, reader.tz, today=reader.today)}"
        last += f" ({plural(summary.days_quiet, 'day')} ago)"
    late = " :hourglass: *overdue*" if summary.overdue else ""
    return f"{_client_line(client)}: {mention(client.owner_id)}, {cadence(client.cadence_days)}, {last}{late}"


def client_story(story: Story, reader: Reader) -> Message:
    """`/client show`: the facts, what needs us now (messages waiting, promises), then the history."""
    client = story.client
    blocks = [header(client.name), section("\n".join(_facts(story, reader))), *_needs_us(story, reader), divider()]
    blocks += _history(story, reader)
    added = day_of(client.created_at, reader.tz, today=reader.today)
    blocks.append(context(f"Added {added} by {mention(client.created_by)}"))
    return Message(text=f"{client.name}: owner {mention(client.owner_id)}", blocks=fit(blocks, "…"))


def _facts(story: Story, reader: Reader) -> list[str]:
    """Owner, sponsor, key flag, cadence, contacts, other names, channels, people, domains and reply time."""
    client = story.client
    facts = [
        f"*Owner:* {mention(client.owner_id)}{away_note(story.owner_away)}",
        *render_sponsors.show_facts(story.sponsor, tz=reader.tz, today=reader.today),
        f"*Key client:* {'yes' if client.is_key else 'no'}",
        f"*Cadence:* {cadence(client.cadence_days)}",
        f"*Contacts:* {story.contact_count}",
    ]
    if story.health is not None:
        facts.insert(0, f"*Health:* {health_badge(story.health)}")
    if client.aliases:
        facts.append("*Also known as:* " + ", ".join(a.alias for a in client.aliases))
    facts += channel_facts(story.channels) + people_facts(client.name, story.people, story.domains, story.reach)
    return [*facts, reply_time_fact(client.reply_time)]


def away_note(away: Personal | None) -> str:
    """After an owner who is away: " (away until Fri 20 Nov, @lee covering)"."""
    if away is None or away.away_until is None:
        return ""
    return f" (away until {day(away.away_until)}, {mention(away.backup_id)} covering)"


def _needs_us(story: Story, reader: Reader) -> list[Block]:
    """The client's messages waiting for our answer, slipped promises and open ones."""
    blocks: list[Block] = []
    if story.waiting:
        lines = (waiting_line(m, reader.tz, reader.today) for m in story.waiting)
        blocks += sections(lines, heading=":hourglass: *Waiting for our answer*")
    if story.slipped_promises:
        blocks += sections(
            (_promise_line(p, reader, slipped=True) for p in story.slipped_promises),
            heading=":rotating_light: *Slipped promises*",
        )
    if story.open_promises:
        blocks += sections((_promise_line(p, reader) for p in story.open_promises), heading="*Open promises*")
    return blocks


def _history(story: Story, reader: Reader) -> list[Block]:
    """Last contacts, snoozes and hand-overs, moved dates, surveys and kept promises."""
    blocks: list[Block] = []
    if story.contacts:
        heading = f"*Last contacts* ({len(story.contacts)} of {story.contact_count})"
        lines = (_contact_line(c, reader, story.emails.get(c.id)) for c in story.contacts)
        blocks += sections(lines, heading=heading)
    else:
        blocks.append(section(f"No contacts yet. `/client log {story.client.name} <note>` records one."))
    if story.events:
        lines = (f"• {event_line(e, reader)}" for e in story.events)
        blocks += sections(lines, heading="*Snoozes, hand-overs and silences* (not contacts)")
    if story.moves:
        blocks += sections((_move_line(e, story, reader) for e in story.moves), heading="*Promise dates moved*")
    if story.surveys:
        lines = (survey_line(r, tz=reader.tz, today=reader.today, with_client=False) for r in story.surveys)
        blocks += sections(lines, heading="*Surveys*")
    if story.kept_promises:
        kept = story.kept_promises[:5]
        blocks += sections((_promise_line(p, reader) for p in kept), heading="*Kept promises*")
    return blocks


def _contact_line(contact: Contact, reader: Reader, email: Email | None = None) -> str:
    """When, who, where, what was said (a channel's message keeps no text unless told) and the link."""
    where = f" in {channel(contact.channel_id)}" if contact.channel_id else ""
    where = " in a meeting" if contact.source == Source.MEETING else where
    note = f": “{one_line(contact.note, 200)}”" if contact.note else ""
    link = f" <{contact.permalink}|(message)>" if contact.permalink else ""
    when = moment(contact.occurred_at, reader.tz, today=reader.today)
    if contact.source == Source.COMMAND and contact.occurred_at != contact.created_at:
        when = day_of(contact.occurred_at, reader.tz, today=reader.today)  # logged for a day, at no known hour
    if email is not None:
        return f"• {when}, {mention(contact.user_id)} {email_contact(contact.note, email)}"
    return f"• {when}, {mention(contact.user_id)}{where}{note}{link}"


def _promise_line(promise: Promise, reader: Reader, *, slipped: bool = False) -> str:
    due = day(promise.due_on, today=reader.today)
    text = f"• #{promise.id} “{clip(promise.what, 200)}” by {due}, {mention(promise.owner_id)}"
    if promise.done_at is not None:
        kept = day_of(promise.done_at, reader.tz, today=reader.today)
        return text + f": kept {kept}" + (f" by {mention(promise.done_by)}" if promise.done_by else "")
    if slipped:
        return text + f": {plural((reader.today - promise.due_on).days, 'day')} late"
    return text


def key_set(client: Client) -> Message:
    """`/client key`."""
    if client.is_key:
        return simple(f":star: *{client.name}* is now a key client ({cadence(client.cadence_days)}).")
    return simple(f"*{client.name}* is no longer a key client.")


def cadence_set(client: Client) -> Message:
    """`/client cadence`."""
    if client.cadence_days is None:
        return simple(f"*{client.name}* has no cadence now: rapport won't say when it goes quiet.")
    return simple(f"We now mean to talk to *{client.name}* {cadence(client.cadence_days)}.")


def owner_set(client: Client, previous: str | None) -> Message:
    """`/client owner`, to the person who handed it over."""
    if previous == client.owner_id:
        return simple(f"{mention(client.owner_id)} already owns *{client.name}*. Nothing was changed.")
    return simple(f"*{client.name}* now belongs to {mention(client.owner_id)} (was {mention(previous)}).")


def handed_over(client: Client, by: str) -> Message:
    """The DM to the new owner."""
    return simple(
        f"{mention(by)} handed *{client.name}* over to you ({cadence(client.cadence_days)}). "
        f"`/client show {client.name}` has its story so far."
    )


def alias_added(client: Client, alias: str) -> Message:
    return simple(f"*{client.name}* can now also be found as *{alias}*.")


def alias_removed(client: Client, alias: str, removed: bool) -> Message:
    if not removed:
        return simple(f"*{client.name}* has no other name *{alias}*. Nothing was changed.")
    return simple(f"*{client.name}* is no longer found as *{alias}*.")


def promise_made(client: Client, promise: Promise, created: bool, reader: Reader) -> Message:
    """`/client promise`."""
    due = day(promise.due_on, today=reader.today)
    if not created:
        return simple(f"That promise was already recorded as #{promise.id}. Nothing was changed.")
    return simple(
        f"Promise #{promise.id} to *{client.name}*: “{clip(promise.what, 300)}” by {due}, "
        f"owned by {mention(promise.owner_id)}. Mark it kept with `/client done {promise.id}`."
    )


def promise_done(client: Client, promise: Promise, reader: Reader) -> Message:
    """`/client done`."""
    due = day(promise.due_on, today=reader.today)
    late = (reader.today - promise.due_on).days
    timing = f", {plural(late, 'day')} after the promised {due}" if late > 0 else f" (due {due})"
    return simple(
        f":white_check_mark: Promise #{promise.id} to *{client.name}* kept{timing}: “{clip(promise.what, 300)}”"
    )


def _history_counts(counts: dict[str, int]) -> str:
    """ "2 contacts, 1 promise, 1 survey" (what a reader looks for first; the rest is in the files)."""
    shown = [("contacts", "contact"), ("promises", "promise"), ("surveys", "survey")]
    return ", ".join(plural(counts.get(name, 0), noun) for name, noun in shown)


def _whose(client_name: str | None) -> str:
    return f"*{client_name}*'s whole history" if client_name else "every client's whole history"


def export_ready(counts: dict[str, int], client_name: str | None) -> Message:
    return simple(f"Here is {_whose(client_name)} ({_history_counts(counts)}): one CSV file per kind, in a ZIP.")


def export_sent_to_dm(counts: dict[str, int], client_name: str | None) -> Message:
    return simple(
        f"I sent you {_whose(client_name)} ({_history_counts(counts)}) as a ZIP of CSV files in a direct message."
    )


def export_empty(client_name: str | None) -> Message:
    what = f" about *{client_name}*" if client_name else ""
    return simple(f"There is nothing{what} to export yet.")


def unknown_command_message(text: str) -> Message:
    return Message(text=text, blocks=[section(text), *overview_blocks()])


def holiday_text(holidays: Holidays | None) -> str:
    """`PL (days off)` or `none`, for `/client config`."""
    return f"{holidays.code} (days off, unless someone set their own)" if holidays else "none"


def workspace_language_line(language: Language | None) -> str:
    """The workspace's default language, for `/client config`."""
    if language is None:
        return _("*Language:* each person's Slack language (English when it is not one I speak)")
    return _("*Language:* {language}, unless someone chose their own", language=language_name(language))


def config_shown(
    settings: WorkspaceSettings, *, changed: ConfigSetting | None = None, joined: bool | None = None,
    digest: DigestSchedule | None = None,
) -> Message:  # fmt: skip
    """`/client config`: the team channel, the default working hours, and the weekly digest."""
    hours = settings.hours
    channel_text = (
        f"{channel(settings.team_channel_id)} (its working hours in {settings.team_channel_tz or 'UTC'})"
        if settings.team_channel_id
        else "none (nudges nobody can take go to whoever added the client)"
    )
    lines = [
        f"*Team channel:* {channel_text}",
        f"*Working hours:* {hours.start:%H:%M}-{hours.end:%H:%M} in each person's own time zone",
        f"*Working days:* {days_text(hours.days)}",
        f"*Public holidays:* {holiday_text(hours.holidays)}",
        workspace_language_line(settings.language),
        *([schedule_line(digest)] if digest is not None else []),
    ]
    lead = f"Saved the new {changed}.\n" if changed else ""
    if joined is False:
        lead += (
            f":warning: I could not join {channel(settings.team_channel_id)}: please invite me there "
            "(`/invite @rapport`), so I can post and see the :raising_hand: reactions.\n"
        )
    return simple(
        lead
        + "\n".join(lines)
        + "\nChange them with "
        + USAGE[Subcommand.CONFIG]
        + "; while you are away, "
        + USAGE[Subcommand.AWAY]
    )


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
    what = f"#{event.promise_id} “{clip(promise.what, 120)}”" if promise else f"#{event.promise_id}"
    old, new = date.fromisoformat(event.data["old"]), date.fromisoformat(event.data["new"])
    moved = day_of(event.at, reader.tz, today=reader.today)
    return (
        f"• {what}: {day(old, today=reader.today)} → {day(new, today=reader.today)}, "
        f"moved by {mention(event.actor_id)} on {moved}"
    )
