"""`/client sponsor <client> @someone every <N>d|<N>w` and `/client sponsor <client> off`."""

from __future__ import annotations

from domain.names import find_client_or_raise
from domain.sponsors import Change, remove_sponsor, set_sponsor
from handlers.commands.invocation import Invocation
from handlers.commands.parsed import SetSponsor
from render import sponsors as render_sponsors
from render.blocks import Message


def sponsor(cmd: SetSponsor, call: Invocation) -> Message:
    """Name the client's sponsor (a teammate: no bot, no deactivated account), or remove them."""
    client = find_client_or_raise(call.session, team_id=call.team_id, query=cmd.client)
    if cmd.user_id is None:
        return render_sponsors.sponsor_removed(remove_sponsor(call.session, client=client, by=call.user_id,
                                                              now=call.now))  # fmt: skip
    assert cmd.cadence_days is not None  # the grammar gives both or neither
    call.teammate(cmd.user_id)
    done = set_sponsor(call.session, client=client, user_id=cmd.user_id, cadence_days=cmd.cadence_days,
                       by=call.user_id, now=call.now)  # fmt: skip
    if done.change in (Change.NAMED, Change.REPLACED) and cmd.user_id != call.user_id:
        with call.speaking_to(cmd.user_id):  # the sponsor reads it, in their language
            note = render_sponsors.named_dm(client.name, call.user_id, cmd.cadence_days)
        sponsor_id = cmd.user_id
        call.after_commit.append(lambda: call.slack.chat_postMessage(channel=sponsor_id, **note.to_dict()))
    reader = call.reader()
    own = done.sponsor.last_contact_at if done.sponsor is not None else None
    return render_sponsors.sponsor_set(done, own_last_at=own, tz=reader.tz, today=reader.today)
