"""What listeners need beyond Slack's arguments, put in Bolt's context by one middleware."""

from __future__ import annotations

import secrets
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

from slack_bolt import App, BoltContext
from sqlalchemy.orm import Session, sessionmaker

from domain.clock import Clock
from handlers.background import Background
from services.calendar_fetch import FeedPolicy
from services.channel_reading import LinkCache, Reads
from services.survey_mail import SurveyLinks

ACK_DEADLINE = 1.5  # seconds any database wait before an ack may take: Slack gives us 3 in all


@dataclass(frozen=True)
class Deps:
    """The session factory (one unit of work per listener), the clock, and the pool for post-ack work."""

    sessions: sessionmaker[Session]
    clock: Clock
    background: Background
    links: LinkCache = field(default_factory=LinkCache)  # which channels are linked to a client
    reads: Reads = field(default_factory=Reads)  # reads of stored channel messages running in this process
    calendars: FeedPolicy = field(default_factory=FeedPolicy)  # how calendar feeds are read (CALENDAR_* settings)
    # survey links for people outside Slack (PUBLIC_URL, the signing key, SMTP_URL); create_app passes the settings'
    survey_links: SurveyLinks = field(default_factory=lambda: SurveyLinks(key=secrets.token_bytes(32)))


# The web pages served beside Bolt (the survey page) find the dependencies of the app they are served with here.
_installed: weakref.WeakKeyDictionary[App, Deps] = weakref.WeakKeyDictionary()


def install(app: App, deps: Deps) -> None:
    """Make `dependencies(context)` work in every listener."""

    def inject(context: BoltContext, next: Callable[[], None]) -> None:
        context["deps"] = deps
        next()

    app.use(inject)
    _installed[app] = deps


def installed(app: App) -> Deps:
    """The dependencies installed on `app` (for what is served outside Bolt's listeners)."""
    found = _installed.get(app)
    if found is None:
        raise RuntimeError("handlers.context.install() was not called on this app")
    return found


def dependencies(context: BoltContext) -> Deps:
    """The dependencies installed on the app."""
    found = context.get("deps")
    if not isinstance(found, Deps):
        raise RuntimeError("handlers.context.install() was not called on this app")
    return found
