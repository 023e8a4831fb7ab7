"""What every step of a sweep shares: who does it, what it reports, and how a failure is told apart.

A delivery fails in one of two ways. Slack refused it or could not be reached (rate limits after retries,
5xx, the network, a person or DM we cannot reach): the nudge is retried by a later sweep. Or we built a
message Slack can never take (slack_sdk's own validation, or Slack answering invalid_blocks and the like):
that is our bug, logged as an error naming the nudge, and not retried every sweep.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackObjectFormationError
from sqlalchemy.orm import Session, sessionmaker

from domain.hours import WorkingHours
from domain.languages import DEFAULT, Language, language_of, languages_of
from domain.nudges import Candidates, Recipient
from domain.workspace import WorkspaceSettings
from services.failures import SLACK_FAILURES, failure

log = logging.getLogger("rapport.sweep")
Reader = tuple[str, str | None]  # (team, person); no person: the workspace's team channel

# What one delivery may fail with (Slack's answer, a garbled reply, the network): that item alone is retried.
# Anything else raised while delivering is our bug (see invalid_message), never retried as a delivery failure.
DELIVERY_ERRORS = SLACK_FAILURES
# Slack errors that mean "this person or DM is not reachable": such nudges go to the team channel instead.
UNREACHABLE = {"channel_not_found", "user_not_found", "user_disabled", "cannot_dm_bot", "not_in_channel", "is_archived"}
# Slack errors that mean "this message is wrong": sending it again cannot help.
INVALID_MESSAGE = {
    "invalid_blocks", "invalid_blocks_format", "invalid_arguments", "msg_too_long", "invalid_metadata_format",
    "invalid_metadata_schema", "no_text",
}  # fmt: skip


@dataclass(frozen=True)
class Crew:
    """Who does a sweep's work: the database, the Slack Web API client, and how many post at once."""

    sessions: sessionmaker[Session]
    slack: WebClient  # shared by the posting workers: WebClient and our RetryAfter keep no per-call state
    concurrency: int


@dataclass
class Report:
    """What a sweep did (printed by `rapport sweep`, logged by the scheduler)."""

    posted: int = 0
    reminders: int = 0
    survey_reminders: int = 0
    surveys_closed: int = 0
    escalations: int = 0
    closed: int = 0
    failed: int = 0
    channel_messages: int = 0  # read from linked channels' history or left over from events
    channel_contacts: int = 0
    emails_read: int = 0  # new messages read from the team mailbox
    email_contacts: int = 0  # of them, client emails kept as contacts
    emails_unmatched: int = 0  # of them, listed by `rapport mail unmatched`
    calendars_read: int = 0  # calendar feeds polled (a 304 counts)
    calendar_failures: int = 0
    meeting_contacts: int = 0  # contacts from meetings with clients that ended
    briefs: int = 0  # briefs sent before meetings
    briefings: int = 0  # daily briefings sent (people who take their nudges in one message)
    handovers: int = 0  # messages handing the open nudges of someone away to whoever covers
    digests: int = 0  # weekly digests posted

    def __str__(self) -> str:
        return (
            f"{self.posted} nudges posted, {self.reminders} reminders, {self.escalations} to team channels, "
            f"{self.closed} closed, {self.failed} failed; {self.survey_reminders} survey reminders, "
            f"{self.surveys_closed} surveys closed; {self.channel_messages} channel messages read, "
            f"{self.channel_contacts} contacts from channels; {self.emails_read} emails read, "
            f"{self.email_contacts} contacts from email, {self.emails_unmatched} unmatched; {self.calendars_read} "
            f"calendars read, {self.calendar_failures} failed, {self.meeting_contacts} contacts from meetings, "
            f"{self.briefs} briefs, {self.digests} digests; {self.briefings} briefings, "
            f"{self.handovers} handovers to backups"
        )


def invalid_message(exc: Exception) -> bool:
    """Whether a delivery failed because we built a message Slack cannot take (our bug, not worth retrying)."""
    if isinstance(exc, SlackObjectFormationError):
        return True
    return isinstance(exc, SlackApiError) and exc.response.get("error") in INVALID_MESSAGE


def settings_for(candidates: Candidates, team_id: str) -> WorkspaceSettings:
    """A workspace's settings (the defaults for one without)."""
    return candidates.settings.get(team_id) or WorkspaceSettings(None, WorkingHours())


def our_bug(what: str, nudge_ids: list[int], exc: Exception) -> str:
    """Log, as an error, a message we built that Slack cannot take (or that failed before reaching Slack)."""
    error = failure(exc)
    log.error("%s for nudges %s: we built a message Slack cannot take (%s); not retried as a delivery failure", what,
              nudge_ids, error, exc_info=not isinstance(exc, DELIVERY_ERRORS))  # fmt: skip
    return error


def reader(recipient: Recipient) -> Reader:
    """Who reads what goes to a recipient: a person, or (a channel) the workspace at large."""
    return (recipient.team_id, None if recipient.is_channel else recipient.id)


class Languages(dict[Reader, Language]):
    """Each reader's language, read before posting (a channel reads the workspace's language)."""

    def of(self, team_id: str, user_id: str | None) -> Language:
        """A reader's language; English for one not read."""
        return self.get((team_id, user_id), DEFAULT)


def reader_languages(session: Session, readers: Iterable[Reader]) -> Languages:
    """The languages of many readers, a few queries per workspace however many readers (no Slack call).

    An id that is no person's (a channel a nudge went to) reads the workspace's language, as a team channel does.
    """
    wanted: dict[str, set[str | None]] = defaultdict(set)
    for team_id, user_id in readers:
        wanted[team_id].add(user_id)
    found = Languages()
    for team_id, users in wanted.items():
        people = [user for user in users if user]
        found.update({(team_id, user): language for user, language in
                      languages_of(session, team_id=team_id, user_ids=people).items()})  # fmt: skip
        if None in users:
            found[(team_id, None)] = language_of(session, team_id=team_id, user_id=None)
    return found
