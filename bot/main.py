"""Starting rapport: settings, schema upgrade, then HTTP (gunicorn) or Socket Mode."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from slack_bolt import App
from sqlalchemy import Engine

from bot.app import create_app, make_client
from bot.settings import Settings, load_settings
from bot.sweep import Report, Sweeper
from domain.clock import Clock, FixedClock, SystemClock
from storage.db import make_engine, make_session_factory, upgrade

log = logging.getLogger("rapport")


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def build(settings: Settings | None = None) -> tuple[App, Engine]:
    """Settings from the environment, the schema upgraded, and the app."""
    settings = settings or load_settings()
    configure_logging(settings)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    return create_app(settings, engine=engine), engine


def serve(settings: Settings) -> None:
    """Serve until stopped: HTTP on PORT, or Socket Mode when SLACK_APP_TOKEN is set."""
    app, engine = build(settings)
    if settings.socket_mode:
        _serve_socket_mode(app, engine, settings)
    else:
        from bot.server import run_gunicorn
        from bot.web import create_wsgi

        def in_each_worker() -> None:
            engine.dispose(close=False)  # connections opened before the fork belong to the parent
            start_sweeping(app, engine, settings)

        log.info("rapport: HTTP on port %s, Slack requests at /slack/events", settings.port)
        run_gunicorn(create_wsgi(app, engine), settings, in_each_worker=in_each_worker)


def _serve_socket_mode(app: App, engine: Engine, settings: Settings) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.web import create_wsgi, threaded_server

    # Socket Mode needs no public URL; /healthz still answers on PORT for orchestrators.
    health = threaded_server("0.0.0.0", settings.port, create_wsgi(app, engine))
    threading.Thread(target=health.serve_forever, name="healthz", daemon=True).start()
    assert settings.slack_app_token is not None
    start_sweeping(app, engine, settings)
    log.info("rapport: Socket Mode (health check on port %s)", settings.port)
    SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()


def start_sweeping(
    app: App, engine: Engine, settings: Settings, *, clock: Clock | None = None
) -> BackgroundScheduler | None:
    """APScheduler as a clock only: every SWEEP_INTERVAL_MINUTES it runs a sweep (0 turns it off, for cron)."""
    if settings.sweep_interval_minutes == 0:
        log.info("rapport: no sweep clock (SWEEP_INTERVAL_MINUTES=0); run `rapport sweep` from cron")
        return None
    sweeper = Sweeper(
        make_session_factory(engine), app.client, clock or SystemClock(), concurrency=settings.sweep_concurrency
    )

    def sweep() -> None:
        try:
            sweeper.run()
        except Exception:  # the clock keeps ticking; the next sweep picks up where this one failed
            log.exception("sweep failed")

    scheduler = BackgroundScheduler(timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1})
    scheduler.add_job(sweep, "interval", minutes=settings.sweep_interval_minutes, id="sweep",
                      next_run_time=datetime.now(UTC) + timedelta(seconds=10))  # fmt: skip
    scheduler.start()
    log.info("rapport: sweeping every %s minutes", settings.sweep_interval_minutes)
    return scheduler


def sweep_once(settings: Settings, now: datetime | None) -> Report:
    """`rapport sweep`: one sweep (at `now`, for tests and replays) and exit."""
    configure_logging(settings)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    clock = FixedClock(now) if now else SystemClock()
    try:
        sweeper = Sweeper(
            make_session_factory(engine), make_client(settings), clock, concurrency=settings.sweep_concurrency
        )
        return sweeper.run()
    finally:
        engine.dispose()
