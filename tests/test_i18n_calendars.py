# ruff: noqa: RUF001  (Russian text: its Cyrillic letters are meant, not look-alikes of Latin ones)
"""A teammate's calendar in their language (issue 13 point 2): what connecting it says, its status, and the DM the
sweep sends when it keeps failing (nobody acted: the owner's language is looked up for it)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from fakes.calendars import CalendarServer, calendar, event
from tests.calendars import allow_private, calendar_ca, clients, connect, feed_path, feeds, settings, the_feed
from tests.driver import SlackDriver
from tests.helpers import Sweeps, ask, blocks_text, posts

__all__ = ["allow_private", "calendar_ca", "clients", "feeds", "settings"]  # fixtures used by name


def test_a_russian_reader_connects_reads_the_status_and_is_told_of_failures_in_russian(
    slack: SlackDriver, session: Session, sweeps: Sweeps, feeds: CalendarServer, clients: None
) -> None:
    ask(slack, "config me language ru")
    meeting = event("m1@x", datetime(2026, 11, 20, 9, tzinfo=UTC), attendees=("jo@acme.com",))
    hint = "`https://127.0.0.1/…/basic.ics`"
    connected, first_read = connect(slack, feeds.serve(feed_path(), calendar(meeting)))
    assert connected.startswith(f":calendar: Ваш календарь {hint} подключён (это видите только вы;")
    assert first_read == (
        "Прочитано: 1 встреча с недели назад до недели вперёд, из них с клиентами: 1; "
        "записано: 1 контакт для уже закончившихся."
    )
    assert ask(slack, "calendar").splitlines() == [
        f":calendar: Ваш календарь: {hint}",
        "*Сохранять названия:* нет · *Справки перед встречами:* нет",
        "*Последнее чтение:* вс 22 нояб. 10:00",
    ]
    feeds.answer(feed_path(), 503)
    for _unused in range(3):  # the third failure in a row tells the owner
        sweeps.at(the_feed(session).next_poll_at)
    [dm] = posts(slack.fake)
    assert dm.params["channel"] == "UALICE"
    text = blocks_text(dm)
    assert text.startswith(f":warning: Не могу прочитать ваш календарь {hint}: ")
    assert text.endswith(
        " Встречи с клиентами не будут записываться, пока это не заработает. Я продолжу попытки; можно также "
        "`/client calendar off`."
    )
    assert ":warning: *Ошибка:* 3 неудачных чтения подряд: " in ask(slack, "calendar")
