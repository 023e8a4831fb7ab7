"""Which language to answer someone in, asked before their unit of work begins (never inside its transaction).

Their own choice and the workspace's default are in the database; their Slack locale is cached with their
profile. Someone rapport has never seen is looked up once (users.info with include_locale), and the profile is
kept, so the listener's own lookup finds it cached.
"""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from domain.languages import DEFAULT, Language, known_language, spoken
from domain.people import profile
from services.directory import slack_lookup
from services.failures import SLACK_FAILURES
from storage.db import read_only, unit_of_work

log = logging.getLogger(__name__)


def reader_language(
    sessions: sessionmaker[Session], slack: WebClient | None, *, team_id: str | None, user_id: str | None,
    now: datetime, deadline: float | None = None,
) -> Language:  # fmt: skip
    """The language `user_id` reads in; English when the database or Slack cannot tell (never an error).

    Without `slack` (on Bolt's thread, before the ack), someone never seen reads English this once.
    """
    if not team_id or not user_id:
        return DEFAULT
    try:
        with read_only(sessions, deadline=deadline) as session:
            known = known_language(session, team_id=team_id, user_id=user_id)
    except SQLAlchemyError:  # the answer (an error message, perhaps about this very database) still goes out
        log.warning("could not read %s's language; answering in English", user_id, exc_info=True)
        return DEFAULT
    if known is not None or slack is None:
        return known or DEFAULT
    try:
        found = slack_lookup(slack)(user_id)
    except SLACK_FAILURES:
        log.info("users.info failed for %s; answering in English", user_id, exc_info=True)
        return DEFAULT
    if found is None:
        return DEFAULT
    try:
        with unit_of_work(sessions) as session:
            profile(session, team_id=team_id, user_id=user_id, now=now, lookup=lambda _user: found)
    except SQLAlchemyError:  # only the cache is lost: the next request asks Slack again
        log.warning("could not cache %s's profile", user_id, exc_info=True)
    return spoken(found.locale) or DEFAULT
