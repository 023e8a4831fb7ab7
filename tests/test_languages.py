"""Which language rapport writes to each person in: their own choice (`/client config me language ru`), else the
workspace's (`/client config language pl`), else their Slack locale when we speak it, else English."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.boss_models import PersonSettings
from storage.models import Person, Workspace
from tests.driver import SlackDriver
from tests.helpers import ask, fresh, nothing_changes

RUSSIAN_LINE = "*Ваш язык:* русский"
POLISH_LINE = "*Twój język:* polski"
UNSET_LINE = "*Your language:* the workspace's, else your Slack language"


def own_language(session: Session, user: str = "UALICE") -> str | None:
    return fresh(session).scalar(select(PersonSettings.language).where(PersonSettings.user_id == user))


def test_a_person_chooses_their_language_and_is_answered_in_it_from_then_on(
    slack: SlackDriver, session: Session
) -> None:
    assert UNSET_LINE in ask(slack, "config me")
    reply = ask(slack, "config me language ru")
    assert RUSSIAN_LINE in reply  # the very answer is in the language just chosen
    assert own_language(session) == "ru"
    assert RUSSIAN_LINE in ask(slack, "config me")
    assert UNSET_LINE in ask(slack, "config me language off")  # Alice's Slack speaks English
    assert own_language(session) is None


def test_the_workspace_default_applies_to_everyone_who_chose_none(slack: SlackDriver, session: Session) -> None:
    reply = ask(slack, "config language pl")
    assert fresh(session).scalar(select(Workspace.language)) == "pl"
    assert "*Język:* polski" in reply
    assert "*Język:* polski" in ask(slack, "config", user="UBOB")
    ask(slack, "config me language en", user="UBOB")  # their own choice beats the workspace's
    assert "*Language:* polski, unless someone chose their own" in ask(slack, "config", user="UBOB")
    ask(slack, "config language off")
    assert fresh(session).scalar(select(Workspace.language)) is None


def test_the_slack_locale_counts_when_nobody_chose(slack: SlackDriver, session: Session) -> None:
    slack.fake.add_user("UIVAN", locale="ru-RU")
    slack.fake.add_user("UJAN", locale="pl-PL")
    slack.fake.add_user("UHANS", locale="de-DE")  # not a language we speak: English
    assert RUSSIAN_LINE.split(":*")[0] in ask(slack, "config me", user="UIVAN")
    assert "*Twój język:*" in ask(slack, "config me", user="UJAN")
    assert UNSET_LINE in ask(slack, "config me", user="UHANS")
    locales = dict(fresh(session).execute(select(Person.user_id, Person.locale)).all())
    assert locales["UIVAN"] == "ru-RU" and locales["UHANS"] == "de-DE"
    [asked] = [c for c in slack.fake.calls_to("users.info") if c.params.get("user") == "UIVAN"]
    assert str(asked.params.get("include_locale")).lower() in ("1", "true")  # asked once, with the locale


@pytest.mark.parametrize(("text", "typed"), [("config me language de", "de"), ("config language klingon", "klingon")])
def test_a_language_we_do_not_speak_changes_nothing(
    slack: SlackDriver, session: Session, text: str, typed: str
) -> None:
    with nothing_changes(session):
        reply = ask(slack, text)
    assert f"I don't speak *{typed}*" in reply and reply.endswith("Nothing was changed.")
    assert own_language(session) is None


@pytest.mark.parametrize("text", ["config me language", "config language", "config me language ru pl"])
def test_a_language_setting_without_one_language_gets_the_usage(
    slack: SlackDriver, session: Session, text: str
) -> None:
    with nothing_changes(session):
        reply = ask(slack, text)
    assert "[language en|pl|ru|off]" in reply
