"""`/client promise` and `/client done`: promises with dates in the user's own time zone, and keeping them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from domain.clock import FixedClock
from fakes.slack import FakeSlack
from tests.conftest import NOW
from tests.driver import SlackDriver
from tests.helpers import NOTHING_CHANGED, add, ask, at, client_named, nothing_changes, promise, promises


def test_promise_with_an_iso_date(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    reply = ask(slack, "promise acme send the revised quote by 2026-12-01")
    [stored] = promises(session)
    assert reply == (
        f"Promise #{stored.id} to *Acme Corp*: \u201csend the revised quote\u201d by Tue 1 Dec, owned by <@UALICE>. "
        f"Mark it kept with `/client done {stored.id}`."
    )
    assert stored.client_id == client_named(session, "Acme Corp").id
    assert (stored.team_id, stored.what, stored.due_on) == ("T1", "send the revised quote", date(2026, 12, 1))
    assert (stored.owner_id, stored.created_by, stored.created_at) == ("UALICE", "UALICE", NOW)
    assert (stored.done_at, stored.done_by) == (None, None)


def test_the_clients_owner_owns_the_promise(slack: SlackDriver, session: Session) -> None:
    add(slack, '"Acme Corp" owner <@UBOB>')
    number = promise(slack, session, '"Acme Corp" call them back by next week', user="UCAROL")
    [stored] = promises(session)
    assert (stored.id, stored.what, stored.due_on) == (number, "call them back", date(2026, 11, 23))
    assert (stored.owner_id, stored.created_by) == ("UBOB", "UCAROL")


def test_promise_what_may_contain_by(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    promise(slack, session, "acme drop by the office by friday")
    [stored] = promises(session)
    assert (stored.what, stored.due_on) == ("drop by the office", date(2026, 11, 27))


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("tomorrow", date(2026, 11, 23)),
        ("friday", date(2026, 11, 27)),
        ("next week", date(2026, 11, 23)),
        ("in 3 days", date(2026, 11, 25)),
        ("20 Dec", date(2026, 12, 20)),
        ("today", date(2026, 11, 22)),
    ],
)
def test_promise_with_natural_dates(
    slack: SlackDriver, session: Session, plain_acme: None, due: str, expected: date
) -> None:
    promise(slack, session, f"acme send the quote by {due}")
    assert [p.due_on for p in promises(session)] == [expected]


def test_tomorrow_is_in_the_users_time_zone(
    slack: SlackDriver, session: Session, clock: FixedClock, fake_slack: FakeSlack, plain_acme: None
) -> None:
    fake_slack.add_user("UKIWI", tz="Pacific/Auckland")
    # Sunday 12:00 UTC: Sunday 13:00 in Warsaw, already Monday 01:00 in Auckland.
    clock.set(at(22, hour=12))
    promise(slack, session, "acme call back by tomorrow")
    assert "\u201ccall back\u201d by Tue 24 Nov," in ask(slack, "promise acme call back by tomorrow", user="UKIWI")
    [ours, kiwi] = promises(session)
    assert (ours.due_on, kiwi.due_on) == (date(2026, 11, 23), date(2026, 11, 24))
    # Each reader sees the dates, and what is late, from where they are.
    assert f"\u2022 #{kiwi.id} \u201ccall back\u201d by Tue 24 Nov, <@UALICE>" in ask(slack, "show acme", user="UKIWI")


def test_friday_is_in_the_users_time_zone(
    slack: SlackDriver, session: Session, clock: FixedClock, fake_slack: FakeSlack, plain_acme: None
) -> None:
    fake_slack.add_user("UKIWI", tz="Pacific/Auckland")
    # Thursday 12:00 UTC is already Friday 01:00 in Auckland: "friday" there means the next one.
    clock.set(at(26, hour=12))
    promise(slack, session, "acme send the quote by friday")
    reply = ask(slack, "promise acme send the quote by friday", user="UKIWI")
    assert "by Fri 4 Dec" in reply
    assert [p.due_on for p in promises(session)] == [date(2026, 11, 27), date(2026, 12, 4)]


def test_a_date_is_past_or_not_depending_on_the_users_time_zone(
    slack: SlackDriver, session: Session, clock: FixedClock, fake_slack: FakeSlack, plain_acme: None
) -> None:
    fake_slack.add_user("ULA", tz="America/Los_Angeles")
    # Sunday 05:00 UTC: Sunday 06:00 in Warsaw, still Saturday 21:00 in Los Angeles.
    clock.set(at(22, hour=5))
    with nothing_changes(session):
        reply = ask(slack, "promise acme send the quote by 2026-11-21")
    assert reply == f":warning: Sat 21 Nov has already passed: a promise needs a date from today on. {NOTHING_CHANGED}"
    promise(slack, session, "acme send the quote by 2026-11-21", user="ULA")
    promise(slack, session, "acme call back by tomorrow", user="ULA")
    assert [p.due_on for p in promises(session)] == [date(2026, 11, 21), date(2026, 11, 22)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("promise acme send the quote by 2026-11-20", "Fri 20 Nov has already passed"),
        ("promise acme send the quote by yesterday", "Sat 21 Nov has already passed"),
        ("promise acme send the quote by 20 Nov", "Fri 20 Nov has already passed"),
        ("promise acme send the quote by someday", "I can't read *someday* as a date."),
        ("promise acme send the quote by 2026-02-30", "I can't read *2026-02-30* as a date."),
        (
            "promise acme send the quote",
            "That does not look right.\nUsage: `/client promise <client> <what> by <date>`",
        ),
        ("promise acme send the quote by", "That does not look right.\nUsage: `/client promise"),
        ("promise acme by friday", "What did we promise? Add it between the client's name and `by`."),
        ("promise globex send the quote by friday", "I don't know a client called *globex*."),
        ("promise acme " + "x" * 301 + " by friday", "The promise is too long: 301 characters, 300 at most."),
    ],
)
def test_promise_rejects(slack: SlackDriver, session: Session, plain_acme: None, text: str, expected: str) -> None:
    with nothing_changes(session):
        reply = ask(slack, text)
    assert reply.startswith(f":warning: {expected}")


def test_a_retried_promise_is_recorded_once(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    ask(slack, "promise acme send the quote by friday", trigger_id="same")
    [stored] = promises(session)
    with nothing_changes(session):
        again = ask(slack, "promise acme send the quote by friday", trigger_id="same")
    assert again == f"That promise was already recorded as #{stored.id}. {NOTHING_CHANGED}"


@pytest.mark.parametrize("ref", ["{n}", "#{n}"])
def test_done(slack: SlackDriver, session: Session, clock: FixedClock, plain_acme: None, ref: str) -> None:
    number = promise(slack, session, "acme send the quote by friday")
    clock.set(at(23))
    reply = ask(slack, "done " + ref.format(n=number), user="UBOB")
    assert reply == (
        f":white_check_mark: Promise #{number} to *Acme Corp* kept (due Fri 27 Nov): \u201csend the quote\u201d"
    )
    [stored] = promises(session)
    assert (stored.done_at, stored.done_by) == (at(23), "UBOB")


def test_done_late_says_how_late(slack: SlackDriver, session: Session, clock: FixedClock, plain_acme: None) -> None:
    number = promise(slack, session, "acme send the quote by friday")
    clock.set(at(30))
    reply = ask(slack, f"done {number}")
    assert reply == (
        f":white_check_mark: Promise #{number} to *Acme Corp* kept, 3 days after the promised Fri 27 Nov: "
        "\u201csend the quote\u201d"
    )


def test_done_twice(slack: SlackDriver, session: Session, clock: FixedClock, plain_acme: None) -> None:
    number = promise(slack, session, "acme send the quote by friday")
    ask(slack, f"done {number}")
    clock.set(at(24))
    with nothing_changes(session):
        reply = ask(slack, f"done #{number}", user="UBOB")
    assert reply == f":warning: Promise #{number} was already marked done by <@UALICE>. {NOTHING_CHANGED}"
    [stored] = promises(session)
    assert (stored.done_at, stored.done_by) == (NOW, "UALICE")


def test_done_with_an_unknown_number(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    number = promise(slack, session, "acme send the quote by friday")
    with nothing_changes(session):
        reply = ask(slack, f"done {number + 1000}")
    assert reply == (
        f":warning: There is no promise #{number + 1000} in this workspace. `/client show <client>` lists promises "
        f"with their numbers. {NOTHING_CHANGED}"
    )


@pytest.mark.parametrize("number", [0, 2**31, 999_999_999_999])
def test_done_with_numbers_no_promise_can_have(
    slack: SlackDriver, session: Session, plain_acme: None, number: int
) -> None:
    promise(slack, session, "acme send the quote by friday")
    with nothing_changes(session):
        reply = ask(slack, f"done {number}")
    assert reply.startswith(f":warning: There is no promise #{number} in this workspace.")


def test_done_with_another_workspaces_promise(slack: SlackDriver, session: Session, plain_acme: None) -> None:
    number = promise(slack, session, "acme send the quote by friday")
    with nothing_changes(session):
        reply = ask(slack, f"done {number}", team="T2")
    assert reply.startswith(f":warning: There is no promise #{number} in this workspace.")
    assert promises(session)[0].done_at is None


@pytest.mark.parametrize(
    ("text", "lead"), [("done", "That does not look right."), ("done x", "`x` is not a promise number.")]
)
def test_done_usage(slack: SlackDriver, session: Session, text: str, lead: str) -> None:
    with nothing_changes(session):
        reply = ask(slack, text)
    assert reply.startswith(f":warning: {lead}\nUsage: `/client done <promise number>`")
