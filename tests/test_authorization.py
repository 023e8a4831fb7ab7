"""Every button, modal and menu request is checked against the acting person's workspace and role.

Ids copied from our messages into a payload from another workspace (or from someone who did not get the
message) change nothing and reveal nothing; private_metadata and button values are never trusted for either.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fakes.slack import FakeSlack
from render.ids import ActionId, BlockId, CallbackId
from storage.models import Contact, Promise, Survey, SurveyAnswer, SurveyFix
from tests.driver import Response, SlackDriver
from tests.helpers import (
    SURVEY_START,
    Sweeps,
    answer_survey,
    commented,
    count,
    nudges,
    press,
    rated,
    react,
    survey_values,
    the_survey,
)

OTHER = "T2"
MALLORY = "UMALLORY"  # a member of another workspace


@pytest.fixture(autouse=True)
def mallory(fake_slack: FakeSlack) -> None:
    """Slack knows MALLORY, a member of another workspace."""
    fake_slack.add_user(MALLORY, team=OTHER)


def _action(slack: SlackDriver, action_id: str, value: str, *, user: str, team: str) -> Response:
    return slack.interact(
        {
            "type": "block_actions", "team": {"id": team}, "user": {"id": user, "team_id": team},
            "api_app_id": "A1", "token": "legacy", "trigger_id": f"trigger-{slack.next_id()}",
            "container": {"type": "message", "channel_id": "DX", "message_ts": "1"},
            "response_url": slack.fake.response_url(f"act{slack.next_id()}"),
            "actions": [{"action_id": action_id, "block_id": "x", "value": value, "type": "button"}],
        }
    )  # fmt: skip


def _answers(slack: SlackDriver, survey_id: int, user: str, rating: int, comment: str | None = None) -> None:
    answer_survey(slack, survey_id, user, rated(rating), commented(comment), channel="DX")


@pytest.fixture
def answered(slack: SlackDriver, session: Session, acme: None) -> Survey:
    """A survey both sides answered, with a low item: its results (and buttons) went to UALICE."""
    slack.command(SURVEY_START)
    survey = the_survey(session)
    _answers(slack, survey.id, "UBOB", 4)
    _answers(slack, survey.id, "UCLIENT", 1, "no updates at all")
    return survey


def _fix_view(survey: Survey, item: str, callback: str) -> dict[str, Any]:
    """A results modal as our app builds it, with our workspace even written into its metadata."""
    meta = json.dumps({"survey": survey.id, "team": "T1", "item": item})
    return {"type": "modal", "callback_id": callback, "private_metadata": meta, "blocks": []}


FIX_VALUES = {
    BlockId.FIX_WHAT: {ActionId.FIX_WHAT: {"type": "plain_text_input", "value": "weekly status mail"}},
    BlockId.FIX_DUE: {ActionId.FIX_DUE: {"type": "datepicker", "selected_date": "2026-12-04"}},
}
REASON_VALUES = {BlockId.REASON: {ActionId.REASON: {"type": "plain_text_input", "value": "one-off"}}}


def _everything_said(slack: SlackDriver, since: int) -> str:
    return json.dumps([c.params for c in slack.fake.calls[since:]], ensure_ascii=False)


def test_results_buttons_from_another_workspace_open_nothing(
    slack: SlackDriver, session: Session, answered: Survey
) -> None:
    before = len(slack.fake.calls)
    for action_id in (ActionId.SURVEY_PLAN_FIX, ActionId.SURVEY_NO_FIX):
        value = json.dumps({"survey": answered.id, "item": "informed"}, separators=(",", ":"))
        assert _action(slack, action_id, value, user=MALLORY, team=OTHER).status == 200
        assert "I can't find survey" in slack.fake.last_response()["text"]
    assert slack.fake.calls_to("views.open")[-1].params["view"]["callback_id"] == CallbackId.SURVEY_VIEW  # none since
    said = _everything_said(slack, before)
    assert "Website relaunch" not in said and "Acme" not in said  # nothing about the survey leaks


def test_results_modals_from_another_workspace_change_nothing(
    slack: SlackDriver, session: Session, answered: Survey
) -> None:
    updates = len(slack.fake.calls_to("chat.update"))
    before = len(slack.fake.calls)
    slack.view_submission(
        _fix_view(answered, "informed", CallbackId.SURVEY_FIX_VIEW), FIX_VALUES, user=MALLORY, team=OTHER
    )
    slack.view_submission(
        _fix_view(answered, "informed", CallbackId.SURVEY_DISMISS_VIEW), REASON_VALUES, user=MALLORY, team=OTHER
    )
    assert count(session, Promise) == 0 and count(session, SurveyFix) == 0
    assert len(slack.fake.calls_to("chat.update")) == updates  # no summary DM edited
    assert "Website relaunch" not in _everything_said(slack, before)


def test_results_are_decided_by_their_recipients_or_the_clients_owner(
    slack: SlackDriver, session: Session, answered: Survey
) -> None:
    value = json.dumps({"survey": answered.id, "item": "informed"})
    _action(slack, ActionId.SURVEY_PLAN_FIX, value, user="UCAROL", team="T1")  # same workspace, never got the results
    assert "Only the people who got these results" in slack.fake.last_response()["text"]
    slack.view_submission(_fix_view(answered, "informed", CallbackId.SURVEY_FIX_VIEW), FIX_VALUES, user="UCAROL")
    assert count(session, Promise) == 0
    slack.command("owner acme <@UCAROL|carol>")  # the client's owner now may decide
    opened = len(slack.fake.calls_to("views.open"))
    _action(slack, ActionId.SURVEY_PLAN_FIX, value, user="UCAROL", team="T1")
    assert len(slack.fake.calls_to("views.open")) == opened + 1
    slack.view_submission(_fix_view(answered, "informed", CallbackId.SURVEY_FIX_VIEW), FIX_VALUES, user="UCAROL")
    assert count(session, Promise) == 1


def test_survey_answers_only_by_the_invited_who_learn_nothing_else(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    slack.command(SURVEY_START)
    survey = the_survey(session)
    for user, team in ((MALLORY, OTHER), ("UCAROL", "T1")):
        _action(slack, ActionId.SURVEY_ANSWER, str(survey.id), user=user, team=team)
        assert slack.fake.last_response()["text"] == ":warning: This survey isn't for you."
        view = {"type": "modal", "callback_id": CallbackId.SURVEY_VIEW, "private_metadata": json.dumps(
            {"survey": survey.id, "team": "T1"}), "blocks": []}  # fmt: skip
        answer = slack.view_submission(view, survey_values(rated(5), commented(None)), user=user, team=team)
        assert "This survey isn't for you." in answer.body and "<@" not in answer.body
    assert count(session, SurveyAnswer) == 0
    assert [c.params["view"]["callback_id"] for c in slack.fake.calls_to("views.open")] == []


def test_nudge_buttons_and_modals_from_another_workspace_change_nothing(
    slack: SlackDriver, session: Session, sweeps: Sweeps, acme: None
) -> None:
    sweeps.at(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    [nudge] = nudges(session)
    contacts = count(session, Contact)
    press(slack, nudge, ActionId.NUDGE_DONE, value=str(nudge.id), user=MALLORY, team=OTHER)
    assert "I can't find that nudge" in slack.fake.last_response()["text"]
    press(slack, nudge, ActionId.NUDGE_LOGGED, value=str(nudge.id), user=MALLORY, team=OTHER)
    assert slack.fake.calls_to("views.open") == []
    modal = {"type": "modal", "callback_id": CallbackId.NUDGE_CONTACT_VIEW,
             "private_metadata": json.dumps({"nudge": nudge.id}), "blocks": []}  # fmt: skip
    note = {BlockId.NOTE: {ActionId.NOTE_INPUT: {"type": "plain_text_input", "value": "hi"}}}
    slack.view_submission(modal, note, user=MALLORY, team=OTHER)
    react(slack, nudge, "white_check_mark", user=MALLORY, team=OTHER)
    assert nudges(session)[0].status == "posted" and count(session, Contact) == contacts
    assert slack.fake.calls_to("chat.update") == []


def test_client_picker_and_log_modal_from_another_workspace(slack: SlackDriver, session: Session, acme: None) -> None:
    view = {"type": "modal", "callback_id": CallbackId.LOG_CONTACT_VIEW,
            "blocks": [{"type": "input", "block_id": BlockId.CLIENT}],
            "private_metadata": json.dumps({"channel": "CX", "ts": "1789000000.000100"})}  # fmt: skip
    options = slack.options(ActionId.CLIENT_PICK, "acme", view=view, user=MALLORY, team=OTHER)
    assert options.json() == {"options": []}
    acme_id = session.scalar(select(func.min(Contact.client_id)))
    values = {
        BlockId.CLIENT: {ActionId.CLIENT_PICK: {"type": "external_select", "selected_option": {"value": str(acme_id)}}},
        BlockId.NOTE: {ActionId.NOTE_INPUT: {"type": "plain_text_input", "value": "copied id"}},
    }
    contacts = count(session, Contact)
    refused = slack.view_submission(view, values, user=MALLORY, team=OTHER)
    assert refused.json()["response_action"] == "errors" and BlockId.CLIENT in refused.json()["errors"]
    assert count(session, Contact) == contacts
