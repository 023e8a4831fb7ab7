"""Public holidays (the `holidays` package): a country, optionally a subdivision, whose holidays are days off."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import holidays as calendars

from domain.errors import RapportError

CODE = re.compile(r"^([A-Za-z]{2,3})(?:-([A-Za-z0-9]{1,3}))?$")  # PL, US-CA, DE-BY (ISO 3166-1 and 3166-2)


@dataclass
class InvalidHolidays(RapportError):
    """A holidays code the holidays package does not know (`XX`, `US-ZZ`)."""

    text: str


@dataclass(frozen=True)
class Holidays:
    """A country's public holidays (and its subdivision's, `US-CA`): `day in holidays`."""

    country: str
    subdivision: str | None = None

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and day in _year(self.country, self.subdivision, day.year)

    @property
    def code(self) -> str:
        """As typed and stored: `PL`, `US-CA`."""
        return f"{self.country}-{self.subdivision}" if self.subdivision else self.country


@lru_cache(maxsize=1024)
def _year(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    """One year of holidays, built once per (country, subdivision, year): the sweep asks for many people at once."""
    try:
        return frozenset(calendars.country_holidays(country, subdiv=subdivision, years=year))
    except NotImplementedError:  # a stored code the installed package dropped: no holidays rather than no sweep
        return frozenset()


def _known(country: str, subdivision: str | None) -> bool:
    """Whether the holidays package has this calendar (it loads only this country's, not all of them)."""
    try:
        calendars.country_holidays(country, subdiv=subdivision)
    except NotImplementedError:
        return False
    return True


def parse_holidays(text: str) -> Holidays:
    """`PL`, `us-ca` → Holidays; ValueError for a country or subdivision the holidays package does not know."""
    match = CODE.match(text.strip())
    if match is None:
        raise ValueError(text)
    country, subdivision = match.group(1).upper(), match.group(2) and match.group(2).upper()
    if not _known(country, subdivision):
        raise ValueError(text)
    return Holidays(country, subdivision)


def holidays_or_raise(text: str) -> Holidays:
    """parse_holidays, raising InvalidHolidays (with what was typed) for the user to read."""
    try:
        return parse_holidays(text)
    except ValueError:
        raise InvalidHolidays(text) from None


def stored_holidays(code: str | None) -> Holidays | None:
    """A stored code (`PL`, `US-CA`, checked when it was set) as Holidays; None when none is set."""
    match = CODE.match(code or "")
    return Holidays(match.group(1), match.group(2)) if match else None
