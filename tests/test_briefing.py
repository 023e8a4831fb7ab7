"""One message a day (#12, point 4): `/client config me briefing 09:00` gathers what is due into one DM.

Through the real app and the real sweep, on both databases. The tests' clock starts on Sun 22 Nov 2026; UALICE is
in Warsaw (UTC+1), so 09:00 there is 08:00 UTC.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.clock import FixedClock
from fakes.slack import Call, Canned, FakeSlack
from render.ids import ActionId
from storage.boss_models import Briefing, PersonSettings
from storage.models import SurveyParticipant
from tests.driver import SlackDriver
from tests.helpers import (
    SURVEY_START,
    Sweeps,
    action_ids,
    answer_survey,
    ask,
    blocks_text,
    count,
    nudges,
    posts,
    press,
    rated,
    the_survey,
)

MONDAY_0900_WARSAW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def _dms(fake: FakeSlack, user: str = "UALICE") -> list[str]:
    """What `user` read in top-level DMs, oldest first."""
    return [blocks_text(c) for c in posts(fake) if c.params["channel"] == user]


@pytest.fixture
def three_due(slack: SlackDriver, acme: None) -> None:
    """On Mon 7 Dec UALICE has three things due: Acme Corp and Beta gone quiet, a promise to Acme slipped."""
    slack.command("add Beta key")
    slack.command("promise acme send the revised quote by 2026-12-03")


@pytest.fixture
def briefed(slack: SlackDriver, three_due: None) -> None:
    """UALICE takes her nudges in one briefing at 09:00."""
    reply = ask(slack, "config me briefing 09:00")
    assert "*Your briefing:* one DM at 09:00 (Europe/Warsaw) on working days" in reply


def test_a_briefing_replaces_separate_nudges(
    slack: SlackDriver, sweeps: Sweeps, session: Session, briefed: None
) -> None:
    assert sweeps.at(MONDAY_0900_WARSAW - timedelta(minutes=30)).posted == 0  # before her time: nothing
    report = sweeps.at(MONDAY_0900_WARSAW)
    assert (report.posted, report.briefings) == (0, 1)
    [briefing] = posts(slack.fake)
    text = blocks_text(briefing)
    assert text.startswith(":sunrise: *Your briefing for Mon 7 Dec*: 3 things for you today.")
    promises, quiet = text.index("*Promises owed*"), text.index("*Quiet clients*")
    assert promises < text.index("“send the revised quote” by Thu 3 Dec: 2 working days late") < quiet
    assert quiet < text.index("since anyone talked to *Acme Corp*")
    assert "Nobody has talked to *Beta* since it was added" in text
    assert action_ids(briefing).count(ActionId.NUDGE_LOGGED) == 2
    assert action_ids(briefing).count(ActionId.NUDGE_DONE) == 1
    found = nudges(session)
    assert sorted(n.kind for n in found) == ["quiet", "quiet", "slip"]
    assert {(n.status, n.recipient_id, n.channel_id, n.ts) for n in found} == {
        ("posted", "UALICE", "DUALICE", briefing_ts(session))
    }
    assert sweeps.at(MONDAY_0900_WARSAW + timedelta(hours=3)).briefings == 0  # once a day
    assert len(posts(slack.fake)) == 1


def briefing_ts(session: Session) -> str | None:
    session.expire_all()
    return session.scalars(select(Briefing.ts)).one()


def test_a_button_in_the_briefing_answers_its_nudge_and_the_briefing_stays_one(
    slack: SlackDriver, sweeps: Sweeps, session: Session, briefed: None
) -> None:
    sweeps.at(MONDAY_0900_WARSAW)
    slip = next(n for n in nudges(session) if n.kind == "slip")
    assert press(slack, slip, ActionId.NUDGE_DONE).status == 200
    slip = next(n for n in nudges(session) if n.kind == "slip")
    assert (slip.status, slip.answer, slip.answered_by) == ("answered", "done", "UALICE")
    [edited] = slack.fake.calls_to("chat.update")
    text = blocks_text(edited)
    assert "*Promises owed*" in text and "*Quiet clients*" in text
    assert "<@UALICE> confirmed it's done." in text
    assert action_ids(edited).count(ActionId.NUDGE_DONE) == 0
    assert action_ids(edited).count(ActionId.NUDGE_LOGGED) == 2  # the other two keep their buttons


def test_answered_items_are_gone_from_the_next_briefing(
    slack: SlackDriver, sweeps: Sweeps, session: Session, briefed: None
) -> None:
    sweeps.at(MONDAY_0900_WARSAW)
    slip = next(n for n in nudges(session) if n.kind == "slip")
    press(slack, slip, ActionId.NUDGE_DONE)
    slack.command("log beta lunch")  # answered elsewhere: a contact logged
    assert sweeps.at(MONDAY_0900_WARSAW + DAY).briefings == 1
    tuesday = _dms(slack.fake)[-1]
    assert "Your briefing for Tue 8 Dec*: 1 thing for you today." in tuesday
    assert "*Acme Corp*: gone quiet · open since Mon 7 Dec" in tuesday
    assert "Beta" not in tuesday and "revised quote" not in tuesday
    [acme] = [n for n in nudges(session) if n.status == "posted"]
    assert acme.ts == briefing_of_day(session, MONDAY_0900_WARSAW + DAY)  # its buttons there answer it


def test_a_briefing_edited_on_a_later_day_keeps_its_own_day(
    slack: SlackDriver, sweeps: Sweeps, session: Session, clock: FixedClock, briefed: None
) -> None:
    sweeps.at(MONDAY_0900_WARSAW)
    monday = briefing_ts(session)
    clock.set(MONDAY_0900_WARSAW + DAY - timedelta(hours=1))  # Tuesday 08:00 in Warsaw, before her next briefing
    slack.command("log beta lunch")
    slip = next(n for n in nudges(session) if n.kind == "slip")
    press(slack, slip, ActionId.NUDGE_DONE)  # on Monday's briefing, on Tuesday
    sweeps.at(MONDAY_0900_WARSAW + DAY)  # closes Beta's nudge, on Monday's briefing too
    edits = [blocks_text(c) for c in slack.fake.calls_to("chat.update") if c.params["ts"] == monday]
    assert len(edits) == 2
    assert all(e.startswith(":sunrise: *Your briefing for Mon 7 Dec*: 3 things for you today.") for e in edits)
    assert "Your briefing for Tue 8 Dec*" in _dms(slack.fake)[-1]


def briefing_of_day(session: Session, when: datetime) -> str | None:
    session.expire_all()
    return session.scalars(select(Briefing.ts).where(Briefing.day == when.date())).one()


def test_a_briefing_missed_while_down_goes_out_at_the_next_sweep_that_day(
    slack: SlackDriver, sweeps: Sweeps, session: Session, briefed: None
) -> None:
    report = sweeps.at(MONDAY_0900_WARSAW + timedelta(hours=7))  # rapport was down all morning
    assert (report.posted, report.briefings) == (0, 1)
    assert "3 things for you today" in _dms(slack.fake)[0]


def test_no_briefing_on_a_day_off(slack: SlackDriver, sweeps: Sweeps, session: Session, briefed: None) -> None:
    assert sweeps.at(MONDAY_0900_WARSAW - 2 * DAY).posted == 0  # Saturday
    assert posts(slack.fake) == [] and count(session, Briefing) == 0


def test_briefing_off_brings_back_separate_nudges(
    slack: SlackDriver, sweeps: Sweeps, session: Session, briefed: None
) -> None:
    reply = ask(slack, "config me briefing off")
    assert "*Your briefing:* off" in reply
    report = sweeps.at(MONDAY_0900_WARSAW + timedelta(hours=1))
    assert (report.posted, report.briefings) == (3, 0)
    assert len(_dms(slack.fake)) == 3


def test_config_shows_ones_own_settings_too(slack: SlackDriver, briefed: None) -> None:
    assert "*Your briefing:* one DM at 09:00" in ask(slack, "config me")
    shown = ask(slack, "config")
    assert "*Working hours:*" in shown and "*Your briefing:* one DM at 09:00" in shown and "*Away:* no" in shown


@pytest.mark.parametrize("text", ["config me briefing 25:00", "config me briefing soon", "config me briefing",
                                  "config me lunch 12:00"])  # fmt: skip
def test_a_bad_briefing_time_writes_nothing(slack: SlackDriver, session: Session, text: str) -> None:
    reply = ask(slack, text)
    assert "Nothing was changed." in reply or "Usage:" in reply
    assert count(session, PersonSettings) == 0


def test_surveys_waiting_are_in_the_briefing_instead_of_reminders(
    slack: SlackDriver, sweeps: Sweeps, session: Session, acme: None
) -> None:
    ask(slack, "config me briefing 08:30", user="UBOB")
    slack.command(SURVEY_START)  # Sunday 22 Nov: UBOB is asked for the team's view
    monday = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 10:00 in Warsaw
    report = sweeps.at(monday)
    assert report.briefings == 1
    [briefing] = [c for c in posts(slack.fake) if c.params["channel"] == "UBOB" and "briefing" in blocks_text(c)]
    text = blocks_text(briefing)
    assert "*Surveys waiting for your answer*" in text and "*Website relaunch* for *Acme Corp*" in text
    accessories = [b["accessory"] for b in briefing.params["blocks"] if "accessory" in b]
    survey_id = str(the_survey(session).id)
    assert [(a["action_id"], a["value"]) for a in accessories] == [(ActionId.SURVEY_ANSWER, survey_id)]
    assert [c for c in posts(slack.fake, thread=True) if c.params["channel"] == "DUBOB"] == []  # no reminder
    assert len([c for c in posts(slack.fake, thread=True) if c.params["channel"] == "DUCLIENT"]) == 1
    participant = session.scalars(select(SurveyParticipant).where(SurveyParticipant.user_id == "UBOB")).one()
    assert participant.reminders == 1  # the briefing counts as the day's reminder: the survey still closes in time
    answer_survey(slack, the_survey(session).id, "UBOB", rated(4), channel="DUBOB")
    sweeps.at(monday + DAY)
    assert "Website relaunch" not in "".join(_dms(slack.fake, "UBOB")[1:])


def test_a_briefing_stays_within_slacks_block_limit(slack: SlackDriver, sweeps: Sweeps, session: Session) -> None:
    for n in range(25):
        slack.command(f"add Client{n:02d} key")
    ask(slack, "config me briefing 09:00")
    sweeps.at(MONDAY_0900_WARSAW)
    [briefing] = posts(slack.fake)
    assert len(briefing.params["blocks"]) <= 50
    assert "25 things for you today" in blocks_text(briefing)
    assert "…and 4 more: they come up in your next briefing." in blocks_text(briefing)
    assert len(nudges(session)) == 21  # only what is shown is claimed; the rest stays due
    sweeps.at(MONDAY_0900_WARSAW + DAY)
    assert len(nudges(session)) == 25


def test_a_briefing_slack_took_but_never_answered_is_found_not_posted_again(
    slack: SlackDriver, sweeps: Sweeps, session: Session, clock: FixedClock, briefed: None
) -> None:
    slack.fake.clock = lambda: clock.now().timestamp()
    answered = threading.Event()

    def take_then_hang(call: Call) -> Canned:
        answer = slack.fake.answer(call)  # Slack has the briefing ...
        answered.wait(timeout=30)  # ... but the sweep stops waiting for the answer first
        return answer

    slack.fake.queue("chat.postMessage", take_then_hang)
    sweeps.slack.timeout = 0.3  # type: ignore[assignment]
    report = sweeps.at(MONDAY_0900_WARSAW)
    answered.set()
    assert (report.briefings, report.failed) == (0, 1)
    sweeps.slack.timeout = 30
    report = sweeps.at(MONDAY_0900_WARSAW + timedelta(minutes=5))
    assert report.briefings == 1
    assert len(posts(slack.fake)) == 1  # found in the DM's history, not posted again
    [message] = slack.fake.history["DUALICE"]
    assert briefing_ts(session) == message["ts"]
    assert {(n.status, n.ts) for n in nudges(session)} == {("posted", message["ts"])}


def test_a_briefing_of_a_sponsors_own_nudges_offers_nothing_to_take_over(
    slack: SlackDriver, sweeps: Sweeps, acme: None
) -> None:
    ask(slack, "sponsor acme <@UBOB|bob> every 10d")  # Sun 22 Nov: UBOB's own clock runs out on Wed 2 Dec
    assert "*Your briefing:* one DM at 09:00" in ask(slack, "config me briefing 09:00", user="UBOB")
    assert sweeps.at(MONDAY_0900_WARSAW).briefings == 1
    [briefing] = [text for text in _dms(slack.fake, "UBOB") if text.startswith(":sunrise:")]
    assert "You last talked to *Acme Corp* yourself" in briefing or "since you became its sponsor" in briefing
    assert ":white_check_mark: done · :zzz: snooze" in briefing
    assert ":raising_hand:" not in briefing  # a sponsor's nudge is theirs alone
    [alices] = [text for text in _dms(slack.fake) if "need you" in text or "since anyone talked" in text][:1]
    assert ":raising_hand:" in alices  # the owner's quiet nudge can be taken over
