"""The WSGI application: Slack at /slack/events, a health check at /healthz."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import Engine, text

SLACK_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def create_wsgi(app: App, engine: Engine) -> WSGIApp:
    """Route Slack's requests to Bolt and answer health checks (200 when the database answers)."""
    slack = SlackRequestHandler(app, path=SLACK_PATH)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return _health(engine, start_response)
        return slack(environ, start_response)

    return application


def _health(engine: Engine, start_response: StartResponse) -> Iterable[bytes]:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # any database failure means unhealthy; the reason goes to the log
        log.exception("health check: the database does not answer")
        start_response("503 Service Unavailable", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"database unavailable\n"]
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
    return [b"ok\n"]


def create() -> WSGIApp:
    """For an external WSGI server: `gunicorn 'bot.web:create()'` (settings from the environment)."""
    from bot.main import build, start_sweeping
    from bot.settings import load_settings

    settings = load_settings()
    app, engine = build(settings)
    start_sweeping(app, engine, settings)
    return create_wsgi(app, engine)


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def threaded_server(host: str, port: int, application: WSGIApp) -> WSGIServer:
    """A small threaded stdlib server: the health check in Socket Mode, and the tests' app server."""
    return make_server(host, port, application, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)
