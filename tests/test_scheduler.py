"""The serving process's sweep clock: APScheduler calls the same sweep every SWEEP_INTERVAL_MINUTES."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from bot.app import create_app
from bot.main import start_sweeping
from bot.settings import Settings
from domain.clock import FixedClock
from fakes.slack import FakeSlack
from tests.driver import SlackDriver


def test_the_clock_runs_the_sweep_every_interval(
    slack: SlackDriver, settings: Settings, engine: Engine, fake_slack: FakeSlack, clock: FixedClock
) -> None:
    slack.command('add "Acme Corp" key')
    app = create_app(settings, engine=engine)
    scheduler = start_sweeping(app, engine, settings.model_copy(update={"sweep_interval_minutes": 7}), clock=clock)
    assert scheduler is not None
    try:
        [job] = scheduler.get_jobs()
        assert job.id == "sweep"
        assert job.trigger.interval == timedelta(minutes=7)
        assert (job.coalesce, job.max_instances) == (True, 1)
        clock.set(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))  # Acme has been quiet for 15 days
        job.func()  # what the clock does when it ticks
        [nudge] = fake_slack.calls_to("chat.postMessage")
        assert nudge.params["channel"] == "UALICE"
    finally:
        scheduler.shutdown(wait=False)


def test_interval_zero_turns_the_clock_off(settings: Settings, engine: Engine) -> None:
    app = create_app(settings, engine=engine)
    assert start_sweeping(app, engine, settings.model_copy(update={"sweep_interval_minutes": 0})) is None
