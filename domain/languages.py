"""The languages rapport speaks, and which one each reader gets: their own choice, else the workspace's, else
their Slack locale when we speak it, else English."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.errors import RapportError
from storage.boss_models import PersonSettings
from storage.models import Person, Workspace


class Language(StrEnum):
    """A language rapport speaks (ISO 639-1). Command keywords stay English whatever the language."""

    EN = "en"
    PL = "pl"
    RU = "ru"


DEFAULT = Language.EN


@dataclass
class UnknownLanguage(RapportError):
    """A language we do not speak was asked for (`de`, `klingon`)."""

    typed: str


def spoken(tag: str | None) -> Language | None:
    """The language of a tag (`ru`, `ru-RU`, `pl_PL`, `EN`), or None when we do not speak it."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-", 1)[0].lower()
    try:
        return Language(primary)
    except ValueError:
        return None


def language_or_raise(typed: str) -> Language:
    """A language someone typed (`ru`, `pl-PL`); UnknownLanguage when we do not speak it."""
    found = spoken(typed)
    if found is None:
        raise UnknownLanguage(typed)
    return found


def language_of(session: Session, *, team_id: str, user_id: str | None) -> Language:
    """The language `user_id` reads in (the workspace's default, or English, for nobody in particular)."""
    if user_id is None:
        return workspace_language(session, team_id=team_id) or DEFAULT
    return languages_of(session, team_id=team_id, user_ids=[user_id])[user_id]


def languages_of(session: Session, *, team_id: str, user_ids: Iterable[str]) -> dict[str, Language]:
    """Each reader's language, in three queries however many readers there are."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return {}
    default = workspace_language(session, team_id=team_id)
    chosen = dict(
        session.execute(
            select(PersonSettings.user_id, PersonSettings.language).where(
                PersonSettings.team_id == team_id,
                PersonSettings.user_id.in_(wanted),
                PersonSettings.language.is_not(None),
            )
        ).all()
    )
    slack = dict(
        session.execute(
            select(Person.user_id, Person.locale).where(
                Person.team_id == team_id, Person.user_id.in_(wanted), Person.locale.is_not(None)
            )
        ).all()
    )
    return {
        user_id: spoken(chosen.get(user_id)) or default or spoken(slack.get(user_id)) or DEFAULT for user_id in wanted
    }


def known_language(session: Session, *, team_id: str, user_id: str) -> Language | None:
    """Their language when we can tell without Slack; None when only their Slack locale could (never seen)."""
    chosen = session.scalar(
        select(PersonSettings.language).where(PersonSettings.team_id == team_id, PersonSettings.user_id == user_id)
    )
    found = spoken(chosen) or workspace_language(session, team_id=team_id)
    if found is not None:
        return found
    seen = session.execute(select(Person.locale).where(Person.team_id == team_id, Person.user_id == user_id)).first()
    return None if seen is None else spoken(seen.locale) or DEFAULT


def workspace_language(session: Session, *, team_id: str) -> Language | None:
    """The workspace's default language, when someone set one."""
    return spoken(session.scalar(select(Workspace.language).where(Workspace.team_id == team_id)))
