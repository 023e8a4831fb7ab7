"""The Slack side of surveys: invitations (DM, or the client's channel for external people), summaries.

Each message is written in its reader's language (render.i18n.speaking), read before anything is posted; the
reply to whoever started the survey stays in theirs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from domain.dates import local_today
from domain.languages import Language, languages_of
from domain.survey_links import LinkSent
from domain.survey_results import Results, results, results_of
from domain.surveys import (
    Invitation,
    Reached,
    Side,
    Summary,
    SurveyKey,
    Via,
    get_survey,
    get_surveys,
    record_invitations,
    record_summaries,
    summary_messages,
)
from render import surveys as render
from render.blocks import Message
from render.i18n import speaking
from services.directory import look_up
from services.failures import SLACK_FAILURES, failure
from services.survey_mail import MailFailed, SurveyLinks, send_invitation
from storage.db import read_only, unit_of_work

log = logging.getLogger("rapport.surveys")


@dataclass(frozen=True)
class Invitee:
    """One person to invite."""

    participant_id: int
    user_id: str
    side: Side


@dataclass(frozen=True)
class LinkInvitee:
    """One client contact outside Slack, to get a personal link (emailed when SMTP_URL is set)."""

    participant_id: int
    address: str
    nonce: str
    language: str | None


@dataclass(frozen=True)
class Posted:
    """Where a message went."""

    channel_id: str
    ts: str


@dataclass(frozen=True)
class Invite:
    """What invitations need, read before the transaction ended."""

    survey_id: int
    project: str
    client_name: str
    client_channel: str | None
    requester_id: str
    people: list[Invitee]
    by_email: list[LinkInvitee] = field(default_factory=list)


def send_invitations(
    slack: WebClient, sessions: sessionmaker[Session], team_id: str, invite: Invite, links: SurveyLinks | None = None
) -> Message:
    """DM everyone, each in their language; an external person Slack won't let us DM is asked in the client's
    channel instead; people outside Slack get a personal link, emailed (in the invitation's language) when SMTP_URL
    is set and always shown to the requester."""
    with read_only(sessions) as session:
        languages = languages_of(session, team_id=team_id, user_ids=[p.user_id for p in invite.people])
    sent: list[Invitation] = []
    shown: list[LinkSent] = []
    for outsider in invite.by_email:
        assert links is not None
        link = _link(links, invite, outsider)
        shown.append(link)
        sent.append(Invitation(outsider.participant_id, Via.EMAIL if link.emailed else Via.LINK, None, None))
    reached: list[Reached] = []
    unreached: list[str] = []
    for person in invite.people:
        with speaking(languages.get(person.user_id)):
            via, posted = _invite(slack, invite, person)
        if via is not None and posted is not None:
            sent.append(Invitation(person.participant_id, via, posted.channel_id, posted.ts))
            reached.append(Reached(person.user_id, via))
        else:
            sent.append(Invitation(person.participant_id, None, None, None))
            unreached.append(person.user_id)
    with unit_of_work(sessions) as session:
        record_invitations(session, sent)
    return render.survey_started(survey_id=invite.survey_id, project=invite.project, client_name=invite.client_name,
                                 reached=reached, unreached=unreached, created=True, links=shown)  # fmt: skip


def _link(links: SurveyLinks, invite: Invite, outsider: LinkInvitee) -> LinkSent:
    """A personal link, emailed when there is an SMTP server (None: there is none; False: it failed)."""
    url = links.url(participant_id=outsider.participant_id, nonce=outsider.nonce)
    if links.smtp is None:
        return LinkSent(outsider.address, url, None)
    try:
        send_invitation(links, to=outsider.address, language=outsider.language, project=invite.project,
                        client_name=invite.client_name, url=url)  # fmt: skip
    except MailFailed:
        return LinkSent(outsider.address, url, False)
    return LinkSent(outsider.address, url, True)


def _invite(slack: WebClient, invite: Invite, person: Invitee) -> tuple[Via | None, Posted | None]:
    """By DM; for someone of the client Slack won't let us DM, in the client's channel; else (None, None)."""
    message = render.invitation(survey_id=invite.survey_id, project=invite.project, client_name=invite.client_name,
                                requester_id=invite.requester_id, side=person.side)  # fmt: skip
    try:
        dm = slack.conversations_open(users=person.user_id)["channel"]["id"]
        answer = slack.chat_postMessage(channel=dm, **message.to_dict())
        return Via.DM, Posted(str(answer["channel"]), str(answer["ts"]))
    except SLACK_FAILURES as exc:
        log.info("no DM with %s for survey %s: %s", person.user_id, invite.survey_id, failure(exc))
    if person.side != Side.CLIENT:
        return None, None
    posted = _in_client_channel(slack, invite, person.user_id, person.side)
    return (Via.CHANNEL, posted) if posted is not None else (None, None)


def _in_client_channel(slack: WebClient, invite: Invite, user: str, side: Side) -> Posted | None:
    if invite.client_channel is None:
        return None
    message = render.invitation(survey_id=invite.survey_id, project=invite.project, client_name=invite.client_name,
                                requester_id=invite.requester_id, side=side, mention_user=user)  # fmt: skip
    try:
        answer = slack.chat_postMessage(channel=invite.client_channel, **message.to_dict())
    except SLACK_FAILURES as exc:
        log.warning("could not invite %s in %s: %s", user, invite.client_channel, failure(exc))
        return None
    return Posted(str(answer["channel"]), str(answer["ts"]))


def send_summary(
    slack: WebClient, sessions: sessionmaker[Session], *, team_id: str, survey_id: int, now: datetime
) -> None:
    """The results of one survey, to the requester and the client's owner, each in their own time zone."""
    send_summaries(slack, sessions, surveys=[SurveyKey(team_id, survey_id)], now=now)


def send_summaries(
    slack: WebClient,
    sessions: sessionmaker[Session],
    *,
    surveys: list[SurveyKey],
    now: datetime,
    tz_of: Callable[[str, str], str | None] | None = None,
) -> None:
    """Results of several surveys at once (the sweep closing them): a fixed number of queries for any count.

    `tz_of` gives readers' time zones the caller already knows; without it they are looked up. Each reader gets
    the results in their own language.
    """
    if not surveys:
        return
    with read_only(sessions) as session:
        found = results_of(session, get_surveys(session, surveys))
        readers = [
            (r, user)
            for r in found.values()
            for user in dict.fromkeys(u for u in (r.survey.requester_id, r.owner_id) if u)
        ]
        language = _languages(session, [(r.survey.team_id, user) for r, user in readers])
    zone = tz_of or _zones(sessions, slack, [(r.survey.team_id, user) for r, user in readers], now)
    rendered = []
    for r, user in readers:
        with speaking(language(r.survey.team_id, user)):
            rendered.append((r.survey, user, _summary(r, zone(r.survey.team_id, user), now)))
    sent: list[Summary] = []
    for survey, user, message in rendered:
        try:
            answer = slack.chat_postMessage(channel=user, **message.to_dict())
            sent.append(Summary(survey, user, str(answer["channel"]), str(answer["ts"])))
        except SLACK_FAILURES as exc:
            log.warning("survey %s summary to %s failed: %s", survey.id, user, failure(exc))
    with unit_of_work(sessions) as session:
        record_summaries(session, sent)


def _languages(session: Session, readers: list[tuple[str, str]]) -> Callable[[str, str], Language]:
    """Readers' languages (team, user): a few queries per workspace, however many readers."""
    known = {
        team: languages_of(session, team_id=team, user_ids=[u for t, u in readers if t == team])
        for team in {team for team, _user in readers}
    }
    return lambda team, user: known[team][user]


def _zones(
    sessions: sessionmaker[Session], slack: WebClient, readers: list[tuple[str, str]], now: datetime
) -> Callable[[str, str], str | None]:
    """Readers' time zones, looked up before (and outside) any transaction; UTC for whom Slack won't tell."""
    teams = {team for team, _ in readers}
    known = {t: look_up(sessions, slack, team_id=t, user_ids=[u for team, u in readers if team == t], now=now)
             for t in teams}  # fmt: skip

    def zone(team: str, user: str) -> str | None:
        try:
            person = known[team](user)
        except SLACK_FAILURES:
            return None
        return person.tz if person else None

    return zone


def refresh_summaries(slack: WebClient, sessions: sessionmaker[Session], *, team_id: str, survey_id: int,
                      now: datetime) -> None:  # fmt: skip
    """Show planned fixes (and dismissals) in every summary already posted."""
    with read_only(sessions) as session:
        survey = get_survey(session, team_id=team_id, survey_id=survey_id)
        assert survey is not None
        found = results(session, survey=survey)
        posted = [
            (m.channel_id, m.ts, m.user_id) for m in summary_messages(session, survey=survey) if m.channel_id and m.ts
        ]
        language = _languages(session, [(team_id, user) for _, _, user in posted])
    zone = _zones(sessions, slack, [(team_id, user) for _, _, user in posted], now)
    targets = []
    for c, ts, u in posted:
        with speaking(language(team_id, u)):
            targets.append((c, ts, _summary(found, zone(team_id, u), now)))
    for channel, ts, message in targets:
        try:
            slack.chat_update(channel=channel, ts=ts, **message.to_dict())
        except SLACK_FAILURES as exc:
            log.warning("could not update the summary of survey %s: %s", survey_id, failure(exc))


def mark_answered(slack: WebClient, channel: str | None, ts: str | None, *, project: str, client_name: str) -> None:
    """The invitation becomes "Answered, thank you"."""
    if not channel or not ts:
        return
    try:
        slack.chat_update(
            channel=channel, ts=ts, **render.invitation_answered(project=project, client_name=client_name).to_dict()
        )
    except SLACK_FAILURES as exc:
        log.warning("could not mark the invitation answered: %s", failure(exc))


def _summary(found: Results, tz: str | None, now: datetime) -> Message:
    """The summary as `tz`'s reader sees it (their today)."""
    return render.summary(found, tz=tz, today=local_today(now, tz))
