"""Briefings and cover while away, planned on hand-built inputs (no database, no Slack): one rule per test.

The week of Monday 7 December 2026, people in UTC, working hours 09:00-17:00 Monday to Friday (as in
tests/test_nudge_planning.py, whose builders these tests use).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

from domain.briefing_planning import MAX_BLOCKS
from domain.covering import covering
from domain.nudge_planning import plan
from domain.nudges import Candidates, Recipient
from domain.personal import Personal
from tests.test_nudge_planning import MONDAY, NOW, TEAM, at, candidates, day, open_nudge, person, quiet


def with_settings(found: Candidates, **personal: Personal) -> Candidates:
    return replace(found, personal={(TEAM, user): p for user, p in personal.items()})


BRIEFING = Personal(briefing=time(9, 0))


def test_a_briefing_takes_the_place_of_separate_posts() -> None:
    found = with_settings(candidates(quiet_targets=[quiet(1), quiet(2)]), UALICE=BRIEFING)
    result = plan(found)
    assert result.posts == []
    [briefing] = result.briefings
    assert (briefing.recipient.id, briefing.day, [t.target_id for t in briefing.new]) == ("UALICE", MONDAY, [1, 2])


def test_no_briefing_before_its_time_nor_on_a_day_off_nor_twice() -> None:
    early = with_settings(candidates(at(MONDAY, 8), quiet_targets=[quiet(1)]), UALICE=BRIEFING)
    assert (plan(early).briefings, plan(early).posts) == ([], [])
    sunday = with_settings(candidates(at(day(6)), quiet_targets=[quiet(1)]), UALICE=BRIEFING)
    assert plan(sunday).briefings == []
    briefed = {(TEAM, "UALICE", MONDAY)}
    done = replace(with_settings(candidates(quiet_targets=[quiet(1)]), UALICE=BRIEFING), briefed=briefed)
    assert (plan(done).briefings, plan(done).posts) == ([], [])


def test_open_nudges_of_earlier_days_are_listed_again() -> None:
    earlier = open_nudge(posted_at=NOW - timedelta(days=1))
    today = replace(open_nudge(posted_at=NOW - timedelta(hours=1)), id=2)
    [briefing] = plan(with_settings(candidates(open_=[earlier, today]), UALICE=BRIEFING)).briefings
    assert [n.id for n in briefing.still_open] == [1]


def test_a_briefing_keeps_within_slacks_block_limit_and_counts_the_rest() -> None:
    many = [quiet(n) for n in range(30)]
    [briefing] = plan(with_settings(candidates(quiet_targets=many), UALICE=BRIEFING)).briefings
    assert len(briefing.new) * 2 + 7 <= MAX_BLOCKS
    assert len(briefing.new) + briefing.more == 30 and briefing.more > 0


def test_someone_away_is_covered_by_their_backup_and_a_backup_away_passes_it_on() -> None:
    away = Personal(away_until=date(2026, 12, 9), backup_id="UBOB")
    people = [person("UALICE"), person("UBOB"), person("UCARL"), person("UDAN")]
    found = with_settings(candidates(quiet_targets=[quiet(1)], people=people), UALICE=away)
    [post] = plan(found).posts
    assert post.recipient.id == "UBOB"
    chained = with_settings(found, UALICE=away, UBOB=Personal(away_until=date(2026, 12, 8), backup_id="UDAN"))
    assert covering(chained, Recipient(TEAM, "UALICE", False, "UTC")) == Recipient(TEAM, "UDAN", False, "UTC")
    circle = with_settings(found, UALICE=away, UBOB=Personal(away_until=date(2026, 12, 8), backup_id="UALICE"))
    assert covering(circle, Recipient(TEAM, "UALICE", False, "UTC")) is None  # nobody: the caller falls back


def test_away_ends_after_the_last_day_in_the_persons_zone() -> None:
    away = Personal(away_until=date(2026, 12, 7), backup_id="UBOB")
    people = [person("UALICE", tz="Pacific/Auckland"), person("UBOB"), person("UCARL")]
    late_monday = with_settings(candidates(at(MONDAY, 12), quiet_targets=[quiet(1)], people=people), UALICE=away)
    assert plan(late_monday).posts == []  # Tuesday 01:00 in Auckland: back, but outside working hours
    monday = with_settings(candidates(at(day(-1), 22), quiet_targets=[quiet(1)], people=people), UALICE=away)
    bob = Recipient(TEAM, "UBOB", False, "UTC")
    assert covering(monday, Recipient(TEAM, "UALICE", False, "Pacific/Auckland")) == bob


def test_open_nudges_of_someone_away_are_handed_over_not_reminded() -> None:
    away = Personal(away_until=date(2026, 12, 9), backup_id="UBOB")
    people = [person("UALICE"), person("UBOB"), person("UCARL")]
    nudge = open_nudge(posted_at=NOW - timedelta(days=7))
    result = plan(with_settings(candidates(open_=[nudge], people=people), UALICE=away))
    assert result.reminders == [] and result.escalations == []
    [handover] = result.handovers
    assert (handover.to.id, handover.away.user_id, [n.id for n in handover.nudges]) == ("UBOB", "UALICE", [1])
