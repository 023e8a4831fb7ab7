"""Publishing a person's App Home: read the dashboard in one unit of work, then views.publish after it commits."""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from domain.dashboard import dashboard
from domain.languages import language_of
from render.blocks import surface
from render.home import home_view
from render.i18n import speaking
from services.directory import look_up, reader
from services.failures import SLACK_FAILURES, failure
from storage.db import unit_of_work

log = logging.getLogger("rapport.home")


def publish_home(sessions: sessionmaker[Session], slack: WebClient, *, team_id: str, user_id: str,
                 now: datetime) -> None:  # fmt: skip
    """The person's Home, in their language, from what is committed now, published (Slack's failures raise)."""
    lookup = look_up(sessions, slack, team_id=team_id, user_ids=[user_id], now=now)  # before the transaction
    with unit_of_work(sessions) as session:  # reader() may cache the profile it looked up
        who = reader(session, lookup, team_id=team_id, user_id=user_id, now=now)
        board = dashboard(session, team_id=team_id, user_id=user_id, now=now, today=who.today)
        language = language_of(session, team_id=team_id, user_id=user_id)  # theirs, whoever's press refreshed it
    with speaking(language):
        view = surface(home_view(board, who))
    slack.views_publish(user_id=user_id, view=view)


def refresh_home(sessions: sessionmaker[Session], slack: WebClient, *, team_id: str, user_id: str,
                 now: datetime) -> None:  # fmt: skip
    """After an answer has committed: the actor's Home shows it. A Slack failure loses only this refresh."""
    if not team_id or not user_id.startswith(("U", "W")):
        return
    try:
        publish_home(sessions, slack, team_id=team_id, user_id=user_id, now=now)
    except SLACK_FAILURES as exc:  # the answer is stored; the Home is rebuilt the next time it is opened
        log.warning("could not refresh the Home of %s: %s", user_id, failure(exc))
