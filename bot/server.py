"""gunicorn, embedded: a production WSGI server started by `rapport serve` / `python -m bot`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

from bot.settings import Settings
from bot.web import WSGIApp


class _Embedded(BaseApplication):
    def __init__(self, application: WSGIApp, options: dict[str, Any]) -> None:
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
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
        },
    ).run()
