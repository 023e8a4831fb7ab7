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
from render.formats import day, day_of, mention, one_line, plural
from render.ids import ActionId

REACT_HINT = "React :white_check_mark: when done · :zzz: to snooze · :raising_hand: to take it over"
COMBINED_HINT = (
    "Answer each item with its buttons, or react to this message to answer all of them at once: "
    ":white_check_mark: done · :zzz: snooze · :raising_hand: take them over"
)
SPONSORS_HINT = (  # a sponsor's nudge is theirs alone: nothing to take over
    "Answer each item with its buttons, or react to this message to answer all of them at once: "
    ":white_check_mark: done · :zzz: snooze"
)
SNOOZE_CHOICES = ((3, "3 days"), (7, "1 week"), (14, "2 weeks"))
SNOOZE_DAYS = frozenset(days for days, _ in SNOOZE_CHOICES)


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
    since = about.quiet_since or now
    days = max(0, (now - since).days)
    planned = f"(you planned every {plural(about.cadence_days or 0, 'day')})"
    if about.to_channel:
        planned = f"(planned every {plural(about.cadence_days or 0, 'day')})"
    if about.last_at is None:
        added = plural(days, "day")
        text = f":hourglass: Nobody has talked to *{about.client_name}* since it was added {added} ago {planned}."
    else:
        text = f":hourglass: {plural(days, 'day')} since anyone talked to *{about.client_name}* {planned}."
        note = f": “{one_line(about.last_note or '', 120)}”" if about.last_note else ""
        link = f" (<{about.last_link}|link>)" if about.last_link else ""
        text += f" Last: {day_of(about.last_at, tz, today=today)}, {mention(about.last_by)}{note}{link}"
    return text


def _promise_line(about: About, today: date, hours: WorkingHours) -> str:
    assert about.due_on is not None
    who = "You" if not about.to_channel else mention(about.owner_id)
    due = day(about.due_on, today=today)
    if about.kind == NudgeKind.HEADS_UP:
        return f":date: Heads-up: {who} promised *{about.client_name}* “{one_line(about.what or '', 200)}” by {due}."
    late = hours.working_days_between(about.due_on, today)
    lateness = f"{plural(late, 'working day')} late" if late else "late"
    what = one_line(about.what or "", 200)
    return f":rotating_light: {who} promised *{about.client_name}* “{what}” by {due}: {lateness}."


def _owner_note(about: About) -> str:
    if not about.to_channel:
        return ""
    if about.owner_id is None:
        return " It has no owner."
    return f" Its owner {mention(about.owner_id)} is not around."


def describe(about: About, *, now: datetime, tz: str | None, today: date, hours: WorkingHours) -> str:
    """The nudge's main line (with, for a client's message, its link and text), and why it came to a backup."""
    text = _describe(about, now=now, tz=tz, today=today, hours=hours)
    return text + covering_line(about.away, today) if about.away and not about.to_channel else text


def covering_line(away: Away | None, today: date) -> str:
    """Why a nudge came to someone else: "Dana is away until Fri 20 Nov; you are covering"."""
    if away is None:
        return ""
    return f"\n:palm_tree: {mention(away.user_id)} is away until {day(away.until, today=today)}; you are covering."


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
        return f"*{about.client_name}*: gone quiet"
    if about.kind == NudgeKind.SPONSOR:
        return sponsors.short(about.client_name)
    due = day(about.due_on, today=today) if about.due_on else ""
    return f"*{about.client_name}*: “{one_line(about.what or '', 120)}” by {due}"


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
        elements = [ButtonElement(text="Take it", action_id=ActionId.NUDGE_TAKE, value=value, style="primary")]
    elif about.kind == NudgeKind.QUIET:
        elements = [
            ButtonElement(text="I've been in touch", action_id=ActionId.NUDGE_LOGGED, value=value, style="primary"),
            StaticSelectElement(
                action_id=ActionId.NUDGE_SNOOZE,
                placeholder="Snooze",
                options=[Option(value=f"{about.nudge_id}:{days}", label=label) for days, label in SNOOZE_CHOICES],
            ),
            UserSelectElement(action_id=ActionId.NUDGE_HAND_OVER, placeholder="Hand over"),
        ]
    else:
        elements = [
            ButtonElement(text="Done", action_id=ActionId.NUDGE_DONE, value=value, style="primary"),
            DatePickerElement(action_id=ActionId.NUDGE_NEW_DATE, placeholder="New date"),
            UserSelectElement(action_id=ActionId.NUDGE_HAND_OVER, placeholder="Hand over"),
        ]
    if about.to_channel and about.kind in (NudgeKind.HEADS_UP, NudgeKind.SLIP):
        elements.insert(0, ButtonElement(text="Done", action_id=ActionId.NUDGE_DONE, value=value))
    return ActionsBlock(block_id=block_id(about.nudge_id), elements=elements)


def nudge_message(about: About, *, now: datetime, tz: str | None, today: date, hours: WorkingHours) -> Message:
    """A single nudge: what, buttons, and the reactions it understands."""
    text = describe(about, now=now, tz=tz, today=today, hours=hours)
    hint = {NudgeKind.UNANSWERED: unanswered.REACT_HINT, NudgeKind.SPONSOR: sponsors.REACT_HINT}.get(
        about.kind, REACT_HINT
    )
    return Message(text=_plain(_first_line(text)), blocks=[section(text), _buttons(about), context(hint)])


def combined_message(items: list[About], *, now: datetime, tz: str | None, today: date, hours: WorkingHours) -> Message:
    """Everything past the day's five separate nudges, one button row per item."""
    blocks: list[Block] = [section(f"*{plural(len(items), 'more thing')} need you today:*")]
    for about in items:
        blocks += [section(describe(about, now=now, tz=tz, today=today, hours=hours)), _buttons(about)]
    blocks.append(context(combined_hint(items)))
    return Message(text=f"{plural(len(items), 'more thing')} need you today", blocks=blocks)


def combined_hint(items: Iterable[About]) -> str:
    """How to answer several items at once: :raising_hand: only when one of them can be taken over."""
    return COMBINED_HINT if any(about.kind != NudgeKind.SPONSOR for about in items) else SPONSORS_HINT


def outcome(action: Action, actor: str, *, until: datetime | None = None, tz: str | None = None,
            today: date | None = None, new_owner: str | None = None, old_date: date | None = None,
            new_date: date | None = None, note: str | None = None) -> str:  # fmt: skip
    """What an answer did, and who did it."""
    who = mention(actor)
    if action == Action.DONE:
        return f":white_check_mark: {who} confirmed it's done."
    if action == Action.LOGGED:
        return f":white_check_mark: {who} logged a contact" + (f": “{one_line(note, 150)}”" if note else ".")
    if action == Action.SNOOZE and until is not None:
        return f":zzz: {who} snoozed it until {day_of(until, tz, today=today)}."
    if action in (Action.TAKE, Action.HAND_OVER):
        return (
            f":raising_hand: {who} took it over."
            if new_owner == actor
            else f":arrow_right: {who} handed it over to {mention(new_owner)}."
        )
    if action == Action.NEW_DATE and new_date is not None:
        was = f" (was {day(old_date, today=today)})" if old_date else ""
        return f":date: {who} moved it to {day(new_date, today=today)}{was}."
    return f"{who} answered it."


def closed_outcome(kind: NudgeKind, reason: str | None, by: str | None = None) -> str:
    """Why the sweep closed a nudge nobody answered (`by`: who answered a client's message, when known)."""
    if kind == NudgeKind.UNANSWERED:
        return unanswered.closed(reason, by)
    if kind == NudgeKind.SPONSOR:
        return sponsors.closed(reason)
    if kind == NudgeKind.QUIET:
        if reason == ClosingReason.CONTACTED:
            return ":white_check_mark: A contact was logged since: nothing to do."
        return "No longer needed."
    if reason == ClosingReason.KEPT:
        return ":white_check_mark: The promise was kept."
    return "The promise has a new date: no longer needed."


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
    text = f":bell: Still open: {short(about, today)}. Answer above with a button or a reaction."
    if about.kind == NudgeKind.UNANSWERED:
        text = unanswered.reminder(about.message, about.client_name)
    elif about.kind == NudgeKind.SPONSOR:
        text = sponsors.reminder(about.client_name)
    elif about.kind == NudgeKind.QUIET:
        text = (
            f":bell: *{about.client_name}* is still waiting to hear from us. Answer above with a button or a reaction."
        )
    return Message(text=_plain(text), blocks=[section(text)])


def escalation_message(
    about: About, *, now: datetime, tz: str | None, today: date, hours: WorkingHours, silent_id: str | None = None
) -> Message:
    """A nudge nobody answered, taken to the team channel: anyone can claim it (`silent_id`: who had it, when not
    the owner: whoever covers for an owner away)."""
    channel_about = About(**{**about.__dict__, "to_channel": True})
    silent = silent_id or about.owner_id
    ignored = f" {mention(silent)} has not answered for a week." if silent else ""
    if about.kind == NudgeKind.UNANSWERED and about.message is not None:
        lead = unanswered.asked(about.message, about.client_name, now=now, tz=tz, hours=hours)
        text = f"{lead}{ignored} Who answers?{unanswered.details(about.message)}"
        hint = unanswered.CHANNEL_HINT
    else:
        lead = describe(about, now=now, tz=tz, today=today, hours=hours)
        text = f"{lead}{ignored} Who takes it?"
        hint = "React :raising_hand: or press *Take it* to become the owner."
    return Message(text=_plain(_first_line(text)), blocks=[section(text), _buttons(channel_about), context(hint)])


def handed_over_dm(client_name: str, by: str, entries: list[Entry], *, tz: str | None, today: date) -> Message:
    """To the new owner: who handed the client over, and the last five entries of its timeline."""
    lines = [timeline_line(entry, tz=tz, today=today) for entry in entries] or ["No contacts yet."]
    text = f"{mention(by)} handed *{client_name}* over to you. The latest:\n" + "\n".join(lines)
    return Message(text=f"{client_name} is yours now", blocks=[section(text)])


def timeline_line(entry: Entry, *, tz: str | None, today: date) -> str:
    """A contact or an event, as one line."""
    when = day_of(entry.at, tz, today=today)
    if entry.contact is not None:
        c = entry.contact
        link = f" (<{c.permalink}|link>)" if c.permalink else ""
        return f"• {when}, {mention(c.user_id)}: “{one_line(c.note, 150)}”{link}"
    assert entry.event is not None
    event = entry.event
    return f"• {when}, {event_text(event.kind, event.actor_id, event.data, today=today, promise_id=event.promise_id)}"


def event_text(kind: str, actor: str | None, data: dict, *, today: date, promise_id: int | None = None) -> str:
    """An event of the timeline in words (a snooze is not a contact, and says so); `promise_id`: the event's promise."""
    who = mention(actor)
    until = day(date.fromisoformat(data["until"][:10]), today=today) if "until" in data else ""
    if kind == Kind.SNOOZED:
        return f"{who} snoozed the quiet-client nudge until {until} (no contact logged)"
    if kind == Kind.PROMISE_SNOOZED:
        return f"{who} snoozed a slipped promise until {until}"
    if kind == Kind.HANDED_OVER:
        return f"{who} handed {'a promise' if promise_id is not None else 'the client'} to {mention(data.get('owner'))}"
    if kind == Kind.NO_ANSWER:
        side = "the client" if data.get("side") == Side.CLIENT else "the team"
        who = str(data["email"]) if data.get("email") else who  # someone outside Slack, invited by address
        return f"no answer from {who} ({side}) to the survey on *{data.get('project', '')}*: silence is a signal too"
    if kind == Kind.MESSAGE_SNOOZED:
        return unanswered.snoozed_event(who, data, today=today)
    sponsor_event = sponsors.event_text(kind, who, data, today=today)
    if sponsor_event is not None:
        return sponsor_event
    if kind == Kind.PROMISE_MOVED:
        old, new = date.fromisoformat(data["old"]), date.fromisoformat(data["new"])
        return f"{who} moved a promise from {day(old, today=today)} to {day(new, today=today)}"
    return f"{who}: {kind}"


def _first_line(text: str) -> str:
    """What a notification says: the main line, without a message's link and quoted text."""
    return text.split("\n", 1)[0]


def _plain(text: str) -> str:
    """Notification text without emoji codes."""
    return " ".join(word for word in text.split() if not (word.startswith(":") and word.endswith(":")))
