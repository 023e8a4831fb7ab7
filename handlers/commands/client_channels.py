"""`/client channel` and `/client reply`: the client's channels and its reply time (its people: client_people.py).

Slack is called after the commit: joining a newly linked channel decides the reply (joined, or invite rapport to
a private one), and reading its history follows the reply.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session, sessionmaker

from domain.channel_links import link_channel_or_raise, unlink_channels
from domain.errors import RapportError
from domain.names import find_client_or_raise
from domain.people import profile
from domain.reply_settings import set_reply_time
from domain.workspace import hours_of_person
from handlers.commands.invocation import Invocation
from handlers.commands.parsed import Command, LinkChannel, SetReplyTime, UnlinkChannel
from render import client_channels as replies
from render.blocks import Message
from services.channel_history import Joined, backfill, connect
from services.failures import SLACK_FAILURES
from storage.db import read_only
from storage.models import Client

log = logging.getLogger(__name__)

JOINING = {
    Joined.JOINED: replies.channel_joined,
    Joined.INVITE: replies.channel_needs_invitation,
    Joined.FAILED: replies.channel_join_failed,
}


def link_channel(cmd: LinkChannel, call: Invocation) -> Message:
    """`channel <client> #channel [text on|off]`: a new link is joined (and its history read) after the commit."""
    client = find_client_or_raise(call.session, team_id=call.team_id, query=cmd.client)
    linked = link_channel_or_raise(call.session, client=client, channel_id=cmd.channel_id, by=call.user_id,
                                   now=call.now, keep_text=cmd.keep_text)  # fmt: skip
    if linked.text_changed and not linked.created:
        return replies.channel_text_set(client.name, linked.link)
    if not linked.created:
        return replies.channel_unchanged(client.name, linked.link)
    name, channel_id, keep_text = client.name, cmd.channel_id, linked.link.keep_text
    first = client.channel_id == channel_id  # the survey channel

    def join() -> Message:
        call.links.forget(call.team_id, channel_id)
        joined = connect(call.slack, call.sessions, now=call.now, team_id=call.team_id, channel_id=channel_id)
        if joined is Joined.JOINED:  # its history is read once the reply is out
            call.after_commit.append(
                lambda: backfill(call.slack, call.sessions, now=call.now, team_id=call.team_id, channel_id=channel_id)
            )
        return JOINING[joined](name, channel_id, keep_text=keep_text, first=first)

    call.reply_after_commit = join  # its reply replaces this one
    return replies.channel_join_failed(name, channel_id, keep_text=keep_text, first=first)


def unlink_channel(cmd: UnlinkChannel, call: Invocation) -> Message:
    """`channel <client> off [#channel]`: rapport reads them no more (it stays a member; anyone may remove it)."""
    client = find_client_or_raise(call.session, team_id=call.team_id, query=cmd.client)
    unlinked = unlink_channels(call.session, client=client, channel_id=cmd.channel_id, now=call.now)
    call.after_commit.append(lambda: _forget(call, unlinked))
    return replies.channels_unlinked(client.name, unlinked, cmd.channel_id)


def _forget(call: Invocation, channel_ids: list[str]) -> None:
    """Events from these channels are looked up again in the database (not linked any more)."""
    for channel_id in channel_ids:
        call.links.forget(call.team_id, channel_id)


def set_reply(cmd: SetReplyTime, call: Invocation) -> Message:
    """`reply <client> 4h|2d|off`: messages waiting are due anew, in the owner's working hours."""
    client = find_client_or_raise(call.session, team_id=call.team_id, query=cmd.client)
    hours = hours_of_person(call.session, team_id=call.team_id, user_id=client.owner_id)
    done = set_reply_time(call.session, client=client, stored=cmd.reply_time, hours=hours, tz=_owner_tz(call, client),
                          now=call.now)  # fmt: skip
    return replies.reply_time_set(client.name, cmd.reply_time, done.previous, done.waiting)


def _owner_tz(call: Invocation, client: Client) -> str | None:
    """The owner's time zone (looked up before the transaction); UTC when Slack could not tell."""
    if client.owner_id is None:
        return None
    try:
        found = profile(call.session, team_id=call.team_id, user_id=client.owner_id, now=call.now, lookup=call.lookup)
    except (*SLACK_FAILURES, LookupError):  # Slack failed, or the owner changed since they were looked up
        log.warning("no time zone for the owner of client %s; reply times count in UTC", client.id, exc_info=True)
        return None
    return found.tz if found else None


def people_before(command: Command, sessions: sessionmaker[Session], *, team_id: str) -> list[str]:
    """People to look up before the transaction that only the database names: the owner, for `reply`."""
    if not isinstance(command, SetReplyTime):
        return []
    with read_only(sessions) as session:
        try:
            client = find_client_or_raise(session, team_id=team_id, query=command.client)
        except RapportError:  # the transaction finds out again, and says so
            return []
        return [client.owner_id] if client.owner_id else []
