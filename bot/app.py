"""The app factory: a Bolt App wired to a database, a clock and a Slack Web API client."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Executor

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler
from sqlalchemy import Engine

from bot.settings import Settings
from domain.clock import Clock, SystemClock
from handlers import register_all
from handlers.background import Background
from handlers.context import Deps, install
from services.calendar_fetch import FeedPolicy
from services.slack_retry import RetryAfter
from services.survey_mail import SurveyLinks
from storage.db import make_engine, make_session_factory


def make_client(settings: Settings, *, sleep: Callable[[float], None] = time.sleep) -> WebClient:
    """A Web API client for SLACK_API_URL that waits out 429s (Retry-After) and retries dropped connections."""
    return WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=2), RetryAfter(max_retry_count=3, sleep=sleep)],
    )


def feed_policy(settings: Settings) -> FeedPolicy:
    """How calendar feeds are read: CALENDAR_ALLOW_PRIVATE and CALENDAR_CA_FILE."""
    ca_file = str(settings.calendar_ca_file) if settings.calendar_ca_file else None
    return FeedPolicy(allow_private=settings.calendar_allow_private, ca_file=ca_file)


def survey_links(settings: Settings) -> SurveyLinks:
    """How survey links are made and sent: PUBLIC_URL, the link key, SMTP_URL and SMTP_FROM."""
    return SurveyLinks(key=settings.survey_link_key, public_url=settings.public_url, smtp=settings.smtp,
                       sender=settings.smtp_from)  # fmt: skip


def create_app(
    settings: Settings,
    *,
    client: WebClient | None = None,
    engine: Engine | None = None,
    clock: Clock | None = None,
    listener_executor: Executor | None = None,
    background: Background | None = None,
) -> App:
    """Build a fresh Bolt App; nothing global, so tests can build as many as they like."""
    engine = engine if engine is not None else make_engine(settings.database_url)
    signing_secret = settings.slack_signing_secret
    app = App(
        client=client or make_client(settings),
        signing_secret=signing_secret.get_secret_value() if signing_secret else None,
        request_verification_enabled=not settings.socket_mode,
        listener_executor=listener_executor,
        ignoring_self_events_enabled=True,
    )
    install(
        app,
        Deps(
            sessions=make_session_factory(engine),
            clock=clock or SystemClock(),
            background=background or Background(),
            calendars=feed_policy(settings),
            survey_links=survey_links(settings),
        ),
    )
    register_all(app)
    return app
