"""`/client`: ack at once, parse, run one subcommand in one transaction, answer ephemerally."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

import handlers.commands.calendar as calendar
import handlers.commands.client_channels as client_channels
import handlers.commands.client_people as client_people
import handlers.commands.digest as digest
import handlers.commands.grammar as grammar
import handlers.commands.personal as personal
import handlers.commands.sponsors as sponsors
import handlers.commands.survey_trends as survey_trends
from domain.clients import add_alias, add_client, list_clients, remove_alias, set_cadence, set_key, set_owner
from domain.commands import ConfigSetting, ListFilter, Subcommand
from domain.contacts import Source, log_contact
from domain.dates import contact_time, parse_due_date, split_dated_note
from domain.digests import digest_schedule
from domain.errors import Problem, UsageError
from domain.health import clients_at_risk
from domain.history import READERS
from domain.languages import language_of
from domain.names import find_client_or_raise, get_client, split_subject_or_raise
from domain.people import profile
from domain.personal import personal_of
from domain.promises import complete_promise, make_promise
from domain.story import client_story
from domain.survey_links import NoPublicUrl
from domain.surveys import Side, check_participants, participants, start_survey
from domain.workspace import get_settings, set_days, set_holidays, set_hours, set_team_channel
from domain.workspace import set_language as set_workspace_language
from handlers.commands.client_channels import people_before
from handlers.commands.invocation import Invocation
from handlers.context import dependencies
from render import health as render_health
from render import replies, workspace_config
from render import surveys as render_surveys
from render.blocks import Message
from render.export import history_zip
from render.i18n import speaking
from render.personal import with_personal
from services.directory import look_up
from services.export import upload_export
from services.failures import SLACK_FAILURES, failure
from services.surveying import Invite, Invitee, LinkInvitee, send_invitations
from storage.db import unit_of_work

LIST_LIMIT = 100
log = logging.getLogger(__name__)


def client_command(command: dict[str, Any], respond: Respond, slack: WebClient, context: BoltContext) -> None:
    """Listener for `/client` (after the ack): one transaction, then the reply and any follow-ups."""
    parsed = grammar.parse(command.get("text") or "")
    deps = dependencies(context)
    now = deps.clock.now()
    team_id, user_id = context.team_id or command["team_id"], context.user_id or command["user_id"]
    parsed = calendar.checked(parsed, deps.calendars)  # a calendar's address is resolved outside the transaction
    named = [*_named(parsed), *people_before(parsed, deps.sessions, team_id=team_id)]
    lookup = look_up(deps.sessions, slack, team_id=team_id, user_ids=[user_id, *named], now=now)
    with unit_of_work(deps.sessions) as session:
        call = Invocation(
            session=session,
            sessions=deps.sessions,
            slack=slack,
            lookup=lookup,
            team_id=team_id,
            user_id=user_id,
            channel_id=command.get("channel_id"),
            trigger_id=command.get("trigger_id"),
            now=now,
            links=deps.links,
            calendars=deps.calendars,
            survey_links=deps.survey_links,
            respond=respond,
        )
        message = SUBCOMMANDS[type(parsed)](parsed, call)
    if call.reply_after_commit is not None:
        message = call.reply_after_commit()
    try:
        kind = "in_channel" if call.shared else "ephemeral"
        respond(response_type=kind, replace_original=False, **message.to_dict())
    except SLACK_FAILURES as exc:  # the response URL refused or timed out: committed, only the reply is lost
        log.warning("could not deliver the reply to /client %s: %s", type(parsed).__name__, exc)
    for followup in call.after_commit:
        try:
            followup()
        except SLACK_FAILURES:
            # Already committed and confirmed: an undelivered note must not make the user read "Nothing was changed".
            log.warning("a follow-up of /client could not be delivered", exc_info=True)


def _named(command: grammar.Command) -> list[str]:
    """The people a command names: owners to check, survey participants to invite, a client's people to add."""
    if isinstance(command, grammar.Add | grammar.SetOwner):
        return [command.owner_id] if command.owner_id else []
    if isinstance(command, grammar.SetSponsor):
        return [command.user_id] if command.user_id else []
    if isinstance(command, grammar.StartSurvey):
        return [*command.team_ids, *command.client_ids]
    if isinstance(command, grammar.ConfigDigest):
        return list(command.recipients)
    if isinstance(command, grammar.AddPerson):
        return [command.user_id] if command.user_id else []
    if isinstance(command, grammar.Away):
        return [command.backup_id] if command.backup_id else []
    return []


def _help(cmd: grammar.Help, call: Invocation) -> Message:
    return replies.help_message(cmd.topic)


def _add(cmd: grammar.Add, call: Invocation) -> Message:
    if cmd.owner_id:
        call.teammate(cmd.owner_id)
    client = add_client(
        call.session, team_id=call.team_id, name=cmd.name, by=call.user_id, now=call.now,
        is_key=cmd.key, cadence_days=cmd.cadence_days, owner_id=cmd.owner_id,
    )  # fmt: skip
    return replies.client_added(client)


def _log(cmd: grammar.Log, call: Invocation) -> Message:
    client, text = split_subject_or_raise(call.session, team_id=call.team_id, subject=cmd.subject)
    reader = call.reader()
    day, note = split_dated_note(text, today=reader.today)  # `yesterday: lunch`; no date: today
    if not note:
        raise UsageError(Subcommand.LOG, Problem.MISSING_NOTE)
    contact, created = log_contact(
        call.session, client=client, user_id=call.user_id, note=note, now=call.now,
        occurred_at=contact_time(day, now=call.now, tz=reader.tz),
        source=Source.COMMAND, idempotency_key=call.key(), channel_id=call.channel_id,
    )  # fmt: skip
    return replies.contact_logged(client, contact, created, reader, back_dated=day < reader.today)


def _list(cmd: grammar.ListClients, call: Invocation) -> Message:
    if cmd.which == ListFilter.RISK:
        found, total = clients_at_risk(call.session, team_id=call.team_id, now=call.now, limit=LIST_LIMIT)
        return render_health.risk_list(found, total)
    summaries, total = list_clients(
        call.session,
        team_id=call.team_id,
        which=cmd.which,
        user_id=call.user_id,
        now=call.now,
        limit=LIST_LIMIT,
    )
    return replies.client_list(summaries, total, cmd.which, call.reader())


def _show(cmd: grammar.Show, call: Invocation) -> Message:
    client = find_client_or_raise(call.session, team_id=call.team_id, query=cmd.client)
    reader = call.reader()
    return replies.client_story(client_story(call.session, client=client, today=reader.today, now=call.now), reader)


def _key(cmd: grammar.SetKey, call: Invocation) -> Message:
    client = find_client_or_raise(call.session, team_id=call.team_id, query=cmd.client)
    return replies.key_set(set_key(call.session, client=client, on=cmd.on, now=call.now))


def _cadence(cmd: grammar.SetCadence, call: Invocation) -> Message:
    client = find_client_or_raise(call.session, team_id=call.team_id, query=cmd.client)
    return replies.cadence_set(set_cadence(call.session, client=client, days=cmd.days, now=call.now))


def _owner(cmd: grammar.SetOwner, call: Invocation) -> Message:
    client = find_client_or_raise(call.session, team_id=call.team_id, query=cmd.client)
    call.teammate(cmd.owner_id)
    previous = set_owner(call.session, client=client, owner_id=cmd.owner_id, by=call.user_id, now=call.now)
    if previous != cmd.owner_id and cmd.owner_id != call.user_id:
        with call.speaking_to(cmd.owner_id):  # the new owner reads it, in their language
            note = replies.handed_over(client, call.user_id)
        call.after_commit.append(lambda: call.slack.chat_postMessage(channel=cmd.owner_id, **note.to_dict()))
    return replies.owner_set(client, previous)


def _promise(cmd: grammar.MakePromise, call: Invocation) -> Message:
    client, what = split_subject_or_raise(call.session, team_id=call.team_id, subject=cmd.subject)
    if not what:
        raise UsageError(Subcommand.PROMISE, Problem.MISSING_PROMISE)
    reader = call.reader()
    due_on = parse_due_date(cmd.due_text, today=reader.today)
    promise, created = make_promise(
        call.session, client=client, what=what, due_on=due_on, owner_id=client.owner_id or call.user_id,
        by=call.user_id, now=call.now, idempotency_key=call.key(),
    )  # fmt: skip
    return replies.promise_made(client, promise, created, reader)


def _done(cmd: grammar.Done, call: Invocation) -> Message:
    promise = complete_promise(
        call.session, team_id=call.team_id, promise_id=cmd.promise_id, by=call.user_id, now=call.now
    )
    client = get_client(call.session, team_id=call.team_id, client_id=promise.client_id)
    assert client is not None  # a promise's client is in the same workspace (composite foreign key)
    return replies.promise_done(client, promise, call.reader())


def _export(cmd: grammar.Export, call: Invocation) -> Message:
    client = find_client_or_raise(call.session, team_id=call.team_id, query=cmd.client) if cmd.client else None
    name = client.name if client else None
    scope = {"team_id": call.team_id, "client_id": client.id if client else None}
    history = history_zip({file: read(call.session, **scope) for file, read in READERS.items()})
    if history.empty:
        return replies.export_empty(name)
    call.reply_after_commit = lambda: upload_export(
        call.slack, user_id=call.user_id, history=history, client_name=name, now=call.now
    )  # Slack is called once the transaction is over
    return replies.export_sent_to_dm(history.counts, name)


def _alias(cmd: grammar.AddAlias, call: Invocation) -> Message:
    client, alias = split_subject_or_raise(call.session, team_id=call.team_id, subject=cmd.subject)
    alias = grammar.unquote(alias)
    if not alias:
        raise UsageError(Subcommand.ALIAS, Problem.MISSING_ALIAS)
    add_alias(call.session, client=client, alias=alias, now=call.now)
    return replies.alias_added(client, alias)


def _unalias(cmd: grammar.RemoveAlias, call: Invocation) -> Message:
    client, alias = split_subject_or_raise(call.session, team_id=call.team_id, subject=cmd.subject)
    alias = grammar.unquote(alias)
    if not alias:
        raise UsageError(Subcommand.UNALIAS, Problem.MISSING_ALIAS)
    return replies.alias_removed(client, alias, remove_alias(call.session, client=client, alias=alias))


def _config(cmd: grammar.Config, call: Invocation) -> Message:
    schedule = digest_schedule(call.session, team_id=call.team_id)
    if cmd.setting is None:
        reader, mine = call.reader(), personal_of(call.session, team_id=call.team_id, user_id=call.user_id)
        workspace = workspace_config.config_shown(get_settings(call.session, team_id=call.team_id), digest=schedule)
        return with_personal(workspace, mine, tz=reader.tz, today=reader.today)
    if cmd.setting == ConfigSetting.CHANNEL:
        settings = set_team_channel(
            call.session, team_id=call.team_id, channel_id=cmd.value, tz=call.reader().tz, now=call.now
        )
        if cmd.value:
            channel_id, shown = cmd.value, settings
            call.reply_after_commit = lambda: workspace_config.config_shown(
                shown, changed=ConfigSetting.CHANNEL, joined=_join(call.slack, channel_id), digest=schedule
            )
    elif cmd.setting == ConfigSetting.HOLIDAYS:
        settings = set_holidays(call.session, team_id=call.team_id, code=cmd.value, now=call.now)
    elif cmd.setting == ConfigSetting.LANGUAGE:
        settings = set_workspace_language(call.session, team_id=call.team_id, code=cmd.value, now=call.now)
        with speaking(language_of(call.session, team_id=call.team_id, user_id=call.user_id)):  # answer in it
            return workspace_config.config_shown(settings, changed=cmd.setting, digest=schedule)
    elif cmd.setting == ConfigSetting.HOURS:
        settings = set_hours(call.session, team_id=call.team_id, text=cmd.value or "", now=call.now)
    else:
        settings = set_days(call.session, team_id=call.team_id, text=cmd.value or "", now=call.now)
    return workspace_config.config_shown(settings, changed=cmd.setting, digest=schedule)


def _join(slack: WebClient, channel_id: str) -> bool:
    """Join the team channel, so reactions there (🙋) reach us; a private channel needs an invitation."""
    try:
        slack.conversations_join(channel=channel_id)
    except SLACK_FAILURES as exc:
        log.info("could not join %s: %s", channel_id, failure(exc))
        return False
    return True


def _survey(cmd: grammar.StartSurvey, call: Invocation) -> Message:
    client, project = split_subject_or_raise(call.session, team_id=call.team_id, subject=cmd.subject)
    if cmd.client_emails and (call.survey_links is None or call.survey_links.public_url is None):
        raise NoPublicUrl()
    everyone = [*cmd.team_ids, *cmd.client_ids]
    profiles = {
        u: profile(call.session, team_id=call.team_id, user_id=u, now=call.now, lookup=call.lookup) for u in everyone
    }
    check_participants(team_ids=list(cmd.team_ids), client_ids=list(cmd.client_ids), profiles=profiles,
                       team_id=call.team_id, emails=len(cmd.client_emails))  # fmt: skip
    survey, created = start_survey(
        call.session, client=client, project=grammar.unquote(project), requester_id=call.user_id,
        team_ids=list(cmd.team_ids), client_ids=list(cmd.client_ids), now=call.now, idempotency_key=call.key(),
        client_emails=list(cmd.client_emails),
    )  # fmt: skip
    if created:
        asked = participants(call.session, survey=survey)
        people = [Invitee(p.id, p.user_id, Side(p.side)) for p in asked if p.user_id]
        outside = [LinkInvitee(p.id, p.email, p.nonce, p.language) for p in asked if p.email and p.nonce]
        invite = Invite(survey.id, survey.project, client.name, client.channel_id, call.user_id, people, outside)
        links = call.survey_links
        call.reply_after_commit = lambda: send_invitations(call.slack, call.sessions, call.team_id, invite, links)
    return render_surveys.survey_started(
        survey_id=survey.id, project=survey.project, client_name=client.name, reached=[], unreached=[], created=created
    )


SUBCOMMANDS: dict[type, Callable[[Any, Invocation], Message]] = {
    grammar.Help: _help,
    grammar.Add: _add,
    grammar.Log: _log,
    grammar.ListClients: _list,
    grammar.Show: _show,
    grammar.SetKey: _key,
    grammar.SetCadence: _cadence,
    grammar.SetOwner: _owner,
    grammar.SetSponsor: sponsors.sponsor,
    grammar.MakePromise: _promise,
    grammar.Done: _done,
    grammar.Export: _export,
    grammar.AddAlias: _alias,
    grammar.RemoveAlias: _unalias,
    grammar.Config: _config,
    grammar.ConfigDigest: digest.config_digest,
    grammar.SendDigest: digest.send_digest,
    grammar.StartSurvey: _survey,
    grammar.ListSurveys: survey_trends.surveys,
    grammar.LinkChannel: client_channels.link_channel,
    grammar.UnlinkChannel: client_channels.unlink_channel,
    grammar.AddPerson: client_people.add_person,
    grammar.RemovePerson: client_people.drop_person,
    grammar.AddDomains: client_people.add_domains,
    grammar.RemoveDomains: client_people.drop_domains,
    grammar.SetReplyTime: client_channels.set_reply,
    grammar.Calendar: calendar.calendar,
    grammar.ConfigMe: personal.config_me,
    grammar.Away: personal.away,
}
