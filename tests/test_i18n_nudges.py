"""Nudges speak their reader's language (#13, point 2): the sweep writes each nudge, reminder, briefing and
team-channel post in its recipient's language (a team channel reads the workspace's), an answered nudge is edited
in its reader's language whoever answered, and a hand-over note reaches the new owner in theirs.

Through the real app and the real sweep, on both databases. The tests' clock starts on Sun 22 Nov 2026; UALICE
is in Warsaw. English readers read exactly what they always did (the other nudge tests say so).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from fakes.slack import Call, FakeSlack
from render.ids import ActionId
from tests.driver import SlackDriver
from tests.helpers import Sweeps, action_ids, ask, blocks_text, nudges, posts, press

# Monday 7 Dec 2026, 10:00 in Warsaw: Acme Corp (a key client, last contact Sun 22 Nov) has gone quiet.
MONDAY_10_WARSAW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _blocks(call: Call) -> list[dict[str, Any]]:
    blocks = call.params.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def _controls(call: Call) -> dict[str, dict[str, Any]]:
    """The message's buttons and menus by action id."""
    return {e["action_id"]: e for b in _blocks(call) if b["type"] == "actions" for e in b["elements"]}


def _dm(fake: FakeSlack, user: str) -> list[Call]:
    return [c for c in posts(fake) if c.params["channel"] == user]


def _updated(fake: FakeSlack, channel: str) -> str:
    return blocks_text([c for c in fake.calls_to("chat.update") if c.params["channel"] == channel][-1])


def test_a_quiet_client_nudge_reaches_a_russian_reader_in_russian_with_its_buttons(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None
) -> None:
    ask(slack, "config me language ru")
    assert sweeps.at(MONDAY_10_WARSAW).posted == 1
    [nudge_post] = posts(slack.fake)
    text = blocks_text(nudge_post)
    assert ":hourglass: 15 дней без контакта с *Acme Corp* (ваша периодичность: раз в 14 дней)." in text  # noqa: RUF001
    assert "Последний: вс 22 нояб., <@UALICE>: «invoice call»" in text
    assert (
        text.splitlines()[-1]
        == "Реакции: :white_check_mark: когда готово · :zzz: отложить · :raising_hand: взять на себя"
    )
    assert nudge_post.params["text"].startswith("15 дней без контакта с *Acme Corp*")  # noqa: RUF001 (the notification, too)
    controls = _controls(nudge_post)
    assert controls[ActionId.NUDGE_LOGGED]["text"]["text"] == "Контакт был"
    snooze = controls[ActionId.NUDGE_SNOOZE]
    assert snooze["placeholder"]["text"] == "Отложить"
    assert [o["text"]["text"] for o in snooze["options"]] == ["3 дня", "1 неделя", "2 недели"]
    assert [o["value"] for o in snooze["options"]] == [f"{nudges(session)[0].id}:{n}" for n in (3, 7, 14)]
    assert controls[ActionId.NUDGE_HAND_OVER]["placeholder"]["text"] == "Передать"


def test_the_reminder_in_the_thread_speaks_the_reader_s_language(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None
) -> None:
    ask(slack, "config me language ru")
    sweeps.at(MONDAY_10_WARSAW)
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(days=3)).reminders == 1  # Thursday: 3 working days
    [reminder] = posts(slack.fake, thread=True)
    [nudge] = nudges(session)
    assert (reminder.params["channel"], reminder.params["thread_ts"]) == (nudge.channel_id, nudge.ts)
    assert blocks_text(reminder) == (
        ":bell: *Acme Corp* всё ещё ждёт от нас вестей. Ответьте выше кнопкой или реакцией."
    )


@pytest.mark.parametrize(
    ("due", "late"),
    [("2026-11-27", "1 dzień roboczy"), ("2026-11-26", "2 dni robocze"), ("2026-11-23", "5 dni roboczych")],
)
def test_a_slipped_promise_nudge_counts_working_days_late_in_polish(
    slack: SlackDriver, sweeps: Sweeps, session: Session, due: str, late: str
) -> None:
    ask(slack, "config me language pl")
    slack.command('add "Acme Corp"')
    slack.command(f"promise acme send revised quote by {due}")
    sweeps.at(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))  # Monday 30 Nov
    [slip] = posts(slack.fake)
    text = blocks_text(slip)
    day = {"2026-11-27": "pt. 27 lis", "2026-11-26": "czw. 26 lis", "2026-11-23": "pon. 23 lis"}[due]
    assert (
        f":rotating_light: Twoja obietnica dla *Acme Corp*: „send revised quote” do {day} – {late} po terminie." in text  # noqa: RUF001
    )
    assert [c["text"]["text"] for c in _controls(slip).values() if c["type"] == "button"] == ["Zrobione"]
    assert _controls(slip)[ActionId.NUDGE_NEW_DATE]["placeholder"]["text"] == "Nowy termin"


def test_the_team_channel_reads_the_workspace_language_and_each_message_keeps_its_reader_s(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None
) -> None:
    ask(slack, "config language pl")  # the workspace writes Polish ...
    ask(slack, "config me language ru")  # ... but Alice chose Russian
    ask(slack, "config me language en", user="UCAROL")  # and Carol English
    slack.command("config channel <#CTEAM|team>")
    sweeps.at(MONDAY_10_WARSAW)
    sweeps.at(MONDAY_10_WARSAW + timedelta(days=3))
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(days=7)).escalations == 1
    team_post = posts(slack.fake)[-1]
    assert team_post.params["channel"] == "CTEAM"
    text = blocks_text(team_post)
    assert text.startswith(  # Polish, not Alice's Russian
        ":hourglass: 22 dni bez kontaktu z *Acme Corp* (rytm kontaktu: co 14 dni). Ostatni: niedz. 22 lis, <@UALICE>: "
        "„invoice call”"
    )
    assert "Opiekun <@UALICE> jest nieosiągalny. <@UALICE> nie odpowiada od tygodnia. Kto to weźmie?" in text
    assert text.splitlines()[-1] == "Zareaguj :raising_hand: albo kliknij *Biorę to*, by zostać opiekunem."
    assert _controls(team_post)[ActionId.NUDGE_TAKE]["text"]["text"] == "Biorę to"
    [nudge] = nudges(session)
    press(slack, nudge, ActionId.NUDGE_TAKE, value=str(nudge.id), user="UCAROL", escalated=True)
    assert ":raising_hand: <@UCAROL>: przejęte." in _updated(slack.fake, "CTEAM")  # the channel's language
    assert ":raising_hand: <@UCAROL>: взято на себя." in _updated(slack.fake, "DUALICE")  # Alice's own


def test_a_hand_over_note_reaches_the_new_owner_in_their_language_while_the_actor_reads_english(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None
) -> None:
    ask(slack, "config me language ru", user="UBOB")
    sweeps.at(MONDAY_10_WARSAW)
    [nudge] = nudges(session)
    press(slack, nudge, ActionId.NUDGE_HAND_OVER, selected_user="UBOB")
    [note] = _dm(slack.fake, "UBOB")
    assert blocks_text(note).splitlines() == [
        "<@UALICE> передаёт вам *Acme Corp*. Последнее:",
        "• пн 7 дек., <@UALICE>: клиент передан, ответственный: <@UBOB>",  # the timeline's events, in Russian too
        "• вс 22 нояб., <@UALICE>: “invoice call”",
    ]
    assert note.params["text"] == "Acme Corp — теперь вы ответственный"
    assert ":arrow_right: <@UALICE> handed it over to <@UBOB>." in _updated(slack.fake, "DUALICE")  # Alice's English


def test_a_briefing_in_polish(slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None) -> None:
    slack.command("add Beta key")
    slack.command("promise acme send the revised quote by 2026-12-03")
    ask(slack, "config me briefing 09:00")
    ask(slack, "config me language pl")
    report = sweeps.at(datetime(2026, 12, 7, 8, 0, tzinfo=UTC))  # 09:00 in Warsaw
    assert report.briefings == 1
    [briefing] = posts(slack.fake)
    text = blocks_text(briefing)
    assert text.startswith(":sunrise: *Twój poranny przegląd na pon. 7 gru*: dziś 3 sprawy dla Ciebie.")
    promises, quiet = text.index("*Obietnice do spełnienia*"), text.index("*Klienci bez kontaktu*")
    assert promises < text.index("„send the revised quote” do czw. 3 gru – 2 dni robocze po terminie.") < quiet  # noqa: RUF001
    assert quiet < text.index("Nikt nie rozmawiał z *Beta* od dodania")
    assert briefing.params["text"] == "Twój poranny przegląd: dziś 3 sprawy dla Ciebie"
    assert action_ids(briefing).count(ActionId.NUDGE_LOGGED) == 2
    assert text.splitlines()[-1].startswith("Odpowiedz na każdą sprawę jej przyciskami")
