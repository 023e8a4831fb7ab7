"""Replies to `/client channel` and `/client reply`, and what `/client show` says of them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from domain.channels import BACKFILL, TEXT_KEPT
from domain.reply_time import Unit, reply_time_of
from render.blocks import Message, simple
from render.formats import channel, mention, moment, one_line
from render.i18n import N_, _, n_, p_
from storage.models import ChannelMessage, ClientChannel

NOTHING_CHANGED = N_("Nothing was changed.")
SHOWN = 20  # channels named in /client show's facts


def quoted(text: str) -> str:
    """What someone wrote, in the reader's quotation marks: “…”, „…”, «…»."""
    # Translators: quotation marks around what someone wrote (a note, a message, a promise).
    return _("“{text}”", text=text)


def reply_time_text(stored: str | None) -> str:
    """`1 working day (default)`, `4 working hours`, `2 working days`, or `off`."""
    reply = reply_time_of(stored)
    if reply is None:
        return p_("reply time", "off")
    if reply.unit is Unit.HOURS:
        amount = n_("{count} working hour", "{count} working hours", reply.amount)
    else:
        amount = n_("{count} working day", "{count} working days", reply.amount)
    return _("{reply_time} (default)", reply_time=amount) if stored is None else amount


def _what_is_kept(keep_text: bool) -> str:
    if keep_text:
        return n_(
            "I keep who wrote, when, a link to each message and its first {count} character "
            "(`text off` stops that and erases them).",
            "I keep who wrote, when, a link to each message and its first {count} characters "
            "(`text off` stops that and erases them).",
            TEXT_KEPT,
        )
    return n_(
        "I keep who wrote, when and a link to each message, never the text (`text on` keeps the first {count} "
        "character).",
        "I keep who wrote, when and a link to each message, never the text (`text on` keeps the first {count} "
        "characters).",
        TEXT_KEPT,
    )


def _first(client_name: str, first: bool) -> str:
    if not first:
        return ""
    return " " + _("Survey invitations for *{client}* go there when a DM is impossible.", client=client_name)


def channel_joined(client_name: str, channel_id: str, *, keep_text: bool, first: bool) -> Message:
    """A public channel linked, joined, and its history being read."""
    linked = n_(
        "Linked {channel} to *{client}*: I joined it and am reading its last {count} day. "
        "The team's messages there count as contacts; the client's wait for our answer.",
        "Linked {channel} to *{client}*: I joined it and am reading its last {count} days. "
        "The team's messages there count as contacts; the client's wait for our answer.",
        BACKFILL.days,
        channel=channel(channel_id),
        client=client_name,
    )
    return simple(f"{linked}{_first(client_name, first)}\n{_what_is_kept(keep_text)}")


def channel_needs_invitation(client_name: str, channel_id: str, *, keep_text: bool, first: bool) -> Message:
    """A private channel linked: rapport can only read it once invited."""
    linked = n_(
        "Linked {channel} to *{client}*. It is private, so I can't join it myself: please invite me there "
        "(`/invite @rapport` in the channel) and I will read its last {count} day. Until then `/client show` lists "
        "it as waiting for an invitation.",
        "Linked {channel} to *{client}*. It is private, so I can't join it myself: please invite me there "
        "(`/invite @rapport` in the channel) and I will read its last {count} days. Until then `/client show` lists "
        "it as waiting for an invitation.",
        BACKFILL.days,
        channel=channel(channel_id),
        client=client_name,
    )
    return simple(f"{linked}{_first(client_name, first)}\n{_what_is_kept(keep_text)}")


def channel_join_failed(client_name: str, channel_id: str, *, keep_text: bool, first: bool) -> Message:
    """Linked, but Slack did not let rapport join just now (the sweep tries again)."""
    linked = _(
        "Linked {channel} to *{client}*, but I could not join it just now: I will try again in a few minutes "
        "(or invite me there: `/invite @rapport`).",
        channel=channel(channel_id),
        client=client_name,
    )
    return simple(f"{linked}{_first(client_name, first)}\n{_what_is_kept(keep_text)}")


def channel_unchanged(client_name: str, link: ClientChannel) -> Message:
    """The channel was the client's already, as asked."""
    values = {"channel": channel(link.channel_id), "client": client_name}
    if link.keep_text:
        text = _("{channel} is already linked to *{client}* and keeps text.", **values)
    else:
        text = _("{channel} is already linked to *{client}* and keeps no text.", **values)
    text += " " + _(NOTHING_CHANGED)
    if link.joined:
        return simple(text)
    if link.join_tried_at is None:  # never tried, or Slack failed: the sweep joins it
        return simple(text + " " + _("I have not joined it yet: I will within a few minutes."))
    return simple(text + " " + _("I am still waiting for an invitation there (`/invite @rapport`)."))


def channel_text_set(client_name: str, link: ClientChannel) -> Message:
    """`text on` or `text off` changed what a linked channel keeps."""
    if link.keep_text:
        return simple(
            n_(
                "{channel} now keeps text: the first {count} character of each new message there is kept with "
                "*{client}*'s contacts.",
                "{channel} now keeps text: the first {count} characters of each new message there are kept with "
                "*{client}*'s contacts.",
                TEXT_KEPT,
                channel=channel(link.channel_id),
                client=client_name,
            )
        )
    return simple(
        _(
            "{channel} no longer keeps text: the text kept from it so far is erased, and I keep only who wrote, when "
            "and a link.",
            channel=channel(link.channel_id),
        )
    )


def channels_unlinked(client_name: str, unlinked: Sequence[str], channel_id: str | None) -> Message:
    """`channel <client> off [#channel]`."""
    if not unlinked and channel_id:
        text = _("{channel} is not linked to *{client}*.", channel=channel(channel_id), client=client_name)
        return simple(f"{text} {_(NOTHING_CHANGED)}")
    if not unlinked:
        return simple(_("*{client}* has no linked channels.", client=client_name) + " " + _(NOTHING_CHANGED))
    names = ", ".join(channel(c) for c in unlinked)
    return simple(
        n_(
            "Unlinked {channels} from *{client}*: I no longer read it, and any text kept from there is erased.",
            "Unlinked {channels} from *{client}*: I no longer read them, and any text kept from there is erased.",
            len(unlinked),
            channels=names,
            client=client_name,
        )
    )


def reply_time_set(client_name: str, stored: str, previous: str | None, waiting: int) -> Message:
    """`reply <client> 4h|2d|off`."""
    if previous == stored:
        text = _(
            "*{client}*'s reply time is already {reply_time}.", client=client_name, reply_time=reply_time_text(stored)
        )
        return simple(f"{text} {_(NOTHING_CHANGED)}")
    if reply_time_of(stored) is None:
        text = _(
            "*{client}* has no reply time now: its messages never wait for an answer, and nobody is nudged.",
            client=client_name,
        )
    else:
        text = _(
            "*{client}*'s reply time is now {reply_time}: a message from the client that long without our answer "
            "nudges its owner.",
            client=client_name,
            reply_time=reply_time_text(stored),
        )
    if waiting and reply_time_of(stored) is not None:
        text += " " + n_(
            "It applies to the {count} message already waiting too.",
            "It applies to the {count} messages already waiting too.",
            waiting,
        )
    return simple(text)


def channel_facts(links: Sequence[ClientChannel]) -> list[str]:
    """`/client show`'s line on the client's channels (none when it has none)."""
    return [_("*Channels:* {channels}", channels=_some([_link_text(link) for link in links]))] if links else []


def reply_time_fact(reply_time: str | None) -> str:
    """`/client show`'s line on the client's reply time."""
    return _("*Reply time:* {reply_time}", reply_time=reply_time_text(reply_time))


def _some(items: list[str]) -> str:
    """The first SHOWN items, and how many more: the facts stay short whatever a client has."""
    shown = ", ".join(items[:SHOWN])
    if len(items) <= SHOWN:
        return shown
    more = len(items) - SHOWN
    return n_("{items} and {count} more", "{items} and {count} more", more, items=shown)


def _link_text(link: ClientChannel) -> str:
    notes = [
        note
        for note, on in ((_("waiting for an invitation"), not link.joined), (_("keeps text"), link.keep_text))
        if on
    ]
    return channel(link.channel_id) + (f" ({', '.join(notes)})" if notes else "")


def waiting_line(message: ChannelMessage, tz: str | None, today: date) -> str:
    """A client's message still waiting for our answer: who, where, when, the text kept, the link."""
    when = moment(message.at, tz, today=today)
    label = _("(message)")
    link = f" <{message.permalink}|{label}>" if message.permalink else ""
    text = f": {quoted(one_line(message.text, 200))}" if message.text else ""
    where = _(
        "{who} in {channel}, {when}", who=mention(message.user_id), channel=channel(message.channel_id), when=when
    )
    return f"• {where}{text}{link}"
