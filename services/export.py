"""`/client export`: the CSV goes to the requester's DM as a file (files.uploadV2), after the transaction."""

from __future__ import annotations

from datetime import datetime

from slack_sdk import WebClient

from render import replies
from render.blocks import Message


def upload_export(
    slack: WebClient, *, user_id: str, content: str, count: int, client_name: str | None, now: datetime
) -> Message:
    """Upload the contacts (already read and rendered as CSV) to the requester's DM; the reply says so."""
    dm = slack.conversations_open(users=user_id)["channel"]["id"]
    stamp = now.strftime("%Y-%m-%d")
    slug = "".join(ch if ch.isalnum() else "-" for ch in client_name.lower()) if client_name else "all"
    slack.files_upload_v2(
        channel=dm,
        filename=f"rapport-contacts-{slug}-{stamp}.csv",
        title=f"rapport contacts {stamp}",
        content=content,
        initial_comment=replies.export_ready(count, client_name).to_dict()["text"],
    )
    return replies.export_sent_to_dm(count, client_name)
