"""Typed errors of a person's own settings (`/client config me`, `/client away`); render/personal.py words them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.errors import RapportError, WhyNot


@dataclass
class InvalidBriefingTime(RapportError):
    """`/client config me briefing <time>` with something that is not a time of day."""

    text: str


class AwayProblem(StrEnum):
    """Why `/client away until <date> @backup` cannot be saved."""

    PAST = "past"  # the last day away has already passed
    SELF = "self"  # nobody covers for themselves
    NOT_A_PERSON = "not_a_person"  # a bot, a deactivated account, someone of another workspace (see `why`)
    BACKUP_AWAY = "backup_away"  # the backup is away too, until `until`


@dataclass
class AwayRefused(RapportError):
    """An away request we cannot save, and why."""

    problem: AwayProblem
    user_id: str | None = None
    until: date | None = None
    why: WhyNot | None = None
