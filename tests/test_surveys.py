"""Two-sided surveys end to end: invitations, the modal, answers once, summary with gaps, fixes that get nudged."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.settings import Settings
from fakes.slack import Call, Canned, FakeSlack
from render.ids import ActionId, BlockId, comment_block, rating_block
from storage.models import ClientEvent, Promise, Survey, SurveyAnswer, SurveyFix, SurveyParticipant
from tests.driver import SlackDriver
from tests.helpers import SURVEY_START as START
from tests.helpers import Sweeps, blocks_text, posts
from tests.helpers import answer_survey as _answer
from tests.helpers import completed_survey as _completed
from tests.helpers import count as _count
from tests.helpers import open_survey_modal as _open_modal
from tests.helpers import press_answer as _press_answer
from tests.helpers import press_fix as _press_fix
from tests.helpers import rated as _all
from tests.helpers import survey_values as _values
from tests.helpers import the_survey as _survey


def _invitation(fake: FakeSlack, user: str) -> Call:
    dm = "D" + user
    return next(c for c in posts(fake) if c.params["channel"] == dm)


def _summary_to(fake: FakeSlack, user: str) -> Call:
    found = [
        c
        for c in posts(fake)
        if c.params["channel"] == user and "Website relaunch" in blocks_text(c) + json.dumps(c.params.get("blocks"))
    ]
    assert found, f"no summary to {user}"
    return found[-1]


# starting --------------------------------------------------------------------------------------------------------


def test_start_invites_both_sides_by_dm(slack: SlackDriver, session: Session, acme: None) -> None:
    slack.command(START)
    reply = slack.fake.last_response()["text"]
    assert "Survey #" in reply and "Asked by DM: <@UBOB>, <@UCLIENT>." in reply
    survey = _survey(session)
    assert (survey.project, survey.requester_id) == ("Website relaunch", "UALICE")
    sides = {p.user_id: (p.side, p.invited_via) for p in session.scalars(select(SurveyParticipant))}
    assert sides == {"UBOB": ("team", "dm"), "UCLIENT": ("client", "dm")}
    invitation = _invitation(slack.fake, "UCLIENT")
    assert "<@UALICE> asks how *Website relaunch* for *Acme Corp* went." in blocks_text(invitation)
    assert "not whom to blame" in blocks_text(invitation)
    [button] = [e for b in invitation.params["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert (button["text"]["text"], button["action_id"]) == ("Answer (2 min)", ActionId.SURVEY_ANSWER)


def _external_cannot_be_dmed(call: Call) -> Canned:
    if call.params.get("users") == "UCLIENT":
        return Canned({"ok": False, "error": "cannot_dm_external"})
    return Canned({"ok": True, "channel": {"id": "D" + str(call.params.get("users"))}})


def test_external_person_is_invited_in_the_clients_channel(slack: SlackDriver, session: Session, acme: None) -> None:
    slack.command("channel acme <#CACME|acme-shared>")
    for _ in range(2):
        slack.fake.queue("conversations.open", _external_cannot_be_dmed)
    slack.command(START)
    assert "Asked in the client's channel: <@UCLIENT>." in slack.fake.last_response()["text"]
    in_channel = [c for c in posts(slack.fake) if c.params["channel"] == "CACME"]
    assert len(in_channel) == 1 and blocks_text(in_channel[0]).startswith("<@UCLIENT>, <@UALICE> asks")
    survey = _survey(session)
    response = _press_answer(slack, survey.id, user="UCAROL", channel="CACME")  # not invited
    assert response.status == 200
    assert slack.fake.last_response()["text"] == ":warning: This survey isn't for you."  # not even who it is for
    assert slack.fake.calls_to("views.open") == []
    _press_answer(slack, survey.id, user="UCLIENT", channel="CACME")
    assert len(slack.fake.calls_to("views.open")) == 1


def test_without_a_channel_the_requester_hears_whom_it_could_not_reach(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    for _ in range(2):
        slack.fake.queue("conversations.open", _external_cannot_be_dmed)
    slack.command(START)
    reply = slack.fake.last_response()["text"]
    assert "I could not reach <@UCLIENT>" in reply and "/client channel Acme Corp #channel" in reply


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('survey nosuch "X" team <@UBOB> client <@UCLIENT>', "I don't know a client called *nosuch*"),
        ('survey acme "X" client <@UCLIENT>', "Usage: `/client survey"),
        ('survey acme "X" team <@UBOB>', "Who answers for the client?"),
        ('survey acme "X" team <@UBOB> <@UCLIENT> client <@UCLIENT>', "can't be on both sides"),
        ('survey acme "X" team <@UROBOT> client <@UCLIENT>', "is a bot"),
        ('survey acme "X" team <@UBOB> client <@UNOBODY>', "is not someone I can find"),
        ("survey acme team <@UBOB> client <@UCLIENT>", "The project name is empty"),
    ],
)
def test_bad_survey_commands_change_nothing(
    slack: SlackDriver, session: Session, acme: None, text: str, error: str
) -> None:
    slack.fake.add_user("UROBOT", is_bot=True)
    slack.command(text)
    assert error in slack.fake.last_response()["text"]
    assert _count(session, Survey) == 0 and _count(session, SurveyParticipant) == 0
    assert slack.fake.calls_to("conversations.open") == []


# answering -------------------------------------------------------------------------------------------------------


def test_modal_has_the_same_items_worded_for_each_side(slack: SlackDriver, session: Session, acme: None) -> None:
    slack.command(START)
    survey = _survey(session)
    client_view = _open_modal(slack, survey.id, "UCLIENT")
    team_view = _open_modal(slack, survey.id, "UBOB")
    assert client_view["title"]["text"] == "How did it go?" and len(client_view["title"]["text"]) <= 24
    labels = [b["label"]["text"] for b in client_view["blocks"] if b.get("block_id", "").startswith("rate:")]
    assert labels[0] == "How well did we keep you informed?"
    team_labels = [b["label"]["text"] for b in team_view["blocks"] if b.get("block_id", "").startswith("rate:")]
    assert team_labels[0] == "How well do you think we kept the client informed?"
    radios = next(b for b in client_view["blocks"] if b.get("block_id") == rating_block("informed"))["element"]
    assert [o["value"] for o in radios["options"]] == ["1", "2", "3", "4", "5"]
    assert len(client_view["blocks"]) <= 100


def test_low_rating_without_a_comment_is_refused_on_that_comment(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    slack.command(START)
    survey = _survey(session)
    response = _answer(slack, survey.id, "UCLIENT", {**_all(4), "dates": 2})
    assert response.json()["response_action"] == "errors"
    assert set(response.json()["errors"]) == {comment_block("dates")}
    assert _count(session, SurveyAnswer) == 0
    session.expire_all()
    assert (
        session.scalars(select(SurveyParticipant).where(SurveyParticipant.user_id == "UCLIENT")).one().answered_at
        is None
    )


def test_answers_are_stored_once_and_the_invitation_says_thank_you(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    slack.command(START)
    survey = _survey(session)
    response = _answer(slack, survey.id, "UCLIENT", {**_all(4), "dates": 2}, {"dates": "the launch moved twice"})
    assert response.json()["response_action"] == "update"
    assert "Thank you" in json.dumps(response.json()["view"])
    answers = {a.item: (a.rating, a.comment) for a in session.scalars(select(SurveyAnswer))}
    assert answers["dates"] == (2, "the launch moved twice") and answers["overall"] == (4, None)
    [edited] = slack.fake.calls_to("chat.update")
    assert "Answered, thank you" in blocks_text(edited)
    again = slack.view_submission(_open_modal_unchecked(slack), _values(_all(5)), user="UCLIENT")
    assert "already answered" in json.dumps(again.json())
    session.expire_all()
    assert {a.item: a.rating for a in session.scalars(select(SurveyAnswer))}["overall"] == 4
    _press_answer(slack, survey.id, user="UCLIENT", channel="DUCLIENT")
    assert slack.fake.last_response()["text"] == "You have already answered, thank you."


def _open_modal_unchecked(slack: SlackDriver) -> dict[str, Any]:
    view: dict[str, Any] = slack.fake.calls_to("views.open")[-1].params["view"]
    return view


def test_both_sides_answered_gives_a_summary_with_gap_and_blind_spot(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    slack.command(START)
    survey = _survey(session)
    _answer(slack, survey.id, "UBOB", {**_all(4), "informed": 5})
    assert [c for c in posts(slack.fake) if c.params["channel"] == "UALICE"] == []  # not everyone yet
    _answer(slack, survey.id, "UCLIENT", {**_all(4), "informed": 2}, {"informed": "we heard about delays from others"})
    summary = blocks_text(_summary_to(slack.fake, "UALICE"))
    assert "*Keeping informed* :warning: *blind spot*" in summary
    assert "Client ●●○○○ 2.0 · Team ●●●●● 5.0 · gap +3.0" in summary
    assert "> 2 from the client (<@UCLIENT>): “we heard about delays from others”" in summary
    assert "Averages: client ●●●●○ 3.6 · team ●●●●○ 4.2" in summary
    actions = [b for b in _summary_to(slack.fake, "UALICE").params["blocks"] if b["type"] == "actions"]
    assert len(actions) == 1  # only the low / blind-spot item needs a decision
    session.expire_all()
    assert _survey(session).completed_at is not None
    slack.command("surveys")
    assert "answered" in slack.fake.last_response()["text"]
    slack.command("show acme")
    assert "*Website relaunch*" in json.dumps(slack.fake.last_response()["blocks"], ensure_ascii=False)


# fixes -----------------------------------------------------------------------------------------------------------


def test_plan_a_fix_creates_a_promise_that_the_sweep_nudges(
    slack: SlackDriver, session: Session, sweeps: Sweeps, acme: None
) -> None:
    survey = _completed(slack, session)
    view = _press_fix(slack, survey, "informed", ActionId.SURVEY_PLAN_FIX)
    owner = next(b for b in view["blocks"] if b.get("block_id") == BlockId.FIX_OWNER)
    assert owner["element"]["initial_user"] == "UALICE"
    values = {
        BlockId.FIX_WHAT: {ActionId.FIX_WHAT: {"type": "plain_text_input", "value": "weekly status mail every Friday"}},
        BlockId.FIX_OWNER: {ActionId.FIX_OWNER: {"type": "users_select", "selected_user": "UBOB"}},
        BlockId.FIX_DUE: {ActionId.FIX_DUE: {"type": "datepicker", "selected_date": "2026-11-20"}},
    }
    refused = slack.view_submission(view, values)
    assert set(refused.json()["errors"]) == {"fix_due"}
    assert _count(session, Promise) == 0
    values["fix_due"]["fix_due"]["selected_date"] = "2026-11-27"
    assert slack.view_submission(view, values).body == ""
    session.expire_all()
    promise = session.scalars(select(Promise)).one()
    assert (promise.what, promise.owner_id, promise.survey_id, promise.survey_item) == (
        "weekly status mail every Friday",
        "UBOB",
        survey.id,
        "informed",
    )
    summary_update = slack.fake.calls_to("chat.update")[-1]
    assert "Fix planned: “weekly status mail every Friday” by Fri 27 Nov, <@UBOB>" in blocks_text(summary_update)
    sweeps.at(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))  # Monday after the due date
    slip = [c for c in posts(slack.fake) if c.params["channel"] == "UBOB" and "late" in blocks_text(c)]
    assert len(slip) == 1 and "weekly status mail every Friday" in blocks_text(slip[0])


def test_fixes_planned_only_when_every_low_item_is_decided(slack: SlackDriver, session: Session, acme: None) -> None:
    survey = _completed(slack, session)
    view = _press_fix(slack, survey, "informed", ActionId.SURVEY_NO_FIX)
    empty = slack.view_submission(
        view, {BlockId.REASON: {ActionId.REASON: {"type": "plain_text_input", "value": "  "}}}
    )
    assert set(empty.json()["errors"]) == {"reason"}
    slack.view_submission(
        view, {BlockId.REASON: {ActionId.REASON: {"type": "plain_text_input", "value": "one-off: PM was ill"}}}
    )
    slack.command("surveys acme")
    assert "· answered" in slack.fake.last_response()["text"]  # "dates" still open
    view = _press_fix(slack, survey, "dates", ActionId.SURVEY_NO_FIX)
    slack.view_submission(
        view, {BlockId.REASON: {ActionId.REASON: {"type": "plain_text_input", "value": "client moved scope"}}}
    )
    slack.command("surveys acme")
    assert "· fixes planned" in slack.fake.last_response()["text"]
    assert _count(session, SurveyFix) == 2
    opened = len(slack.fake.calls_to("views.open"))
    _press_fix(slack, survey, "dates", ActionId.SURVEY_PLAN_FIX)  # the button of an item already decided
    assert len(slack.fake.calls_to("views.open")) == opened
    assert "already decided" in slack.fake.last_response()["text"]


# reminders and closing -------------------------------------------------------------------------------------------


def test_reminders_then_closing_with_the_answers_there_are(
    slack: SlackDriver, session: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch, acme: None
) -> None:
    from bot.cli import main

    slack.command(START)  # Sunday 22 Nov
    survey = _survey(session)
    _answer(slack, survey.id, "UBOB", _all(4))
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.setenv("SLACK_API_URL", settings.slack_api_url)
    monkeypatch.setenv("DATABASE_URL", settings.database_url)

    def sweep(at: str) -> None:
        assert main(["sweep", "--now", at]) == 0

    sweep("2026-11-23T10:00:00+01:00")  # Monday: first reminder
    sweep("2026-11-23T15:00:00+01:00")  # same day: nothing more
    sweep("2026-11-24T10:00:00+01:00")  # Tuesday: second reminder
    reminders = [c for c in posts(slack.fake, thread=True) if c.params["channel"] == "DUCLIENT"]
    assert len(reminders) == 2 and "Two minutes for *Website relaunch*" in blocks_text(reminders[0])
    assert _survey(session).closed_at is None
    sweep("2026-11-25T10:00:00+01:00")  # Wednesday: closed with what came in
    assert _survey(session).closed_at is not None and _survey(session).completed_at is None
    [silence] = session.scalars(select(ClientEvent).where(ClientEvent.kind == "no_answer")).all()
    assert (silence.actor_id, silence.data["side"]) == ("UCLIENT", "client")
    summary = blocks_text(_summary_to(slack.fake, "UALICE"))
    assert "No answer from <@UCLIENT>" in summary
    sweep("2026-11-26T10:00:00+01:00")
    assert len([c for c in posts(slack.fake, thread=True) if c.params["channel"] == "DUCLIENT"]) == 2
    slack.command("show acme")
    text = json.dumps(slack.fake.last_response()["blocks"], ensure_ascii=False)
    assert "no answer from <@UCLIENT> (the client)" in text
    slack.command("surveys")
    assert "· closed" in slack.fake.last_response()["text"]
    assert timedelta(0) <= _survey(session).closed_at - datetime(2026, 11, 25, 9, 0, tzinfo=UTC) < timedelta(seconds=1)  # type: ignore[operator]


def test_someone_outside_slack_needs_public_url_and_nothing_is_written(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    slack.command('survey acme "Website relaunch" team <@UBOB|bob> client <@UCLIENT|jo> jo@acme.com')
    reply = slack.fake.last_response()["text"]
    assert "set `PUBLIC_URL`" in reply and "Nothing was changed." in reply
    assert _count(session, Survey) == 0 and _count(session, SurveyParticipant) == 0
    assert slack.fake.calls_to("conversations.open") == []
