"""The brief before a meeting: opt-in, sent by the first sweep in the 15 minutes before, once, with the client's
last contacts, open and slipped promises, unanswered messages and the last survey's low items and fixes."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.settings import Settings
from domain.clock import FixedClock
from fakes.calendars import CalendarServer, calendar, event
from fakes.slack import Canned
from render.ids import ActionId, BlockId
from tests.calendars import allow_private, calendar_ca, clients, connect, feed_path, feeds, settings
from tests.channels import link, message
from tests.conftest import NOW
from tests.driver import SlackDriver
from tests.helpers import Sweeps, ask, blocks_text, completed_survey, posts, press_fix

__all__ = ["allow_private", "calendar_ca", "clients", "feeds", "settings"]  # fixtures used by name

STARTS = NOW + timedelta(hours=3)  # Sun 22 Nov 13:00 in Warsaw


def meeting_at_one(title: str = "Roadmap & <pricing>") -> str:
    return calendar(event("roadmap@x", STARTS, title=title, attendees=("jo@acme.com",)))


def briefs(slack: SlackDriver) -> list[str]:
    found = [blocks_text(c) for c in posts(slack.fake) if c.params["channel"] == "UALICE"]
    return [text for text in found if "You get briefs because" in text]  # not the nudges


def history(slack: SlackDriver, session: Session) -> None:
    """Acme's story so far: a contact, a promise kept on time and one that slipped, a question waiting in its
    channel, and a survey with two low items: one with a planned fix, one without a fix needed."""
    slack.fake.add_user("UCLIENT", team="TCLIENT")
    ask(slack, "log acme called about the invoice")
    ask(slack, "promise acme send the revised quote by tomorrow")
    ask(slack, "promise acme a workshop date by 2026-12-20")
    link(session)
    message(slack, NOW - timedelta(hours=1), user="UCLIENT", team="TCLIENT", text="any news on the quote?")
    survey = completed_survey(slack, session)
    view = press_fix(slack, survey, "informed", ActionId.SURVEY_NO_FIX)
    slack.view_submission(view, {BlockId.REASON: {ActionId.REASON: {"type": "plain_text_input",
                                                                      "value": "one-off: PM was ill"}}})  # fmt: skip


def test_the_brief_comes_once_in_the_15_minutes_before_with_the_clients_story(
    slack: SlackDriver, session: Session, sweeps: Sweeps, feeds: CalendarServer, clients: None
) -> None:
    history(slack, session)
    connect(slack, feeds.serve(feed_path(), meeting_at_one()))
    ask(slack, "calendar titles on")
    ask(slack, "calendar brief on")
    before = len(briefs(slack))
    sweeps.at(STARTS - timedelta(minutes=16))
    assert len(briefs(slack)) == before  # too early
    assert sweeps.at(STARTS - timedelta(minutes=14)).briefs == 1
    sweeps.at(STARTS - timedelta(minutes=9))
    sweeps.at(STARTS - timedelta(minutes=4))
    [brief] = briefs(slack)[before:]
    [sent] = [c for c in posts(slack.fake) if c.params["text"].endswith("your brief")]
    assert sent.params["text"] == "“Roadmap &amp; &lt;pricing&gt;” with Acme Corp at 13:00: your brief"
    assert "*“Roadmap &amp; &lt;pricing&gt;”* starts at 13:00." in brief  # the title, only because titles are on
    assert "• Sun 22 Nov 10:00, <@UALICE> in <#CGENERAL>: “called about the invoice”" in brief
    assert "“send the revised quote” by Mon 23 Nov" in brief
    assert "“a workshop date” by Sun 20 Dec" in brief
    assert "Waiting for our answer*\n• Sun 22 Nov 09:00, <@UCLIENT> in <#CACME> <https://" in brief
    assert "any news" not in brief  # the channel keeps no text
    assert "Last survey:* Website relaunch (Sun 22 Nov)" in brief
    assert "• *Keeping informed*: client 1.0, team 4.0, a blind spot\n    “no updates” (1, <@UCLIENT>)" in brief
    assert ":ok_hand: no fix needed: “one-off: PM was ill”" in brief
    assert "no fix decided yet" in brief  # the dates item


def test_a_slipped_promise_and_no_brief_without_asking(
    slack: SlackDriver, session: Session, sweeps: Sweeps, feeds: CalendarServer, clients: None
) -> None:
    ask(slack, "promise acme send the revised quote by tomorrow")
    later = NOW + timedelta(days=3)  # Wed 25 Nov: the quote is 2 days late
    connect(slack, feeds.serve(feed_path(), calendar(event("w@x", later + timedelta(hours=1), title="Secret plans",
                                                         attendees=("jo@acme.com",)))))  # fmt: skip
    sweeps.at(later + timedelta(minutes=50))
    assert briefs(slack) == []  # briefs are opt-in
    ask(slack, "calendar brief on")
    sweeps.at(later + timedelta(minutes=55))
    [brief] = briefs(slack)
    assert "Slipped promises" in brief and "“send the revised quote”, 2 days late" in brief
    assert "Secret plans" not in brief  # titles are off
    assert "Last contacts:* none logged yet." in brief


def test_one_brief_across_concurrent_sweeps_and_one_retry_when_slack_refuses(
    slack: SlackDriver, session: Session, settings: Settings, engine: Engine, feeds: CalendarServer, clients: None
) -> None:
    connect(slack, feeds.serve(feed_path(), meeting_at_one()))
    ask(slack, "calendar brief on")
    slack.fake.queue("chat.postMessage", Canned({"ok": False, "error": "ratelimited"}))
    sweeps = Sweeps(settings, engine, FixedClock(STARTS - timedelta(minutes=12)))
    assert sweeps.at(STARTS - timedelta(minutes=12)).briefs == 0
    when = STARTS - timedelta(minutes=7)
    both = [Sweeps(settings, engine, FixedClock(when)) for _ in range(2)]
    threads = [threading.Thread(target=s.sweeper.run) for s in both]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(briefs(slack)) == 2  # the refused one, then the one that went
    sweeps.at(STARTS + timedelta(minutes=1))
    assert len(briefs(slack)) == 2
