"""`/client surveys [client|all] [share]`: the surveys and their trends, of one client or of the whole workspace.

Anyone in the workspace may ask, as anyone may list the surveys. The answer is ephemeral and the chart goes to
the asker's own DM, unless asked with `share`: then both go to the channel the command was typed in.
"""

from __future__ import annotations

from domain.names import find_client_or_raise
from domain.survey_results import list_surveys
from domain.survey_trends import client_trends, workspace_trends
from handlers.commands.invocation import Invocation
from handlers.commands.parsed import ListSurveys
from render import surveys as render_surveys
from render.blocks import Message
from render.survey_trends import client_surveys
from services.survey_charts import send_survey_chart


def surveys(cmd: ListSurveys, call: Invocation) -> Message:
    """The workspace's latest surveys; one client's with their trends; or (`all`) the averages and their chart."""
    reader = call.reader()
    call.shared = cmd.share
    if cmd.workspace:
        averages = workspace_trends(call.session, team_id=call.team_id)
        slack, user_id, today = call.slack, call.user_id, reader.today
        channel_id = call.channel_id if cmd.share else None
        call.reply_after_commit = lambda: send_survey_chart(
            slack, user_id=user_id, channel_id=channel_id, trends=averages, today=today
        )
        return Message(text="")  # replaced by the reply after the commit
    if cmd.client is None:
        found = list_surveys(call.session, team_id=call.team_id)
        return render_surveys.survey_list(found, tz=reader.tz, today=reader.today, client_name=None)
    client = find_client_or_raise(call.session, team_id=call.team_id, query=cmd.client)
    trends = client_trends(call.session, team_id=call.team_id, client_id=client.id)
    return client_surveys(trends, client_name=client.name, tz=reader.tz, today=reader.today)
