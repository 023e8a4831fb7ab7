"""One `/client` call as its subcommand handlers see it: who, where, a session for its single transaction, and
the Slack work to do once that transaction is committed."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime

from slack_bolt import Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from domain.languages import Language, language_of
from domain.people import Lookup, teammate_or_raise
from render.blocks import Message
from render.i18n import speaking
from render.replies import Reader
from services.calendar_fetch import FeedPolicy
from services.channel_reading import LinkCache
from services.directory import reader
from services.survey_mail import SurveyLinks


@dataclass
class Invocation:
    """One `/client` call: who, where, and a session for its single transaction."""

    session: Session
    sessions: sessionmaker[Session]
    slack: WebClient
    lookup: Lookup  # the people this command names, looked up before its transaction began
    team_id: str
    user_id: str
    channel_id: str | None
    trigger_id: str | None
    now: datetime
    links: LinkCache = field(default_factory=LinkCache)  # this process's memory of which channels are linked
    calendars: FeedPolicy = field(default_factory=FeedPolicy)  # how calendar feeds are read
    survey_links: SurveyLinks | None = None  # how survey links for people outside Slack are made and sent
    respond: Respond | None = None  # for a second ephemeral message, after the reply
    after_commit: list[Callable[[], object]] = field(default_factory=list)
    reply_after_commit: Callable[[], Message] | None = None  # Slack work whose outcome is the reply
    shared: bool = False  # the reply goes to the channel (asked with `share`), not to the asker alone

    def reader(self) -> Reader:
        return reader(self.session, self.lookup, team_id=self.team_id, user_id=self.user_id, now=self.now)

    def teammate(self, user_id: str) -> None:
        teammate_or_raise(self.session, team_id=self.team_id, user_id=user_id, now=self.now, lookup=self.lookup)

    def speaking_to(self, user_id: str) -> AbstractContextManager[Language]:
        """Render inside for `user_id` (someone else than the asker): in their language, read in this transaction."""
        return speaking(language_of(self.session, team_id=self.team_id, user_id=user_id))

    def key(self) -> str | None:
        return f"cmd:{self.trigger_id}" if self.trigger_id else None
