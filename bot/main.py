"""Starting rapport: settings, schema upgrade, then HTTP (gunicorn) or Socket Mode."""

from __future__ import annotations

import logging
import os
import threading
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from slack_bolt import App
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from bot.app import create_app, feed_policy, make_client
from bot.logs import configure_logging
from bot.settings import DatabaseSettings, Settings, load_settings
from bot.startup import StartupError, connect_database, identify
from domain.clock import Clock, FixedClock, SystemClock
from services.sweep import Report, Sweeper
from storage.db import make_session_factory, upgrade

log = logging.getLogger("rapport")

# Variables Bolt and its Socket Mode adapter read by themselves when not handed a value.
SECRETS_BOLT_WOULD_READ = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN")


def build(settings: Settings | None = None) -> tuple[App, Engine]:
    """Settings from the environment, Slack and the database checked, the schema upgraded, and the app."""
    settings = settings or load_settings()
    configure_logging(settings.log_level)
    # Slack first: a refused token or an unreachable Slack stops us before the SQLite file is created.
    me = identify(token=settings.slack_bot_token.get_secret_value(), api_url=settings.slack_api_url)
    log.info("Slack accepts the token: workspace %s (%s), bot user %s (%s)", me.team, me.team_id, me.user, me.user_id)
    engine = connect_database(url=settings.database_url)
    upgrade(engine)
    _settings_only()
    return create_app(settings, engine=engine), engine


def _settings_only() -> None:
    # Bolt reads SLACK_BOT_TOKEN from the environment when we hand it a client as well, and then warns at every
    # start that the token "will be unused". The settings hold every value now, so the environment (and
    # whatever this process starts) needs the secrets no more.
    for name in SECRETS_BOLT_WOULD_READ:
        os.environ.pop(name, None)


def migrate(settings: DatabaseSettings) -> None:
    """`rapport migrate`: bring DATABASE_URL to the newest schema; needs no Slack setting."""
    configure_logging(settings.log_level)
    engine = connect_database(url=settings.database_url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


def serve(settings: Settings) -> None:
    """Serve until stopped: HTTP on PORT, or Socket Mode when SLACK_APP_TOKEN is set."""
    app, engine = build(settings)
    if settings.socket_mode:
        _serve_socket_mode(app, engine, settings)
    else:
        from bot.server import run_gunicorn
        from bot.wsgi import create_wsgi

        def in_each_worker() -> None:
            engine.dispose(close=False)  # connections opened before the fork belong to the parent
            start_sweeping(app, engine, settings)

        run_gunicorn(create_wsgi(app, engine), settings, in_each_worker=in_each_worker)


def _serve_socket_mode(app: App, engine: Engine, settings: Settings) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.wsgi import create_wsgi, threaded_server

    # Socket Mode needs no public URL for Slack; /healthz still answers on PORT for orchestrators, and the survey
    # page for people outside Slack (behind the proxy PUBLIC_URL names).
    health = threaded_server("0.0.0.0", settings.port, create_wsgi(app, engine))
    threading.Thread(target=health.serve_forever, name="healthz", daemon=True).start()
    assert settings.slack_app_token is not None
    start_sweeping(app, engine, settings)
    handler = SocketModeHandler(app, settings.slack_app_token.get_secret_value())
    try:
        handler.connect()
    except SlackApiError as exc:  # apps.connections.open refused the app-level token
        raise StartupError(f"SLACK_APP_TOKEN was refused by Slack ({exc.response.get('error')})") from None
    # Only now are we really running: the websocket is open.
    log.info("connected to Slack with Socket Mode (health check and survey page on port %s)", settings.port)
    threading.Event().wait()


def start_sweeping(
    app: App, engine: Engine, settings: Settings, *, clock: Clock | None = None
) -> BackgroundScheduler | None:
    """APScheduler as a clock only: every SWEEP_INTERVAL_MINUTES it runs a sweep (0 turns it off, for cron)."""
    if settings.sweep_interval_minutes == 0:
        log.info("no sweep clock (SWEEP_INTERVAL_MINUTES=0); run `rapport sweep` from cron")
        return None
    sweeper = Sweeper(
        make_session_factory(engine), app.client, clock or SystemClock(), concurrency=settings.sweep_concurrency,
        calendars=feed_policy(settings),
        mailbox=settings.mailbox,
    )  # fmt: skip

    def sweep() -> None:
        try:
            sweeper.run()
        except Exception:  # the clock keeps ticking; the next sweep picks up where this one failed
            log.exception("sweep failed")

    scheduler = BackgroundScheduler(timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1})
    scheduler.add_job(sweep, "interval", minutes=settings.sweep_interval_minutes, id="sweep",
                      next_run_time=datetime.now(UTC) + timedelta(seconds=10))  # fmt: skip
    scheduler.start()
    log.info("sweeping every %s minutes", settings.sweep_interval_minutes)
    return scheduler


def sweep_once(settings: Settings, now: datetime | None) -> Report:
    """`rapport sweep`: one sweep (at `now`, for tests and replays) and exit."""
    configure_logging(settings.log_level)
    engine = connect_database(url=settings.database_url)
    upgrade(engine)
    clock = FixedClock(now) if now else SystemClock()
    try:
        sweeper = Sweeper(
            make_session_factory(engine), make_client(settings), clock, concurrency=settings.sweep_concurrency,
            calendars=feed_policy(settings),
            mailbox=settings.mailbox,
        )  # fmt: skip
        return sweeper.run()
    finally:
        engine.dispose()
