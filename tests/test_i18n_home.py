"""The Home tab and the weekly digest in each reader's language: a Russian reader's Home in Russian (whoever or
whatever published it), and one digest sweep posting a Polish recipient's DM and chart in Polish while another
recipient gets the same week in English."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from domain.clock import FixedClock
from render.ids import ActionId
from tests.driver import SlackDriver
from tests.helpers import Sweeps, add, ask, at, blocks_text, log, posts
from tests.test_digest_schedule import WARSAW_9
from tests.test_home import board, headers, home_of, open_home, press_on_home, promise_about, texts

assert board  # test_home's fixture (Alice's Acme Corp and Globex, Bob's Initech), imported for its name


def button_texts(view: dict[str, Any]) -> list[str]:
    """What every button on the Home tab says, in order."""
    found = []
    for block in view["blocks"]:
        elements = block.get("elements", []) if block["type"] == "actions" else [block.get("accessory") or {}]
        found += [e["text"]["text"] for e in elements if e.get("type") == "button"]
    return found


@pytest.mark.usefixtures("board")
def test_a_russian_readers_home_is_in_russian(slack: SlackDriver, session: Session) -> None:
    ask(slack, "config me language ru")
    view = open_home(slack)
    text = texts(view)
    assert headers(view)[:4] == [
        "Ваши клиенты по здоровью (2)",
        "Ваши обещания: просроченные и на этой неделе",
        "Сообщения клиентов ждут ответа",
        "Опросы, ждущие вашего ответа",
    ]
    # Dates in Russian, as Babel writes them; user text and mentions as typed.
    assert ":rotating_light: Обещание для *Acme Corp*: «send the deck» до пт 27 нояб. (просрочено)" in text
    assert ":date: Обещание для *Globex*: «send the renewal terms» до пт 11 дек." in text
    asked = "<@UCLIENT> (*Acme Corp*) спрашивает в <#CACME> пн 7 дек. 10:00: без ответа с вт 8 дек. 10:00"  # noqa: RUF001
    assert asked in text
    assert "последний контакт чт 10 дек." in text and ":hourglass: просрочено" in text
    assert "*Acme Corp*, «Website relaunch»: запрос от <@UALICE>, чт 10 дек." in text
    assert button_texts(view)[:3] == ["Записать контакт", "Отложить на неделю", "Записать контакт"]
    assert {"Готово", "Отложить на день", "Отвечено", "Отложить на рабочий день", "Ответить (2 мин)"} <= set(
        button_texts(view)
    )
    assert "Импортировать клиентов" in button_texts(view)
    own = text.split("Много клиентов сразу")[0]  # the help's overview below is not the Home's own
    assert "Your" not in own and "promised" not in own and "by " not in own  # nothing left in English


@pytest.mark.usefixtures("board")
def test_a_button_pressed_by_a_russian_reader_refreshes_her_home_in_russian(
    slack: SlackDriver, session: Session
) -> None:
    ask(slack, "config me language ru")
    press_on_home(slack, ActionId.HOME_PROMISE_DONE, promise_about(session, "send the deck").id)
    text = texts(home_of(slack))
    assert "«send the deck»" not in text and "«send the renewal terms»" in text
    assert headers(home_of(slack))[0] == "Ваши клиенты по здоровью (2)"


@pytest.mark.usefixtures("board")
def test_a_newcomer_whose_slack_speaks_russian_gets_a_russian_home(slack: SlackDriver) -> None:
    slack.fake.add_user("UIVAN", locale="ru-RU")  # never seen: only Slack can tell (opening Home is an event)
    view = open_home(slack, "UIVAN")
    assert headers(view)[:2] == ["Ваши клиенты", "Ваши обещания: просроченные и на этой неделе"]
    text = texts(view)
    assert "У вас пока нет своих клиентов. `/client add <name>` добавит клиента." in text  # noqa: RUF001
    assert "Ничего не просрочено, на ближайшие 7 дней ничего нет." in text


@pytest.mark.usefixtures("board")
def test_the_workspace_language_reaches_everyone_who_chose_none(slack: SlackDriver) -> None:
    ask(slack, "config language pl")
    ask(slack, "config me language en")  # Alice's own choice beats the workspace's
    assert headers(open_home(slack, "UBOB"))[0] == "Twoi klienci według kondycji (1)"
    assert headers(open_home(slack))[0] == "Your clients by health (2)"


# the weekly digest -----------------------------------------------------------------------------------------------


def test_one_sweep_sends_each_recipient_the_digest_and_its_chart_in_their_language(
    slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock
) -> None:
    slack.fake.add_user("UJAN", locale="pl-PL")  # Warsaw, as Alice
    add(slack, "Hooli key")
    clock.set(at(24, 10))  # Tuesday of the week the digest tells
    log(slack, "hooli kickoff call")
    log(slack, "hooli follow-up")
    ask(slack, "config digest <@UALICE|alice> <@UJAN|jan> mon 09:00")
    assert sweeps.at(WARSAW_9).digests == 2
    sent = {p.params["channel"]: p for p in posts(slack.fake) if p.params.get("metadata")}
    english, polish = sent["UALICE"], sent["UJAN"]
    assert english.params["text"] == (
        "Weekly digest, Mon 23 Nov to Mon 30 Nov: 2 contacts, 0 went quiet, 0 promises kept, 0 slipped, "
        "0 client messages waiting"
    )
    assert polish.params["text"] == (
        "Podsumowanie tygodnia, pon. 23 lis – pon. 30 lis: 2 kontakty, 0 klientów ucichło, "  # noqa: RUF001
        "0 obietnic dotrzymanych, 0 po terminie, 0 wiadomości klientów czeka"
    )
    words = blocks_text(polish)
    assert "*Kontakty według opiekuna*\n• <@UALICE>: 2 kontakty z 1 klientem" in words
    assert "*Kluczowi klienci*\n• *Hooli* (<@UALICE>): 2 kontakty" in words
    assert "• <@UALICE>: 2 contacts with 1 client" in blocks_text(english)
    assert "*Klienci, z którymi kontakt ucichł*\n_W tym tygodniu nic._" in words
    assert "Wykres poniżej pokazuje kondycję kluczowych klientów" in words
    assert "Contacts per owner" in blocks_text(english) and "Kontakty" not in blocks_text(english)
    charts = {shared.channel_id: shared for shared in slack.fake.shared}
    assert charts["DUALICE"].title == "Key clients, 12 weeks to Mon 30 Nov"
    assert charts["DUJAN"].title == "Kluczowi klienci, 12 tygodni do pon. 30 lis"
    assert charts["DUALICE"].filename == charts["DUJAN"].filename == "rapport-digest-2026-11-30.png"
    assert charts["DUALICE"].content != charts["DUJAN"].content  # the same week, its words drawn in Polish
    # The recipient reads the schedule in Polish too; the asker in English.
    schedule = "w poniedziałki o 09:00 w strefie czasowej każdego odbiorcy, dla <@UALICE>, <@UJAN>"
    assert f"*Podsumowanie tygodnia:* {schedule}" in ask(slack, "config", user="UJAN")
    assert "*Weekly digest:* Mondays at 09:00 in each recipient's own time zone" in ask(slack, "config")


def test_digest_asked_for_by_a_polish_reader_comes_in_polish(slack: SlackDriver, session: Session) -> None:
    add(slack, "Hooli key")
    log(slack, "hooli kickoff call")
    ask(slack, "config me language pl")
    assert ask(slack, "digest") == "Podsumowanie tego tygodnia czeka na Ciebie w wiadomości prywatnej."
    [post] = [p for p in posts(slack.fake) if str(p.params.get("text")).startswith("Podsumowanie tygodnia, ")]
    assert post.params["channel"] == "UALICE"
    [chart] = slack.fake.shared
    assert chart.title is not None and chart.title.startswith("Kluczowi klienci, 12 tygodni do ")
