"""The survey rules on hand-built values (no database, no Slack), so a failing test names the rule that broke.

Follow-ups: one reminder a working day, in the person's working hours, two at most; a working day after the
second one the survey closes. Answers: a rating is required, a 1 or 2 needs a why, comments fit and are
readable. Results: a blind spot is the team rating itself at least 2 above the client; any 1 or 2 is low.
"""

from __future__ import annotations

from datetime import UTC, datetime

from domain.hours import WorkingHours
from domain.survey_followups import FollowUps, Waiting, follow_ups
from domain.survey_results import ItemResult, SurveyState, gap, is_blind_spot, is_low, state_of
from domain.surveys import MAX_REMINDERS, AnswerProblem, Question, Rating, Side, Via, answer_problems
from storage.models import NOTE_MAX, SurveyFix

MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
TUESDAY = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
FRIDAY = datetime(2026, 3, 6, 10, 0, tzinfo=UTC)
SATURDAY = datetime(2026, 3, 7, 10, 0, tzinfo=UTC)
NEXT_MONDAY = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
QUESTION = Question("quality", "Quality", "How good was our work?", "How good was our work?")


def _invitation(*, since: datetime, reminders: int = 0, survey_id: int = 1, participant_id: int = 1) -> Waiting:
    return Waiting(
        participant_id=participant_id, survey_id=survey_id, team_id="T1", user_id=f"U{participant_id}",
        side=Side.CLIENT, channel_id="D1", ts="1.0", via=Via.DM, reminders=reminders, since=since,
        project="Relaunch", client_name="Acme", requester_id="UREQ",
    )  # fmt: skip


def _plan(found: list[Waiting], now: datetime, tz: str | None = None) -> FollowUps:
    return follow_ups(found, now=now, hours_of=lambda team, user: WorkingHours(), tz_of=lambda team, user: tz)


# follow-ups ----------------------------------------------------------------------------------------------------


def test_no_reminder_on_the_day_of_the_invitation() -> None:
    assert _plan([_invitation(since=MONDAY)], MONDAY.replace(hour=16)) == FollowUps([], [])


def test_a_reminder_is_due_a_working_day_after_the_invitation() -> None:
    invitation = _invitation(since=MONDAY)
    assert _plan([invitation], TUESDAY) == FollowUps([invitation], [])


def test_reminders_go_out_only_in_working_hours() -> None:
    assert _plan([_invitation(since=MONDAY)], TUESDAY.replace(hour=20)) == FollowUps([], [])
    assert _plan([_invitation(since=MONDAY)], TUESDAY.replace(hour=8)) == FollowUps([], [])


def test_working_hours_are_the_persons_own_time_zone() -> None:
    # 10:00 UTC is 02:00 in Los Angeles; 18:00 UTC is 10:00 there.
    invitation = _invitation(since=MONDAY)
    assert _plan([invitation], TUESDAY, tz="America/Los_Angeles") == FollowUps([], [])
    assert _plan([invitation], TUESDAY.replace(hour=18), tz="America/Los_Angeles") == FollowUps([invitation], [])


def test_weekends_are_no_working_days() -> None:
    invitation = _invitation(since=FRIDAY)
    assert _plan([invitation], SATURDAY) == FollowUps([], [])
    assert _plan([invitation], NEXT_MONDAY) == FollowUps([invitation], [])


def test_the_second_reminder_is_the_last() -> None:
    assert MAX_REMINDERS == 2
    second = _invitation(since=MONDAY, reminders=1)
    assert _plan([second], TUESDAY) == FollowUps([second], [])


def test_the_survey_closes_a_working_day_after_the_second_reminder() -> None:
    assert _plan([_invitation(since=MONDAY, reminders=2)], MONDAY.replace(hour=16)) == FollowUps([], [])
    assert _plan([_invitation(since=MONDAY, reminders=2)], TUESDAY) == FollowUps([], [1])


def test_a_closing_survey_reminds_nobody_else() -> None:
    done = _invitation(since=MONDAY, reminders=2, participant_id=1)
    other = _invitation(since=MONDAY, reminders=1, participant_id=2)
    elsewhere = _invitation(since=MONDAY, reminders=0, participant_id=3, survey_id=2)
    assert _plan([done, other, elsewhere], TUESDAY) == FollowUps([elsewhere], [1])


# answer problems -----------------------------------------------------------------------------------------------


def _problems(rating: int | None, comment: str | None = None) -> dict[str, AnswerProblem]:
    return answer_problems([QUESTION], {QUESTION.key: Rating(rating, comment)})


def test_a_rating_is_required() -> None:
    assert answer_problems([QUESTION], {}) == {"quality": AnswerProblem.MISSING}
    assert _problems(None, "fine") == {"quality": AnswerProblem.MISSING}


def test_a_rating_outside_one_to_five_counts_as_missing() -> None:
    assert _problems(0, "x") == {"quality": AnswerProblem.MISSING}
    assert _problems(6, "x") == {"quality": AnswerProblem.MISSING}


def test_a_one_or_two_needs_a_comment() -> None:
    assert _problems(1) == {"quality": AnswerProblem.NEEDS_COMMENT}
    assert _problems(2, "   ") == {"quality": AnswerProblem.NEEDS_COMMENT}
    assert _problems(2, "late twice") == {}


def test_a_three_or_more_needs_no_comment() -> None:
    assert _problems(3) == {}
    assert _problems(5, "") == {}


def test_a_comment_must_fit() -> None:
    assert _problems(4, "x" * NOTE_MAX) == {}
    assert _problems(4, "x" * (NOTE_MAX + 1)) == {"quality": AnswerProblem.TOO_LONG}


def test_a_comment_must_be_readable() -> None:
    assert _problems(4, "fine\x00") == {"quality": AnswerProblem.UNREADABLE}
    assert _problems(4, "line one\n\tline two") == {}


# gaps, blind spots and low ratings -----------------------------------------------------------------------------


def test_the_gap_is_team_average_minus_client_average() -> None:
    assert gap([3, 4], [5, 5]) == 1.5
    assert gap([], [5]) is None
    assert gap([5], []) is None


def test_a_blind_spot_is_the_team_two_or_more_above_the_client() -> None:
    assert is_blind_spot([3], [5])
    assert is_blind_spot([2, 3], [5, 4])
    assert not is_blind_spot([3, 4], [5, 5])  # 1.5 above
    assert not is_blind_spot([5], [3])  # the client thinks better of it: no blind spot
    assert not is_blind_spot([], [5])  # one side alone is no gap


def test_any_rating_of_two_or_less_is_low() -> None:
    assert is_low([5, 2])
    assert is_low([1])
    assert not is_low([3, 4, 5])
    assert not is_low([])


def test_an_item_needs_action_when_low_or_a_blind_spot() -> None:
    assert ItemResult(QUESTION, client=[2], team=[3]).needs_action  # low
    assert ItemResult(QUESTION, client=[3], team=[5]).needs_action  # blind spot
    assert not ItemResult(QUESTION, client=[4], team=[5]).needs_action


def test_a_survey_is_waiting_while_open() -> None:
    assert state_of(closed_at=None, completed_at=None, items=[]) is SurveyState.WAITING


def test_a_survey_everyone_answered_is_answered_until_every_action_is_decided() -> None:
    pending = ItemResult(QUESTION, client=[1], team=[4])
    assert state_of(closed_at=TUESDAY, completed_at=TUESDAY, items=[pending]) is SurveyState.ANSWERED
    decided = ItemResult(QUESTION, client=[1], team=[4], fix=SurveyFix(item="quality", reason="one-off"))
    assert state_of(closed_at=TUESDAY, completed_at=TUESDAY, items=[decided]) is SurveyState.FIXES_PLANNED


def test_a_survey_closed_without_every_answer_is_closed() -> None:
    fine = ItemResult(QUESTION, client=[4], team=[4])
    assert state_of(closed_at=TUESDAY, completed_at=None, items=[fine]) is SurveyState.CLOSED
