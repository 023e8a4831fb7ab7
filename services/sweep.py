"""One sweep: read what is due, ask Slack about people, claim, post, record, then follow up earlier nudges.

The database holds all state; the sweep is safe to run from cron, from the scheduler inside every serving
process, or from several replicas at once: each nudge row is claimed by exactly one of them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.orm import Session, sessionmaker

from domain.answers import shown_on_messages
from domain.clock import Clock
from domain.dates import local_today
from domain.hours import WorkingHours
from domain.nudges import (
    LEASE,
    Candidates,
    OpenNudge,
    Post,
    Recipient,
    claim,
    claim_escalations,
    claim_reminders,
    close,
    closing_reason,
    fallback_recipient,
    give_back,
    last_contacts,
    load_candidates,
    mark_posted,
    plan,
    profiles_to_refresh,
    record_escalations,
    release,
    unclaim,
)
from domain.people import Profile, store_profiles
from domain.survey_followups import Waiting, close_unanswered
from domain.survey_followups import claim_reminders as claim_survey_reminders
from domain.survey_followups import follow_ups as survey_follow_ups
from domain.survey_followups import unclaim_reminders as unclaim_survey_reminders
from domain.workspace import Settings
from render import surveys as render_surveys
from render.blocks import Message
from render.nudges import About, combined_message, escalation_message, nudge_message, reminder_message
from services.directory import slack_lookup
from services.fan_out import DEFAULT_CONCURRENCY, per_conversation
from services.nudging import about_target, find_posted, post, render_shown, update
from services.surveying import send_summaries
from storage.db import read_only, unit_of_work
from storage.models import Contact

log = logging.getLogger("rapport.sweep")
# What one delivery may fail with (Slack's answer, the network, a garbled reply): that item alone is retried.
DELIVERY_ERRORS = (SlackClientError, OSError, ValueError)
POSTING_BUDGET = LEASE - timedelta(minutes=3)  # a sweep posts for at most this long, so no lease expires mid-post
# Slack errors that mean "this person or DM is not reachable": such nudges go to the team channel instead.
UNREACHABLE = {"channel_not_found", "user_not_found", "user_disabled", "cannot_dm_bot", "not_in_channel", "is_archived"}


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

    def __str__(self) -> str:
        return (
            f"{self.posted} nudges posted, {self.reminders} reminders, {self.escalations} to team channels, "
            f"{self.closed} closed, {self.failed} failed; {self.survey_reminders} survey reminders, "
            f"{self.surveys_closed} surveys closed"
        )


class Sweeper:
    """Runs sweeps against one database and one Slack Web API client."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        client: WebClient,
        clock: Clock,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
    ) -> None:
        self.sessions = sessions
        self.client = client  # shared by the posting workers: WebClient and our RetryAfter keep no per-call state
        self.clock = clock
        self.concurrency = concurrency

    def run(self, now: datetime | None = None) -> Report:
        """One sweep at `now` (the clock's time by default)."""
        now = now or self.clock.now()
        report = Report()
        with read_only(self.sessions) as session:
            candidates = load_candidates(session, now=now)
        self._refresh_people(candidates)
        decided = plan(candidates)
        self._close(decided.closings, candidates, report)
        self._post(decided.posts, candidates, report)
        self._remind(decided.reminders, candidates, report)
        self._escalate(decided.escalations, candidates, report)
        self._surveys(candidates, report)
        if any(vars(report).values()):
            log.info("sweep at %s: %s", now.isoformat(), report)
        return report

    # people ------------------------------------------------------------------------------------------------
    def _refresh_people(self, candidates: Candidates) -> None:
        """Ask users.info about people we know nothing (or nothing recent) about; cache them for a day."""
        wanted = profiles_to_refresh(candidates)
        if not wanted:
            return
        lookup = slack_lookup(self.client)
        found: dict[tuple[str, str], Profile | None] = {}

        def ask(key: tuple[str, str]) -> None:
            try:
                found[key] = lookup(key[1])  # one key per worker: no two threads write the same entry
            except DELIVERY_ERRORS as exc:
                log.warning("users.info failed for %s: %s; will try again", key[1], failure(exc))

        # Profiles expire daily, so a morning sweep asks about everyone: several at once, like the posts.
        per_conversation(sorted(wanted), conversation=lambda key: key, work=ask, workers=self.concurrency)
        # Rows in one order in every sweep: concurrent sweeps upserting the same people in different orders (the
        # lookups finish in any order) could deadlock on PostgreSQL.
        in_order = dict(sorted(found.items(), key=lambda item: item[0]))
        with unit_of_work(self.sessions) as session:
            candidates.people.update(store_profiles(session, in_order, now=candidates.now))

    # new nudges --------------------------------------------------------------------------------------------
    def _post(self, posts: list[Post], candidates: Candidates, report: Report) -> None:
        """Claim, post to different recipients at once (each one's messages in order), then record in one go."""
        now = candidates.now
        with unit_of_work(self.sessions) as session:
            claimed = claim(session, posts, now=now)
            keys = {(t.team_id, t.client_id) for p in claimed for t in p.targets if t.last_contact_at}
            contacts = last_contacts(session, keys)
        done = Delivered()
        deadline = time.monotonic() + POSTING_BUDGET.total_seconds()

        def attempt(item: Post) -> None:
            if time.monotonic() > deadline:  # Slack is slow today: leave the rest before our lease runs out
                done.add(Delivered(untried=item.nudge_ids))
            else:
                done.add(self._deliver(item, candidates, contacts))

        try:
            per_conversation(claimed, conversation=lambda p: p.recipient, work=attempt, workers=self.concurrency)
        finally:  # Slack is never called inside a transaction: what happened is recorded once posting is over
            with unit_of_work(self.sessions) as session:
                mark_posted(session, done.posted, now=now)
                release(session, done.failed, now=now)
                give_back(session, done.untried, now=now)
        report.posted += len({(channel, ts) for _, _, channel, ts in done.posted})
        report.failed += len(done.failed)

    def _deliver(self, item: Post, candidates: Candidates, contacts: dict[tuple[str, int], Contact]) -> Delivered:
        """Post one message (to the team channel if the DM is unreachable); a failure is this item's alone."""
        recipient = item.recipient
        try:
            return self._post_to(recipient, item, candidates, contacts)
        except DELIVERY_ERRORS as exc:
            error = failure(exc)
        names = ", ".join(t.client_name for t in item.targets)
        fallback = None
        if error in UNREACHABLE and not recipient.is_channel:
            first = item.targets[0]
            fallback = fallback_recipient(candidates, first.team_id, first.created_by, exclude=recipient.id)
        if fallback is not None and fallback.is_channel:
            log.warning("nudge for %s: %s unreachable (%s); posting to the team channel", names, recipient.id, error)
            try:
                return self._post_to(fallback, item, candidates, contacts)
            except DELIVERY_ERRORS as again:
                error = failure(again)
        log.warning("could not post the nudge for %s to %s: %s; the next sweep tries again", names, recipient.id, error)
        return Delivered(failed=[(nudge_id, error) for nudge_id in item.nudge_ids])

    def _post_to(
        self, to: Recipient, item: Post, candidates: Candidates, contacts: dict[tuple[str, int], Contact]
    ) -> Delivered:
        """Post the item's message to `to` unless an earlier sweep already did; raises DELIVERY_ERRORS."""
        found = self._posted_before(to, item)
        if found:  # recorded as it stands; nudges not in it go back to the next sweep, to be planned afresh
            return Delivered(
                posted=[(nudge_id, to.id, *found[nudge_id]) for nudge_id in item.nudge_ids if nudge_id in found],
                untried=[nudge_id for nudge_id in item.nudge_ids if nudge_id not in found],
            )
        channel, ts = post(self.client, to.id, self._render(item, to, candidates, contacts), item.nudge_ids)
        return Delivered(posted=[(nudge_id, to.id, channel, ts) for nudge_id in item.nudge_ids])

    def _posted_before(self, to: Recipient, item: Post) -> dict[int, tuple[str, str]]:
        """For a claim an earlier sweep took: its message, if Slack got it (looked up in `to`'s conversation)."""
        if item.unsure_since is None:
            return {}
        try:
            found = find_posted(
                self.client, to=to.id, is_channel=to.is_channel, nudge_ids=item.nudge_ids, since=item.unsure_since
            )
        except DELIVERY_ERRORS as exc:  # a missing scope or a Slack error: posting twice beats never posting
            log.warning("could not look for nudges %s in %s's history (%s); posting them", item.nudge_ids, to.id,
                        failure(exc))  # fmt: skip
            return {}
        if found:
            log.info("nudges %s were already posted to %s (an earlier sweep lost the answer); recorded", sorted(found),
                     to.id)  # fmt: skip
        return found

    def _render(
        self, item: Post, recipient: Recipient, candidates: Candidates, contacts: dict[tuple[str, int], Contact]
    ) -> Message:
        now, tz = candidates.now, recipient.tz
        today = local_today(now, tz)
        hours = _settings(candidates, recipient.team_id).hours
        abouts = [
            about_target(
                nudge_id, target, contacts.get((target.team_id, target.client_id)), to_channel=recipient.is_channel
            )
            for nudge_id, target in zip(item.nudge_ids, item.targets, strict=True)
        ]
        if item.combined:
            return combined_message(abouts, now=now, tz=tz, today=today, hours=hours)
        return nudge_message(abouts[0], now=now, tz=tz, today=today, hours=hours)

    # follow-ups --------------------------------------------------------------------------------------------
    def _remind(self, reminders: list[OpenNudge], candidates: Candidates, report: Report) -> None:
        """One reminder in the nudge's thread (one per message, for a combined one)."""
        with unit_of_work(self.sessions) as session:
            won = set(claim_reminders(session, [n.id for n in reminders], now=candidates.now))
        by_message: dict[tuple[str | None, str | None], list[OpenNudge]] = defaultdict(list)
        for nudge in reminders:
            if nudge.id in won:
                by_message[(nudge.channel_id, nudge.ts)].append(nudge)
        failed: list[int] = []
        lock = threading.Lock()  # the workers below report from several threads

        def remind(nudges: list[OpenNudge]) -> None:
            today = local_today(candidates.now, candidates.tz_of(nudges[0].team_id, nudges[0].recipient_id))
            message = reminder_message(_about(nudges[0], to_channel=False), today=today)
            try:
                self.client.chat_postMessage(
                    channel=nudges[0].channel_id or nudges[0].recipient_id, thread_ts=nudges[0].ts, **message.to_dict()
                )
                with lock:
                    report.reminders += 1
            except DELIVERY_ERRORS as exc:
                log.warning("reminder for %s failed: %s", nudges[0].client_name, failure(exc))
                with lock:
                    failed.extend(n.id for n in nudges)

        per_conversation(
            by_message.values(), conversation=lambda n: n[0].channel_id or n[0].recipient_id, work=remind,
            workers=self.concurrency,
        )  # fmt: skip
        if failed:
            with unit_of_work(self.sessions) as session:
                unclaim(session, failed, "reminded_at")

    def _escalate(self, escalations: list[tuple[OpenNudge, Recipient]], candidates: Candidates, report: Report) -> None:
        """Nudges still unanswered after the reminder go to the team channel, where anyone can take them."""
        now = candidates.now
        with unit_of_work(self.sessions) as session:
            won = set(claim_escalations(session, [n.id for n, _ in escalations], now=now))
        done: list[tuple[int, str, str]] = []
        failed: list[int] = []
        lock = threading.Lock()  # the workers below report from several threads

        def escalate(escalation: tuple[OpenNudge, Recipient]) -> None:
            nudge, target = escalation
            hours = _settings(candidates, nudge.team_id).hours
            message = escalation_message(
                _about(nudge, to_channel=True), now=now, tz=target.tz, today=local_today(now, target.tz), hours=hours
            )
            try:
                channel, ts = post(self.client, target.id, message, [nudge.id])
                with lock:
                    done.append((nudge.id, channel, ts))
                    report.escalations += 1
            except DELIVERY_ERRORS as exc:
                log.warning("team-channel post for %s failed: %s", nudge.client_name, failure(exc))
                with lock:
                    failed.append(nudge.id)

        try:
            per_conversation(
                [e for e in escalations if e[0].id in won], conversation=lambda e: e[1].id, work=escalate,
                workers=self.concurrency,
            )  # fmt: skip
        finally:
            with unit_of_work(self.sessions) as session:
                record_escalations(session, done)
                unclaim(session, failed, "escalated_at")

    def _surveys(self, candidates: Candidates, report: Report) -> None:
        """Remind unanswered invitations once a working day (twice at most), then close with what came in."""
        now = candidates.now
        reminders, closing = survey_follow_ups(
            candidates.invitations, now=now, hours_of=lambda team: _settings(candidates, team).hours,
            tz_of=candidates.tz_of,
        )  # fmt: skip
        with unit_of_work(self.sessions) as session:
            won = set(claim_survey_reminders(session, [r.participant_id for r in reminders], now=now,
                                             not_since=now - timedelta(hours=12)))  # fmt: skip
            closed = close_unanswered(session, closing, now=now)
        undelivered: list[int] = []
        lock = threading.Lock()  # the workers below report from several threads

        def remind(invitation: Waiting) -> None:
            mention = invitation.user_id if invitation.via == "channel" else None
            message = render_surveys.reminder(
                project=invitation.project, client_name=invitation.client_name, mention_user=mention
            )
            try:
                self.client.chat_postMessage(
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
            work=remind, workers=self.concurrency,
        )  # fmt: skip
        if undelivered:
            with unit_of_work(self.sessions) as session:
                unclaim_survey_reminders(session, undelivered)
        teams = {i.survey_id: i.team_id for i in candidates.invitations}
        send_summaries(self.client, self.sessions, surveys=[(teams[s], s) for s in closed], now=now,
                       tz_of=candidates.tz_of)  # fmt: skip
        report.surveys_closed += len(closed)

    def _close(self, closings: list[OpenNudge], candidates: Candidates, report: Report) -> None:
        """Nudges no longer needed (a contact was logged, the promise kept or moved) lose their buttons."""
        if not closings:
            return
        readers: dict[tuple[str, str, str], str] = {}
        for n in closings:
            if n.channel_id and n.ts:
                readers[(n.team_id, n.channel_id, n.ts)] = n.recipient_id
            if n.escalation_channel_id and n.escalation_ts:
                readers[(n.team_id, n.escalation_channel_id, n.escalation_ts)] = n.owner_id or n.created_by
        with unit_of_work(self.sessions) as session:
            close(session, [(n.id, closing_reason(n)) for n in closings], now=candidates.now)
            shown = shown_on_messages(session, list(readers))
        for (team, channel, ts), items in shown.items():
            tz = candidates.tz_of(team, readers.get((team, channel, ts), ""))
            message = render_shown(items, tz=tz, now=candidates.now)
            if message is not None:
                update(self.client, channel, ts, message)
        report.closed += len(closings)


@dataclass
class Delivered:
    """What became of claimed nudges; the posting workers add to it from several threads."""

    posted: list[tuple[int, str, str, str]] = field(default_factory=list)  # (nudge id, recipient, channel, ts)
    failed: list[tuple[int, str]] = field(default_factory=list)  # (nudge id, error)
    untried: list[int] = field(default_factory=list)  # not tried before the posting budget ran out
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, other: Delivered) -> None:
        """Take in one item's outcome."""
        with self.lock:
            self.posted += other.posted
            self.failed += other.failed
            self.untried += other.untried


def failure(exc: Exception) -> str:
    """What went wrong, short: Slack's error code, or the kind of failure."""
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or exc.response.status_code)
    return f"{type(exc).__name__}: {exc}"[:200]


def _settings(candidates: Candidates, team_id: str) -> Settings:
    return candidates.settings.get(team_id) or Settings(None, WorkingHours())


def _about(nudge: OpenNudge, *, to_channel: bool) -> About:
    return About(
        nudge_id=nudge.id, kind=nudge.kind, client_name=nudge.client_name, owner_id=nudge.owner_id,
        what=nudge.what, due_on=nudge.due_on, to_channel=to_channel,
    )  # fmt: skip
