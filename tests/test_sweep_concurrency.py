"""Sweeps post to different recipients at once, each recipient's messages in order, a 429 pausing only its own.

The fake Slack's answers wait on threading events, so these tests prove overlap without timing anything: a
serial sweep would leave an event unset (the wait gives up after WAIT seconds and the test fails).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from bot.settings import Settings, SettingsError, load_settings
from domain.clock import FixedClock
from fakes.slack import Call, Canned, FakeSlack
from storage.models import Person
from tests.driver import SlackDriver
from tests.helpers import Sweeps, blocks_text, nudges, posts

MONDAY_10_WARSAW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
WAIT = 10.0  # only a broken (serial) sweep ever waits this long


def _owners(slack: SlackDriver, *owners: str) -> None:
    for owner in owners:
        slack.fake.add_user(owner)
        slack.command(f"add {owner}-client key owner <@{owner}>")


def _answer_all(fake: FakeSlack, count: int, responder: Any) -> None:
    """The next `count` chat.postMessage calls go through `responder` (it routes them by channel)."""
    for _ in range(count):
        fake.queue("chat.postMessage", responder)


def _both_in_flight(fake: FakeSlack, *, refusal: str) -> Callable[[Call], Canned]:
    """A Slack that answers two calls only once both are in flight at once; a serial sweep gets `refusal`."""
    barrier = threading.Barrier(2)

    def meet(call: Call) -> Canned:
        try:
            barrier.wait(timeout=WAIT)  # returns only once the other call is in flight too
        except threading.BrokenBarrierError:
            return Canned({"ok": False, "error": refusal})
        return fake.answer(call)

    return meet


def test_posts_to_different_recipients_overlap(
    slack: SlackDriver, settings: Settings, engine: Engine, clock: FixedClock
) -> None:
    _owners(slack, "UOWNER1", "UOWNER2")
    meet = _both_in_flight(slack.fake, refusal="posted_one_at_a_time")

    _answer_all(slack.fake, 2, meet)
    report = Sweeps(settings, engine, clock, concurrency=2).at(MONDAY_10_WARSAW)
    assert (report.posted, report.failed) == (2, 0)
    assert sorted(c.params["channel"] for c in posts(slack.fake)) == ["UOWNER1", "UOWNER2"]


def test_one_recipients_messages_arrive_in_order_one_at_a_time(
    slack: SlackDriver, settings: Settings, engine: Engine, clock: FixedClock, session: Session
) -> None:
    for n in range(7):  # the quietest first: Client0 was added first
        clock.set(clock.now() + timedelta(hours=1))
        slack.command(f"add Client{n} key")
    _owners(slack, "UBOB")
    bob_arrived = threading.Event()
    in_flight: dict[str, int] = {}
    overlapped: list[str] = []
    waited_for_bob: list[bool] = []
    lock = threading.Lock()

    def route(call: Call) -> Canned:
        channel = call.params["channel"]
        with lock:
            in_flight[channel] = in_flight.get(channel, 0) + 1
            if in_flight[channel] > 1:
                overlapped.append(channel)
            first_for_alice = channel == "UALICE" and not waited_for_bob
            if first_for_alice:
                waited_for_bob.append(False)
        if channel == "UBOB":
            bob_arrived.set()
        elif first_for_alice:  # Alice's first message holds her queue until Bob's is posted: Bob does not wait
            waited_for_bob[0] = bob_arrived.wait(timeout=WAIT)
        answer = slack.fake.answer(call)
        with lock:
            in_flight[channel] -= 1
        return answer

    _answer_all(slack.fake, 7, route)
    report = Sweeps(settings, engine, clock, concurrency=4).at(MONDAY_10_WARSAW)
    assert report.posted == 7
    assert waited_for_bob == [True] and overlapped == []
    alice = [blocks_text(c) for c in posts(slack.fake) if c.params["channel"] == "UALICE"]
    assert [next(f"Client{n}" for n in range(7) if f"*Client{n}*" in text) for text in alice[:5]] == [
        f"Client{n}" for n in range(5)
    ]
    assert "2 more things need you today" in alice[5]
    assert len(nudges(session)) == 8


@pytest.mark.parametrize("concurrency", [2, 8])
def test_a_429_pauses_only_that_recipient(
    slack: SlackDriver, settings: Settings, engine: Engine, clock: FixedClock, session: Session, concurrency: int
) -> None:
    _owners(slack, "UALICE2", "UBOB")
    bob_arrived = threading.Event()
    paused: list[tuple[float, bool]] = []

    def route(call: Call) -> Canned:
        if call.params["channel"] == "UBOB":
            bob_arrived.set()
            return slack.fake.answer(call)
        if not paused:
            return Canned({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "30"})
        return slack.fake.answer(call)

    def sleep(seconds: float) -> None:  # Alice's bucket waits; Bob's post must go out meanwhile
        paused.append((seconds, bob_arrived.wait(timeout=WAIT)))

    _answer_all(slack.fake, 3, route)
    sweeps = Sweeps(settings, engine, clock, concurrency=concurrency, sleep=sleep)
    report = sweeps.at(MONDAY_10_WARSAW)
    assert paused == [(30.0, True)]
    assert (report.posted, report.failed) == (2, 0)
    assert sorted(c.params["channel"] for c in posts(slack.fake)) == ["UALICE2", "UALICE2", "UBOB"]
    assert [n.status for n in nudges(session)] == ["posted", "posted"]


def test_reminders_to_different_recipients_overlap(
    slack: SlackDriver, settings: Settings, engine: Engine, clock: FixedClock
) -> None:
    _owners(slack, "UOWNER1", "UOWNER2")
    sweeps = Sweeps(settings, engine, clock, concurrency=2)
    assert sweeps.at(MONDAY_10_WARSAW).posted == 2
    meet = _both_in_flight(slack.fake, refusal="posted_one_at_a_time")

    _answer_all(slack.fake, 2, meet)
    assert sweeps.at(MONDAY_10_WARSAW + timedelta(days=3)).reminders == 2


def test_people_are_looked_up_at_once(
    slack: SlackDriver, settings: Settings, engine: Engine, clock: FixedClock, session: Session
) -> None:
    _owners(slack, "UOWNER1", "UOWNER2")
    session.execute(delete(Person))  # profiles expire daily: the sweep asks users.info about both owners again
    session.commit()
    meet = _both_in_flight(slack.fake, refusal="asked_one_at_a_time")

    for _ in range(2):
        slack.fake.queue("users.info", meet)
    asked = len(slack.fake.calls_to("users.info"))
    assert Sweeps(settings, engine, clock, concurrency=2).at(MONDAY_10_WARSAW).posted == 2
    assert {"UOWNER1", "UOWNER2"} <= {c.params["user"] for c in slack.fake.calls_to("users.info")[asked:]}


@pytest.mark.parametrize(("value", "expected"), [(None, 8), ("1", 1), ("64", 64), ("0", None), ("65", None)])
def test_sweep_concurrency_setting(monkeypatch: pytest.MonkeyPatch, value: str | None, expected: int | None) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    if value is None:
        monkeypatch.delenv("SWEEP_CONCURRENCY", raising=False)
    else:
        monkeypatch.setenv("SWEEP_CONCURRENCY", value)
    if expected is None:
        with pytest.raises(SettingsError, match=r"^SWEEP_CONCURRENCY "):
            load_settings(_env_file=None)
    else:
        assert load_settings(_env_file=None).sweep_concurrency == expected
