"""`/client config digest …` (who gets the weekly digest, and when) and `/client digest` (this week's, at once).

Anyone in the workspace may ask for the digest, as anyone may list the clients: it shows team-wide data the
workspace already shares, and is sent to the asker's own DM.
"""

from __future__ import annotations

from domain.commands import ConfigSetting
from domain.digests import set_digest, stop_digest
from domain.workspace import get_settings
from handlers.commands.invocation import Invocation
from handlers.commands.parsed import ConfigDigest, SendDigest
from render import workspace_config
from render.blocks import Message
from render.digest import digest_on_its_way
from services.digests import send_now


def config_digest(cmd: ConfigDigest, call: Invocation) -> Message:
    """Set (or stop) the digest; each recipient must be a teammate, or nothing is written."""
    for user_id in cmd.recipients:
        call.teammate(user_id)
    if cmd.recipients:
        schedule = set_digest(
            call.session, team_id=call.team_id, recipients=cmd.recipients, weekday=cmd.weekday, minute=cmd.minute,
            by=call.user_id, now=call.now,
        )  # fmt: skip
    else:
        schedule = stop_digest(call.session, team_id=call.team_id)
    settings = get_settings(call.session, team_id=call.team_id)
    return workspace_config.config_shown(settings, changed=ConfigSetting.DIGEST, digest=schedule)


def send_digest(cmd: SendDigest, call: Invocation) -> Message:
    """This week's digest to the asker's DM, built and posted once the (empty) transaction is over."""
    tz, sessions, slack = call.reader().tz, call.sessions, call.slack
    team_id, user_id, now = call.team_id, call.user_id, call.now
    call.reply_after_commit = lambda: send_now(sessions, slack, team_id=team_id, user_id=user_id, tz=tz, now=now)
    return digest_on_its_way()
