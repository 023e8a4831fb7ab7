"""Survey trends: `/client surveys <client>` (scores across surveys, whether a fix worked) and `/client surveys all`
(the workspace's averages per item and per team member, with its chart as a real PNG in the asker's DM)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from PIL import Image
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from domain.survey_results import ItemResult, Results
from domain.survey_trends import ItemAverage, MemberAverage, WorkspaceTrends, trends_of
from domain.surveys import Question
from fakes.slack import TEAM, Canned
from render.ids import ActionId, BlockId
from render.survey_trends import client_surveys, workspace_surveys
from storage.models import Client, Promise, QuestionSet, Survey, SurveyAnswer, SurveyFix, SurveyParticipant
from tests.conftest import NOW
from tests.driver import SlackDriver
from tests.helpers import SURVEY_ITEMS, ask, count, rated, visible
from tests.helpers import answer_survey as answer
from tests.helpers import completed_survey as completed
from tests.helpers import press_fix as press
from tests.test_digest import is_png
from tests.test_sweep_queries import statements

SECOND = 'survey acme "Support contract" team <@UBOB|bob> client <@UCLIENT|jo>'


def plan_fix(slack: SlackDriver, survey: Survey, item: str, what: str) -> None:
    """UALICE plans a fix (a promise) for an item of the survey's results, through the results' button."""
    view = press(slack, survey, item, ActionId.SURVEY_PLAN_FIX)
    values = {
        BlockId.FIX_WHAT: {ActionId.FIX_WHAT: {"type": "plain_text_input", "value": what}},
        BlockId.FIX_OWNER: {ActionId.FIX_OWNER: {"type": "users_select", "selected_user": "UBOB"}},
        BlockId.FIX_DUE: {ActionId.FIX_DUE: {"type": "datepicker", "selected_date": "2026-11-27"}},
    }
    assert slack.view_submission(view, values).body == ""


def second_survey(slack: SlackDriver, session: Session, dates: int) -> None:
    """A later survey of the same client, both sides answering; the client rates "dates" `dates`."""
    slack.command(SECOND)
    session.expire_all()
    survey = session.scalars(select(Survey).where(Survey.project == "Support contract")).one()
    answer(slack, survey.id, "UBOB", rated(4))
    comment = {"dates": "still late"} if dates <= 2 else None
    answer(slack, survey.id, "UCLIENT", {**rated(3), "dates": dates}, comment)


# one client ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("later", "said"),
    [
        (4, "Keeping promised dates: 2 → 4 after the fix 'weekly status on Mondays': :white_check_mark: better"),
        (1, "Keeping promised dates: 2 → 1 after the fix 'weekly status on Mondays': :x: worse"),
        (2, "Keeping promised dates: 2 → 2 after the fix 'weekly status on Mondays': :heavy_minus_sign: the same"),
    ],
)
def test_the_next_survey_says_whether_a_fix_worked(
    slack: SlackDriver, session: Session, acme: None, later: int, said: str
) -> None:
    first = completed(slack, session)  # the client rated "dates" 2, the team 4
    plan_fix(slack, first, "dates", "weekly status on Mondays")
    second_survey(slack, session, later)
    reply = ask(slack, "surveys acme")
    assert f"• {said} (*Website relaunch* → *Support contract*)" in reply
    assert f"*Keeping promised dates*: client 2 → {later} · team 4 → 4" in reply
    assert "*Keeping informed*: client 1 → 3 · team 4 → 4" in reply  # no fix for it: a trend, no verdict
    assert reply.count("after the fix") == 1
    surveys = reply.split("*Surveys*\n", 1)[1]
    assert surveys.index("*Support contract*") < surveys.index("*Website relaunch*")  # the list: newest first


def test_a_fix_without_a_survey_since_says_so(slack: SlackDriver, session: Session, acme: None) -> None:
    first = completed(slack, session)
    plan_fix(slack, first, "dates", "weekly status on Mondays")
    slack.command('survey acme "Support contract" team <@UBOB|bob> client <@UCLIENT|jo>')  # sent, not answered
    reply = ask(slack, "surveys acme")
    assert (
        "• Keeping promised dates: 2 in *Website relaunch*, then the fix 'weekly status on Mondays': no survey since"
        in reply
    )
    assert "waiting for 2 answers" in reply


def test_a_decision_of_no_fix_is_no_fix_to_judge(slack: SlackDriver, session: Session, acme: None) -> None:
    first = completed(slack, session)
    view = press(slack, first, "dates", ActionId.SURVEY_NO_FIX)
    slack.view_submission(view, {BlockId.REASON: {ActionId.REASON: {"type": "plain_text_input", "value": "scope"}}})
    second_survey(slack, session, 4)
    reply = ask(slack, "surveys acme")
    assert "after the fix" not in reply and "Did the fixes work?" not in reply
    assert "*Keeping promised dates*: client 2 → 4 · team 4 → 4" in reply


@pytest.mark.parametrize(("text", "said"), [("surveys acne", "Did you mean *Acme Corp*"), ("surveys nosuch", "nosuch")])
def test_an_unknown_client_gets_did_you_mean_and_nothing_is_written(
    slack: SlackDriver, session: Session, acme: None, text: str, said: str
) -> None:
    before = {model: count(session, model) for model in (Survey, SurveyFix, Promise, Client)}
    reply = ask(slack, text)
    assert said in reply and "I don't know a client called" in reply
    assert {model: count(session, model) for model in before} == before
    assert slack.fake.calls_to("files.getUploadURLExternal") == []


# hand-built sets -------------------------------------------------------------------------------------------------


def seed(engine: Engine, client: str, project: str, days_ago: int, ratings: dict[str, tuple[str, dict[str, int]]],
         fix: str | None = None) -> None:  # fmt: skip
    """A closed survey of `client` with each participant's (side, ratings per item); a fix planned on "dates"."""
    at = NOW - timedelta(days=days_ago)
    with Session(engine) as session, session.begin():
        client_id = session.scalars(select(Client.id).where(Client.team_id == TEAM, Client.name == client)).one()
        questions = session.scalars(select(QuestionSet.id).where(QuestionSet.team_id == "*")).one()
        survey = Survey(team_id=TEAM, client_id=client_id, project=project, requester_id="UALICE",
                        question_set_id=questions, created_at=at, completed_at=at, closed_at=at)  # fmt: skip
        session.add(survey)
        session.flush()
        for user, (side, items) in ratings.items():
            person = SurveyParticipant(team_id=TEAM, survey_id=survey.id, user_id=user, side=side,
                                       invited_via="dm", answered_at=at)  # fmt: skip
            session.add(person)
            session.flush()
            rate = {"team_id": TEAM, "survey_id": survey.id, "participant_id": person.id, "question_set_id": questions}
            session.add_all(SurveyAnswer(**rate, item=k, rating=v) for k, v in items.items())
        if fix:
            promise = Promise(team_id=TEAM, client_id=client_id, what=fix, due_on=date(2026, 12, 1), owner_id="UBOB",
                              created_by="UALICE", created_at=at, survey_id=survey.id, survey_item="dates")  # fmt: skip
            session.add(promise)
            session.flush()
            session.add(SurveyFix(team_id=TEAM, survey_id=survey.id, item="dates", promise_id=promise.id,
                                  by="UALICE", at=at))  # fmt: skip


def all_items(score: int, **other: int) -> dict[str, int]:
    return {**dict.fromkeys(SURVEY_ITEMS, score), **other}


def test_workspace_averages_per_item_and_member_with_the_chart_as_a_png(
    slack: SlackDriver, session: Session, engine: Engine, acme: None
) -> None:
    slack.command('add "Globex"')
    seed(
        engine,
        "Acme Corp",
        "Relaunch",
        20,
        {"UBOB": ("team", all_items(4)), "UCLIENT": ("client", all_items(2, dates=1))},
    )
    seed(engine, "Globex", "Shop", 10, {"UBOB": ("team", all_items(5)), "UCAROL": ("team", all_items(3)),
                                         "UGUEST": ("client", all_items(4))})  # fmt: skip
    reply = ask(slack, "surveys all")
    assert "*Survey averages per item* over 2 surveys" in reply
    assert "*Keeping informed*: client ●●●○○ 3 · team ●●●●○ 4 · gap +1.0 (5 ratings)" in reply
    assert "*Keeping promised dates*: client ●●○○○ 2.5 · team ●●●●○ 4 · gap +1.5 (5 ratings)" in reply
    # UBOB: own (5 x 4 + 5 x 5) / 10; the client's ratings of both his surveys (2+1+2+2+2 + 5 x 4) / 10
    assert "1. <@UBOB> (2 surveys): own 4.5 · client 2.9 · gap +1.6" in reply
    assert "2. <@UCAROL> (1 survey): own 3 · client 4 · gap -1.0" in reply
    assert "<@UCLIENT> (" not in reply and "<@UGUEST> (" not in reply  # the client side is no team member
    assert "The chart is in your DM" in reply
    [shared] = slack.fake.shared
    assert (shared.channel_id, shared.filename) == ("DUALICE", "rapport-surveys-2026-11-22.png")
    width, height = is_png(shared.content)
    image = Image.open(io.BytesIO(shared.content))
    image.load()  # an image library decodes it too
    assert (image.format, image.size) == ("PNG", (width, height)) and width == 900


def test_workspace_view_without_answers_sends_no_chart(slack: SlackDriver, acme: None) -> None:
    assert "No survey answers in this workspace yet" in ask(slack, "surveys all")
    assert slack.fake.calls_to("files.getUploadURLExternal") == []


def test_a_chart_slack_refuses_leaves_the_averages_and_says_why(slack: SlackDriver, engine: Engine, acme: None) -> None:
    seed(engine, "Acme Corp", "Relaunch", 20, {"UBOB": ("team", all_items(4)), "UCLIENT": ("client", all_items(2))})
    slack.fake.queue("files.getUploadURLExternal", lambda _call: Canned({"ok": False, "error": "ratelimited"}))
    reply = ask(slack, "surveys all")
    assert "*Keeping informed*: client ●●○○○ 2 · team ●●●●○ 4 · gap +2.0 (2 ratings)" in reply
    assert "The chart could not be sent to your DM: ratelimited." in reply
    assert slack.fake.shared == []


def test_a_client_called_all_is_reached_in_quotes(slack: SlackDriver, acme: None) -> None:
    slack.command('add "All"')
    assert "No surveys for *All* yet" in ask(slack, 'surveys "all"')
    assert "No survey answers in this workspace yet" in ask(slack, "surveys ALL")


# reads -----------------------------------------------------------------------------------------------------------


def test_one_client_and_the_workspace_take_as_many_statements_for_2_as_for_20_surveys(
    slack: SlackDriver, engine: Engine, acme: None
) -> None:
    people = {"UBOB": ("team", all_items(4)), "UCLIENT": ("client", all_items(3, dates=2))}
    ask(slack, "surveys acme")  # the asker's profile is looked up and cached once
    sent: dict[int, list[list[str]]] = {}
    for total in (2, 20):
        while count_surveys(engine) < total:
            n = count_surveys(engine)
            seed(engine, "Acme Corp", f"Project {n}", 40 - n, people, fix=f"fix {n}")
        sent[total], replies = [], []
        for text in ("surveys acme", "surveys all"):
            with statements(engine) as sql:
                replies.append(ask(slack, text))
            sent[total].append(sql)
        last = total - 1
        assert (
            f"• Keeping promised dates: 2 in *Project {last}*, then the fix 'fix {last}': no survey since" in replies[0]
        )
        assert f"• Keeping promised dates: 2 → 2 after the fix 'fix {last - 1}'" in replies[0]
        assert f"over {total} surveys" in replies[1]
    assert [len(s) for s in sent[2]] == [len(s) for s in sent[20]], (sent[2], sent[20])


def count_surveys(engine: Engine) -> int:
    with Session(engine) as session:
        return count(session, Survey)


# sharing ---------------------------------------------------------------------------------------------------------


def test_share_posts_the_answer_and_the_chart_in_the_channel(slack: SlackDriver, engine: Engine, acme: None) -> None:
    seed(engine, "Acme Corp", "Relaunch", 20, {"UBOB": ("team", all_items(4)), "UCLIENT": ("client", all_items(2))})
    slack.command("surveys all share")
    reply = slack.fake.last_response()
    assert reply["response_type"] == "in_channel"
    assert "The chart is in this channel" in visible(reply)
    [shared] = slack.fake.shared
    assert shared.channel_id == "CGENERAL" and is_png(shared.content)[0] == 900
    slack.command("surveys acme share")
    reply = slack.fake.last_response()
    assert reply["response_type"] == "in_channel" and "*Relaunch*" in visible(reply)
    assert "*Relaunch*" in ask(slack, "surveys acme")  # without `share`: to the asker alone
    slack.command("surveys nosuch share")
    assert slack.fake.last_response()["response_type"] == "ephemeral"  # an error is never shared


# Slack's limits --------------------------------------------------------------------------------------------------


def test_long_histories_stay_inside_slacks_limits_with_and_n_more() -> None:
    questions = [Question(f"k{n}", "L" * 200, "client?", "team?") for n in range(12)]
    results = []
    for n in range(60):
        survey = Survey(id=n, team_id=TEAM, client_id=1, project="P" * 200, created_at=NOW, closed_at=NOW)
        items = [ItemResult(q, client=[1 + n % 5], team=[5]) for q in questions]
        for item in items:
            item.fix = SurveyFix(item=item.question.key, promise_id=1)
            item.promise = Promise(what="W" * 300)
        results.append(Results(survey, "Acme", None, items, answered=[], missing=[]))
    message = client_surveys(trends_of(results), client_name="Acme", tz=None, today=NOW.date())
    shown = message.to_dict()  # slack_sdk validates every block
    assert len(message.blocks) <= 50 and len(shown["text"]) <= 3000
    text = visible(shown)
    assert "and 30 more" in text and "and 705 more" in text  # surveys; fixes (12 items x 59 judged + 12 not yet)
    averages = WorkspaceTrends(
        60,
        [ItemAverage(q.key, q.label, 2.5, 4, 100) for q in questions],
        [MemberAverage(f"U{n:08d}", 3, 4.0, 2.0) for n in range(300)],
    )
    message = workspace_surveys(averages, shared=False)
    message.to_dict()
    assert len(message.blocks) <= 50 and "and 275 more" in visible(message.to_dict())
