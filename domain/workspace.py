"""Workspace settings: the team channel, and the default working hours and days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy.orm import Session

from domain.clients import ensure_workspace
from domain.commands import ConfigSetting
from domain.errors import InvalidSetting
from domain.holidays import holidays_or_raise, stored_holidays
from domain.hours import WorkingHours, days_mask, mask_days, parse_days, parse_hours
from domain.languages import Language, language_or_raise, spoken
from domain.personal import personal_of
from storage.models import Workspace


@dataclass(frozen=True)
class WorkspaceSettings:
    """What `/client config` shows."""

    team_channel_id: str | None
    hours: WorkingHours
    team_channel_tz: str | None = None  # the team channel's working hours are counted in this zone
    language: Language | None = None  # the default for everyone who chose none (None: each one's Slack locale)


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def settings_of(row: Workspace | None) -> WorkspaceSettings:
    """A workspace row as settings (defaults for a workspace we have not seen)."""
    if row is None:
        return WorkspaceSettings(None, WorkingHours())
    start, end = _time(row.work_start_minute), _time(row.work_end_minute)
    hours = WorkingHours(start, end, mask_days(row.work_days_mask), stored_holidays(row.holidays))
    return WorkspaceSettings(row.team_channel_id, hours, row.team_channel_tz, spoken(row.language))


def _workspace(session: Session, team_id: str, now: datetime) -> Workspace:
    ensure_workspace(session, team_id=team_id, now=now)
    row = session.get(Workspace, team_id, with_for_update={"key_share": True})
    assert row is not None
    return row


def get_settings(session: Session, *, team_id: str) -> WorkspaceSettings:
    """The workspace's settings."""
    return settings_of(session.get(Workspace, team_id))


def set_team_channel(
    session: Session, *, team_id: str, channel_id: str | None, tz: str | None, now: datetime
) -> WorkspaceSettings:
    """Where unclaimed and ignored nudges go; its working hours are those of `tz` (whoever set it)."""
    row = _workspace(session, team_id, now)
    row.team_channel_id = channel_id
    row.team_channel_tz = tz
    return settings_of(row)


def set_hours(session: Session, *, team_id: str, text: str, now: datetime) -> WorkspaceSettings:
    """Default working hours, `08:00-16:00`."""
    try:
        start, end = parse_hours(text)
    except ValueError:
        raise InvalidSetting(ConfigSetting.HOURS, text) from None
    row = _workspace(session, team_id, now)
    row.work_start_minute, row.work_end_minute = _minutes(start), _minutes(end)
    return settings_of(row)


def set_days(session: Session, *, team_id: str, text: str, now: datetime) -> WorkspaceSettings:
    """Default working days, `mon-fri`."""
    try:
        days = parse_days(text)
    except ValueError:
        raise InvalidSetting(ConfigSetting.DAYS, text) from None
    row = _workspace(session, team_id, now)
    row.work_days_mask = days_mask(days)
    return settings_of(row)


def set_holidays(session: Session, *, team_id: str, code: str | None, now: datetime) -> WorkspaceSettings:
    """Public holidays are days off (`PL`, `US-CA`), or none are (None); InvalidHolidays when unknown."""
    holidays = holidays_or_raise(code) if code is not None else None
    row = _workspace(session, team_id, now)
    row.holidays = holidays.code if holidays else None
    return settings_of(row)


def set_language(session: Session, *, team_id: str, code: str | None, now: datetime) -> WorkspaceSettings:
    """The language for everyone who chose none (`pl`), or each one's Slack locale again (None)."""
    language = language_or_raise(code) if code is not None else None
    row = _workspace(session, team_id, now)
    row.language = language
    return settings_of(row)


def hours_of_person(session: Session, *, team_id: str, user_id: str | None) -> WorkingHours:
    """The workspace's working hours with this person's own holidays when they set some (None: nobody's)."""
    hours = get_settings(session, team_id=team_id).hours
    if user_id is None:
        return hours
    return hours.with_holidays(personal_of(session, team_id=team_id, user_id=user_id).holidays)
