"""One sweep: read what is due, ask Slack about people, claim, post, record, then follow up earlier nudges.

The database holds all state; the sweep is safe to run from cron, from the scheduler inside every serving
process, or from several replicas at once: each nudge row is claimed by exactly one of them. Posting new
nudges is services.nudge_posting; reminders, team-channel posts and closings are services.nudge_follow_ups.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from domain.briefing_planning import briefs
from domain.channel_messages import teams_with_pending
from domain.clock import Clock
from domain.covering import away_today
from domain.nudge_candidates import load_candidates
from domain.nudge_planning import plan, profiles_to_refresh
from domain.nudges import Candidates, Recipient
from domain.people import Profile, store_profiles
from domain.survey_followups import Waiting, close_unanswered
from domain.survey_followups import claim_reminders as claim_survey_reminders
from domain.survey_followups import follow_ups as survey_follow_ups
from domain.survey_followups import unclaim_reminders as unclaim_survey_reminders
from domain.surveys import SurveyKey, Via
from render import surveys as render_surveys
from render.blocks import Message
from render.i18n import speaking
from services.briefing_posting import fold_reminders, hand_over, post_briefings
from services.calendar_fetch import FeedPolicy
from services.calendars import sweep_calendars
from services.channel_history import catch_up
from services.channel_reading import read_pending
from services.digests import send_due as send_due_digests
from services.directory import slack_lookup
from services.failures import failure
from services.fan_out import DEFAULT_CONCURRENCY, per_conversation
from services.imap_address import MailboxAddress
from services.mail_polling import MailPoller
from services.mailbox import MAILBOX_FAILURES, mailbox_failure
from services.nudge_follow_ups import close_unneeded, escalate, remind
from services.nudge_posting import post_new
from services.surveying import send_summaries
from services.sweep_common import DELIVERY_ERRORS, Crew, Languages, Report, reader_languages
from storage.db import read_only, unit_of_work

__all__ = ["Report", "Sweeper"]
log = logging.getLogger("rapport.sweep")
MAIL_FAILURES = (*MAILBOX_FAILURES, *DELIVERY_ERRORS)


class Sweeper:
    """Runs sweeps against one database and one Slack Web API client."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        slack: WebClient,
        clock: Clock,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        calendars: FeedPolicy | None = None,
        mailbox: MailboxAddress | None = None,
    ) -> None:
        self.crew = Crew(sessions, slack, concurrency)
        self.clock = clock
        self.calendars = calendars or FeedPolicy()
        self.mail = MailPoller(sessions, slack, mailbox) if mailbox is not None else None

    def run(self, now: datetime | None = None) -> Report:
        """One sweep at `now` (the clock's time by default)."""
        now = now or self.clock.now()
        report = Report()
        crew = self.crew
        self._channels(now, report)  # contacts from client channels first: no quiet nudge for a client just answered
        self._mail(now, report)  # and from the team mailbox
        self._calendars(now, report)  # and from meetings that ended
        with read_only(self.crew.sessions) as session:
            candidates = load_candidates(session, now=now)
        self._refresh_people(candidates)
        decided = plan(candidates)
        close_unneeded(crew, decided.closings, candidates, report)
        hand_over(crew, decided.handovers, candidates, report)  # someone away: their open nudges to the backup
        post_new(crew, decided.posts, candidates, report)
        post_briefings(crew, decided.briefings, candidates, report)
        remind(crew, fold_reminders(crew, decided.reminders, candidates), candidates, report)
        escalate(crew, decided.escalations, candidates, report)
        self._surveys(candidates, report)
        self._digests(now, report)
        if any(vars(report).values()):
            log.info("sweep at %s: %s", now.isoformat(), report)
        return report

    # channels ----------------------------------------------------------------------------------------------
    def _channels(self, now: datetime, report: Report) -> None:
        """Join and read linked channels not read far enough; read messages that events left for later.

        Isolated like the mail and calendar steps: whatever fails here, the nudges still go out.
        """
        try:
            report.channel_messages += catch_up(self.crew.slack, self.crew.sessions, now=now)
            with read_only(self.crew.sessions) as session:
                teams = teams_with_pending(session)
            for team_id in teams:
                read = read_pending(self.crew.sessions, self.crew.slack, team_id=team_id, now=now)
                report.channel_contacts += len(read.contacts)
        except Exception:  # the sweep's other steps go on; the next sweep reads again
            log.exception("reading client channels failed; the sweep goes on")

    # mail --------------------------------------------------------------------------------------------------
    def _mail(self, now: datetime, report: Report) -> None:
        """Read the team mailbox's new messages; a mailbox failing (or Slack, asked about senders) stops no sweep."""
        if self.mail is None:
            return
        try:
            found = self.mail.poll(now=now)
        except MAIL_FAILURES as exc:  # unreachable, login refused, TLS, Slack: the next sweep reads it again
            log.warning("mailbox %s not read: %s", self.mail.address.name, mailbox_failure(exc, self.mail.address))
            return
        except Exception:  # our bug: logged with its traceback, and the nudges still go out
            log.exception("mailbox %s not read", self.mail.address.name)
            return
        report.emails_read += found.read
        report.email_contacts += found.contacts
        report.emails_unmatched += found.unmatched

    # calendars ---------------------------------------------------------------------------------------------
    def _calendars(self, now: datetime, report: Report) -> None:
        """Poll the calendar feeds due, log the meetings with clients that ended, send the briefs due."""
        crew = self.crew
        try:  # each feed is isolated already; this keeps a failing database step from stopping the nudges
            done = sweep_calendars(crew.sessions, crew.slack, self.calendars, now=now, workers=crew.concurrency)
        except Exception:  # our bug or the database: logged with its traceback (no feed address is in it)
            log.exception("calendars not swept")
            return
        report.calendars_read += done.polled
        report.calendar_failures += done.failed
        report.meeting_contacts += done.logged
        report.briefs += done.briefs

    # digests ---------------------------------------------------------------------------------------------------
    def _digests(self, now: datetime, report: Report) -> None:
        """Post the weekly digests due now; isolated like the calendars: a failure here stops no nudge."""
        crew = self.crew
        try:
            sent = send_due_digests(crew.sessions, crew.slack, now=now, workers=crew.concurrency)
        except Exception:  # our bug or the database: logged with its traceback; the next sweep tries again
            log.exception("digests not sent")
            return
        report.digests += sent.posted
        report.failed += sent.failed

    # people ------------------------------------------------------------------------------------------------
    def _refresh_people(self, candidates: Candidates) -> None:
        """Ask users.info about people we know nothing (or nothing recent) about; cache them for a day."""
        wanted = profiles_to_refresh(candidates)
        if not wanted:
            return
        lookup = slack_lookup(self.crew.slack)
        found: dict[tuple[str, str], Profile | None] = {}

        def ask(key: tuple[str, str]) -> None:
            try:
                found[key] = lookup(key[1])  # one key per worker: no two threads write the same entry
            except DELIVERY_ERRORS as exc:
                log.warning("users.info failed for %s: %s; will try again", key[1], failure(exc))

        # Profiles expire daily, so a morning sweep asks about everyone: several at once, like the posts.
        per_conversation(sorted(wanted), conversation=lambda key: key, work=ask, workers=self.crew.concurrency)
        # Rows in one order in every sweep: concurrent sweeps upserting the same people in different orders (the
        # lookups finish in any order) could deadlock on PostgreSQL.
        in_order = dict(sorted(found.items(), key=lambda item: item[0]))
        with unit_of_work(self.crew.sessions) as session:
            candidates.people.update(store_profiles(session, in_order, now=candidates.now))

    # surveys -----------------------------------------------------------------------------------------------
    def _surveys(self, candidates: Candidates, report: Report) -> None:
        """Remind unanswered invitations once a working day (twice at most), then close with what came in."""
        now = candidates.now
        due = survey_follow_ups(
            candidates.invitations, now=now, hours_of=candidates.hours_of,
            tz_of=candidates.tz_of,
        )  # fmt: skip
        reminders = _remindable(candidates, due.reminders)
        with unit_of_work(self.crew.sessions) as session:
            won = set(claim_survey_reminders(session, [r.participant_id for r in reminders], now=now,
                                             not_since=now - timedelta(hours=12)))  # fmt: skip
            closed = close_unanswered(session, due.closing, now=now)
            languages = reader_languages(session, [(r.team_id, r.user_id) for r in reminders])
        undelivered: list[int] = []
        lock = threading.Lock()  # the workers below report from several threads

        def remind(invitation: Waiting) -> None:
            message = _survey_reminder(invitation, languages)
            try:
                self.crew.slack.chat_postMessage(
                    channel=invitation.channel_id or "", thread_ts=invitation.ts, **message.to_dict()
                )
                with lock:
                    report.survey_reminders += 1
            except DELIVERY_ERRORS as exc:
                log.warning("survey reminder to %s failed: %s", invitation.user_id, failure(exc))
                with lock:
                    undelivered.append(invitation.participant_id)

        per_conversation(
            [i for i in reminders if i.participant_id in won and i.channel_id], conversation=lambda i: i.channel_id,
            work=remind, workers=self.crew.concurrency,
        )  # fmt: skip
        if undelivered:
            with unit_of_work(self.crew.sessions) as session:
                unclaim_survey_reminders(session, undelivered)
        teams = {i.survey_id: i.team_id for i in candidates.invitations}
        send_summaries(self.crew.slack, self.crew.sessions, surveys=[SurveyKey(teams[s], s) for s in closed], now=now,
                       tz_of=candidates.tz_of)  # fmt: skip
        report.surveys_closed += len(closed)


def _remindable(candidates: Candidates, due: list[Waiting]) -> list[Waiting]:
    """The reminders to claim: not those a daily briefing carries. People outside Slack (no channel_id) are
    counted, never sent a reminder, so their survey closes on schedule."""
    return [r for r in due if r.email or not briefed_person(candidates, r.team_id, r.user_id)]


def briefed_person(candidates: Candidates, team_id: str, user_id: str) -> bool:
    """Whether someone takes everything in a daily briefing (their survey reminders are in it): not while away,
    when they get no briefing and a survey asking their own view still reminds them in its thread."""
    return briefs(candidates, Recipient(team_id, user_id, False, None)) and not away_today(candidates, team_id, user_id)


def _survey_reminder(invitation: Waiting, languages: Languages) -> Message:
    """A survey reminder, in the invited person's language; in a channel it mentions them."""
    mention = invitation.user_id if invitation.via == Via.CHANNEL else None
    with speaking(languages.of(invitation.team_id, invitation.user_id)):
        return render_surveys.reminder(project=invitation.project, client_name=invitation.client_name,
                                       mention_user=mention)  # fmt: skip
