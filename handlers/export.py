"""`/client export`: the CSV goes to the requester's DM as a file (files.uploadV2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.story import export_contacts
from render import replies
from render.blocks import Message
from render.export import contacts_csv
from storage.models import Client

if TYPE_CHECKING:
    from handlers.commands.client import Invocation


def send_export(call: Invocation, client: Client | None) -> Message:
    """Upload the workspace's (or one client's) contacts to the requester's DM."""
    rows = export_contacts(call.session, team_id=call.team_id, client_id=client.id if client else None)
    content, count = contacts_csv(rows)
    if count == 0:
        return replies.export_empty(client)
    dm = call.slack.conversations_open(users=call.user_id)["channel"]["id"]
    stamp = call.now.strftime("%Y-%m-%d")
    slug = "".join(ch if ch.isalnum() else "-" for ch in client.name.lower()) if client else "all"
    call.slack.files_upload_v2(
        channel=dm,
        filename=f"rapport-contacts-{slug}-{stamp}.csv",
        title=f"rapport contacts {stamp}",
        content=content,
        initial_comment=replies.export_ready(count, client).to_dict()["text"],
    )
    return replies.export_sent_to_dm(count, client)
