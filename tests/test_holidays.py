"""Public holidays end to end: `/client config holidays`, `/client config me holidays`, and the days they take off
nudges, reply times and "working days late" (Wed 11 Nov 2026 is Poland's Independence Day, not Britain's)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.clock import FixedClock
from render.ids import ActionId
from storage.boss_models import PersonSettings
from storage.models import Workspace
from tests.channels import link
from tests.driver import SlackDriver
from tests.helpers import NOTHING_CHANGED, Sweeps, ask, blocks_text, fresh, nothing_changes, posts, press
from tests.test_unanswered_nudges import client_asks, reply_time, unanswered, waiting

WEDNESDAY_12_WARSAW = datetime(2026, 11, 11, 11, 0, tzinfo=UTC)  # Independence Day in Poland
THURSDAY_12_WARSAW = datetime(2026, 11, 12, 11, 0, tzinfo=UTC)


def workspace_holidays(session: Session) -> str | None:
    return fresh(session).scalars(select(Workspace.holidays)).one()


def own_holidays(session: Session, user: str = "UALICE") -> str | None:
    return fresh(session).scalar(select(PersonSettings.holidays).where(PersonSettings.user_id == user))


# configuration ----------------------------------------------------------------------------------------------------


def test_workspace_holidays_are_set_shown_and_turned_off(slack: SlackDriver, session: Session) -> None:
    assert "*Public holidays:* none" in ask(slack, "config")
    reply = ask(slack, "config holidays pl")
    assert reply.startswith("Saved the new holidays.")
    assert "*Public holidays:* PL (days off" in reply
    assert workspace_holidays(session) == "PL"
    assert "*Public holidays:* PL (days off" in ask(slack, "config")
    assert "*Public holidays:* US-CA (days off" in ask(slack, "config holidays US-CA")
    assert "*Public holidays:* none" in ask(slack, "config holidays off")
    assert workspace_holidays(session) is None


@pytest.mark.parametrize("text", ["config holidays XX", "config holidays US-ZZ", "config holidays Poland"])
def test_unknown_holidays_write_nothing(slack: SlackDriver, session: Session, text: str) -> None:
    ask(slack, "config holidays PL")
    with nothing_changes(session):
        reply = ask(slack, text)
    assert "is not a country I know public holidays for" in reply
    assert "`/client config holidays PL`" in reply and reply.endswith(NOTHING_CHANGED)


def test_a_person_sets_their_own_holidays_and_goes_back_to_the_workspace_s(
    slack: SlackDriver, session: Session
) -> None:
    assert "*Your public holidays:* the workspace's" in ask(slack, "config me")
    reply = ask(slack, "config me holidays gb")
    assert reply.startswith("Saved.") and "*Your public holidays:* GB" in reply
    assert own_holidays(session) == "GB"
    assert "*Your public holidays:* GB" in ask(slack, "config")  # the workspace's settings show yours too
    with nothing_changes(session):
        assert "is not a country I know public holidays for" in ask(slack, "config me holidays ZZ")
    assert "*Your public holidays:* the workspace's" in ask(slack, "config me holidays off")
    assert own_holidays(session) is None


# nudges -----------------------------------------------------------------------------------------------------------


@pytest.fixture
def quiet_on_independence_day(slack: SlackDriver, clock: FixedClock) -> None:
    """Acme Corp, a key client of UALICE (Warsaw) last contacted on Wed 28 Oct: quiet from Wed 11 Nov."""
    clock.set(datetime(2026, 10, 28, 9, 0, tzinfo=UTC))
    slack.command('add "Acme Corp" key')
    slack.command("log acme invoice call")


@pytest.mark.parametrize(("setting", "on_the_holiday"), [("PL", 0), ("off", 1)])
def test_no_nudge_on_a_public_holiday_but_the_next_working_day(
    slack: SlackDriver, sweeps: Sweeps, quiet_on_independence_day: None, setting: str, on_the_holiday: int
) -> None:
    ask(slack, f"config holidays {setting}")
    assert sweeps.at(WEDNESDAY_12_WARSAW).posted == on_the_holiday
    assert sweeps.at(THURSDAY_12_WARSAW).posted == 1 - on_the_holiday
    [nudge] = posts(slack.fake)
    assert nudge.params["channel"] == "UALICE"


@pytest.mark.parametrize(("own", "on_the_holiday"), [("GB", 1), ("off", 0)])
def test_a_person_s_own_holidays_override_the_workspace_s(
    slack: SlackDriver, sweeps: Sweeps, quiet_on_independence_day: None, own: str, on_the_holiday: int
) -> None:
    ask(slack, "config holidays PL")
    ask(slack, "config me holidays GB")  # 11 Nov is a working day in Britain
    ask(slack, f"config me holidays {own}")
    assert sweeps.at(WEDNESDAY_12_WARSAW).posted == on_the_holiday


# working days late, heads-ups, reply times ------------------------------------------------------------------------


@pytest.mark.parametrize(("setting", "late"), [("PL", "1 working day late"), ("off", "2 working days late")])
def test_working_days_late_skip_a_holiday(
    slack: SlackDriver, sweeps: Sweeps, clock: FixedClock, setting: str, late: str
) -> None:
    clock.set(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    ask(slack, f"config holidays {setting}")
    slack.command('add "Acme Corp"')
    slack.command("promise acme send revised quote by 2026-11-10")  # Tuesday
    sweeps.at(THURSDAY_12_WARSAW)
    [slip] = [c for c in posts(slack.fake) if "late" in blocks_text(c)]
    assert f"by Tue 10 Nov: {late}." in blocks_text(slip)


@pytest.mark.parametrize(("setting", "heads_up_on"), [("PL", "Tue"), ("off", "Wed")])
def test_a_heads_up_comes_the_working_day_before(
    slack: SlackDriver, sweeps: Sweeps, clock: FixedClock, setting: str, heads_up_on: str
) -> None:
    clock.set(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    ask(slack, f"config holidays {setting}")
    slack.command('add "Acme Corp"')
    slack.command("promise acme send revised quote by 2026-11-12")  # Thursday
    on_tuesday = sweeps.at(datetime(2026, 11, 10, 11, 0, tzinfo=UTC)).posted
    assert on_tuesday == (1 if heads_up_on == "Tue" else 0)
    assert sweeps.at(WEDNESDAY_12_WARSAW).posted == (1 if heads_up_on == "Wed" else 0)
    [heads_up] = posts(slack.fake)
    assert "Heads-up: You promised *Acme Corp*" in blocks_text(heads_up)


@pytest.mark.parametrize(
    ("setting", "own", "due"), [("PL", "off", (12, 15)), ("off", "off", (11, 15)), ("PL", "GB", (11, 15))]
)
def test_a_reply_time_spans_a_holiday_of_the_owner(
    slack: SlackDriver, session: Session, clock: FixedClock, setting: str, own: str, due: tuple[int, int]
) -> None:
    ask(slack, f"config holidays {setting}")
    ask(slack, f"config me holidays {own}")  # UALICE owns Acme Corp
    slack.fake.add_user("UCLIENT", team="TCLIENT")
    slack.command('add "Acme Corp"')
    link(session, keep_text=True)
    reply_time(session, "1d")
    client_asks(slack, clock, datetime(2026, 11, 10, 15, 0, tzinfo=UTC))  # Tue 16:00 in Warsaw
    day, hour = due
    assert waiting(session).due_at == datetime(2026, 11, day, hour, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["config holidays", "config me holidays", "config me holidays PL DE"])
def test_holidays_without_one_code_get_the_usage(slack: SlackDriver, session: Session, text: str) -> None:
    with nothing_changes(session):
        reply = ask(slack, text)
    assert "[holidays PL|US-CA|off]" in reply and "[holidays US|off]" in reply


@pytest.mark.parametrize(("own", "again"), [("off", 12), ("GB", 11)])
def test_a_snoozed_client_message_is_asked_about_again_the_owner_s_next_working_day(
    slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock, own: str, again: int
) -> None:
    ask(slack, "config holidays PL")
    ask(slack, f"config me holidays {own}")
    slack.fake.add_user("UCLIENT", team="TCLIENT")
    slack.command('add "Acme Corp"')
    link(session, keep_text=True)
    reply_time(session, "4h")
    client_asks(slack, clock, datetime(2026, 11, 10, 8, 0, tzinfo=UTC))  # Tue 09:00 in Warsaw: due at 13:00
    assert sweeps.at(datetime(2026, 11, 10, 13, 0, tzinfo=UTC)).posted == 1
    [nudge] = unanswered(session)
    press(slack, nudge, ActionId.NUDGE_SNOOZE_DAY, value=str(nudge.id))
    assert waiting(session).due_at == datetime(2026, 11, again, 13, 0, tzinfo=UTC)  # the same time, a working day on
