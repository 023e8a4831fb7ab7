"""gunicorn, embedded: a production WSGI server started by `rapport serve` / `python -m bot`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from gunicorn import glogging
from gunicorn.app.base import BaseApplication

from bot.logs import FORMAT
from bot.settings import Settings
from bot.wsgi import SLACK_PATH, WSGIApp

log = logging.getLogger("rapport")


class _Logs(glogging.Logger):
    """gunicorn's own lines in rapport's format, so one server's log reads as one."""

    error_fmt = FORMAT
    datefmt = None


class _Embedded(BaseApplication):
    def __init__(self, application: WSGIApp, options: dict[str, Any]) -> None:
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # newer settings (the control socket) are unknown to older gunicorns
                self.cfg.set(key, value)

    def load(self) -> WSGIApp:
        return self.application


def run_gunicorn(application: WSGIApp, settings: Settings, *, in_each_worker: Callable[[], None]) -> None:
    """Serve `application` on PORT with threads, so a slow Slack call never blocks another request.

    `in_each_worker` runs in every worker process once it has forked (database pool reset, sweep clock).
    """
    _Embedded(
        application,
        {
            "bind": f"0.0.0.0:{settings.port}",
            "workers": settings.web_concurrency,
            "worker_class": "gthread",
            "threads": settings.web_threads,
            "timeout": 30,
            "graceful_timeout": 20,
            "loglevel": settings.log_level.lower(),
            "accesslog": "-" if settings.log_level == "DEBUG" else None,
            "post_worker_init": lambda _worker: in_each_worker(),
            "when_ready": _listening,
            "logger_class": _Logs,
            # gunicorn 25+ opens a control socket in $HOME by default: one path shared by every server on the
            # machine, which we never use.
            "control_socket_disable": True,
        },
    ).run()


def _listening(arbiter: Any) -> None:
    # when_ready runs in the master once the sockets are bound: only now are we really serving.
    addresses = ", ".join(str(listener) for listener in arbiter.LISTENERS)
    log.info("serving HTTP on %s, Slack requests at %s", addresses, SLACK_PATH)
