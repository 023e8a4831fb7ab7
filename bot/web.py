"""The entry point for an external WSGI server: `gunicorn 'bot.web:create()'` (settings from the environment)."""

from __future__ import annotations

from bot.main import build, start_sweeping
from bot.settings import load_settings
from bot.wsgi import WSGIApp, create_wsgi


def create() -> WSGIApp:
    """Settings, database and Slack checked, the schema upgraded, the sweep clock started: the WSGI app."""
    settings = load_settings()
    app, engine = build(settings)
    start_sweeping(app, engine, settings)
    return create_wsgi(app, engine)
