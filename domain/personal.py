"""A person's own settings: one briefing a day instead of separate nudges, and who covers for them while away.

Both live in person_settings, one row per person, written by `/client config me` and `/client away`. The sweep
reads every row that matters now in one query (personal_settings) and routes by them (domain.covering).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from domain.clients import ensure_workspace
from domain.holidays import Holidays, holidays_or_raise, stored_holidays
from domain.languages import Language, language_or_raise, spoken
from domain.personal_errors import AwayProblem, AwayRefused
from storage.boss_models import PersonSettings
from storage.dialect import insert


@dataclass(frozen=True)
class Personal:
    """How one person wants to be reached: a briefing time (local), and their last day away with their backup."""

    briefing: time | None = None
    away_until: date | None = None
    backup_id: str | None = None
    holidays: Holidays | None = None  # their own public holidays; None: the workspace's
    language: Language | None = None  # their own choice; None: the workspace's, else Slack's locale

    def away_on(self, day: date) -> bool:
        """Whether they are away on `day` (their own local day); the last day counts."""
        return self.away_until is not None and self.backup_id is not None and day <= self.away_until


NOBODY = Personal()


@dataclass(frozen=True)
class Away:
    """Someone away, for the line that tells their backup why a nudge came to them."""

    user_id: str
    until: date  # their last day away
    backup_id: str


def _personal(row: PersonSettings | None) -> Personal:
    if row is None:
        return NOBODY
    minute = row.briefing_minute
    briefing = time(minute // 60, minute % 60) if minute is not None else None
    return Personal(briefing, row.away_until, row.away_backup_id, stored_holidays(row.holidays), spoken(row.language))


def personal_of(session: Session, *, team_id: str, user_id: str) -> Personal:
    """One person's own settings (none set: NOBODY)."""
    return _personal(session.get(PersonSettings, (team_id, user_id)))


def _save(session: Session, team_id: str, user_id: str, now: datetime, values: dict[Any, Any]) -> Personal:
    """Upsert some of a person's settings, leaving the others as they are."""
    ensure_workspace(session, team_id=team_id, now=now)
    values = {**values, PersonSettings.updated_at: now}
    statement = insert(session, PersonSettings).values({PersonSettings.team_id: team_id,
                                                        PersonSettings.user_id: user_id, **values})  # fmt: skip
    session.execute(
        statement.on_conflict_do_update(index_elements=[PersonSettings.team_id, PersonSettings.user_id], set_=values),
        execution_options={"synchronize_session": False},
    )
    return _personal(session.get(PersonSettings, (team_id, user_id), populate_existing=True))


def set_briefing(session: Session, *, team_id: str, user_id: str, at: time | None, now: datetime) -> Personal:
    """One briefing a day at `at` (the person's local time), or separate nudges again (None)."""
    minute = at.hour * 60 + at.minute if at is not None else None
    return _save(session, team_id, user_id, now, {PersonSettings.briefing_minute: minute})


def set_holidays(session: Session, *, team_id: str, user_id: str, code: str | None, now: datetime) -> Personal:
    """Their own public holidays (`US`, `US-CA`), or the workspace's again (None); InvalidHolidays when unknown."""
    holidays = holidays_or_raise(code) if code is not None else None
    return _save(session, team_id, user_id, now, {PersonSettings.holidays: holidays.code if holidays else None})


def set_language(session: Session, *, team_id: str, user_id: str, code: str | None, now: datetime) -> Personal:
    """The language rapport writes to them in (`ru`), or the workspace's again (None); UnknownLanguage when not
    one we speak."""
    language = language_or_raise(code) if code is not None else None
    return _save(session, team_id, user_id, now, {PersonSettings.language: language})


def set_away(
    session: Session, *, team_id: str, user_id: str, until: date, backup_id: str, today: date, backup_today: date,
    now: datetime,
) -> Personal:  # fmt: skip
    """Away until `until` (inclusive, in their zone), `backup_id` covering; refused for a past day, oneself, or a
    backup who is away too (`today` and `backup_today`: each one's own local day)."""
    if until < today:
        raise AwayRefused(AwayProblem.PAST, until=until)
    if backup_id == user_id:
        raise AwayRefused(AwayProblem.SELF, user_id=backup_id)
    theirs = personal_of(session, team_id=team_id, user_id=backup_id)
    if theirs.away_on(backup_today):
        raise AwayRefused(AwayProblem.BACKUP_AWAY, user_id=backup_id, until=theirs.away_until)
    values = {PersonSettings.away_until: until, PersonSettings.away_backup_id: backup_id}
    return _save(session, team_id, user_id, now, values)


def end_away(session: Session, *, team_id: str, user_id: str, now: datetime) -> Personal:
    """Back: nudges reach the person again (what was away before, for the reply)."""
    before = personal_of(session, team_id=team_id, user_id=user_id)
    if before.away_until is not None:
        _save(session, team_id, user_id, now, {PersonSettings.away_until: None, PersonSettings.away_backup_id: None})
    return before


def personal_settings(session: Session, *, now: datetime) -> dict[tuple[str, str], Personal]:
    """Everyone with a briefing, or away now or later (by (team, user)), in one query for the sweep."""
    recent = (now - timedelta(days=2)).date()  # an away day ending yesterday in UTC may be today somewhere
    rows = session.scalars(
        select(PersonSettings).where(
            or_(
                PersonSettings.briefing_minute.is_not(None),
                PersonSettings.away_until >= recent,
                PersonSettings.holidays.is_not(None),
            )
        )
    )
    return {(row.team_id, row.user_id): _personal(row) for row in rows}


def personal_of_many(session: Session, *, team_id: str, user_ids: Collection[str]) -> dict[str, Personal]:
    """Several people's settings of one workspace (those without any are left out)."""
    if not user_ids:
        return {}
    rows = session.scalars(
        select(PersonSettings).where(PersonSettings.team_id == team_id, PersonSettings.user_id.in_(list(user_ids)))
    )
    return {row.user_id: _personal(row) for row in rows}
