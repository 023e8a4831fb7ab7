"""The survey page for client contacts outside Slack, over plain HTTP: the link, the form, every refusal."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.settings import Settings
from domain.clock import FixedClock
from domain.survey_links import link_token
from fakes.slack import FakeSlack
from render.ids import ActionId, BlockId
from storage.models import Survey, SurveyAnswer, SurveyMessage, SurveyParticipant
from tests.driver import SlackDriver
from tests.helpers import SURVEY_ITEMS, Sweeps, blocks_text, posts, press_fix, rated
from tests.helpers import answer_survey as answer_in_slack
from tests.helpers import count as _count
from tests.helpers import the_survey as _survey
from tests.survey_page import (
    PUBLIC_URL,
    answers_form,
    every,
    outsider,
    page_settings,
    request,
    start_with_email,
)


@pytest.fixture
def settings(fake_slack: FakeSlack, database_url: str) -> Settings:
    return page_settings(fake_slack, database_url)


# the invitation --------------------------------------------------------------------------------------------------


def test_someone_outside_slack_gets_a_personal_link_the_requester_sees(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    token = start_with_email(slack, 'survey acme "Website relaunch" team <@UBOB> client <@UCLIENT> jo@ACME.com lang ru')
    reply = slack.fake.last_response()["text"]
    assert f"A personal link for jo@acme.com (it works once, for 30 days), to pass on: {PUBLIC_URL}/survey/" in reply
    assert "Asked by DM: <@UBOB>, <@UCLIENT>." in reply
    person = outsider(session)
    assert (person.email, person.user_id, person.language, person.side, person.invited_via) == (
        "jo@acme.com", None, "ru", "client", "link",
    )  # fmt: skip
    assert person.nonce and person.nonce not in token  # the link carries it signed, not as typed
    assert [c.params["users"] for c in slack.fake.calls_to("conversations.open")] == ["UBOB", "UCLIENT"]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            'survey acme "X" team <@UBOB> client jo@',
            "`jo@` is not a person: pick them with `@` so Slack links them, or give their email ",
        ),
        (
            'survey acme "X" team <@UBOB> client jo@acme.com lang de',
            "*de* is not a language the survey page speaks: use `en`, `pl` or `ru`.",
        ),
        ('survey acme "X" team <@UBOB> client <@UCLIENT> lang ru', "Usage: `/client survey"),
        ('survey acme "X" team jo@acme.com client <@UCLIENT>', "Usage: `/client survey"),
    ],
)
def test_bad_addresses_and_languages_change_nothing(
    slack: SlackDriver, session: Session, acme: None, text: str, error: str
) -> None:
    slack.command(text)
    assert error in slack.fake.last_response()["text"]
    assert _count(session, Survey) == 0 and _count(session, SurveyParticipant) == 0


# the page ---------------------------------------------------------------------------------------------------------


def test_the_page_asks_the_clients_questions_accessibly_and_safely(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    token = start_with_email(slack)
    page = request(slack, token)
    assert page.status == 200 and page.lang == "en"
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert "script-src 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["Referrer-Policy"] == "no-referrer" and page.headers["X-Frame-Options"] == "DENY"
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page.body
    assert "<script" not in page.body
    assert page.body.count("<fieldset") == 5 and page.body.count("<legend>") == 5
    assert "<legend>How well did we keep you informed?</legend>" in page.body  # the client's wording
    assert '<label for="rating-informed-1"><span class="number">1</span> <span class="word">poor</span></label>' in (
        page.body
    )
    assert 'aria-describedby="hint-dates"' in page.body and 'id="hint-dates"' in page.body
    assert "How did Website relaunch go?" in page.text and "Acme Corp" in page.text


def test_a_low_rating_without_why_comes_back_with_every_answer_kept(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    token = start_with_email(slack)
    check = request(slack, token).check
    form = answers_form(check, {**every("4"), "dates": "2", "informed": "5"}, {"quality": "<b>solid</b> & calm"})
    page = request(slack, token, method="POST", form=form)
    assert page.status == 422
    error = "A 1 or 2 needs a word on why: what should we do so it never happens again?"
    assert f'<p class="error" id="comment-error-dates"><span class="visually-hidden">Error:</span> {error}</p>' in (
        page.body
    )
    assert 'aria-describedby="hint-dates comment-error-dates" aria-invalid="true"' in page.body
    assert '<a href="#comment-dates">' in page.body  # the summary at the top links to the field
    assert 'id="rating-dates-2" name="rating-dates" value="2" checked' in page.body
    assert 'id="rating-informed-5" name="rating-informed" value="5" checked' in page.body
    assert "&lt;b&gt;solid&lt;/b&gt; &amp; calm</textarea>" in page.body  # kept, and escaped
    assert _count(session, SurveyAnswer) == 0 and outsider(session).answered_at is None


@pytest.mark.parametrize("rating", ["7", "0", "", "abc", "3.5"])
def test_a_rating_out_of_range_is_refused_on_its_field(
    slack: SlackDriver, session: Session, acme: None, rating: str
) -> None:
    token = start_with_email(slack)
    page = request(slack, token, method="POST", form=answers_form(request(slack, token).check,
                                                                  {**every("4"), "overall": rating}))  # fmt: skip
    assert page.status == 422
    assert '<p class="error" id="rating-error-overall">' in page.body and "Pick a rating from 1 to 5." in page.text
    assert '<a href="#rating-overall-1">' in page.body
    assert _count(session, SurveyAnswer) == 0


def test_a_web_answer_counts_like_a_slack_answer_summary_gaps_blind_spots_and_fixes(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    token = start_with_email(slack)
    survey = _survey(session)
    answer_in_slack(slack, survey.id, "UBOB", {**rated(4), "informed": 5})
    assert [c for c in posts(slack.fake) if c.params["channel"] == "UALICE"] == []  # not everyone yet
    form = answers_form(request(slack, token).check, {**every("4"), "informed": "2"},
                        {"informed": "we heard about delays <!channel> from others\r\nand late"})  # fmt: skip
    page = request(slack, token, method="POST", form=form)
    assert page.status == 200 and "Thank you!" in page.text
    stored = {a.item: (a.rating, a.comment) for a in session.scalars(select(SurveyAnswer).order_by(SurveyAnswer.id))}
    assert stored["informed"] == (2, "we heard about delays &lt;!channel&gt; from others\nand late")
    summary_call = [c for c in posts(slack.fake) if c.params["channel"] == "UALICE"][-1]
    summary = blocks_text(summary_call)
    assert "*Keeping informed* :warning: *blind spot*" in summary
    assert "Client ●●○○○ 2.0 · Team ●●●●● 5.0 · gap +3.0" in summary
    assert "> 2 from the client (jo@acme.com): “we heard about delays &lt;!channel&gt; from others and late”" in summary
    assert _survey(session).completed_at is not None
    view = press_fix(slack, survey, "informed", ActionId.SURVEY_PLAN_FIX)
    values = {
        BlockId.FIX_WHAT: {ActionId.FIX_WHAT: {"type": "plain_text_input", "value": "weekly status mail"}},
        BlockId.FIX_OWNER: {ActionId.FIX_OWNER: {"type": "users_select", "selected_user": "UBOB"}},
        BlockId.FIX_DUE: {ActionId.FIX_DUE: {"type": "datepicker", "selected_date": "2026-11-27"}},
    }
    assert slack.view_submission(view, values).body == ""
    updated = slack.fake.calls_to("chat.update")[-1]
    session.expire_all()
    shown = session.scalars(select(SurveyMessage).where(SurveyMessage.user_id == "UALICE")).one()
    assert (updated.params["channel"], updated.params["ts"]) == (shown.channel_id, shown.ts)  # the requester's
    assert "Fix planned: “weekly status mail” by Fri 27 Nov, <@UBOB>" in blocks_text(updated)


def test_nobody_outside_slack_is_reminded_and_their_survey_closes_on_schedule(
    slack: SlackDriver, session: Session, acme: None, sweeps: Sweeps
) -> None:
    start_with_email(slack)  # Sunday 22 Nov
    answer_in_slack(slack, _survey(session).id, "UBOB", rated(4))
    sweeps.at(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))  # Monday: a reminder would be due
    sweeps.at(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))  # Tuesday: the second
    assert _survey(session).closed_at is None and outsider(session).reminders == 2  # counted, never sent
    assert posts(slack.fake, thread=True) == []
    sweeps.at(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))  # Wednesday: closed with what came in
    assert _survey(session).closed_at is not None and _survey(session).completed_at is None
    summary = blocks_text([c for c in posts(slack.fake) if c.params["channel"] == "UALICE"][-1])
    assert "No answer from jo@acme.com" in summary
    slack.command("show acme")
    assert "no answer from jo@acme.com (the client)" in json.dumps(slack.fake.last_response()["blocks"])


def test_comments_at_their_longest_fit_and_longer_ones_are_refused(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    token = start_with_email(slack)
    check = request(slack, token).check
    too_long = request(
        slack, token, method="POST", form=answers_form(check, every("1"), dict.fromkeys(SURVEY_ITEMS, "я" * 3001))
    )
    assert too_long.status == 422 and "Please keep it under 3000 characters." in too_long.text
    longest = answers_form(check, every("1"), dict.fromkeys(SURVEY_ITEMS, "я" * 3000))  # 90 kB posted
    assert request(slack, token, method="POST", form=longest).status == 200
    assert {len(a.comment or "") for a in session.scalars(select(SurveyAnswer))} == {3000}


# every refusal changes nothing -----------------------------------------------------------------------------------


def test_a_link_is_answered_once(slack: SlackDriver, session: Session, acme: None) -> None:
    token = start_with_email(slack, 'survey acme "Website relaunch" team <@UBOB> <@UCAROL> client jo@acme.com')
    form = answers_form(request(slack, token).check, every("4"))
    assert request(slack, token, method="POST", form=form).status == 200
    again = request(slack, token, method="POST", form={**form, "rating-overall": "1", "comment-overall": "no"})
    assert again.status == 409 and "Already answered" in again.text
    shown = request(slack, token)
    assert shown.status == 409 and "You have already answered, thank you." in shown.text
    assert {a.rating for a in session.scalars(select(SurveyAnswer))} == {4}
    assert _count(session, SurveyAnswer) == 5


def test_two_posts_at_once_store_the_answers_once(slack: SlackDriver, session: Session, acme: None) -> None:
    token = start_with_email(slack, 'survey acme "Website relaunch" team <@UBOB> <@UCAROL> client jo@acme.com')
    check = request(slack, token).check
    statuses: list[int] = []
    ready = threading.Barrier(2)

    def send(score: str) -> None:
        ready.wait()
        statuses.append(request(slack, token, method="POST", form=answers_form(check, every(score))).status)

    threads = [threading.Thread(target=send, args=(score,)) for score in ("3", "5")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]
    session.expire_all()
    assert _count(session, SurveyAnswer) == 5 and len({a.rating for a in session.scalars(select(SurveyAnswer))}) == 1


def test_an_expired_link_changes_nothing(slack: SlackDriver, session: Session, acme: None, clock: FixedClock) -> None:
    token = start_with_email(slack)
    check = request(slack, token).check
    started = clock.now()
    clock.set(started + timedelta(days=30) - timedelta(seconds=1))
    assert request(slack, token).status == 200
    clock.set(started + timedelta(days=30))
    page = request(slack, token)
    assert page.status == 410 and "This link has expired" in page.text
    assert request(slack, token, method="POST", form=answers_form(check, every("4"))).status == 410
    assert _count(session, SurveyAnswer) == 0 and outsider(session).answered_at is None


def test_a_tampered_or_unknown_link_changes_nothing(
    slack: SlackDriver, session: Session, acme: None, settings: Settings
) -> None:
    token = start_with_email(slack)
    check = request(slack, token).check
    # Not the last character: base64's last one may differ only in bits that decode to nothing.
    payload_changed = ("X" if token[0] != "X" else "Y") + token[1:]
    signature_changed = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    for bad in (payload_changed, signature_changed, token[:-3], "x" * 500, "nothing-at-all"):
        page = request(slack, bad)
        assert page.status == 404 and "This link does not work" in page.text
        assert request(slack, bad, method="POST", form=answers_form(check, every("4"))).status == 404
    person = outsider(session)
    for unknown in (link_token(key=settings.survey_link_key, participant_id=person.id + 1000, nonce=str(person.nonce)),
                    link_token(key=settings.survey_link_key, participant_id=person.id, nonce="0" * 32)):  # fmt: skip
        page = request(slack, unknown)
        assert page.status == 404 and "This survey is no longer here" in page.text
    other_key = link_token(key=b"another key", participant_id=person.id, nonce=str(person.nonce))
    assert request(slack, other_key).status == 404
    assert _count(session, SurveyAnswer) == 0 and outsider(session).answered_at is None


def test_a_closed_survey_changes_nothing(slack: SlackDriver, session: Session, acme: None) -> None:
    token = start_with_email(slack)
    check = request(slack, token).check
    with session.begin():
        session.execute(Survey.__table__.update().values(closed_at=_survey(session).created_at))
    page = request(slack, token, method="POST", form=answers_form(check, every("4")))
    assert page.status == 410 and "This survey has closed" in page.text
    assert _count(session, SurveyAnswer) == 0


def test_a_form_that_is_not_ours_is_refused(slack: SlackDriver, session: Session, acme: None) -> None:
    token = start_with_email(slack)
    for form in (
        answers_form("forged", every("4")),
        {k: v for k, v in answers_form("", every("4")).items() if k != "check"},
    ):
        assert request(slack, token, method="POST", form=form).status == 400
    json_body = request(slack, token, method="POST", body=json.dumps({"rating-overall": "4"}).encode(),
                        headers={"Content-Type": "application/json"})  # fmt: skip
    assert json_body.status == 400 and "Please try again" in json_body.text
    assert _count(session, SurveyAnswer) == 0


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_are_not_allowed(slack: SlackDriver, session: Session, acme: None, method: str) -> None:
    token = start_with_email(slack)
    page = request(slack, token, method=method)
    assert page.status == 405 and page.headers["Allow"] == "GET, HEAD, POST"
    assert _count(session, SurveyAnswer) == 0


def test_head_answers_like_get_without_a_body(slack: SlackDriver, acme: None) -> None:
    token = start_with_email(slack)
    page = request(slack, token, method="HEAD")
    assert page.status == 200 and page.body == "" and int(page.headers["Content-Length"]) > 1000


# languages -------------------------------------------------------------------------------------------------------


def test_the_invitations_language_wins_over_the_browsers(slack: SlackDriver, session: Session, acme: None) -> None:
    token = start_with_email(slack, 'survey acme "Website relaunch" team <@UBOB> client jo@acme.com lang ru')
    page = request(slack, token, headers={"Accept-Language": "pl-PL,pl;q=0.9"})
    assert page.status == 200 and page.lang == "ru" and page.headers["Content-Language"] == "ru"
    assert "Как прошёл проект Website relaunch?" in page.text and "Отправить ответы" in page.text
    assert "1 — плохо, 5 — отлично." in page.text
    form = answers_form(page.check, {**every("4"), "dates": "1"})
    refused = request(slack, token, method="POST", form=form, headers={"Accept-Language": "en"})
    assert refused.status == 422 and "оценке 1 или 2 нужно пояснение" in refused.text
    assert request(slack, token + "x").lang == "en"  # a link we cannot read tells no invitation: the browser's


@pytest.mark.parametrize(
    ("header", "lang"),
    [("pl-PL,pl;q=0.9", "pl"), ("de-DE,ru;q=0.8,en;q=0.5", "ru"), ("en-GB,pl;q=0.9", "en"), ("de, fr", "en"),
     ("pl;q=0, ru;q=0.1", "ru"), ("", "en")],
)  # fmt: skip
def test_without_one_the_browsers_language_is_used(
    slack: SlackDriver, session: Session, acme: None, header: str, lang: str
) -> None:
    token = start_with_email(slack)
    page = request(slack, token, headers={"Accept-Language": header})
    assert page.status == 200 and page.lang == lang
    assert {"en": "Send my answers", "pl": "Wyślij odpowiedzi", "ru": "Отправить ответы"}[lang] in page.text
    refused = request(slack, token + "x", headers={"Accept-Language": header})
    assert refused.status == 404 and refused.lang == lang
