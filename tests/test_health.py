"""The health score on hand-built histories, as `/client show` tells it: each factor alone, combined, capped; the
bands' boundaries; the trend; the weekly series; a fixed number of statements however many clients."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from domain.health import Band, FactorKind, Health, scores, weekly
from fakes.slack import TEAM
from render.health import BAND_EMOJI, health_text
from tests.conftest import NOW
from tests.driver import SlackDriver
from tests.health import History
from tests.helpers import ask
from tests.test_sweep_queries import statements


@pytest.fixture
def history(engine: Engine) -> History:
    return History(engine, NOW)


def health(engine: Engine, client_id: int) -> Health:
    with Session(engine) as session:
        return scores(session, team_id=TEAM, now=NOW)[client_id]


def shown(slack: SlackDriver, history: History, client_id: int) -> str:
    """The health line of `/client show`, without its coloured dot (checked against the band)."""
    reply = ask(slack, f'show "{history.names[client_id]}"')
    line = next(line for line in reply.splitlines() if line.startswith("*Health:* "))
    dot, text = line.removeprefix("*Health:* ").split(" ", 1)
    assert dot == BAND_EMOJI[Band(text.split(":")[0].split(", ")[1])]
    assert text == health_text(health(history.engine, client_id))
    return text


def test_a_client_with_nothing_wrong_is_fully_green(slack: SlackDriver, history: History) -> None:
    calm = history.client("Calm", cadence=14)
    history.contacts(calm, 100, 88, 76, 64, 52, 40, 28, 16, 4)
    plain = history.client("Plain")  # no cadence, no history at all
    assert shown(slack, history, calm) == shown(slack, history, plain) == "100, green"
    assert health(history.engine, calm).factors == ()


# Each factor alone: its history lies far enough back that the score four weeks ago was the same (no trend).

# cadence ---------------------------------------------------------------------------------------------------------


def test_days_past_cadence_add_up_over_the_gaps(slack: SlackDriver, history: History) -> None:
    acme = history.client("Acme", cadence=14, created_days_ago=81)
    history.contacts(acme, 80, 50, *range(43, 0, -7))  # 30 days between the first two: 16 past the cadence
    assert shown(slack, history, acme) == "84, green: 16 days past cadence"


def test_only_the_last_90_days_count(slack: SlackDriver, history: History) -> None:
    acme = history.client("Acme", cadence=14, created_days_ago=400)
    # 120 → 60 days ago: late from day 106, counted from day 90 on (30 days); 60 → 45: 1 day; 45 → 20: 11 days.
    history.contacts(acme, 300, 120, 60, 45, 20, 10)
    assert shown(slack, history, acme) == "60, yellow: 42 days past cadence"  # capped at 40 points


def test_a_new_client_is_late_from_its_creation_on(slack: SlackDriver, history: History) -> None:
    fresh = history.client("Fresh", cadence=7, created_days_ago=10)
    assert shown(slack, history, fresh) == "97, green: 3 days past cadence"


def test_no_cadence_no_cadence_penalty(slack: SlackDriver, history: History) -> None:
    loose = history.client("Loose", created_days_ago=300)
    history.contacts(loose, 250)
    assert shown(slack, history, loose) == "100, green"


# promises --------------------------------------------------------------------------------------------------------


def test_slipped_promises_cost_8_points_each(slack: SlackDriver, history: History) -> None:
    acme = history.client("Acme")
    history.promise(acme, due_days_ago=35)  # still open
    history.promise(acme, due_days_ago=50, done_days_ago=45)  # kept late
    history.promise(acme, due_days_ago=-10)  # not due yet: nothing
    history.promise(acme, due_days_ago=120)  # slipped long ago: outside the window
    assert shown(slack, history, acme) == "84, green: 2 slipped promises"


def test_promises_kept_on_time_give_some_back(slack: SlackDriver, history: History) -> None:
    acme = history.client("Acme")
    history.promise(acme, due_days_ago=35)
    history.promise(acme, due_days_ago=40, done_days_ago=40)  # kept on its day
    history.promise(acme, due_days_ago=60, done_days_ago=63)  # kept early
    assert shown(slack, history, acme) == "100, green"  # 8 - 2 x 4: never a bonus
    history.promise(acme, due_days_ago=38)
    assert shown(slack, history, acme) == "92, green: 2 slipped promises"  # 16 - 8


def test_a_promise_given_a_new_date_slipped(slack: SlackDriver, history: History) -> None:
    acme = history.client("Acme")
    history.promise(acme, due_days_ago=-5, moved_days_ago=3)  # due ahead now, but its first date was missed
    assert shown(slack, history, acme) == "92, green: 1 slipped promise"


def test_slipped_promises_are_capped(slack: SlackDriver, history: History) -> None:
    acme = history.client("Acme")
    for days in range(31, 38):
        history.promise(acme, due_days_ago=days)
    found = health(history.engine, acme)
    assert (found.score, found.factors[0].kind, found.factors[0].points) == (76, FactorKind.SLIPPED, 24)
    assert health_text(found) == "76, green: 7 slipped promises"


# client messages -------------------------------------------------------------------------------------------------


def test_client_messages_left_past_their_reply_time(slack: SlackDriver, history: History) -> None:
    acme = history.client("Acme")
    history.message(acme, days_ago=35)  # never answered
    history.message(acme, days_ago=40, answered_days_ago=38)  # answered a day late
    history.message(acme, days_ago=42, answered_days_ago=41.5)  # in time
    history.message(acme, days_ago=0.5)  # its reply time runs out tomorrow
    history.message(acme, days_ago=100)  # outside the window
    assert shown(slack, history, acme) == "90, green: 2 client messages left past the reply time"


def test_client_messages_are_capped(slack: SlackDriver, history: History) -> None:
    acme = history.client("Acme")
    for days in range(32, 42):
        history.message(acme, days_ago=days)
    assert shown(slack, history, acme) == "80, green: 10 client messages left past the reply time"


# surveys ---------------------------------------------------------------------------------------------------------


def test_the_last_survey_score_and_blind_spots(slack: SlackDriver, history: History) -> None:
    acme = history.client("Acme")
    history.survey(acme, days_ago=200, client=1, team=5)  # an older survey: the last one counts
    history.survey(acme, days_ago=40, client=3, team=4)
    assert shown(slack, history, acme) == "90, green: last survey rated 3.0/5 by the client"
    blind = history.client("Blind")
    history.survey(blind, days_ago=40, client=3, team=5)  # every item a blind spot: 25 points, capped at 15
    assert shown(slack, history, blind) == (
        "75, yellow: 5 blind spots in the last survey, last survey rated 3.0/5 by the client"
    )


def test_a_good_survey_or_an_old_one_costs_nothing(slack: SlackDriver, history: History) -> None:
    good = history.client("Good")
    history.survey(good, days_ago=40, client=4, team=4)
    old = history.client("Old", created_days_ago=800)
    history.survey(old, days_ago=400, client=1, team=5)
    assert shown(slack, history, good) == shown(slack, history, old) == "100, green"


def test_the_survey_score_is_capped(slack: SlackDriver, history: History) -> None:
    acme = history.client("Acme")
    history.survey(acme, days_ago=40, client=1, team=2)
    assert shown(slack, history, acme) == "80, green: last survey rated 1.0/5 by the client"


# combined, boundaries ----------------------------------------------------------------------------------------------


def test_every_factor_that_lowers_the_score_is_named_costliest_first(slack: SlackDriver, history: History) -> None:
    acme = history.client("Acme", cadence=14, created_days_ago=81)
    history.contacts(acme, 80, 50, *range(43, 0, -7))  # 16 points
    history.promise(acme, due_days_ago=35)
    history.promise(acme, due_days_ago=36)  # 16 points
    history.message(acme, days_ago=33)  # 5 points
    history.survey(acme, days_ago=40, client=3, team=4)  # 10 points
    assert shown(slack, history, acme) == (
        "53, yellow: 16 days past cadence, 2 slipped promises, last survey rated 3.0/5 by the client, "
        "1 client message left past the reply time"
    )


@pytest.mark.parametrize(
    ("late_days", "messages", "score", "band"),
    [(24, 0, 76, Band.GREEN), (25, 0, 75, Band.YELLOW), (29, 4, 51, Band.YELLOW), (30, 4, 50, Band.RED)],
)
def test_band_boundaries(
    slack: SlackDriver, history: History, late_days: int, messages: int, score: int, band: Band
) -> None:
    acme = history.client("Acme", cadence=10, created_days_ago=81)
    back_in_touch = 80 - (10 + late_days + 0.5)  # half a day more is not a whole day
    history.contacts(acme, 80, *range(int(back_in_touch), 0, -5), back_in_touch)
    for n in range(messages):
        history.message(acme, days_ago=n + 30)
    found = health(history.engine, acme)
    assert (found.score, found.band) == (score, band), health_text(found)


def test_the_score_never_goes_below_zero(slack: SlackDriver, history: History) -> None:
    acme = history.client("Acme", cadence=7)
    history.contacts(acme, 89)
    for days in range(1, 8):
        history.promise(acme, due_days_ago=days)
        history.message(acme, days_ago=days + 1)
    history.survey(acme, days_ago=30, client=1, team=5)
    found = health(history.engine, acme)
    assert (found.score, found.band) == (0, Band.RED)
    assert [f.kind for f in found.factors] == [
        FactorKind.CADENCE, FactorKind.SLIPPED, FactorKind.UNANSWERED, FactorKind.SURVEY, FactorKind.BLIND_SPOTS,
        FactorKind.TREND,
    ]  # fmt: skip


# trend -------------------------------------------------------------------------------------------------------------


def test_a_fall_over_four_weeks_costs_a_quarter_of_it(slack: SlackDriver, history: History) -> None:
    acme = history.client("Acme", cadence=7, created_days_ago=101)
    history.contacts(acme, *range(100, 28, -5), 30)  # in touch every 5 days, then silence for 30 days
    # 100 four weeks ago, 77 now: a fall of 23 costs 5 more
    assert shown(slack, history, acme) == "72, yellow: 23 days past cadence, down 23 in 4 weeks"


def test_a_small_fall_is_no_trend(slack: SlackDriver, history: History) -> None:
    acme = history.client("Acme", cadence=7, created_days_ago=101)
    history.contacts(acme, *range(100, 15, -5), 16)  # silence for 16 days: 9 days past
    assert shown(slack, history, acme) == "91, green: 9 days past cadence"


def test_the_trend_reads_imported_history_on_a_fresh_install(slack: SlackDriver, history: History) -> None:
    imported = history.client("Imported", cadence=7, created_days_ago=0)  # added today, its past imported
    history.contacts(imported, *range(100, 28, -5), 30)
    assert shown(slack, history, imported) == "72, yellow: 23 days past cadence, down 23 in 4 weeks"


def test_a_client_added_lately_has_no_trend(slack: SlackDriver, history: History) -> None:
    fresh = history.client("Fresh", cadence=7, created_days_ago=20)
    assert shown(slack, history, fresh) == "87, green: 13 days past cadence"


def test_weekly_scores_oldest_first_the_last_one_now(slack: SlackDriver, history: History) -> None:
    acme = history.client("Acme", cadence=7, created_days_ago=101)
    history.contacts(acme, *range(100, 28, -5), 30)
    calm = history.client("Calm")
    with Session(history.engine) as session:
        found = weekly(session, team_id=TEAM, client_ids=[acme, calm], weeks=5, now=NOW)
    days = [(NOW - timedelta(weeks=back)).date() for back in range(4, -1, -1)]
    # 30 days of silence at a 7-day cadence: 0, 2, 9, 16 days past (a fall of 16: 4 more), 23 (a fall of 23: 5 more)
    assert found[acme] == list(zip(days, [100, 98, 91, 80, 72], strict=True))
    assert found[calm] == [(day, 100) for day in days]
    assert found[acme][-1][1] == health(history.engine, acme).score


# queries -----------------------------------------------------------------------------------------------------------


def seed_many(history: History, first: int, count: int) -> list[int]:
    """`count` more clients, each with a little of everything."""
    ids = [history.client(f"Client {n:04d}", cadence=14) for n in range(first, first + count)]
    for cid in ids:
        history.contacts(cid, 40, 10)
        history.promise(cid, due_days_ago=5)
        history.message(cid, days_ago=4)
        history.survey(cid, days_ago=10, client=3, team=5)
    return ids


def test_scores_and_weekly_take_the_same_statements_for_10_and_200_clients(history: History) -> None:
    """Two evaluations (now, and 4 weeks ago for the trend) of four queries; weekly, 12 + 4 evaluations."""
    reads = []
    ids: list[int] = []
    for more in (10, 190):
        ids += seed_many(history, len(ids), more)
        with Session(history.engine) as session, statements(history.engine) as sql:
            found = scores(session, team_id=TEAM, now=NOW)
            series = weekly(session, team_id=TEAM, client_ids=ids, weeks=12, now=NOW)
        assert len(found) == len(series) == len(ids) and all(len(s) == 12 for s in series.values())
        assert {h.score for h in found.values()} == {health(history.engine, ids[0]).score}
        reads.append([s for s in sql if s.startswith(("SELECT", "WITH"))])
    assert len(reads[0]) == len(reads[1]) == 2 * 4 + 16 * 4, reads[1]
