"""Sending the weekly digest: each recipient's, once a week at their own local time, and `/client digest` at once.

The sweep reads who is due, asks Slack about zones it does not know, claims (committed), builds each
workspace's digest once (read only; its chart drawn once per language its recipients read), then posts, in each
recipient's own language: the message, then its chart as a PNG (files_upload_v2) in the same DM. What happened is
recorded after posting: Slack is never called inside a transaction.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from domain.dates import local_today
from domain.digest import WeekDigest, week_digest
from domain.digests import DigestClaim, DigestOutcome, Recipient, claim, due_week, recipients, record
from domain.languages import Language, languages_of
from domain.people import CACHE_FOR, Profile, store_profiles
from render.blocks import Message
from render.chart import digest_chart
from render.digest import chart_filename, chart_title, digest_message, digest_not_sent, digest_on_its_way
from render.i18n import current, speaking
from services.directory import slack_lookup
from services.failures import SLACK_FAILURES, failure
from services.fan_out import per_conversation
from services.nudging import CLOCK_SKEW, HISTORY_LIMIT
from storage.db import read_only, unit_of_work

log = logging.getLogger("rapport.digest")
DIGEST_EVENT = "rapport_digest"


@dataclass(frozen=True)
class Built:
    """A workspace's digest of the week, read once, and its chart in each language needed (None without key
    clients)."""

    digest: WeekDigest
    charts: dict[Language, bytes | None]

    def chart(self, language: Language) -> bytes | None:
        return self.charts.get(language)


@dataclass
class Sent:
    """What a sweep's digest step did."""

    posted: int = 0
    failed: int = 0
    outcomes: list[DigestOutcome] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


def send_due(sessions: sessionmaker[Session], slack: WebClient, *, now: datetime, workers: int) -> Sent:
    """Every digest due now that no other sweep has: claimed, posted, recorded."""
    with read_only(sessions) as session:
        found = recipients(session)
    zones = _zones(sessions, slack, found, now)
    due = [
        (r.team_id, r.user_id, week)
        for r in found
        if r.user_id in zones.get(r.team_id, {})
        and (week := due_week(weekday=r.weekday, minute=r.minute, tz=zones[r.team_id][r.user_id], now=now))
    ]
    if not due:
        return Sent()
    with unit_of_work(sessions) as session:
        claimed = claim(session, due, now=now)
    languages = _languages(sessions, claimed)
    teams = sorted({c.team_id for c in claimed})
    built = {team: _built(sessions, team, now, set(languages.get(team, {}).values())) for team in teams}
    sent = Sent()

    def deliver(item: DigestClaim) -> None:
        ready = built[item.team_id]
        if ready is None:
            outcome = DigestOutcome(item.digest_id, error="not built")
        else:
            language = languages.get(item.team_id, {}).get(item.user_id)
            with speaking(language):
                outcome = _deliver(slack, item, ready, zones[item.team_id][item.user_id], now)
        with sent.lock:
            sent.outcomes.append(outcome)

    try:
        per_conversation(claimed, conversation=lambda c: (c.team_id, c.user_id), work=deliver, workers=workers)
    finally:  # recorded once posting is over, whatever happened
        with unit_of_work(sessions) as session:
            record(session, sent.outcomes, now=now)
    sent.posted = sum(o.error is None for o in sent.outcomes)
    sent.failed = len(sent.outcomes) - sent.posted
    return sent


def _zones(
    sessions: sessionmaker[Session], slack: WebClient, found: list[Recipient], now: datetime
) -> dict[str, dict[str, str | None]]:
    """Each recipient's time zone: cached for a day, else asked of users.info; people Slack lost are left out."""
    zones: dict[str, dict[str, str | None]] = {}
    asked: dict[tuple[str, str], Profile | None] = {}
    lookup = slack_lookup(slack)
    for r in found:
        if r.fetched_at is not None and now - r.fetched_at < CACHE_FOR:
            zones.setdefault(r.team_id, {})[r.user_id] = r.tz
            continue
        try:
            asked[(r.team_id, r.user_id)] = lookup(r.user_id)
        except SLACK_FAILURES as exc:  # their zone decides the day: without it, the next sweep asks again
            log.warning("users.info failed for digest recipient %s: %s", r.user_id, failure(exc))
            if r.fetched_at is not None:  # an older answer beats none
                zones.setdefault(r.team_id, {})[r.user_id] = r.tz
    if asked:
        with unit_of_work(sessions) as session:
            store_profiles(session, dict(sorted(asked.items())), now=now)
    for (team, user), profile in asked.items():
        if profile is not None and not profile.deleted and not profile.is_bot:
            zones.setdefault(team, {})[user] = profile.tz
    return zones


def _languages(sessions: sessionmaker[Session], claimed: list[DigestClaim]) -> dict[str, dict[str, Language]]:
    """Each claimed recipient's language, by workspace (read after their profiles, and locales, were cached)."""
    teams: dict[str, list[str]] = {}
    for item in claimed:
        teams.setdefault(item.team_id, []).append(item.user_id)
    with read_only(sessions) as session:
        return {team: languages_of(session, team_id=team, user_ids=users) for team, users in sorted(teams.items())}


def _built(sessions: sessionmaker[Session], team_id: str, now: datetime, languages: set[Language]) -> Built | None:
    """One workspace's digest, or None when building it failed (logged): the other workspaces' still go out."""
    try:
        return build(sessions, team_id=team_id, now=now, languages=languages)
    except Exception:  # our bug or the database: its claims go back to a later sweep that day
        log.exception("the digest of %s could not be built", team_id)
        return None


def build(sessions: sessionmaker[Session], *, team_id: str, now: datetime, languages: Iterable[Language]) -> Built:
    """Read the workspace's digest of the week (one read-only transaction) and draw its chart in each language."""
    with read_only(sessions) as session:
        digest = week_digest(session, team_id=team_id, now=now)
    charts = {}
    for language in sorted(set(languages)):
        with speaking(language):
            charts[language] = _chart(digest)
    return Built(digest, charts)


def _chart(digest: WeekDigest) -> bytes | None:
    """The digest's chart; without key clients, or when drawing fails (logged), the digest goes without it."""
    if not digest.chart:
        return None
    try:
        return digest_chart(digest.chart)
    except Exception:  # a chart is a bonus: it never keeps the digest from going out
        log.exception("the digest's chart could not be drawn; the digest goes without it")
        return None


def _deliver(slack: WebClient, item: DigestClaim, built: Built, tz: str | None, now: datetime) -> DigestOutcome:
    """Post one recipient's digest (unless an earlier sweep did) and its chart; a failure is theirs alone."""
    try:
        found = _posted_before(slack, item) if item.unsure_since else None
        if found:
            log.info("digest %s was already posted to %s; recorded", item.digest_id, item.user_id)
            return DigestOutcome(item.digest_id, *found)
        channel, ts = post(slack, user_id=item.user_id, built=built, tz=tz, now=now, digest_id=item.digest_id)
    except SLACK_FAILURES as exc:
        log.warning("could not post the digest to %s: %s; a later sweep today tries again", item.user_id, failure(exc))
        return DigestOutcome(item.digest_id, error=failure(exc))
    except Exception as exc:  # our bug (rendering, drawing): logged with its traceback, retried like a refusal
        log.exception("digest %s for %s not posted", item.digest_id, item.user_id)
        return DigestOutcome(item.digest_id, error=f"{type(exc).__name__}")
    return DigestOutcome(item.digest_id, channel, ts)


def post(
    slack: WebClient, *, user_id: str, built: Built, tz: str | None, now: datetime, digest_id: int | None = None
) -> tuple[str, str]:
    """The digest message in the user's DM, then its chart there, in the language in effect; returns the message's
    (channel, ts).

    The chart failing to upload loses the chart, not the digest: it is logged and the digest counts as posted.
    """
    message = digest_message(built.digest, tz=tz, today=local_today(now, tz))
    metadata = {"event_type": DIGEST_EVENT, "event_payload": {"digest": str(digest_id or "")}}
    answer = slack.chat_postMessage(channel=user_id, unfurl_links=False, metadata=metadata, **message.to_dict())
    channel, ts = str(answer["channel"]), str(answer["ts"])
    chart = built.chart(current())
    if chart is not None:
        end = local_today(built.digest.end, tz)
        try:
            slack.files_upload_v2(channel=channel, file=chart, filename=chart_filename(end), title=chart_title(end))
        except SLACK_FAILURES as exc:
            log.warning("the digest's chart for %s was not uploaded: %s", user_id, failure(exc))
    return channel, ts


def _posted_before(slack: WebClient, item: DigestClaim) -> tuple[str, str] | None:
    """For a claim an earlier sweep took: its message in the DM, if Slack got it (found by its metadata)."""
    assert item.unsure_since is not None
    try:
        channel = str(slack.conversations_open(users=item.user_id)["channel"]["id"])
        answer = slack.conversations_history(
            channel=channel, oldest=f"{(item.unsure_since - CLOCK_SKEW).timestamp():.6f}", limit=HISTORY_LIMIT,
            include_all_metadata=True,
        )  # fmt: skip
    except SLACK_FAILURES as exc:  # posting twice beats never posting
        log.warning("could not look for digest %s in %s's DM (%s); posting it", item.digest_id, item.user_id,
                    failure(exc))  # fmt: skip
        return None
    for message in answer.get("messages") or []:
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == DIGEST_EVENT and str(payload.get("digest")) == str(item.digest_id):
            return channel, str(message["ts"])
    return None


def send_now(
    sessions: sessionmaker[Session], slack: WebClient, *, team_id: str, user_id: str, tz: str | None, now: datetime
) -> Message:
    """`/client digest`: this week's digest in the asker's DM now (not counted as their weekly one)."""
    built = build(sessions, team_id=team_id, now=now, languages=[current()])  # the asker's: in effect here
    try:
        post(slack, user_id=user_id, built=built, tz=tz, now=now)
    except SLACK_FAILURES as exc:
        log.warning("could not send the digest %s asked for: %s", user_id, failure(exc))
        return digest_not_sent(failure(exc))
    return digest_on_its_way()
