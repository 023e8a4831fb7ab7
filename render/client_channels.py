"""Replies to `/client channel` and `/client reply`, and what `/client show` says of them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from domain.channels import BACKFILL, TEXT_KEPT
from domain.reply_time import Unit, reply_time_of
from render.blocks import Message, simple
from render.formats import channel, mention, moment, one_line, plural
from storage.models import ChannelMessage, ClientChannel

NOTHING_CHANGED = "Nothing was changed."
INVITE = "`/invite @rapport`"
SHOWN = 20  # channels named in /client show's facts


def reply_time_text(stored: str | None) -> str:
    """`1 working day (default)`, `4 working hours`, `2 working days`, or `off`."""
    reply = reply_time_of(stored)
    if reply is None:
        return "off"
    unit = "working hour" if reply.unit is Unit.HOURS else "working day"
    return plural(reply.amount, unit) + (" (default)" if stored is None else "")


def _what_is_kept(keep_text: bool) -> str:
    if keep_text:
        return (
            f"I keep who wrote, when, a link to each message and its first {TEXT_KEPT} characters "
            "(`text off` stops that and erases them)."
        )
    return (
        f"I keep who wrote, when and a link to each message, never the text (`text on` keeps the first {TEXT_KEPT} "
        "characters)."
    )


def _first(client_name: str, first: bool) -> str:
    return f" Survey invitations for *{client_name}* go there when a DM is impossible." if first else ""


def channel_joined(client_name: str, channel_id: str, *, keep_text: bool, first: bool) -> Message:
    """A public channel linked, joined, and its history being read."""
    return simple(
        f"Linked {channel(channel_id)} to *{client_name}*: I joined it and am reading its last {BACKFILL.days} days. "
        f"The team's messages there count as contacts; the client's wait for our answer."
        f"{_first(client_name, first)}\n{_what_is_kept(keep_text)}"
    )


def channel_needs_invitation(client_name: str, channel_id: str, *, keep_text: bool, first: bool) -> Message:
    """A private channel linked: rapport can only read it once invited."""
    return simple(
        f"Linked {channel(channel_id)} to *{client_name}*. It is private, so I can't join it myself: please invite "
        f"me there ({INVITE} in the channel) and I will read its last {BACKFILL.days} days. Until then "
        f"`/client show` lists it as waiting for an invitation.{_first(client_name, first)}\n"
        f"{_what_is_kept(keep_text)}"
    )


def channel_join_failed(client_name: str, channel_id: str, *, keep_text: bool, first: bool) -> Message:
    """Linked, but Slack did not let rapport join just now (the sweep tries again)."""
    return simple(
        f"Linked {channel(channel_id)} to *{client_name}*, but I could not join it just now: I will try again in a "
        f"few minutes (or invite me there: {INVITE}).{_first(client_name, first)}\n"
        f"{_what_is_kept(keep_text)}"
    )


def channel_unchanged(client_name: str, link: ClientChannel) -> Message:
    """The channel was the client's already, as asked."""
    kept = "keeps text" if link.keep_text else "keeps no text"
    if link.joined:
        waiting = ""
    elif link.join_tried_at is None:  # never tried, or Slack failed: the sweep joins it
        waiting = " I have not joined it yet: I will within a few minutes."
    else:
        waiting = f" I am still waiting for an invitation there ({INVITE})."
    return simple(
        f"{channel(link.channel_id)} is already linked to *{client_name}* and {kept}. {NOTHING_CHANGED}{waiting}"
    )


def channel_text_set(client_name: str, link: ClientChannel) -> Message:
    """`text on` or `text off` changed what a linked channel keeps."""
    if link.keep_text:
        return simple(
            f"{channel(link.channel_id)} now keeps text: the first {TEXT_KEPT} characters of each new message "
            f"there are kept with *{client_name}*'s contacts."
        )
    return simple(
        f"{channel(link.channel_id)} no longer keeps text: the text kept from it so far is erased, and I keep only "
        "who wrote, when and a link."
    )


def channels_unlinked(client_name: str, unlinked: Sequence[str], channel_id: str | None) -> Message:
    """`channel <client> off [#channel]`."""
    if not unlinked and channel_id:
        return simple(f"{channel(channel_id)} is not linked to *{client_name}*. {NOTHING_CHANGED}")
    if not unlinked:
        return simple(f"*{client_name}* has no linked channels. {NOTHING_CHANGED}")
    names = ", ".join(channel(c) for c in unlinked)
    return simple(
        f"Unlinked {names} from *{client_name}*: I no longer read {'it' if len(unlinked) == 1 else 'them'}, "
        "and any text kept from there is erased."
    )


def reply_time_set(client_name: str, stored: str, previous: str | None, waiting: int) -> Message:
    """`reply <client> 4h|2d|off`."""
    if previous == stored:
        return simple(f"*{client_name}*'s reply time is already {reply_time_text(stored)}. {NOTHING_CHANGED}")
    if reply_time_of(stored) is None:
        text = f"*{client_name}* has no reply time now: its messages never wait for an answer, and nobody is nudged."
    else:
        text = (
            f"*{client_name}*'s reply time is now {reply_time_text(stored)}: a message from the client that long "
            "without our answer nudges its owner."
        )
    if waiting and reply_time_of(stored) is not None:
        text += f" It applies to the {plural(waiting, 'message')} already waiting too."
    return simple(text)


def channel_facts(links: Sequence[ClientChannel]) -> list[str]:
    """`/client show`'s line on the client's channels (none when it has none)."""
    return ["*Channels:* " + _some([_link_text(link) for link in links])] if links else []


def reply_time_fact(reply_time: str | None) -> str:
    """`/client show`'s line on the client's reply time."""
    return f"*Reply time:* {reply_time_text(reply_time)}"


def _some(items: list[str]) -> str:
    """The first SHOWN items, and how many more: the facts stay short whatever a client has."""
    more = f" and {len(items) - SHOWN} more" if len(items) > SHOWN else ""
    return ", ".join(items[:SHOWN]) + more


def _link_text(link: ClientChannel) -> str:
    notes = [
        note for note, on in (("waiting for an invitation", not link.joined), ("keeps text", link.keep_text)) if on
    ]
    return channel(link.channel_id) + (f" ({', '.join(notes)})" if notes else "")


def waiting_line(message: ChannelMessage, tz: str | None, today: date) -> str:
    """A client's message still waiting for our answer: who, where, when, the text kept, the link."""
    when = moment(message.at, tz, today=today)
    link = f" <{message.permalink}|(message)>" if message.permalink else ""
    text = f": “{one_line(message.text, 200)}”" if message.text else ""
    return f"• {mention(message.user_id)} in {channel(message.channel_id)}, {when}{text}{link}"
