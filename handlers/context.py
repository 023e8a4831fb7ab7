"""What listeners need beyond Slack's arguments, put in Bolt's context by one middleware."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from slack_bolt import App, BoltContext
from sqlalchemy.orm import Session, sessionmaker

from domain.clock import Clock
from handlers.background import Background
from services.calendar_fetch import FeedPolicy
from services.channel_reading import LinkCache, Reads

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


def install(app: App, deps: Deps) -> None:
    """Make `dependencies(context)` work in every listener."""

    def inject(context: BoltContext, next: Callable[[], None]) -> None:
        context["deps"] = deps
        next()

    app.use(inject)


def dependencies(context: BoltContext) -> Deps:
    """The dependencies installed on the app."""
    found = context.get("deps")
    if not isinstance(found, Deps):
        raise RuntimeError("handlers.context.install() was not called on this app")
    return found
