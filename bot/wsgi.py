"""The WSGI application: Slack at /slack/events, the survey page at /survey/<token>, a health check at /healthz."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import Engine, text

from handlers.context import installed
from handlers.web.survey_page import PATH as SURVEY_PATH
from handlers.web.survey_page import survey_page

SLACK_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
HEALTH_DEADLINE = 1.5  # seconds: orchestrators give a health check about 2
log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def create_wsgi(app: App, engine: Engine) -> WSGIApp:
    """Route Slack's requests to Bolt, serve the survey page, and answer health checks (200 when the database
    answers)."""
    slack = SlackRequestHandler(app, path=SLACK_PATH)
    database = Probe(engine)
    deps = installed(app)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            healthy = database.answers()
            status = "200 OK" if healthy else "503 Service Unavailable"
            start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n" if healthy else b"database unavailable\n"]
        survey = SURVEY_PATH.fullmatch(str(environ.get("PATH_INFO") or ""))
        if survey is not None:
            return survey_page(environ, start_response, token=survey["token"], deps=deps, slack=app.client)
        return slack(environ, start_response)

    return application


class Probe:
    """Whether the database answers `SELECT 1`, within a deadline whatever the database does.

    One probe at a time runs on a thread of its own: a database that hangs holds that one thread, and every
    health check meanwhile answers "unavailable" at the deadline instead of piling up behind it.
    """

    def __init__(self, engine: Engine, *, deadline: float = HEALTH_DEADLINE) -> None:
        self.engine = engine
        self.deadline = deadline
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rapport-healthz")
        self._running: Future[None] | None = None
        self._lock = threading.Lock()

    def answers(self) -> bool:
        """True when the database answered within the deadline; why not goes to the log."""
        with self._lock:
            if self._running is None or self._running.done():
                self._running = self._thread.submit(self._select_one)
            running = self._running
        try:
            running.result(timeout=self.deadline)
        except FutureTimeout:
            log.warning("health check: the database did not answer within %.1f s", self.deadline)
            return False
        except Exception:  # any database failure means unhealthy; the reason goes to the log
            log.exception("health check: the database does not answer")
            return False
        return True

    def _select_one(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def threaded_server(host: str, port: int, application: WSGIApp) -> WSGIServer:
    """A small threaded stdlib server: the health check in Socket Mode, and the tests' app server."""
    return make_server(host, port, application, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)
