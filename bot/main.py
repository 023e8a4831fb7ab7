"""Starting rapport: settings, schema upgrade, then HTTP (gunicorn) or Socket Mode."""

from __future__ import annotations

import logging
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from sqlalchemy import Engine

from bot.app import create_app
from bot.settings import Settings, load_settings
from storage.db import make_engine, upgrade

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

        log.info("rapport: HTTP on port %s, Slack requests at /slack/events", settings.port)
        run_gunicorn(create_wsgi(app, engine), settings)


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve_socket_mode(app: App, engine: Engine, settings: Settings) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.web import create_wsgi

    # Socket Mode needs no public URL; /healthz still answers on PORT for orchestrators.
    health = make_server(
        "0.0.0.0", settings.port, create_wsgi(app, engine), server_class=_ThreadingWSGIServer,
        handler_class=_QuietHandler,
    )  # fmt: skip
    threading.Thread(target=health.serve_forever, name="healthz", daemon=True).start()
    assert settings.slack_app_token is not None
    log.info("rapport: Socket Mode (health check on port %s)", settings.port)
    SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()
