"""`/client export`: the ZIP of CSV files goes to the requester's DM (files.uploadV2), after the transaction."""

from __future__ import annotations

from datetime import datetime

from slack_sdk import WebClient

from render import replies
from render.blocks import Message
from render.export import History
from render.i18n import _


def upload_export(
    slack: WebClient, *, user_id: str, history: History, client_name: str | None, now: datetime
) -> Message:
    """Upload the history (already read and rendered as a ZIP) to the requester's DM; the reply says so (in the
    language in effect: the requester's)."""
    dm = slack.conversations_open(users=user_id)["channel"]["id"]
    stamp = now.strftime("%Y-%m-%d")
    slug = "".join(ch if ch.isalnum() else "-" for ch in client_name.lower()) if client_name else "all"
    slack.files_upload_v2(
        channel=dm,
        filename=f"rapport-history-{slug}-{stamp}.zip",
        title=_("rapport history {day}", day=stamp),
        file=history.content,
        initial_comment=replies.export_ready(history.counts, client_name).to_dict()["text"],
    )
    return replies.export_sent_to_dm(history.counts, client_name)
