"""The `/client` vocabulary: its subcommands, in the one order the parser, help, README and manifest follow.

The grammar that reads them lives beside the command (handlers/commands/grammar.py); help (render/help.py) and
the usage errors (domain/errors.py) need the names too, so they live here, below both.
"""

from __future__ import annotations

from enum import StrEnum


class Subcommand(StrEnum):
    """Every `/client` subcommand. The order is the README table's and the manifest usage hint's."""

    HELP = "help"
    ADD = "add"
    LOG = "log"
    LIST = "list"
    SHOW = "show"
    KEY = "key"
    CADENCE = "cadence"
    OWNER = "owner"
    SPONSOR = "sponsor"
    PROMISE = "promise"
    DONE = "done"
    EXPORT = "export"
    ALIAS = "alias"
    UNALIAS = "unalias"
    SURVEY = "survey"
    SURVEYS = "surveys"
    DIGEST = "digest"
    CHANNEL = "channel"
    PERSON = "person"
    DOMAIN = "domain"
    REPLY = "reply"
    CALENDAR = "calendar"
    AWAY = "away"
    CONFIG = "config"


class ListFilter(StrEnum):
    """`/client list [mine|key|quiet|risk]` (all when none is given)."""

    ALL = "all"
    MINE = "mine"
    KEY = "key"
    QUIET = "quiet"  # past their cadence, quietest first
    RISK = "risk"  # every client, worst health first


class ConfigSetting(StrEnum):
    """What `/client config <setting> <value>` changes."""

    CHANNEL = "channel"  # the team channel for nudges
    HOURS = "hours"  # working hours, 09:00-17:00
    DAYS = "days"  # working days, mon-fri
    DIGEST = "digest"  # who gets the weekly digest, and when
    HOLIDAYS = "holidays"  # public holidays are days off: PL, US-CA, off
    LANGUAGE = "language"  # the language for everyone who chose none: en, pl, ru (off: Slack's locale again)


class PersonalSetting(StrEnum):
    """What `/client config me <setting> <value>` changes: one person's own settings."""

    BRIEFING = "briefing"  # one DM a day at this local time instead of separate nudges (or off)
    HOLIDAYS = "holidays"  # their own public holidays (US, US-CA), or the workspace's again (off)
    LANGUAGE = "language"  # the language rapport writes to them in (en, pl, ru), or the workspace's again (off)


class CalendarSetting(StrEnum):
    """What `/client calendar <setting> on|off` changes."""

    TITLES = "titles"  # keep meeting titles as the notes of their contacts
    BRIEF = "brief"  # a DM before each meeting with a client
