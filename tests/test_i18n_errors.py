"""Errors, usage and help in the reader's language (issue 13, point 2): Polish and Russian readers get their own
words around the command syntax, which stays English; English readers read what they always did.

Through the real app, on both databases. The tests' clock is Sunday 22 Nov 2026 in Warsaw.
"""

# ruff: noqa: RUF001  (short Russian words are made of Cyrillic letters that look Latin, as they should)

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.languages import Language
from render.hours import working_days
from render.i18n import speaking
from render.ids import ActionId, BlockId
from storage.models import Client, Contact
from tests.driver import SlackDriver
from tests.helpers import NOTHING_CHANGED, ask, blocks_text, fresh, nothing_changes, posts

RUSSIAN = "UIVAN"
POLISH = "UJAN"


@pytest.fixture
def readers(slack: SlackDriver) -> None:
    """Ivan's Slack speaks Russian and Jan's Polish; nobody chose a language in rapport."""
    slack.fake.add_user(RUSSIAN, locale="ru-RU")
    slack.fake.add_user(POLISH, locale="pl-PL")


@pytest.fixture
def clients(slack: SlackDriver, readers: None) -> None:
    ask(slack, 'add "Acme Corp"')
    ask(slack, 'add "Acme Labs"')


def test_an_unknown_client_gets_did_you_mean_in_russian(slack: SlackDriver, session: Session, clients: None) -> None:
    with nothing_changes(session):
        reply = ask(slack, "show acme corq", user=RUSSIAN)
    assert reply == (
        ":warning: Я не знаю клиента с названием *acme corq*. Может быть, вы имели в виду *Acme Corp* "
        "или *Acme Labs*? Ничего не изменено."
    )
    with nothing_changes(session):
        reply = ask(slack, "show acme", user=RUSSIAN)
    assert reply.startswith(":warning: *acme* — это может быть *Acme Corp* или *Acme Labs*. Вы имели в виду одного")
    # The same mistake, by someone whose Slack speaks English: what it always said.
    assert ask(slack, "show acme corq") == (
        ":warning: I don't know a client called *acme corq*. Did you mean *Acme Corp* or *Acme Labs*? "
        + NOTHING_CHANGED
    )


def test_help_in_polish_keeps_the_command_syntax_in_english(slack: SlackDriver, readers: None) -> None:
    reply = ask(slack, "help", user=POLISH)
    assert reply.startswith("*rapport* dba o dobre relacje z Twoimi klientami.\n")
    assert "• `/client add <name> [key] [every <N>d|<N>w] [owner @someone]`: dodaj klienta (" in reply
    assert "• `/client promise <client> <what> by <date>`: zapisz, co obiecaliśmy klientowi i na kiedy" in reply
    assert "• `/client help [subcommand]`: ta pomoc albo pomoc do jednego polecenia\nNazwy klientów" in reply
    assert reply.endswith("jej menu ⋯ → *Log client contact*.")  # the shortcut's name, as Slack shows it
    assert ask(slack, "help log", user=POLISH) == (
        "Użycie: `/client log <client> <note>` (lub `<date>: <note>` dla wcześniejszego dnia)\n"
        "Przykład: `/client log acme wczoraj: dzwonili w sprawie faktury, chcą ją podzielić na dwie`"
    )
    assert ask(slack, "help promise", user=POLISH) == (
        "Użycie: `/client promise <client> <what> by <date>`\n"
        "Przykład: `/client promise acme wysłać poprawioną ofertę by piątek`"
    )
    assert ask(slack, "help promise") == (  # English, unchanged
        "Usage: `/client promise <client> <what> by <date>`\n"
        "Example: `/client promise acme send the revised quote by friday`"
    )


def test_an_unknown_subcommand_in_russian_shows_the_russian_overview(slack: SlackDriver, readers: None) -> None:
    reply = ask(slack, "frobnicate acme", user=RUSSIAN)
    assert reply.startswith(
        ":warning: Я не знаю команды `/client frobnicate`. Введите `/client help`, чтобы узнать, что я умею.\n"
        "*rapport* помогает поддерживать здоровые отношения с клиентами."
    )
    assert "• `/client show <client>`: вся история клиента: ответственный, периодичность" in reply


def test_usage_errors_and_dates_in_polish(slack: SlackDriver, session: Session, clients: None) -> None:
    with nothing_changes(session):
        reply = ask(slack, "log acme corp", user=POLISH)
    assert reply == (
        ":warning: O czym była mowa? Dodaj notatkę po nazwie klienta.\n"
        "Użycie: `/client log <client> <note>` (lub `<date>: <note>` dla wcześniejszego dnia)\n"
        "Przykład: `/client log acme wczoraj: dzwonili w sprawie faktury, chcą ją podzielić na dwie`"
    )
    with nothing_changes(session):
        reply = ask(slack, "promise acme corp send the deck by 2026-11-20", user=POLISH)
    assert reply == (
        ":warning: Dzień pt. 20 lis już minął: obietnica potrzebuje daty od dziś wzwyż. Nic nie zostało zmienione."
    )
    with nothing_changes(session):
        reply = ask(slack, "log acme corp 2025-01-10: called", user=POLISH)
    assert reply.startswith(
        ":warning: pt. 10 sty 2025 to ponad rok temu: najwcześniejszy dzień, dla którego mogę zapisać kontakt, to "
        "sob. 22 lis 2025. Może literówka? Nic nie zostało zmienione.\nUżycie: `/client log"
    )


def test_plural_forms_of_a_too_long_note(slack: SlackDriver, session: Session, clients: None) -> None:
    with nothing_changes(session):
        polish = ask(slack, "promise acme corp " + "x" * 305 + " by tomorrow", user=POLISH)
        russian = ask(slack, "promise acme corp " + "x" * 302 + " by tomorrow", user=RUSSIAN)
    assert "Pole „obietnica” jest za długie: 305 znaków, najwyżej 300." in polish
    assert "Поле «обещание» слишком длинное: 302 символа, а можно не больше 300." in russian
    assert polish.endswith("Nic nie zostało zmienione.") and russian.endswith("Ничего не изменено.")


def test_the_workspace_language_applies_to_errors_unless_someone_chose_their_own(
    slack: SlackDriver, session: Session, clients: None
) -> None:
    ask(slack, "config language pl")
    assert ask(slack, "cadence acme corp sometimes", user="UBOB") == (
        ":warning: Nie rozumiem rytmu kontaktu *sometimes*: podaj dni lub tygodnie, od `1d` do `365d` (na przykład "
        "`14d` albo `2w`). Nic nie zostało zmienione."
    )
    ask(slack, "config me language en", user="UBOB")
    assert ask(slack, "cadence acme corp sometimes", user="UBOB") == (
        ":warning: *sometimes* is not a cadence I understand: use days or weeks, from `1d` to `365d` (for example "
        f"`14d` or `2w`). {NOTHING_CHANGED}"
    )


def test_the_backup_is_told_in_their_own_language_and_the_asker_in_theirs(slack: SlackDriver, readers: None) -> None:
    reply = ask(slack, f"away until wed <@{RUSSIAN}|ivan>")
    assert reply.startswith(":palm_tree: You are away until Wed 25 Nov (the whole day).")
    [told] = [blocks_text(c) for c in posts(slack.fake) if c.params["channel"] == RUSSIAN]
    assert told == (
        ":palm_tree: <@UALICE> отсутствует до ср 25 нояб. и просит вас подменить: до тех пор напоминания этого "
        "человека приходят вам, в каждом это указано."
    )
    reply = ask(slack, f"away until wed <@{RUSSIAN}|ivan>", user=POLISH)
    assert reply.startswith(":palm_tree: Twoja nieobecność trwa do śr. 25 lis (włącznie).")
    assert ask(slack, "away off", user=POLISH) == (
        f"Witaj z powrotem: przypomnienia znowu trafiają do Ciebie, już nie do <@{RUSSIAN}>."
    )
    assert "*Nieobecność:* nie" in ask(slack, "config me", user=POLISH)


def test_refused_away_in_russian(slack: SlackDriver, session: Session, readers: None) -> None:
    with nothing_changes(session):
        reply = ask(slack, f"away until wed <@{RUSSIAN}|ivan>", user=RUSSIAN)
    assert reply.startswith(
        ":warning: Нельзя замещать самого себя: укажите коллегу, который будет на месте, пока вас нет. "
        "Ничего не изменено.\nИспользование: `/client away until <date> @backup` или `/client away off`"
    )


def _open_modal(slack: SlackDriver, user: str) -> dict[str, Any]:
    assert slack.message_shortcut(text="Acme wants the quote split", user=user).status == 200
    view = slack.fake.calls_to("views.open")[-1].params["view"]
    return json.loads(view) if isinstance(view, str) else view


def _values(client_id: int | None, note: str) -> dict[str, Any]:
    option = {"value": str(client_id), "text": {"type": "plain_text", "text": "x"}} if client_id else None
    return {
        BlockId.CLIENT: {ActionId.CLIENT_PICK: {"type": "external_select", "selected_option": option}},
        BlockId.NOTE: {ActionId.NOTE_INPUT: {"type": "plain_text_input", "value": note}},
    }


def test_the_log_contact_modal_and_its_errors_in_russian(slack: SlackDriver, session: Session, clients: None) -> None:
    view = _open_modal(slack, RUSSIAN)
    assert (view["title"]["text"], view["submit"]["text"], view["close"]["text"]) == (
        "Записать контакт", "Записать", "Отмена",
    )  # fmt: skip
    labels = [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"]
    assert labels == ["Клиент", "О чём говорили"]
    assert view["blocks"][-1]["elements"][0]["text"] == (
        "Из сообщения <@UBOB> в <#CCLIENT>. Ссылка на сообщение сохранится как подтверждение."
    )
    response = slack.view_submission(view, _values(None, "   "), user=RUSSIAN)
    assert response.json() == {
        "response_action": "errors",
        "errors": {
            BlockId.CLIENT: "Выберите клиента из списка (введите часть названия).",
            BlockId.NOTE: "Поле «заметка» пустое. Ничего не изменено.",
        },
    }
    assert fresh(session).scalar(select(func.count()).select_from(Contact)) == 0
    english = slack.view_submission(_open_modal(slack, "UALICE"), _values(None, "hello"))
    assert english.json()["errors"] == {BlockId.CLIENT: "Pick a client from the list (type part of its name)."}
    acme = fresh(session).scalar(select(Client.id).where(Client.name == "Acme Corp"))
    assert slack.view_submission(view, _values(acme, "x" * 3001), user=RUSSIAN).json()["errors"] == {
        BlockId.NOTE: "Поле «заметка» слишком длинное: 3001 символ, а можно не больше 3000. Ничего не изменено."
    }


@pytest.mark.parametrize(
    ("language", "expected"),
    [(Language.EN, ["mon-fri", "mon,wed,fri"]), (Language.PL, ["pon.\u2013pt.", "pon., śr., pt."]),
     (Language.RU, ["пн\u2013пт", "пн, ср, пт"])],
)  # fmt: skip
def test_working_days_read_in_the_reader_s_language(language: Language, expected: list[str]) -> None:
    with speaking(language):
        assert [working_days(frozenset(range(5))), working_days(frozenset({0, 2, 4}))] == expected
