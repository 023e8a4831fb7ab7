"""The sweep's planner on hand-built inputs (no database, no Slack): each test is named after the rule it checks.

The week of Monday 7 December 2026; people are in UTC unless a test says otherwise; working hours 09:00-17:00,
Monday to Friday.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from domain.hours import WorkingHours
from domain.nudge_planning import closing, closing_reason, plan, profiles_to_refresh
from domain.nudges import (
    COMBINED_MAX,
    DAILY_SEPARATE,
    SWEEP_POSTS_MAX,
    Candidates,
    Closing,
    ClosingReason,
    NudgeKind,
    OpenNudge,
    Plan,
    PromiseCandidate,
    RecentNudge,
    Recipient,
    Target,
    WaitingMessage,
)
from domain.promises import midnight
from domain.workspace import WorkspaceSettings
from storage.models import Person

TEAM = "T1"
MONDAY = date(2026, 12, 7)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def day(offset: int) -> date:
    """A day of the week of MONDAY (0 = Monday, 4 = Friday, 7 = the next Monday)."""
    return MONDAY + timedelta(days=offset)


NOW = at(MONDAY)


def person(user: str, *, tz: str | None = "UTC", deleted: bool = False, fetched_at: datetime = NOW) -> Person:
    return Person(team_id=TEAM, user_id=user, tz=tz, deleted=deleted, is_bot=False, fetched_at=fetched_at)


def quiet(client_id: int, *, owner: str | None = "UALICE", key: bool = False, since: datetime | None = None) -> Target:
    return Target(
        team_id=TEAM, kind=NudgeKind.QUIET, target_id=client_id, cycle_at=NOW - timedelta(days=1),
        client_id=client_id, client_name=f"Client {client_id}", promise_id=None, owner_id=owner, created_by="UCARL",
        is_key=key, cadence_days=14, quiet_since=since or NOW - timedelta(days=20),
    )  # fmt: skip


def promise(
    promise_id: int, due_on: date, *, snoozed_until: datetime | None = None, heads_up_seen: datetime | None = None,
    slip_seen: datetime | None = None,
) -> PromiseCandidate:  # fmt: skip
    target = Target(
        team_id=TEAM, kind=NudgeKind.HEADS_UP, target_id=promise_id, cycle_at=midnight(due_on), client_id=1,
        client_name="Acme", promise_id=promise_id, owner_id="UALICE", created_by="UCARL", what="a quote",
        due_on=due_on,
    )  # fmt: skip
    return PromiseCandidate(target, snoozed_until, heads_up_seen, slip_seen)


def asked(message_id: int, *, owner: str | None = "UALICE", due: datetime | None = None, key: bool = False) -> Target:
    """A client's message past its reply time (due an hour ago unless told), nobody answered."""
    due = due or NOW - timedelta(hours=1)
    message = WaitingMessage("UJO", "CACME", NOW - timedelta(days=1), None, "any news?", due_at=due)
    return Target(
        team_id=TEAM, kind=NudgeKind.UNANSWERED, target_id=message_id, cycle_at=message.due_at or NOW, client_id=1,
        client_name="Acme", promise_id=None, owner_id=owner, created_by="UCARL", is_key=key, message=message,
    )  # fmt: skip


def sent(target_id: int, when: datetime, *, kind: NudgeKind = NudgeKind.QUIET, combined: bool = False) -> RecentNudge:
    return RecentNudge(TEAM, "UALICE", kind, target_id, when, "DUALICE", f"{target_id}.{when.timestamp()}", combined)


def open_nudge(
    *, kind: NudgeKind = NudgeKind.QUIET, posted_at: datetime, reminded_at: datetime | None = None,
    escalated_at: datetime | None = None, still_due: bool = True, contacted: bool = False,
) -> OpenNudge:  # fmt: skip
    return OpenNudge(
        id=1, team_id=TEAM, kind=kind, client_id=1, client_name="Acme", promise_id=None, recipient_id="UALICE",
        channel_id="DUALICE", ts="1.1", posted_at=posted_at, reminded_at=reminded_at, escalated_at=escalated_at,
        escalation_channel_id=None, escalation_ts=None, combined=False, still_due=still_due, contacted=contacted,
        owner_id="UALICE", created_by="UCARL", what=None, due_on=None,
    )  # fmt: skip


def candidates(
    now: datetime = NOW, *, quiet_targets: list[Target] | None = None, promises: list[PromiseCandidate] | None = None,
    recent: list[RecentNudge] | None = None, open_: list[OpenNudge] | None = None, team_channel: str | None = None,
    people: list[Person] | None = None, unanswered: list[Target] | None = None,
) -> Candidates:  # fmt: skip
    known = people if people is not None else [person("UALICE"), person("UCARL")]
    return Candidates(
        now=now, settings={TEAM: WorkspaceSettings(team_channel, WorkingHours(), "UTC")},
        people={(p.team_id, p.user_id): p for p in known}, quiet=quiet_targets or [], promises=promises or [],
        recent=recent or [], open=open_ or [], unanswered=unanswered or [],
    )  # fmt: skip


def kinds(result: Plan) -> list[list[NudgeKind]]:
    return [[t.kind for t in p.targets] for p in result.posts]


# which nudges are due ------------------------------------------------------------------------------------------


def test_a_quiet_client_is_nudged_to_its_owner() -> None:
    [post] = plan(candidates(quiet_targets=[quiet(1)])).posts
    assert (post.recipient, post.combined, [t.target_id for t in post.targets]) == (
        Recipient(TEAM, "UALICE", False, "UTC"), False, [1]
    )  # fmt: skip


def test_heads_up_comes_the_working_day_before_the_due_date() -> None:
    due_tuesday = promise(1, day(1))
    assert kinds(plan(candidates(at(day(0)), promises=[due_tuesday]))) == [[NudgeKind.HEADS_UP]]
    assert plan(candidates(at(day(-3)), promises=[due_tuesday])).posts == []  # the Friday before: too early


def test_heads_up_for_a_monday_comes_on_the_friday_before() -> None:
    due_monday = promise(1, day(7))
    assert kinds(plan(candidates(at(day(4)), promises=[due_monday]))) == [[NudgeKind.HEADS_UP]]
    assert plan(candidates(at(day(3)), promises=[due_monday])).posts == []


def test_heads_up_is_sent_once_per_due_date() -> None:
    already = promise(1, day(1), heads_up_seen=midnight(day(1)))
    assert plan(candidates(promises=[already])).posts == []


def test_nothing_on_the_due_date_itself() -> None:
    assert plan(candidates(at(day(1)), promises=[promise(1, day(1))])).posts == []


def test_slip_nudge_once_the_due_date_has_passed() -> None:
    [post] = plan(candidates(at(day(2)), promises=[promise(1, day(1))])).posts
    [target] = post.targets
    assert (target.kind, target.cycle_at) == (NudgeKind.SLIP, midnight(day(2)))


def test_slip_nudge_is_sent_once_per_cycle() -> None:
    seen = promise(1, day(1), slip_seen=midnight(day(2)))
    assert plan(candidates(at(day(2)), promises=[seen])).posts == []


def test_a_snoozed_promise_slips_only_once_its_snooze_is_over() -> None:
    snoozed = promise(1, day(-3), snoozed_until=at(day(0), 12))
    assert plan(candidates(at(day(0), 11), promises=[snoozed])).posts == []
    [post] = plan(candidates(at(day(0), 13), promises=[snoozed])).posts
    assert (post.targets[0].kind, post.targets[0].cycle_at) == (NudgeKind.SLIP, at(day(0), 12))


# working hours and recipients ------------------------------------------------------------------------------------


def test_nothing_is_posted_outside_working_hours() -> None:
    assert plan(candidates(at(day(0), 8), quiet_targets=[quiet(1)])).posts == []  # before 09:00
    assert plan(candidates(at(day(0), 17), quiet_targets=[quiet(1)])).posts == []  # from 17:00
    assert plan(candidates(at(day(5), 10), quiet_targets=[quiet(1)])).posts == []  # Saturday


def test_working_hours_are_the_recipients_own() -> None:
    tokyo = [person("UALICE", tz="Asia/Tokyo"), person("UCARL")]
    assert len(plan(candidates(at(day(0), 1), quiet_targets=[quiet(1)], people=tokyo)).posts) == 1  # 10:00 there
    assert plan(candidates(at(day(0), 10), quiet_targets=[quiet(1)], people=tokyo)).posts == []  # 19:00 there


def test_an_owner_slack_told_us_nothing_about_waits_for_the_next_sweep() -> None:
    assert plan(candidates(quiet_targets=[quiet(1)], people=[person("UCARL")])).posts == []


def test_a_deactivated_owners_nudge_goes_to_the_team_channel() -> None:
    gone = [person("UALICE", deleted=True), person("UCARL")]
    [post] = plan(candidates(quiet_targets=[quiet(1)], people=gone, team_channel="CTEAM")).posts
    assert (post.recipient.id, post.recipient.is_channel) == ("CTEAM", True)


def test_without_an_owner_or_team_channel_the_nudge_goes_to_whoever_added_the_client() -> None:
    [post] = plan(candidates(quiet_targets=[quiet(1, owner=None)])).posts
    assert (post.recipient.id, post.recipient.is_channel) == ("UCARL", False)


# daily limits -----------------------------------------------------------------------------------------------------


def test_one_nudge_per_client_a_day() -> None:
    result = plan(candidates(quiet_targets=[quiet(1), quiet(2)], recent=[sent(1, at(day(0), 9))]))
    assert [[t.target_id for t in p.targets] for p in result.posts] == [[2]]


def test_a_client_nudged_yesterday_may_be_nudged_today() -> None:
    assert len(plan(candidates(quiet_targets=[quiet(1)], recent=[sent(1, at(day(-1), 9))])).posts) == 1


def test_five_separate_nudges_per_recipient_a_day_then_one_combined() -> None:
    result = plan(candidates(quiet_targets=[quiet(i) for i in range(1, 9)]))
    assert [(p.combined, len(p.targets)) for p in result.posts] == [(False, 1)] * DAILY_SEPARATE + [(True, 3)]


def test_messages_sent_earlier_today_count_towards_the_five() -> None:
    earlier = [sent(100 + i, at(day(0), 9)) for i in range(3)]
    result = plan(candidates(quiet_targets=[quiet(i) for i in range(1, 9)], recent=earlier))
    assert [(p.combined, len(p.targets)) for p in result.posts] == [(False, 1)] * 2 + [(True, 6)]


def test_one_combined_message_per_recipient_a_day() -> None:
    earlier = [sent(100, at(day(0), 9), combined=True)]
    result = plan(candidates(quiet_targets=[quiet(i) for i in range(1, 9)], recent=earlier))
    assert [p.combined for p in result.posts] == [False] * DAILY_SEPARATE


def test_a_combined_message_holds_at_most_twenty_items() -> None:
    result = plan(candidates(quiet_targets=[quiet(i) for i in range(1, 40)]))
    assert len(result.posts[-1].targets) == COMBINED_MAX


def test_slips_come_first_then_key_clients_then_the_quietest() -> None:
    targets = [quiet(1, since=NOW - timedelta(days=30)), quiet(2, key=True), quiet(3, since=NOW - timedelta(days=40))]
    result = plan(candidates(quiet_targets=targets, promises=[promise(9, day(-3))]))
    assert [p.targets[0].target_id for p in result.posts] == [9, 2, 3, 1]


def test_one_sweep_posts_at_most_its_share() -> None:
    owners = [f"U{i:03}" for i in range(100)]
    targets = [quiet(i * 10 + j, owner=owner) for i, owner in enumerate(owners) for j in range(5)]
    result = plan(candidates(quiet_targets=targets, people=[person(o) for o in owners]))
    assert len(result.posts) == SWEEP_POSTS_MAX


# follow-ups ---------------------------------------------------------------------------------------------------------


def test_reminder_after_three_working_days_without_an_answer() -> None:
    posted = open_nudge(posted_at=at(day(3)))  # Thursday
    assert plan(candidates(at(day(7)), open_=[posted])).reminders == []  # Monday: two working days
    assert plan(candidates(at(day(8)), open_=[posted])).reminders == [posted]  # Tuesday: three


def test_reminders_wait_for_working_hours() -> None:
    posted = open_nudge(posted_at=at(day(0)))
    assert plan(candidates(at(day(3), 8), open_=[posted])).reminders == []
    assert plan(candidates(at(day(3), 9), open_=[posted])).reminders == [posted]


def test_a_heads_up_gets_no_reminder() -> None:
    heads_up = open_nudge(kind=NudgeKind.HEADS_UP, posted_at=at(day(-7)))
    result = plan(candidates(open_=[heads_up], team_channel="CTEAM"))
    assert (result.reminders, result.escalations) == ([], [])


def test_escalation_to_the_team_channel_two_working_days_after_the_reminder() -> None:
    reminded = open_nudge(posted_at=at(day(-7)), reminded_at=at(day(2)))  # Wednesday
    assert plan(candidates(at(day(3)), open_=[reminded], team_channel="CTEAM")).escalations == []
    [escalation] = plan(candidates(at(day(4)), open_=[reminded], team_channel="CTEAM")).escalations
    assert (escalation.nudge, escalation.to.id, escalation.to.is_channel) == (reminded, "CTEAM", True)


def test_no_escalation_without_a_team_channel_when_the_recipient_added_the_client() -> None:
    reminded = open_nudge(posted_at=at(day(-7)), reminded_at=at(day(0)))
    alone = [person("UALICE")]
    mine = OpenNudge(**{**reminded.__dict__, "created_by": "UALICE"})
    assert plan(candidates(at(day(4)), open_=[mine], people=alone)).escalations == []


def test_a_nudge_is_escalated_once() -> None:
    done = open_nudge(posted_at=at(day(-7)), reminded_at=at(day(-5)), escalated_at=at(day(-3)))
    result = plan(candidates(at(day(4)), open_=[done], team_channel="CTEAM"))
    assert (result.reminders, result.escalations) == ([], [])


def test_a_nudge_no_longer_due_is_closed_with_its_reason() -> None:
    contacted = open_nudge(posted_at=at(day(0)), still_due=False, contacted=True)
    result = plan(candidates(open_=[contacted]))
    assert result.closings == [contacted]
    assert closing_reason(contacted) == ClosingReason.CONTACTED
    assert closing_reason(OpenNudge(**{**contacted.__dict__, "contacted": False})) == ClosingReason.CHANGED
    kept = OpenNudge(**{**contacted.__dict__, "kind": NudgeKind.SLIP})
    assert closing_reason(kept) == ClosingReason.KEPT
    assert closing_reason(OpenNudge(**{**kept.__dict__, "contacted": False})) == ClosingReason.CHANGED


def test_profiles_unknown_or_older_than_a_day_are_refreshed() -> None:
    stale = person("UCARL", fetched_at=NOW - timedelta(days=2))
    wanted = profiles_to_refresh(candidates(quiet_targets=[quiet(1, owner="UBOB")], people=[person("UALICE"), stale]))
    assert wanted == {(TEAM, "UBOB"), (TEAM, "UCARL")}


# client messages nobody answered -------------------------------------------------------------------------------------


def test_a_client_message_past_its_reply_time_is_nudged_to_the_clients_owner() -> None:
    [post] = plan(candidates(unanswered=[asked(7)])).posts
    assert (post.recipient, [t.kind for t in post.targets]) == (
        Recipient(TEAM, "UALICE", False, "UTC"), [NudgeKind.UNANSWERED]
    )  # fmt: skip
    assert post.targets[0].message is not None and post.targets[0].message.text == "any news?"


def test_a_client_message_without_an_owner_goes_to_the_team_channel() -> None:
    [post] = plan(candidates(unanswered=[asked(7, owner=None)], team_channel="CTEAM")).posts
    assert (post.recipient.id, post.recipient.is_channel) == ("CTEAM", True)


def test_a_client_message_waits_for_the_owners_working_hours() -> None:
    tokyo = [person("UALICE", tz="Asia/Tokyo"), person("UCARL")]
    assert plan(candidates(at(day(0), 10), unanswered=[asked(7)], people=tokyo)).posts == []  # 19:00 in Tokyo
    assert len(plan(candidates(at(day(1), 1), unanswered=[asked(7)], people=tokyo)).posts) == 1  # 10:00 there


def test_one_nudge_per_client_message_a_day() -> None:
    today = [sent(7, at(day(0), 9), kind=NudgeKind.UNANSWERED)]
    assert plan(candidates(unanswered=[asked(7)], recent=today)).posts == []
    yesterday = [sent(7, at(day(-1), 9), kind=NudgeKind.UNANSWERED)]
    assert len(plan(candidates(unanswered=[asked(7)], recent=yesterday)).posts) == 1
    quiet_seven = [sent(7, at(day(0), 9))]  # a quiet client with the same number is another thing
    assert len(plan(candidates(unanswered=[asked(7)], recent=quiet_seven)).posts) == 1


def test_a_client_waiting_comes_before_everything_else() -> None:
    result = plan(
        candidates(
            quiet_targets=[quiet(1, key=True)], promises=[promise(9, day(-3))],
            unanswered=[asked(20, due=NOW - timedelta(minutes=5)), asked(21, due=NOW - timedelta(hours=3))],
        )
    )  # fmt: skip
    assert [p.targets[0].target_id for p in result.posts] == [21, 20, 9, 1]


def test_client_messages_share_the_daily_limits() -> None:
    quiet_ones, waiting = [quiet(i) for i in range(1, 5)], [asked(i) for i in range(10, 14)]
    result = plan(candidates(quiet_targets=quiet_ones, unanswered=waiting))
    assert [(p.combined, [t.kind for t in p.targets]) for p in result.posts] == [
        *[(False, [NudgeKind.UNANSWERED])] * 4, (False, [NudgeKind.QUIET]), (True, [NudgeKind.QUIET] * 3)
    ]  # fmt: skip


def test_an_unanswered_nudge_is_reminded_and_taken_to_the_team_channel() -> None:
    posted = open_nudge(kind=NudgeKind.UNANSWERED, posted_at=at(day(0)))
    assert plan(candidates(at(day(3)), open_=[posted])).reminders == [posted]
    reminded = open_nudge(kind=NudgeKind.UNANSWERED, posted_at=at(day(-7)), reminded_at=at(day(2)))
    [escalation] = plan(candidates(at(day(4)), open_=[reminded], team_channel="CTEAM")).escalations
    assert escalation.to.id == "CTEAM"


def test_an_unanswered_nudge_closes_with_why_and_who_answered() -> None:
    message = WaitingMessage("UJO", "CACME", NOW - timedelta(days=1), None, None, due_at=NOW - timedelta(hours=1))
    base = open_nudge(kind=NudgeKind.UNANSWERED, posted_at=at(day(0)), still_due=False)
    answered = OpenNudge(**{**base.__dict__, "id": 3, "message": replace(message, answered_at=NOW, answered_by="UBOB")})
    deleted = OpenNudge(**{**base.__dict__, "id": 4, "message": replace(message, deleted=True)})
    gone = OpenNudge(**{**base.__dict__, "id": 5, "message": None})
    moved = OpenNudge(**{**base.__dict__, "id": 6, "message": replace(message, due_at=NOW + timedelta(days=1))})
    assert plan(candidates(open_=[answered, deleted, gone, moved])).closings == [answered, deleted, gone, moved]
    assert [closing(n) for n in (answered, deleted, gone, moved)] == [
        Closing(3, ClosingReason.ANSWERED, "UBOB"), Closing(4, ClosingReason.DELETED),
        Closing(5, ClosingReason.DELETED), Closing(6, ClosingReason.CHANGED),
    ]  # fmt: skip
    assert closing_reason(answered) == ClosingReason.ANSWERED


def test_the_owners_of_client_messages_are_refreshed() -> None:
    wanted = profiles_to_refresh(candidates(unanswered=[asked(7, owner="UBOB")], people=[person("UALICE")]))
    assert wanted == {(TEAM, "UBOB"), (TEAM, "UCARL")}
