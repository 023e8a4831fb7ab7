"""`/client surveys all`: the averages' chart drawn and uploaded to the asker's DM (or, shared, to the channel),
after the transaction."""

from __future__ import annotations

import logging
from datetime import date

from slack_sdk import WebClient

from domain.survey_trends import WorkspaceTrends
from render.blocks import Message
from render.chart import survey_chart
from render.survey_trends import MEMBERS_MAX, chart_filename, chart_title, workspace_surveys
from render.surveys import question_words
from services.failures import SLACK_FAILURES, failure

log = logging.getLogger(__name__)


def send_survey_chart(
    slack: WebClient, *, user_id: str, channel_id: str | None, trends: WorkspaceTrends, today: date
) -> Message:
    """The averages as the reply; their chart in `channel_id`, else the asker's DM (if it can't, the reply says why)."""
    if not trends.items:
        return workspace_surveys(trends, shared=channel_id is not None)
    items = [(question_words(i.label), i.client, i.team) for i in trends.items]
    members = [(str(n), m.client, m.own) for n, m in enumerate(trends.members[:MEMBERS_MAX], 1)]
    png = survey_chart(items, members)
    try:
        channel = channel_id or slack.conversations_open(users=user_id)["channel"]["id"]
        slack.files_upload_v2(channel=channel, file=png, filename=chart_filename(today), title=chart_title())
    except SLACK_FAILURES as exc:
        log.warning("the survey chart for %s was not uploaded: %s", user_id, failure(exc))
        return workspace_surveys(trends, shared=channel_id is not None, chart_problem=failure(exc))
    return workspace_surveys(trends, shared=channel_id is not None)
