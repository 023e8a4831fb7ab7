"""Who gets the weekly digest and when: `/client config digest`, each recipient's own 09:00, exactly once a week
(two sweeps, concurrent sweeps, a retry, a post Slack took but whose answer was lost), and a digest missed while
rapport was down going out later that day but never the next."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.settings import Settings
from domain.digests import claim
from fakes.slack import Call, Canned
from storage.db import make_session_factory
from storage.models import Digest, DigestRecipient, Workspace
from tests.driver import SlackDriver
from tests.helpers import Sweeps, add, ask, count, fresh, nothing_changes, posts

MONDAY = date(2026, 11, 30)
WARSAW_9 = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Monday 09:00 in Warsaw (UTC+1)
NEW_YORK_9 = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)  # Monday 09:00 in New York (UTC-5)
MINUTE = timedelta(minutes=1)


def digests_to(slack: SlackDriver) -> list[str]:
    """Who got a digest message, in order."""
    return [p.params["channel"] for p in posts(slack.fake) if "Weekly digest" in str(p.params.get("text"))]


def rows(session: Session) -> list[Digest]:
    return list(fresh(session).scalars(select(Digest).order_by(Digest.id)))


@pytest.fixture
def managers(slack: SlackDriver) -> None:
    """UALICE (Warsaw) and UBOB (New York) get the digest on Mondays at 09:00; Acme Corp is a key client."""
    slack.fake.add_user("UBOB", tz="America/New_York")
    add(slack, '"Acme Corp" key')
    reply = ask(slack, "config digest <@UALICE|alice> <@UBOB|bob> mon 09:00")
    assert reply.startswith("Saved the new digest.")
    assert "*Weekly digest:* Mondays at 09:00 in each recipient's own time zone, to <@UALICE>, <@UBOB>" in reply


# /client config digest -------------------------------------------------------------------------------------------


def test_config_digest_sets_recipients_day_and_time_and_shows_them(slack: SlackDriver, session: Session) -> None:
    ask(slack, "config digest <@UBOB|bob> <@UCAROL|carol> fri 16:30")
    assert "*Weekly digest:* Fridays at 16:30 in each recipient's own time zone, to <@UBOB>, <@UCAROL>" in ask(
        slack, "config"
    )
    ask(slack, "config digest <@UALICE|alice>")  # the list is replaced; the day and time stay
    assert "*Weekly digest:* Fridays at 16:30 in each recipient's own time zone, to <@UALICE>" in ask(slack, "config")
    workspace = fresh(session).get(Workspace, "T1")
    assert workspace is not None and (workspace.digest_weekday, workspace.digest_minute) == (4, 16 * 60 + 30)
    assert [r.user_id for r in fresh(session).scalars(select(DigestRecipient))] == ["UALICE"]
    ask(slack, "config digest off")
    assert "*Weekly digest:* off" in ask(slack, "config")
    assert count(session, DigestRecipient) == 0


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("config digest", "/client config"),
        ("config digest mon 09:00", "/client config"),
        ("config digest <@UBOB|bob> someday", "*someday* is not a value for digest"),
        ("config digest <@UBOB|bob> mon 25:00", "*25:00* is not a value for digest"),
        ("config digest <@UBOB|bob> mon 09:00 tue", "*tue* is not a value for digest"),
        ("config digest <@UBOB|bob> 9h", "*9h* is not a value for digest"),
        ("config digest <@UNOBODY|ghost>", "UNOBODY"),
    ],
)
def test_config_digest_parse_errors_write_nothing(slack: SlackDriver, session: Session, text: str, shown: str) -> None:
    ask(slack, "config digest <@UCAROL|carol> wed 10:00")
    before = fresh(session).get(Workspace, "T1")
    assert before is not None
    kept = (before.digest_weekday, before.digest_minute)
    with nothing_changes(session):
        reply = ask(slack, text)
    assert shown in reply
    after = fresh(session).get(Workspace, "T1")
    assert after is not None and (after.digest_weekday, after.digest_minute) == kept
    assert [r.user_id for r in fresh(session).scalars(select(DigestRecipient))] == ["UCAROL"]


# when it goes out ------------------------------------------------------------------------------------------------


def test_each_recipient_gets_it_at_their_own_nine_once_a_week(
    slack: SlackDriver, session: Session, sweeps: Sweeps, managers: None
) -> None:
    assert sweeps.at(WARSAW_9 - MINUTE).digests == 0
    assert sweeps.at(WARSAW_9).digests == 1
    assert digests_to(slack) == ["UALICE"]
    assert sweeps.at(NEW_YORK_9 - MINUTE).digests == 0  # 08:59 in New York
    assert sweeps.at(NEW_YORK_9).digests == 1
    assert digests_to(slack) == ["UALICE", "UBOB"]
    assert sweeps.at(NEW_YORK_9 + timedelta(hours=1)).digests == 0  # once a week
    assert [(d.user_id, d.week_of, d.status) for d in rows(session)] == [
        ("UALICE", MONDAY, "posted"),
        ("UBOB", MONDAY, "posted"),
    ]
    assert [f.channel_id for f in slack.fake.shared] == ["DUALICE", "DUBOB"]  # each with the chart
    assert sweeps.at(WARSAW_9 + timedelta(days=7)).digests == 1  # the next week's
    assert digests_to(slack)[-1] == "UALICE"


def test_one_missed_while_down_goes_out_later_that_day(
    slack: SlackDriver, session: Session, sweeps: Sweeps, managers: None
) -> None:
    assert sweeps.at(datetime(2026, 11, 30, 22, 30, tzinfo=UTC)).digests == 2  # 23:30 in Warsaw; 17:30 in NY
    assert sorted(digests_to(slack)) == ["UALICE", "UBOB"]


def test_one_missed_all_day_never_goes_out_the_next_day(
    slack: SlackDriver, session: Session, sweeps: Sweeps, managers: None
) -> None:
    assert sweeps.at(datetime(2026, 11, 30, 23, 30, tzinfo=UTC)).digests == 1  # Tuesday in Warsaw; 18:30 in NY
    assert digests_to(slack) == ["UBOB"]
    assert sweeps.at(datetime(2026, 12, 1, 8, 0, tzinfo=UTC)).digests == 0  # Tuesday 09:00 in Warsaw
    assert digests_to(slack) == ["UBOB"]
    assert [d.user_id for d in rows(session)] == ["UBOB"]


def test_concurrent_sweeps_post_it_once(
    slack: SlackDriver, session: Session, sweeps: Sweeps, managers: None, settings: Settings, engine: Engine
) -> None:
    second = Sweeps(settings, engine, sweeps.clock)
    during: list[int] = []

    def post_while_another_sweeps(call: Call) -> Canned:
        during.append(second.at(WARSAW_9).digests)  # the second sweep runs while the first is posting
        return slack.fake.answer(call)

    slack.fake.queue("chat.postMessage", post_while_another_sweeps)
    assert sweeps.at(WARSAW_9).digests == 1
    assert during == [0]
    assert digests_to(slack) == ["UALICE"]


def test_a_refused_post_is_retried_by_a_later_sweep_that_day(
    slack: SlackDriver, session: Session, sweeps: Sweeps, managers: None
) -> None:
    slack.fake.queue("chat.postMessage", Canned({"ok": False, "error": "fatal_error"}))
    report = sweeps.at(WARSAW_9)
    assert (report.digests, report.failed) == (0, 1)
    [row] = rows(session)
    assert (row.status, row.attempts, row.last_error) == ("claimed", 1, "fatal_error")
    assert sweeps.at(WARSAW_9 + 2 * MINUTE).digests == 0  # not before the retry time
    assert sweeps.at(WARSAW_9 + 5 * MINUTE).digests == 1
    assert sweeps.at(WARSAW_9 + 30 * MINUTE).digests == 0
    assert digests_to(slack) == ["UALICE", "UALICE"]  # refused, then posted
    assert [(d.status, d.channel_id) for d in rows(session)] == [("posted", "DUALICE")]


def test_a_digest_slack_took_before_the_sweep_died_is_found_not_posted_again(
    slack: SlackDriver, session: Session, sweeps: Sweeps, managers: None
) -> None:
    with make_session_factory(session.get_bind())() as dying, dying.begin():  # claimed, posted, never recorded
        [mine] = claim(dying, [("T1", "UALICE", MONDAY)], now=WARSAW_9)
    posted_ts = f"{WARSAW_9.timestamp() + 1:.6f}"
    slack.fake.history["DUALICE"] = [
        {"type": "message", "ts": posted_ts, "text": "Weekly digest",
         "metadata": {"event_type": "rapport_digest", "event_payload": {"digest": str(mine.digest_id)}}},
    ]  # fmt: skip
    assert sweeps.at(WARSAW_9 + 11 * MINUTE).digests == 1
    assert digests_to(slack) == []
    [row] = rows(session)
    assert (row.status, row.channel_id, row.ts) == ("posted", "DUALICE", posted_ts)


def test_a_chart_slack_refuses_loses_the_chart_not_the_digest(
    slack: SlackDriver, session: Session, sweeps: Sweeps, managers: None
) -> None:
    slack.fake.queue("files.getUploadURLExternal", Canned({"ok": False, "error": "fatal_error"}))
    assert sweeps.at(WARSAW_9).digests == 1
    assert digests_to(slack) == ["UALICE"] and slack.fake.shared == []
    assert [(d.status, d.attempts) for d in rows(session)] == [("posted", 0)]
    assert sweeps.at(WARSAW_9 + 10 * MINUTE).digests == 0  # never posted again for its chart


def test_a_deactivated_manager_gets_nothing(
    slack: SlackDriver, session: Session, sweeps: Sweeps, managers: None
) -> None:
    slack.fake.users["UALICE"]["deleted"] = True
    assert sweeps.at(WARSAW_9).digests == 0
    assert digests_to(slack) == [] and rows(session) == []


def test_when_slack_cannot_say_the_recipients_zone_the_one_it_said_last_is_used(
    slack: SlackDriver, session: Session, sweeps: Sweeps, managers: None
) -> None:
    slack.fake.users["UALICE"]["tz"] = "America/Los_Angeles"  # moved since the command looked them up
    slack.fake.queue("users.info", Canned({"ok": False, "error": "fatal_error"}))
    assert sweeps.at(WARSAW_9).digests == 1  # 09:00 in Warsaw, the zone known (midnight in Los Angeles)
    assert digests_to(slack) == ["UALICE"]
