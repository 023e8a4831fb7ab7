"""Surveys and importing clients in the reader's language: each participant is invited and asked in their own, the
results reach the requester in theirs (whoever answered last), `/client surveys` and the import's dry run answer
the asker in theirs. English is what the other survey and import tests read, unchanged."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from fakes.slack import Call, FakeSlack
from render.ids import ActionId, comment_block, rating_block
from tests.driver import SlackDriver
from tests.helpers import (
    SURVEY_START,
    answer_survey,
    ask,
    blocks_text,
    completed_survey,
    open_survey_modal,
    posts,
    press_fix,
    rated,
)
from tests.helpers import the_survey as survey_of
from tests.test_import_slack import BOOK, shown, submit_file, text_of
from tests.test_survey_trends import plan_fix, second_survey


def dm_to(fake: FakeSlack, user: str) -> Call:
    """The invitation in `user`'s DM."""
    return next(c for c in posts(fake) if c.params["channel"] == "D" + user)


def summary_to(fake: FakeSlack, user: str) -> str:
    """The survey's results as posted to `user`."""
    [found] = [c for c in posts(fake) if c.params["channel"] == user]
    return blocks_text(found)


def updated(fake: FakeSlack, channel: str) -> str:
    """What the last chat.update of a message in `channel` says."""
    return blocks_text([c for c in fake.calls_to("chat.update") if c.params["channel"] == channel][-1])


def buttons(call: Call) -> list[str]:
    return [e["text"]["text"] for b in call.params["blocks"] if b["type"] == "actions" for e in b["elements"]]


def labels(view: dict[str, Any]) -> list[str]:
    return [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"]


def test_each_participant_is_invited_and_asked_in_their_language_while_the_requester_reads_english(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    slack.fake.add_user("UCLIENT", team="TCLIENT", locale="ru-RU")  # the client's person: Russian in Slack
    ask(slack, "config me language pl", user="UBOB")  # the teammate chose Polish
    reply = ask(slack, SURVEY_START)
    survey = survey_of(session)
    assert f"Survey #{survey.id} on *Website relaunch* for *Acme Corp* is on its way." in reply
    assert "Asked by DM: <@UBOB>, <@UCLIENT>." in reply

    client = dm_to(slack.fake, "UCLIENT")
    assert blocks_text(client).startswith(
        "<@UALICE> спрашивает, как прошёл проект *Website relaunch* для *Acme Corp*. Мы задаём обеим сторонам"
    )
    assert (buttons(client), client.params["text"]) == (["Ответить (2 мин)"], "Как прошёл проект Website relaunch?")
    team = dm_to(slack.fake, "UBOB")
    assert blocks_text(team).startswith("<@UALICE> pyta, jak poszedł projekt *Website relaunch* dla *Acme Corp*.")
    assert "Klient dostaje te same pytania" in blocks_text(team) and buttons(team) == ["Odpowiedz (2 min)"]

    view = open_survey_modal(slack, survey.id, "UCLIENT")
    assert (view["title"]["text"], view["submit"]["text"], view["close"]["text"]) == (
        "Как всё прошло?", "Отправить", "Отмена"
    )  # fmt: skip
    assert labels(view)[:2] == ["Насколько хорошо мы держали вас в курсе?", "Почему? (обязательно при 1 или 2)"]
    radios = next(b for b in view["blocks"] if b.get("block_id") == rating_block("informed"))["element"]
    assert [o["text"]["text"] for o in radios["options"]] == ["1 · плохо", "2", "3 · нормально", "4", "5 · отлично"]
    assert "1 — плохо, 5 — отлично" in view["blocks"][0]["elements"][0]["text"]
    assert labels(open_survey_modal(slack, survey.id, "UBOB"))[0] == (
        "Jak myślisz, jak dobrze informowaliśmy klienta na bieżąco?"
    )

    refused = answer_survey(slack, survey.id, "UCLIENT", {**rated(4), "dates": 2}).json()
    why = "К оценке 1 или 2 нужно пояснение: что нам сделать, чтобы это больше не повторилось?"  # noqa: RUF001
    assert refused == {"response_action": "errors", "errors": {comment_block("dates"): why}}


def test_the_results_reach_the_requester_in_their_language_not_the_last_answerers(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    ask(slack, "config me language pl")  # UALICE, who asks (and owns Acme Corp), reads Polish
    slack.fake.add_user("UCLIENT", team="TCLIENT", locale="ru-RU")
    survey = completed_survey(slack, session)  # UCLIENT, in Russian, answers last: the results go out then
    assert updated(slack.fake, "DUCLIENT") == (
        ":white_check_mark: Ответ получен, спасибо. (*Website relaunch* для *Acme Corp*)"
    )
    assert updated(slack.fake, "DUBOB") == (  # UBOB reads English
        ":white_check_mark: Answered, thank you. (*Website relaunch* for *Acme Corp*)"
    )
    results = summary_to(slack.fake, "UALICE")
    assert results.startswith("*Informowanie na bieżąco* :warning: *martwy punkt*\n")
    assert "Klient ●○○○○ 1,0 · Zespół ●●●●○ 4,0 · różnica +3,0" in results
    assert "> 1 od klienta (<@UCLIENT>): „no updates”" in results
    assert "Średnie: klient ●●○○○ 2,4 · zespół ●●●●○ 4,0" in results

    view = press_fix(slack, survey, "dates", ActionId.SURVEY_PLAN_FIX)
    assert (view["title"]["text"], view["submit"]["text"]) == ("Zaplanuj poprawkę", "Zaplanuj")
    assert labels(view) == ["Co zrobimy", "Kto", "Do kiedy"]
    plan_fix(slack, survey, "informed", "weekly status on Mondays")  # due Friday 27 November
    assert ":hammer_and_wrench: Zaplanowana poprawka: „weekly status on Mondays” do pt. 27 lis, <@UBOB>" in (
        updated(slack.fake, "DUALICE")
    )


def test_client_surveys_and_the_workspaces_averages_in_the_askers_language(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    first = completed_survey(slack, session)  # the client rated "dates" 2, the team 4
    plan_fix(slack, first, "dates", "weekly status on Mondays")
    second_survey(slack, session, 4)
    ask(slack, "config me language pl")
    reply = ask(slack, "surveys acme")
    assert reply.startswith("*Ankiety*\n")
    assert ": klient ●●●○○ 3,2, zespół ●●●●○ 4,0 · odpowiedziano" in reply  # an average, with a decimal comma
    assert ": klient ●●○○○ 2,4, zespół ●●●●○ 4,0, 2 martwe punkty · odpowiedziano" in reply
    assert "*Dotrzymywanie terminów*: klient 2 → 4 · zespół 4 → 4" in reply
    assert (
        "• Dotrzymywanie terminów: 2 → 4 po poprawce „weekly status on Mondays”: :white_check_mark: lepiej "
        "(*Website relaunch* → *Support contract*)"
    ) in reply
    ask(slack, "config me language ru")
    averages = ask(slack, "surveys all")
    assert averages.startswith("*Средние оценки по вопросам* за 2 опроса\n")
    assert "*Соблюдение сроков*: клиент ●●●○○ 3 · команда ●●●●○ 4 · разрыв +1,0 (4 оценки)" in averages
    assert "1. <@UBOB> (2 опроса): свои 4 · клиент 2,8 · разрыв +1,2" in averages


def test_the_import_modal_and_its_dry_run_in_the_importers_language(slack: SlackDriver) -> None:
    slack.fake.add_user("UBOB", email="bob@ourco.test")
    slack.fake.add_user("UCLIENT", team="TCLIENT")
    ask(slack, "config me language pl")
    ack = submit_file(slack, slack.fake.add_file(BOOK.encode())).json()
    assert ack["view"]["title"]["text"] == "Import klientów"
    assert text_of(ack["view"]) == ":hourglass_flowing_sand: Czytam *clients.csv*…"
    dry_run = shown(slack.fake)
    assert (dry_run["submit"]["text"], dry_run["close"]["text"]) == ("Zastosuj", "Anuluj")
    assert text_of(dry_run).splitlines()[:3] == [
        "*clients.csv*: 2 klientów: do utworzenia: 2, do aktualizacji: 0, bez zmian: 0.",
        "wiersz 2: utwórz *Acme Corp*: opiekun <@UALICE>, kluczowy, rytm kontaktu 2w, + domena acme.com, "
        "+ osoba Jo Smith &lt;jo@acme.com&gt;, + osoba <@UCLIENT>",
        "wiersz 3: utwórz *Globex*: opiekun <@UBOB>",
    ]
    assert json.dumps(dry_run, ensure_ascii=False).count("Nic jeszcze się nie zmieniło.") == 1
