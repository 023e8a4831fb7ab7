"""Every modal and message stays inside Slack's limits, even with long names and texts (slack_sdk validates)."""

from __future__ import annotations

from slack_sdk.models.views import View

from domain.surveys import Question, Reached, Via
from render import surveys
from render.views import log_contact_modal, nudge_contact_modal

LONG = "x" * 5000
QUESTIONS = [Question(f"k{n}", "L" * 300, "Q" * 3000, "T" * 3000) for n in range(5)]


def _check(view: View) -> dict:
    rendered = view.to_dict()  # raises SlackObjectFormationError past a limit
    assert len(rendered["title"]["text"]) <= 24
    assert len(rendered["blocks"]) <= 100
    return rendered


def test_modals_stay_inside_slacks_limits() -> None:
    _check(log_contact_modal(message_text=LONG, author="UBOB", channel_id="C1", metadata="{}"))
    _check(nudge_contact_modal("{}"))
    _check(surveys.answer_modal(QUESTIONS, side="client", project=LONG, client_name=LONG, requester_id="U1",
                                metadata="{}"))  # fmt: skip
    _check(surveys.fix_modal(label=LONG, requester_id="U1", metadata="{}"))
    _check(surveys.dismiss_modal(label=LONG, metadata="{}"))
    _check(surveys.thanks_view(LONG[:2000]))


def test_invitation_and_started_messages_validate() -> None:
    messages = [
        surveys.invitation(survey_id=1, project=LONG, client_name=LONG, requester_id="U1", side="team"),
        surveys.survey_started(
            survey_id=1,
            project=LONG,
            client_name=LONG,
            reached=[Reached("U1", Via.DM)] * 200,
            unreached=["U2"] * 200,
            created=True,
        ),
    ]
    for message in messages:
        rendered = message.to_dict()  # raises past a limit
        assert len(rendered["text"]) <= 3000
        assert all(len(b["text"]["text"]) <= 3000 for b in rendered["blocks"] if b["type"] == "section")
