"""Cover while away (#12, point 5): `/client away until <date> @backup` routes someone's nudges to their backup.

Through the real app and the real sweep, on both databases. UALICE owns Acme Corp (quiet from Sun 6 Dec) and owes
it a quote due Thu 3 Dec; UBOB covers for her. Everyone is in Warsaw (UTC+1).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.clock import FixedClock
from fakes.slack import FakeSlack
from render.ids import ActionId
from storage.boss_models import PersonSettings
from tests.driver import SlackDriver
from tests.helpers import Sweeps, action_ids, ask, blocks_text, nudges, posts, press

MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # 10:00 in Warsaw
WHY = "<@UALICE> is away until Wed 9 Dec; you are covering."
DAY = timedelta(days=1)


def _dms(fake: FakeSlack, user: str) -> list[str]:
    return [blocks_text(c) for c in posts(fake) if c.params["channel"] == user]


@pytest.fixture
def owed(slack: SlackDriver, acme: None) -> None:
    slack.command("promise acme send the revised quote by 2026-12-03")


def go_away(
    slack: SlackDriver,
    clock: FixedClock,
    when: datetime,
    text: str = "away until wed <@UBOB|bob>",
    user: str = "UALICE",
) -> str:
    clock.set(when)
    return ask(slack, text, user=user)


def test_quiet_and_slip_nudges_go_to_the_backup_with_why(
    slack: SlackDriver, sweeps: Sweeps, session: Session, clock: FixedClock, owed: None
) -> None:
    reply = go_away(slack, clock, MONDAY - timedelta(hours=2))
    assert "You are away until Wed 9 Dec" in reply and "<@UBOB>" in reply
    assert "<@UALICE> is away until Wed 9 Dec and asked you to cover" in _dms(slack.fake, "UBOB")[0]
    report = sweeps.at(MONDAY)
    assert report.posted == 2
    to_bob = _dms(slack.fake, "UBOB")[1:]
    assert len(to_bob) == 2 and all(WHY in text for text in to_bob)
    assert _dms(slack.fake, "UALICE") == []
    assert {n.recipient_id for n in nudges(session)} == {"UBOB"}
    slip = next(n for n in nudges(session) if n.kind == "slip")
    assert press(slack, slip, ActionId.NUDGE_DONE, user="UBOB").status == 200  # the backup answers it
    assert next(n for n in nudges(session) if n.kind == "slip").answered_by == "UBOB"


def test_open_nudges_of_someone_leaving_go_to_the_backup(
    slack: SlackDriver, sweeps: Sweeps, session: Session, clock: FixedClock, acme: None
) -> None:
    sweeps.at(MONDAY)  # the quiet nudge reaches UALICE first
    [nudge] = nudges(session)
    assert nudge.recipient_id == "UALICE"
    go_away(slack, clock, MONDAY + timedelta(hours=1))
    report = sweeps.at(MONDAY + timedelta(hours=2))
    assert report.handovers == 1
    handed = posts(slack.fake)[-1]
    assert handed.params["channel"] == "UBOB"
    assert WHY in blocks_text(handed) and "*Acme Corp*: gone quiet" in blocks_text(handed)
    assert action_ids(handed) == [ActionId.NUDGE_LOGGED, ActionId.NUDGE_SNOOZE, ActionId.NUDGE_HAND_OVER]
    [nudge] = nudges(session)
    assert (nudge.recipient_id, nudge.channel_id) == ("UBOB", "DUBOB")
    assert sweeps.at(MONDAY + timedelta(hours=3)).handovers == 0  # once
    # its reminder, three working days after it was first posted, goes to the backup's thread too
    sweeps.at(MONDAY + 3 * DAY)
    [reminder] = posts(slack.fake, thread=True)
    assert (reminder.params["channel"], reminder.params["thread_ts"]) == ("DUBOB", nudge.ts)


def test_the_briefing_of_someone_away_goes_to_the_backup(
    slack: SlackDriver, sweeps: Sweeps, session: Session, clock: FixedClock, owed: None
) -> None:
    ask(slack, "config me briefing 09:00")
    go_away(slack, clock, MONDAY - timedelta(hours=2))
    report = sweeps.at(MONDAY)
    assert (report.briefings, report.posted) == (0, 2)  # UBOB takes separate nudges: he gets them so
    assert len(_dms(slack.fake, "UBOB")) == 3 and _dms(slack.fake, "UALICE") == []


def test_routing_returns_after_the_last_day(
    slack: SlackDriver, sweeps: Sweeps, session: Session, clock: FixedClock, acme: None
) -> None:
    go_away(slack, clock, MONDAY - timedelta(hours=2), "away until tue <@UBOB|bob>")
    assert "*Away:* until Tue 8 Dec, <@UBOB> covering" in ask(slack, "config me")
    assert "*Owner:* <@UALICE> (away until Tue 8 Dec, <@UBOB> covering)" in ask(slack, "show acme")
    slack.command("add Beta key")  # quiet from Sun 20 Dec (with no contact since it was added on Mon 7 Dec)
    sweeps.at(MONDAY)
    assert {n.recipient_id for n in nudges(session)} == {"UBOB"}
    sweeps.at(datetime(2026, 12, 21, 9, 0, tzinfo=UTC))
    beta = next(n for n in nudges(session) if n.recipient_id == "UALICE")
    assert beta.channel_id == "DUALICE"
    clock.set(datetime(2026, 12, 21, 9, 0, tzinfo=UTC))
    assert "*Owner:* <@UALICE>\n" in ask(slack, "show acme") + "\n"


def test_away_off_ends_it(slack: SlackDriver, sweeps: Sweeps, session: Session, clock: FixedClock, acme: None) -> None:
    go_away(slack, clock, MONDAY - timedelta(hours=2))
    assert "Welcome back" in ask(slack, "away off")
    sweeps.at(MONDAY)
    assert {n.recipient_id for n in nudges(session)} == {"UALICE"}


def test_the_backup_is_told_once_when_the_same_away_is_sent_twice(
    slack: SlackDriver, clock: FixedClock, acme: None
) -> None:
    go_away(slack, clock, MONDAY - timedelta(hours=2))
    assert "Wed 9 Dec" in go_away(slack, clock, MONDAY - timedelta(hours=2))
    assert len([t for t in _dms(slack.fake, "UBOB") if "<@UALICE>" in t]) == 1
    go_away(slack, clock, MONDAY - timedelta(hours=2), text="away until thu <@UBOB|bob>")  # a new last day: told
    assert len([t for t in _dms(slack.fake, "UBOB") if "<@UALICE>" in t]) == 2


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("away until 2026-12-01 <@UBOB|bob>", "Tue 1 Dec has already passed"),
        ("away until fri <@UALICE|alice>", "You can't cover for yourself"),
        ("away until fri <@UROBOT|robot>", "<@UROBOT> is a bot, so they can't cover for you"),
        ("away until fri <@UGONE|gone>", "<@UGONE> is deactivated"),
        ("away until fri <@UCAROL|carol>", "<@UCAROL> is away too (until Fri 11 Dec)"),
        ("away until fri", "Usage: `/client away until <date> @backup`"),
        ("away until someday <@UBOB|bob>", "I can't read *someday* as a date"),
    ],
)
def test_bad_away_requests_write_nothing(
    slack: SlackDriver, session: Session, clock: FixedClock, text: str, says: str
) -> None:
    slack.fake.add_user("UROBOT", is_bot=True)
    slack.fake.add_user("UGONE", deleted=True)
    clock.set(MONDAY)
    ask(slack, "away until fri <@UBOB|bob>", user="UCAROL")  # the one away already
    before = snapshot(session)
    reply = ask(slack, text)
    assert says in reply, reply
    assert snapshot(session) == before


def snapshot(session: Session) -> list[tuple[object, ...]]:
    session.expire_all()
    rows = session.scalars(select(PersonSettings).order_by(PersonSettings.user_id))
    return [(r.user_id, r.briefing_minute, r.away_until, r.away_backup_id) for r in rows]


def test_the_team_channel_names_whoever_covered(
    slack: SlackDriver, sweeps: Sweeps, session: Session, clock: FixedClock, acme: None
) -> None:
    slack.command("config channel <#CTEAM|team>")
    go_away(slack, clock, MONDAY - timedelta(hours=2), "away until 2026-12-18 <@UBOB|bob>")
    sweeps.at(MONDAY)  # the quiet nudge goes to UBOB
    sweeps.at(MONDAY + 3 * DAY)  # Thursday: the reminder, in UBOB's thread
    assert sweeps.at(MONDAY + 7 * DAY).escalations == 1  # Monday: two working days later
    [team_post] = [c for c in posts(slack.fake) if c.params["channel"] == "CTEAM"]
    text = blocks_text(team_post)
    assert "<@UBOB> has not answered for a week." in text and "<@UALICE> has not" not in text


def test_a_backup_with_a_briefing_finds_the_open_nudges_there(
    slack: SlackDriver, sweeps: Sweeps, session: Session, clock: FixedClock, acme: None
) -> None:
    ask(slack, "config me briefing 09:00", user="UBOB")
    sweeps.at(MONDAY)  # the quiet nudge reaches UALICE
    go_away(slack, clock, MONDAY + DAY - timedelta(hours=2))
    report = sweeps.at(MONDAY + DAY - timedelta(hours=1))  # Tuesday 09:00 in Warsaw: UBOB's briefing
    assert (report.handovers, report.briefings) == (0, 1)
    briefing = blocks_text(posts(slack.fake)[-1])
    assert "*Acme Corp*: gone quiet · open since Mon 7 Dec" in briefing and WHY in briefing
    [nudge] = nudges(session)
    assert (nudge.recipient_id, nudge.channel_id) == ("UBOB", "DUBOB")


def test_with_a_deactivated_backup_the_team_channel_takes_the_nudges(
    slack: SlackDriver, sweeps: Sweeps, session: Session, clock: FixedClock, acme: None
) -> None:
    slack.command("config channel <#CTEAM|team>")
    go_away(slack, clock, MONDAY - 2 * DAY, "away until 2026-12-18 <@UBOB|bob>")
    slack.fake.add_user("UBOB", deleted=True)  # UBOB leaves the company; the sweep learns it within a day
    sweeps.at(MONDAY)
    [nudge] = nudges(session)
    assert nudge.channel_id == "CTEAM"


def test_open_nudges_of_someone_away_with_nobody_covering_go_to_the_team_channel(
    slack: SlackDriver, sweeps: Sweeps, session: Session, clock: FixedClock, acme: None
) -> None:
    slack.command("config channel <#CTEAM|team>")
    sweeps.at(MONDAY)  # the quiet nudge reaches UALICE
    go_away(slack, clock, MONDAY + timedelta(hours=1))
    slack.fake.add_user("UBOB", deleted=True)
    assert sweeps.at(MONDAY + 2 * DAY).handovers == 1  # the sweep learns within a day that UBOB is gone
    handed = posts(slack.fake)[-1]
    assert handed.params["channel"] == "CTEAM"
    assert "<@UALICE> is away until Wed 9 Dec and nobody covers." in blocks_text(handed)
    assert action_ids(handed) == [ActionId.NUDGE_TAKE]
    [nudge] = nudges(session)
    assert (nudge.recipient_id, nudge.channel_id) == ("CTEAM", "CTEAM")


def test_a_sponsors_own_nudge_waits_for_them_to_come_back(
    slack: SlackDriver, sweeps: Sweeps, session: Session, clock: FixedClock, acme: None
) -> None:
    ask(slack, "sponsor acme <@UBOB|bob> every 10d")  # Sun 22 Nov: UBOB's own clock runs out on Wed 2 Dec
    go_away(slack, clock, datetime(2026, 12, 1, 9, 0, tzinfo=UTC), "away until thu <@UCAROL|carol>", user="UBOB")
    assert sweeps.at(datetime(2026, 12, 2, 10, 0, tzinfo=UTC)).posted == 0  # nobody else's contact resets it
    assert sweeps.at(datetime(2026, 12, 4, 10, 0, tzinfo=UTC)).posted == 1  # Friday: back
    [nudge] = nudges(session)
    assert (nudge.kind, nudge.recipient_id) == ("sponsor", "UBOB")
