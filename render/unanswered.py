"""The words of a nudge about a client's message nobody answered: who asked where, how long ago in working time,
a link to the message and what it said (when its channel keeps text), and what became of it."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from slack_sdk.models.blocks import ButtonElement

from domain.hours import WorkingHours, working_minutes_between
from domain.nudge_answers import Action
from domain.nudges import ClosingReason, WaitingMessage
from render.formats import channel, day, mention, moment, one_line
from render.i18n import N_, _, n_, p_
from render.ids import ActionId

REACT_HINT = N_("React :white_check_mark: answered · :zzz: snooze (asked again in a working day)")
CHANNEL_HINT = N_("Answer in the client's channel, then react :white_check_mark: answered · :zzz: snooze a working day")
QUOTED_MAX = 200  # characters of the kept text shown (all that is kept)
# A person named in the client's text: quoted, it must not notify them (groups and @here are render.blocks').
PERSON = re.compile(r"<@[UW][A-Z0-9]+(?:\|@?([^<>]*))?>")


def waited(minutes: int, hours: WorkingHours) -> str:
    """Working time, readable: under an hour; whole working hours within a working day; else whole working days.

    A day is the workspace's working day (09:00-17:00 is eight hours): a reply time of `1d` reads "1 working day".
    """
    if minutes < 60:
        return _("less than a working hour")
    length = _minutes(hours.end) - _minutes(hours.start)
    if minutes < length:
        return n_("{count} working hour", "{count} working hours", minutes // 60)
    return n_("{count} working day", "{count} working days", minutes // length)


def _minutes(at: time) -> int:
    return at.hour * 60 + at.minute


def asked(message: WaitingMessage, client_name: str, *, now: datetime, tz: str | None, hours: WorkingHours) -> str:
    """The nudge's main line: who asked where, and how long ago in the reader's working time."""
    ago = waited(working_minutes_between(hours, message.at, now, tz), hours)
    return _(
        ":speech_balloon: {asker} (*{client}*) asked in {where} {ago} ago and nobody answered.",
        asker=_asker(message), client=client_name, where=channel(message.channel_id), ago=ago,
    )  # fmt: skip


def details(message: WaitingMessage) -> str:
    """A link to the message and, when its channel keeps text, that text quoted on one line."""
    lines = [_("<{link}|View message>", link=message.permalink)] if message.permalink else []
    if message.text:
        lines.append(f"> {quoted(message.text)}")
    return "".join(f"\n{line}" for line in lines)


def quoted(text: str) -> str:
    """The client's own words on one line; people named in them read as names (or "@someone") and are not notified."""
    return one_line(PERSON.sub(lambda m: "@" + (m.group(1) or _("someone")), text), QUOTED_MAX)


def short(message: WaitingMessage | None, client_name: str) -> str:
    """One line naming the message (an answered nudge, a reminder)."""
    if message is None:
        return _("*{client}*: a message", client=client_name)
    asker, where = _asker(message), channel(message.channel_id)
    if message.permalink:
        return _("*{client}*: {asker} asked in {where} (<{link}|view>)", client=client_name, asker=asker, where=where,
                 link=message.permalink)  # fmt: skip
    return _("*{client}*: {asker} asked in {where}", client=client_name, asker=asker, where=where)


def _asker(message: WaitingMessage) -> str:
    return mention(message.user_id) if message.user_id else p_("from", "Someone")


def buttons(nudge_id: int) -> list[ButtonElement]:
    """Answered and Snooze, for the recipient's DM and the team channel alike."""
    value = str(nudge_id)
    return [
        ButtonElement(text=p_("button", "Answered"), action_id=ActionId.NUDGE_ANSWERED, value=value, style="primary"),
        ButtonElement(text=p_("button", "Snooze"), action_id=ActionId.NUDGE_SNOOZE_DAY, value=value),
    ]


def outcome(action: Action, actor: str, *, until: datetime | None, tz: str | None, today: date) -> str:
    """What an answer to the nudge did, and who gave it."""
    who = mention(actor)
    if action == Action.SNOOZE and until is not None:
        return _(":zzz: {who} snoozed it until {until}.", who=who, until=moment(until, tz, today=today))
    if action in (Action.DONE, Action.LOGGED):
        return _(":white_check_mark: {who} marked it answered.", who=who)
    return _("{who} answered it.", who=who)


def closed(reason: str | None, by: str | None) -> str:
    """Why the sweep (or an answer that came too late) closed the nudge."""
    if reason == ClosingReason.ANSWERED:
        return _(":white_check_mark: Answered by {who}.", who=mention(by)) if by else _(":white_check_mark: Answered.")
    if reason == ClosingReason.DELETED:
        return _("The message was deleted, or its channel unlinked: nothing to answer.")
    return _("Its reply deadline changed: no longer needed.")


def reminder(message: WaitingMessage | None, client_name: str) -> str:
    """The one reminder, in the nudge's thread."""
    who = _asker(message) if message else p_("from", "The client")
    return _(
        ":bell: {who} (*{client}*) is still waiting for an answer. Answer above with a button or a reaction.",
        who=who, client=client_name,
    )  # fmt: skip


def snoozed_event(who: str, data: dict, *, today: date) -> str:
    """A snoozed message on the client's timeline (it was not answered)."""
    until = day(date.fromisoformat(data["until"][:10]), today=today) if "until" in data else ""
    asker = mention(data["user"]) if data.get("user") else p_("from", "someone")
    return _("{who} snoozed the nudge about a message from {asker} in {where} until {until}", who=who, asker=asker,
             where=channel(data.get("channel")), until=until)  # fmt: skip
