"""Dates typed in Polish and Russian, understood whatever the reader's language (the words are no English ones):
due dates ahead (`jutro`, `w piątek`, `через неделю`) and contact days behind (`wczoraj`, `в пятницу`), and both
through `/client promise … by piątek` and `/client log acme вчера: …`."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from domain.dates import parse_due_date, parse_past_date, split_dated_note
from domain.errors import FutureDate, InvalidDate
from tests.driver import SlackDriver
from tests.helpers import add, ask, contacts, log, promise, promises

# Sunday 22 Nov 2026, the tests' "today" (as in test_dates), and the days around it.
SUNDAY = date(2026, 11, 22)
FRIDAY = date(2026, 11, 27)
MONDAY = date(2026, 11, 23)
WEDNESDAY = date(2026, 11, 25)
NEXT_FRIDAY = date(2026, 12, 4)  # "next friday" said on Wednesday 25 Nov: the Friday of next week


@pytest.mark.parametrize(
    ("text", "due"),
    [
        # Polish
        ("dziś", SUNDAY),
        ("dzisiaj", SUNDAY),
        ("jutro", MONDAY),
        ("Jutro", MONDAY),
        ("pojutrze", date(2026, 11, 24)),
        ("piątek", FRIDAY),
        ("Piątek", FRIDAY),
        ("piatek", FRIDAY),  # typed on an English keyboard
        ("w piątek", FRIDAY),
        ("w ten piątek", FRIDAY),
        ("we wtorek", date(2026, 11, 24)),
        ("poniedziałek", MONDAY),
        ("środa", date(2026, 11, 25)),
        ("w środę", date(2026, 11, 25)),
        ("czwartek", date(2026, 11, 26)),
        ("w sobotę", date(2026, 11, 28)),
        ("sobota", date(2026, 11, 28)),
        ("niedziela", date(2026, 11, 29)),  # the weekday it is today: a week later, as in English
        ("w niedzielę", date(2026, 11, 29)),
        ("w przyszły piątek", FRIDAY),  # on a Sunday, next week's Friday is the coming one, as "next friday"
        ("w przyszłą środę", date(2026, 11, 25)),
        ("przyszły tydzień", MONDAY),
        ("w przyszłym tygodniu", MONDAY),
        ("za 3 dni", date(2026, 11, 25)),
        ("za dzień", MONDAY),
        ("za tydzień", date(2026, 11, 29)),
        ("za 2 tygodnie", date(2026, 12, 6)),
        ("za 5 tygodni", date(2026, 12, 27)),
        ("koniec tygodnia", FRIDAY),
        ("do końca tygodnia", FRIDAY),
        ("w przyszłym miesiącu", date(2026, 12, 1)),
        ("20 grudnia", date(2026, 12, 20)),  # month names: dateparser's, after English
        ("3 stycznia 2027", date(2027, 1, 3)),
        # Russian
        ("сегодня", SUNDAY),
        ("завтра", MONDAY),
        ("Завтра", MONDAY),
        ("послезавтра", date(2026, 11, 24)),
        ("пятница", FRIDAY),
        ("в пятницу", FRIDAY),
        ("в ПЯТНИЦУ", FRIDAY),
        ("в эту пятницу", FRIDAY),
        ("понедельник", MONDAY),
        ("во вторник", date(2026, 11, 24)),
        ("в среду", date(2026, 11, 25)),
        ("в четверг", date(2026, 11, 26)),
        ("в субботу", date(2026, 11, 28)),
        ("в воскресенье", date(2026, 11, 29)),
        ("в следующую пятницу", FRIDAY),
        ("в следующий вторник", date(2026, 11, 24)),
        ("на следующей неделе", MONDAY),
        ("через 3 дня", date(2026, 11, 25)),
        ("через 5 дней", date(2026, 11, 27)),
        ("через неделю", date(2026, 11, 29)),
        ("через 2 недели", date(2026, 12, 6)),
        ("в конце недели", FRIDAY),
        ("20 декабря", date(2026, 12, 20)),
        # English and ISO dates, as ever
        ("friday", FRIDAY),
        ("next friday", FRIDAY),
        ("2026-12-01", date(2026, 12, 1)),
    ],
)
def test_due_dates_in_polish_and_russian(text: str, due: date) -> None:
    assert parse_due_date(text, today=SUNDAY) == due


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("piątek", FRIDAY),
        ("в пятницу", FRIDAY),
        ("w przyszły piątek", NEXT_FRIDAY),
        ("przyszły piątek", NEXT_FRIDAY),
        ("w następny piątek", NEXT_FRIDAY),
        ("в следующую пятницу", NEXT_FRIDAY),
        ("next friday", NEXT_FRIDAY),
        ("w przyszły poniedziałek", date(2026, 11, 30)),
        ("в следующий понедельник", date(2026, 11, 30)),
        ("w środę", date(2026, 12, 2)),  # the weekday it is today: a week later
        ("w przyszłym tygodniu", date(2026, 11, 30)),
        ("koniec tygodnia", FRIDAY),
    ],
)
def test_next_week_s_day_said_midweek(text: str, due: date) -> None:
    assert parse_due_date(text, today=WEDNESDAY) == due


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("dziś", SUNDAY),
        ("wczoraj", date(2026, 11, 21)),
        ("Wczoraj", date(2026, 11, 21)),
        ("przedwczoraj", date(2026, 11, 20)),
        ("piątek", date(2026, 11, 20)),
        ("w piątek", date(2026, 11, 20)),
        ("w niedzielę", SUNDAY),  # the weekday it is today: today, as "sunday"
        ("w zeszły piątek", date(2026, 11, 20)),
        ("w zeszłą niedzielę", date(2026, 11, 15)),
        ("3 dni temu", date(2026, 11, 19)),
        ("tydzień temu", date(2026, 11, 15)),
        ("20 listopada", date(2026, 11, 20)),
        ("сегодня", SUNDAY),
        ("вчера", date(2026, 11, 21)),
        ("позавчера", date(2026, 11, 20)),
        ("в пятницу", date(2026, 11, 20)),
        ("во вторник", date(2026, 11, 17)),
        ("в прошлое воскресенье", date(2026, 11, 15)),
        ("в прошлую среду", date(2026, 11, 18)),
        ("3 дня назад", date(2026, 11, 19)),
        ("неделю назад", date(2026, 11, 15)),
        ("20 ноября", date(2026, 11, 20)),
    ],
)
def test_contact_days_in_polish_and_russian(text: str, day: date) -> None:
    assert parse_past_date(text, today=SUNDAY) == day


@pytest.mark.parametrize(("text", "when"), [("jutro", MONDAY), ("завтра", MONDAY), ("za 3 dni", date(2026, 11, 25))])
def test_a_future_contact_day_in_words_is_refused(text: str, when: date) -> None:
    with pytest.raises(FutureDate) as caught:
        parse_past_date(text, today=SUNDAY)
    assert caught.value.when == when


@pytest.mark.parametrize("text", ["piątek piątek", "w", "za", "через", "w przyszły", "temu", "za dni", "zeszły"])
def test_words_that_make_no_date(text: str) -> None:
    with pytest.raises(InvalidDate):
        parse_due_date(text, today=SUNDAY)


@pytest.mark.parametrize(
    ("text", "day", "note"),
    [
        ("wczoraj: dzwoniliśmy w sprawie faktury", date(2026, 11, 21), "dzwoniliśmy w sprawie faktury"),
        ("Вчера: звонили", date(2026, 11, 21), "звонили"),
        ("w piątek: lunch", date(2026, 11, 20), "lunch"),
        ("в пятницу:\n встреча", date(2026, 11, 20), "встреча"),
    ],
)
def test_a_note_about_an_earlier_day_in_polish_and_russian(text: str, day: date, note: str) -> None:
    assert split_dated_note(text, today=SUNDAY) == (day, note)


@pytest.mark.parametrize("text", ["Uwaga: klient dzwonił", "Итог: всё хорошо", "Re: faktura"])
def test_a_note_that_starts_with_no_day_is_kept_as_typed(text: str) -> None:
    assert split_dated_note(text, today=SUNDAY) == (SUNDAY, text)


# Through the app: the conftest's clock says Sunday 22 Nov 2026, 10:00 in Warsaw, Alice's zone. -------------------


def test_a_promise_due_piatek_is_due_on_friday(slack: SlackDriver, session: Session) -> None:
    add(slack, "Acme")
    promise(slack, session, 'acme "send deck" by piątek')
    promise(slack, session, "acme call back by через 2 недели")
    assert [(p.what, p.due_on) for p in promises(session)] == [
        ('"send deck"', FRIDAY),
        ("call back", date(2026, 12, 6)),
    ]


def test_a_contact_logged_vchera_is_logged_on_yesterday(slack: SlackDriver, session: Session) -> None:
    add(slack, "Acme")
    log(slack, "acme вчера: звонили")
    log(slack, "acme wczoraj: lunch")
    [first, second] = contacts(session)
    noon_yesterday_in_warsaw = datetime(2026, 11, 21, 11, 0, tzinfo=UTC)
    assert [(c.note, c.occurred_at.replace(tzinfo=UTC)) for c in (first, second)] == [
        ("звонили", noon_yesterday_in_warsaw),
        ("lunch", noon_yesterday_in_warsaw),
    ]


def test_a_promise_in_russian_words_that_is_no_date_is_refused(slack: SlackDriver, session: Session) -> None:
    add(slack, "Acme")
    reply = ask(slack, "promise acme call back by когда-нибудь")
    assert promises(session) == [] and "когда-нибудь" in reply
