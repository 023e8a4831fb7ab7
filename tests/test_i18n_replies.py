# ruff: noqa: RUF001  (Russian text: its Cyrillic letters are meant, not look-alikes of Latin ones)
"""`/client` replies in the reader's language (issue 13 point 2): add, log, promise, list and show in Polish and
Russian, with dates in that language; and a note to someone else (a new owner, a new sponsor) in THEIR language,
whatever the language of whoever sent it. English readers keep reading what they always read (the other tests).

The tests' clock stands at Sun 22 Nov 2026 09:00 UTC (10:00 in Warsaw, every fake user's time zone).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from fakes.slack import FakeSlack
from tests.driver import SlackDriver
from tests.helpers import ask, promises


def dms_to(fake: FakeSlack, user: str) -> list[str]:
    return [c.params["text"] for c in fake.calls_to("chat.postMessage") if c.params.get("channel") == user]


def test_a_polish_slack_user_reads_add_log_promise_list_and_show_in_polish(
    slack: SlackDriver, session: Session
) -> None:
    slack.fake.add_user("UJAN", locale="pl-PL")
    assert ask(slack, 'add "Acme Corp" key', user="UJAN") == (
        "Dodano *Acme Corp* jako kluczowego klienta, opiekun: <@UJAN>, co 2 tygodnie. "
        "Zapisz kontakt przez `/client log Acme Corp <note>`."
    )
    assert ask(slack, "log acme yesterday: lunch with Dana", user="UJAN") == (
        "Zapisano kontakt z *Acme Corp* z dnia sob. 21 lis: „lunch with Dana”"
    )
    reply = ask(slack, "promise acme send the quote by 2026-11-27", user="UJAN")
    number = promises(session)[-1].id
    assert reply == (
        f"Obietnica #{number} dla *Acme Corp*: „send the quote” do pt. 27 lis, opiekun: <@UJAN>. "
        f"Oznacz ją jako dotrzymaną przez `/client done {number}`."
    )
    assert ask(slack, "list", user="UJAN").splitlines() == [
        "Wszyscy klienci (1)",
        ":star: *Acme Corp*: <@UJAN>, co 2 tygodnie, ostatni kontakt sob. 21 lis (0 dni temu)",
    ]
    shown = ask(slack, "show acme", user="UJAN").splitlines()
    for line in [
        "*Opiekun:* <@UJAN>",
        "*Kluczowy klient:* tak",
        "*Rytm kontaktu:* co 2 tygodnie",
        "*Czas na odpowiedź:* 1 dzień roboczy (domyślnie)",
        "*Otwarte obietnice*",
        f"• #{number} „send the quote” do pt. 27 lis, <@UJAN>",
        "*Ostatnie kontakty* (1 z 1)",
        "• sob. 21 lis, <@UJAN> na <#CGENERAL>: „lunch with Dana”",  # "in {channel}" is shared with the nudges
        "Dodano niedz. 22 lis (<@UJAN>)",
    ]:
        assert line in shown, line
    assert ask(slack, "list quiet", user="UJAN") == (
        "Nigdzie nie jest cicho: każdy klient z rytmem kontaktu miał od nas wiadomość na czas. :tada:"
    )


def test_someone_who_chose_russian_reads_russian_and_an_english_teammate_still_english(
    slack: SlackDriver, session: Session
) -> None:
    ask(slack, "config me language ru")
    assert ask(slack, 'add "Acme Corp"') == (
        "Клиент *Acme Corp* добавлен, ответственный: <@UALICE>, без периодичности. "
        "Записать контакт: `/client log Acme Corp <note>`."
    )
    reply = ask(slack, "promise acme send the quote by 2026-11-27")
    number = promises(session)[-1].id
    assert reply == (
        f"Обещание #{number} для *Acme Corp*: «send the quote» до пт 27 нояб., ответственный: <@UALICE>. "
        f"Отметить выполненным: `/client done {number}`."
    )
    assert ask(slack, "list").splitlines() == [
        "Все клиенты (1)",
        "*Acme Corp*: <@UALICE>, без периодичности, контактов ещё не было (добавлен 0 дней назад)",
    ]
    shown = ask(slack, "show acme").splitlines()
    for line in [
        "*Ответственный:* <@UALICE>",
        "*Ключевой клиент:* нет",
        "*Контакты:* 0",
        "*Открытые обещания*",
        f"• #{number} «send the quote» до пт 27 нояб., <@UALICE>",
        "Контактов пока нет. `/client log Acme Corp <note>` записывает контакт.",
    ]:
        assert line in shown, line
    # Bob chose nothing and his Slack speaks English: the same client, in the words he always read.
    assert ask(slack, "list", user="UBOB").splitlines() == [
        "All clients (1)",
        "*Acme Corp*: <@UALICE>, no cadence, no contact yet (added 0 days ago)",
    ]
    assert f"• #{number} “send the quote” by Fri 27 Nov, <@UALICE>" in ask(slack, "show acme", user="UBOB").splitlines()


def test_the_new_owner_reads_the_hand_over_in_their_language_and_the_asker_in_theirs(
    slack: SlackDriver, session: Session
) -> None:
    slack.fake.add_user("UBOB", locale="ru-RU")
    ask(slack, 'add "Acme Corp" key')
    assert ask(slack, "owner acme <@UBOB>") == "*Acme Corp* now belongs to <@UBOB> (was <@UALICE>)."
    assert dms_to(slack.fake, "UBOB") == [
        "<@UALICE> передаёт вам *Acme Corp* (каждые 2 недели). `/client show Acme Corp` покажет историю клиента."
    ]
    # Bob hands it back: Alice reads English, whatever Bob reads.
    assert ask(slack, "owner acme <@UALICE>", user="UBOB") == (
        "Теперь за *Acme Corp* отвечает <@UALICE> (ранее: <@UBOB>)."
    )
    assert dms_to(slack.fake, "UALICE") == [
        "<@UBOB> handed *Acme Corp* over to you (every 2 weeks). `/client show Acme Corp` has its story so far."
    ]


def test_a_new_sponsor_is_told_in_their_language(slack: SlackDriver, session: Session) -> None:
    slack.fake.add_user("UCAROL", locale="ru-RU")
    ask(slack, "config me language pl")
    ask(slack, 'add "Acme Corp"')
    assert ask(slack, "sponsor acme <@UCAROL> every 10d") == (
        "<@UCAROL> jest teraz sponsorem *Acme Corp*, co 10 dni. Nie ma jeszcze własnego kontaktu z tym klientem: "
        "odliczanie zaczyna się teraz. Kolejny powinien być do śr. 2 gru."
    )
    assert dms_to(slack.fake, "UCAROL") == [
        "<@UALICE> назначает вас спонсором *Acme Corp*: вы планируете лично общаться с ними каждые 10 дней. "
        "Засчитываются только ваши собственные контакты; я напомню, когда придёт время."
    ]
    ask(slack, "sponsor acme <@UBOB> every 2w")  # Bob reads English
    assert dms_to(slack.fake, "UBOB") == [
        "<@UALICE> named you sponsor of *Acme Corp*: you mean to talk to them yourself every 2 weeks. "
        "Only your own contacts count; I'll nudge you when it's time."
    ]


def test_the_workspace_language_is_everyones_who_chose_none(slack: SlackDriver, session: Session) -> None:
    ask(slack, "config language pl")
    ask(slack, 'add "Acme Corp"', user="UCAROL")
    assert ask(slack, "owner acme <@UBOB>", user="UCAROL") == (
        "Opiekunem *Acme Corp* jest teraz <@UBOB> (wcześniej: <@UCAROL>)."
    )
    assert dms_to(slack.fake, "UBOB") == [
        "<@UCAROL> przekazuje Ci *Acme Corp* (bez rytmu kontaktu). `/client show Acme Corp` pokazuje dotychczasową "
        "historię."
    ]
