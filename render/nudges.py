"""Nudge messages: what they say, their buttons, and what they become once answered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DatePickerElement,
    Option,
    StaticSelectElement,
    UserSelectElement,
)

from domain.events import Kind
from domain.hours import WorkingHours
from domain.nudge_answers import Action
from domain.nudges import ClosingReason, NudgeKind, WaitingMessage
from domain.personal import Away
from domain.story import Entry
from domain.surveys import Side
from render import sponsors, unanswered
from render.blocks import Message, context, section
from render.formats import day, day_of, days, mention, one_line, weeks
from render.i18n import N_, _, n_, p_
from render.ids import ActionId

REACT_HINT = N_("React :white_check_mark: when done · :zzz: to snooze · :raising_hand: to take it over")
COMBINED_HINT = N_(
    "Answer each item with its buttons, or react to this message to answer all of them at once: "
    ":white_check_mark: done · :zzz: snooze · :raising_hand: take them over"
)
SPONSORS_HINT = N_(  # a sponsor's nudge is theirs alone: nothing to take over
    "Answer each item with its buttons, or react to this message to answer all of them at once: "
    ":white_check_mark: done · :zzz: snooze"
)
SNOOZE_CHOICES = (3, 7, 14)  # days; a whole number of weeks reads as weeks
SNOOZE_DAYS = frozenset(SNOOZE_CHOICES)


@dataclass(frozen=True)
class About:
    """What a nudge is about, as its message tells it."""

    nudge_id: int
    kind: NudgeKind
    client_name: str
    owner_id: str | None
    cadence_days: int | None = None
    quiet_since: datetime | None = None
    last_at: datetime | None = None
    last_by: str | None = None
    last_note: str | None = None
    last_link: str | None = None
    what: str | None = None
    due_on: date | None = None
    to_channel: bool = False
    message: WaitingMessage | None = None  # the unanswered kind's message
    own_last_at: datetime | None = None  # the sponsor kind: the sponsor's own last contact (quiet_since: or named)
    away: Away | None = None  # the person it is meant for is away: the recipient covers for them


def block_id(nudge_id: int) -> str:
    """Action rows carry the nudge id in their block_id (a users_select has no value of its own)."""
    return f"nudge:{nudge_id}"


def nudge_id_of(block_id_text: str | None) -> int | None:
    """The nudge id in an action row's block_id."""
    if not block_id_text or not block_id_text.startswith("nudge:"):
        return None
    tail = block_id_text.removeprefix("nudge:")
    return int(tail) if tail.isascii() and tail.isdecimal() and len(tail) <= 18 else None  # not "²", not "٣"


def _quiet_line(about: About, now: datetime, tz: str | None, today: date) -> str:
    quiet = max(0, (now - (about.quiet_since or now)).days)
    cadence, client = about.cadence_days or 0, about.client_name
    if about.to_channel:
        planned = n_("(planned every {count} day)", "(planned every {count} days)", cadence)
    else:
        planned = n_("(you planned every {count} day)", "(you planned every {count} days)", cadence)
    if about.last_at is None:
        return _(":hourglass: Nobody has talked to *{client}* since it was added {added} ago {planned}.",
                 client=client, added=days(quiet), planned=planned)  # fmt: skip
    text = n_(":hourglass: {count} day since anyone talked to *{client}* {planned}.",
              ":hourglass: {count} days since anyone talked to *{client}* {planned}.", quiet, client=client,
              planned=planned)  # fmt: skip
    when, who = day_of(about.last_at, tz, today=today), mention(about.last_by)
    if about.last_note:
        text += " " + _("Last: {day}, {who}: “{note}”", day=when, who=who, note=one_line(about.last_note, 120))
    else:
        text += " " + _("Last: {day}, {who}", day=when, who=who)
    return text + (" " + _("(<{link}|link>)", link=about.last_link) if about.last_link else "")


def _promise_line(about: About, today: date, hours: WorkingHours) -> str:
    assert about.due_on is not None
    facts = {
        "client": about.client_name,
        "what": one_line(about.what or "", 200),
        "due": day(about.due_on, today=today),
    }
    if about.kind == NudgeKind.HEADS_UP:
        if about.to_channel:
            return _(":date: Heads-up: {owner} promised *{client}* “{what}” by {due}.", owner=mention(about.owner_id),
                     **facts)  # fmt: skip
        return _(":date: Heads-up: You promised *{client}* “{what}” by {due}.", **facts)
    late = hours.working_days_between(about.due_on, today)
    lateness = n_("{count} working day late", "{count} working days late", late) if late else _("late")
    if about.to_channel:
        return _(":rotating_light: {owner} promised *{client}* “{what}” by {due}: {lateness}.",
                 owner=mention(about.owner_id), lateness=lateness, **facts)  # fmt: skip
    return _(":rotating_light: You promised *{client}* “{what}” by {due}: {lateness}.", lateness=lateness, **facts)


def _owner_note(about: About) -> str:
    if not about.to_channel:
        return ""
    if about.owner_id is None:
        return " " + _("It has no owner.")
    return " " + _("Its owner {owner} is not around.", owner=mention(about.owner_id))


def describe(about: About, *, now: datetime, tz: str | None, today: date, hours: WorkingHours) -> str:
    """The nudge's main line (with, for a client's message, its link and text), and why it came to a backup."""
    text = _describe(about, now=now, tz=tz, today=today, hours=hours)
    return text + covering_line(about.away, today) if about.away and not about.to_channel else text


def covering_line(away: Away | None, today: date) -> str:
    """Why a nudge came to someone else: "Dana is away until Fri 20 Nov; you are covering"."""
    if away is None:
        return ""
    return "\n" + _(":palm_tree: {who} is away until {until}; you are covering.", who=mention(away.user_id),
                    until=day(away.until, today=today))  # fmt: skip


def _describe(about: About, *, now: datetime, tz: str | None, today: date, hours: WorkingHours) -> str:
    if about.kind == NudgeKind.UNANSWERED and about.message is not None:
        line = unanswered.asked(about.message, about.client_name, now=now, tz=tz, hours=hours)
        return line + _owner_note(about) + unanswered.details(about.message)
    if about.kind == NudgeKind.QUIET:
        return _quiet_line(about, now, tz, today) + _owner_note(about)
    if about.kind == NudgeKind.SPONSOR:
        return sponsors.nudge_line(
            client_name=about.client_name, cadence_days=about.cadence_days, since=about.quiet_since,
            own_last_at=about.own_last_at, other_at=about.last_at, other_by=about.last_by, now=now,
        )  # fmt: skip
    return _promise_line(about, today, hours) + _owner_note(about)


def short(about: About, today: date) -> str:
    """One line naming what the nudge was about (for answered messages and combined items)."""
    if about.kind == NudgeKind.UNANSWERED:
        return unanswered.short(about.message, about.client_name)
    if about.kind == NudgeKind.QUIET:
        return _("*{client}*: gone quiet", client=about.client_name)
    if about.kind == NudgeKind.SPONSOR:
        return sponsors.short(about.client_name)
    due = day(about.due_on, today=today) if about.due_on else ""
    return _("*{client}*: “{what}” by {due}", client=about.client_name, what=one_line(about.what or "", 120), due=due)


def buttons(about: About) -> ActionsBlock:
    """The nudge's buttons and menus (answered by domain.nudge_answers through handlers/actions)."""
    return _buttons(about)


def _buttons(about: About) -> ActionsBlock:
    value = str(about.nudge_id)
    if about.kind == NudgeKind.UNANSWERED:  # the same for whoever gets it: 🙋 means nothing here
        elements: list = list(unanswered.buttons(about.nudge_id))
    elif about.kind == NudgeKind.SPONSOR:  # the sponsor's own: nothing to hand over
        elements = sponsors.buttons(about.nudge_id)
    elif about.to_channel:
        elements = [ButtonElement(text=p_("button", "Take it"), action_id=ActionId.NUDGE_TAKE, value=value,
                                  style="primary")]  # fmt: skip
    elif about.kind == NudgeKind.QUIET:
        elements = [
            ButtonElement(
                text=p_("button", "I've been in touch"), action_id=ActionId.NUDGE_LOGGED, value=value, style="primary"
            ),
            StaticSelectElement(
                action_id=ActionId.NUDGE_SNOOZE,
                placeholder=p_("menu", "Snooze"),
                options=[Option(value=f"{about.nudge_id}:{n}", label=snooze_label(n)) for n in SNOOZE_CHOICES],
            ),
            UserSelectElement(action_id=ActionId.NUDGE_HAND_OVER, placeholder=p_("menu", "Hand over")),
        ]
    else:
        elements = [
            ButtonElement(text=p_("button", "Done"), action_id=ActionId.NUDGE_DONE, value=value, style="primary"),
            DatePickerElement(action_id=ActionId.NUDGE_NEW_DATE, placeholder=p_("menu", "New date")),
            UserSelectElement(action_id=ActionId.NUDGE_HAND_OVER, placeholder=p_("menu", "Hand over")),
        ]
    if about.to_channel and about.kind in (NudgeKind.HEADS_UP, NudgeKind.SLIP):
        elements.insert(0, ButtonElement(text=p_("button", "Done"), action_id=ActionId.NUDGE_DONE, value=value))
    return ActionsBlock(block_id=block_id(about.nudge_id), elements=elements)


def snooze_label(count: int) -> str:
    """A snooze choice: `3 days`, `1 week`, `2 weeks`."""
    return weeks(count // 7) if count % 7 == 0 else days(count)


def nudge_message(about: About, *, now: datetime, tz: str | None, today: date, hours: WorkingHours) -> Message:
    """A single nudge: what, buttons, and the reactions it understands."""
    text = describe(about, now=now, tz=tz, today=today, hours=hours)
    hint = {NudgeKind.UNANSWERED: unanswered.REACT_HINT, NudgeKind.SPONSOR: sponsors.REACT_HINT}.get(
        about.kind, REACT_HINT
    )
    return Message(text=_plain(_first_line(text)), blocks=[section(text), _buttons(about), context(_(hint))])


def combined_message(items: list[About], *, now: datetime, tz: str | None, today: date, hours: WorkingHours) -> Message:
    """Everything past the day's five separate nudges, one button row per item."""
    count = len(items)
    blocks: list[Block] = [section(n_("*{count} more thing need you today:*", "*{count} more things need you today:*",
                                      count))]  # fmt: skip
    for about in items:
        blocks += [section(describe(about, now=now, tz=tz, today=today, hours=hours)), _buttons(about)]
    blocks.append(context(combined_hint(items)))
    return Message(text=n_("{count} more thing need you today", "{count} more things need you today", count),
                   blocks=blocks)  # fmt: skip


def combined_hint(items: Iterable[About]) -> str:
    """How to answer several items at once: :raising_hand: only when one of them can be taken over."""
    return _(COMBINED_HINT) if any(about.kind != NudgeKind.SPONSOR for about in items) else _(SPONSORS_HINT)


def outcome(action: Action, actor: str, *, until: datetime | None = None, tz: str | None = None,
            today: date | None = None, new_owner: str | None = None, old_date: date | None = None,
            new_date: date | None = None, note: str | None = None) -> str:  # fmt: skip
    """What an answer did, and who did it."""
    who = mention(actor)
    if action == Action.DONE:
        return _(":white_check_mark: {who} confirmed it's done.", who=who)
    if action == Action.LOGGED:
        if note:
            return _(":white_check_mark: {who} logged a contact: “{note}”", who=who, note=one_line(note, 150))
        return _(":white_check_mark: {who} logged a contact.", who=who)
    if action == Action.SNOOZE and until is not None:
        return _(":zzz: {who} snoozed it until {until}.", who=who, until=day_of(until, tz, today=today))
    if action in (Action.TAKE, Action.HAND_OVER):
        if new_owner == actor:
            return _(":raising_hand: {who} took it over.", who=who)
        return _(":arrow_right: {who} handed it over to {owner}.", who=who, owner=mention(new_owner))
    if action == Action.NEW_DATE and new_date is not None:
        new = day(new_date, today=today)
        if old_date:
            return _(":date: {who} moved it to {new} (was {old}).", who=who, new=new, old=day(old_date, today=today))
        return _(":date: {who} moved it to {new}.", who=who, new=new)
    return _("{who} answered it.", who=who)


def closed_outcome(kind: NudgeKind, reason: str | None, by: str | None = None) -> str:
    """Why the sweep closed a nudge nobody answered (`by`: who answered a client's message, when known)."""
    if kind == NudgeKind.UNANSWERED:
        return unanswered.closed(reason, by)
    if kind == NudgeKind.SPONSOR:
        return sponsors.closed(reason)
    if kind == NudgeKind.QUIET:
        if reason == ClosingReason.CONTACTED:
            return _(":white_check_mark: A contact was logged since: nothing to do.")
        return _("No longer needed.")
    if reason == ClosingReason.KEPT:
        return _(":white_check_mark: The promise was kept.")
    return _("The promise has a new date: no longer needed.")


def answered_message(items: list[tuple[About, str | None]], *, today: date) -> Message:
    """The nudge once answered: what it was about and what happened, without buttons (open items keep theirs)."""
    blocks: list[Block] = []
    for about, result in items:
        if result is None:
            blocks += [section(short(about, today)), _buttons(about)]
        else:
            blocks += [section(f"{short(about, today)}\n{result}")]
    if any(result is None for _, result in items):
        blocks.append(context(combined_hint(about for about, result in items if result is None)))
    text = " · ".join(_plain(result or short(about, today)) for about, result in items)
    return Message(text=text, blocks=blocks)


def reminder_message(about: About, *, today: date) -> Message:
    """The one reminder, in the nudge's thread."""
    if about.kind == NudgeKind.UNANSWERED:
        text = unanswered.reminder(about.message, about.client_name)
    elif about.kind == NudgeKind.SPONSOR:
        text = sponsors.reminder(about.client_name)
    elif about.kind == NudgeKind.QUIET:
        text = _(":bell: *{client}* is still waiting to hear from us. Answer above with a button or a reaction.",
                 client=about.client_name)  # fmt: skip
    else:
        text = _(":bell: Still open: {what}. Answer above with a button or a reaction.", what=short(about, today))
    return Message(text=_plain(text), blocks=[section(text)])


def escalation_message(
    about: About, *, now: datetime, tz: str | None, today: date, hours: WorkingHours, silent_id: str | None = None
) -> Message:
    """A nudge nobody answered, taken to the team channel: anyone can claim it (`silent_id`: who had it, when not
    the owner: whoever covers for an owner away)."""
    channel_about = About(**{**about.__dict__, "to_channel": True})
    silent = silent_id or about.owner_id
    ignored = " " + _("{who} has not answered for a week.", who=mention(silent)) if silent else ""
    if about.kind == NudgeKind.UNANSWERED and about.message is not None:
        lead = unanswered.asked(about.message, about.client_name, now=now, tz=tz, hours=hours)
        text = lead + ignored + " " + _("Who answers?") + unanswered.details(about.message)
        hint = _(unanswered.CHANNEL_HINT)
    else:
        lead = describe(about, now=now, tz=tz, today=today, hours=hours)
        text = lead + ignored + " " + _("Who takes it?")
        hint = _("React :raising_hand: or press *Take it* to become the owner.")
    return Message(text=_plain(_first_line(text)), blocks=[section(text), _buttons(channel_about), context(hint)])


def handed_over_dm(client_name: str, by: str, entries: list[Entry], *, tz: str | None, today: date) -> Message:
    """To the new owner: who handed the client over, and the last five entries of its timeline."""
    lines = [timeline_line(entry, tz=tz, today=today) for entry in entries] or [_("No contacts yet.")]
    text = _("{who} handed *{client}* over to you. The latest:", who=mention(by), client=client_name)
    return Message(text=_("{client} is yours now", client=client_name), blocks=[section("\n".join([text, *lines]))])


def timeline_line(entry: Entry, *, tz: str | None, today: date) -> str:
    """A contact or an event, as one line."""
    when = day_of(entry.at, tz, today=today)
    if entry.contact is not None:
        c = entry.contact
        link = " " + _("(<{link}|link>)", link=c.permalink) if c.permalink else ""
        return f"• {when}, {mention(c.user_id)}: “{one_line(c.note, 150)}”{link}"
    assert entry.event is not None
    event = entry.event
    return f"• {when}, {event_text(event.kind, event.actor_id, event.data, today=today, promise_id=event.promise_id)}"


def event_text(kind: str, actor: str | None, data: dict, *, today: date, promise_id: int | None = None) -> str:
    """An event of the timeline in words (a snooze is not a contact, and says so); `promise_id`: the event's promise."""
    who = mention(actor)
    until = day(date.fromisoformat(data["until"][:10]), today=today) if "until" in data else ""
    if kind == Kind.SNOOZED:
        return _("{who} snoozed the quiet-client nudge until {until} (no contact logged)", who=who, until=until)
    if kind == Kind.PROMISE_SNOOZED:
        return _("{who} snoozed a slipped promise until {until}", who=who, until=until)
    if kind == Kind.HANDED_OVER:
        owner = mention(data.get("owner"))
        if promise_id is not None:
            return _("{who} handed a promise to {owner}", who=who, owner=owner)
        return _("{who} handed the client to {owner}", who=who, owner=owner)
    if kind == Kind.NO_ANSWER:
        project = data.get("project", "")
        who = str(data["email"]) if data.get("email") else who  # someone outside Slack, invited by address
        if data.get("side") == Side.CLIENT:
            return _("no answer from {who} (the client) to the survey on *{project}*: silence is a signal too",
                     who=who, project=project)  # fmt: skip
        return _("no answer from {who} (the team) to the survey on *{project}*: silence is a signal too", who=who,
                 project=project)  # fmt: skip
    if kind == Kind.MESSAGE_SNOOZED:
        return unanswered.snoozed_event(who, data, today=today)
    sponsor_event = sponsors.event_text(kind, who, data, today=today)
    if sponsor_event is not None:
        return sponsor_event
    if kind == Kind.PROMISE_MOVED:
        old, new = date.fromisoformat(data["old"]), date.fromisoformat(data["new"])
        return _("{who} moved a promise from {old} to {new}", who=who, old=day(old, today=today),
                 new=day(new, today=today))  # fmt: skip
    return f"{who}: {kind}"


def _first_line(text: str) -> str:
    """What a notification says: the main line, without a message's link and quoted text."""
    return text.split("\n", 1)[0]


def _plain(text: str) -> str:
    """Notification text without emoji codes."""
    return " ".join(word for word in text.split() if not (word.startswith(":") and word.endswith(":")))
