"""`/client config me [briefing|holidays]` and `/client away until <date> @backup|off`: a person's own settings."""

from __future__ import annotations

from domain.commands import PersonalSetting
from domain.dates import local_today, parse_due_date
from domain.errors import NotAPerson, PastDate
from domain.languages import language_of
from domain.people import teammate_or_raise
from domain.personal import end_away, personal_of, set_away, set_briefing, set_holidays, set_language
from domain.personal_errors import AwayProblem, AwayRefused
from handlers.commands.invocation import Invocation
from handlers.commands.parsed import Away, ConfigMe
from render import personal as replies
from render.blocks import Message
from render.i18n import speaking


def config_me(cmd: ConfigMe, call: Invocation) -> Message:
    """Show the asker's own settings, or set their briefing time or their own holidays (None: off)."""
    reader = call.reader()
    if cmd.setting is None:
        found = personal_of(call.session, team_id=call.team_id, user_id=call.user_id)
        return replies.personal_shown(found, tz=reader.tz, today=reader.today)
    if cmd.setting is PersonalSetting.HOLIDAYS:
        saved = set_holidays(call.session, team_id=call.team_id, user_id=call.user_id, code=cmd.holidays, now=call.now)
    elif cmd.setting is PersonalSetting.LANGUAGE:
        saved = set_language(call.session, team_id=call.team_id, user_id=call.user_id, code=cmd.language, now=call.now)
        with speaking(language_of(call.session, team_id=call.team_id, user_id=call.user_id)):  # answer in it
            return replies.personal_shown(saved, tz=reader.tz, today=reader.today, changed=True)
    else:
        saved = set_briefing(call.session, team_id=call.team_id, user_id=call.user_id, at=cmd.at, now=call.now)
    return replies.personal_shown(saved, tz=reader.tz, today=reader.today, changed=True)


def away(cmd: Away, call: Invocation) -> Message:
    """Away until a day (inclusive, in the asker's zone) with a backup, or back (`away off`)."""
    reader = call.reader()
    if cmd.until_text is None or cmd.backup_id is None:
        return replies.away_ended(end_away(call.session, team_id=call.team_id, user_id=call.user_id, now=call.now))
    try:
        until = parse_due_date(cmd.until_text, today=reader.today)
    except PastDate as past:
        raise AwayRefused(AwayProblem.PAST, until=past.when) from past
    if cmd.backup_id == call.user_id:
        raise AwayRefused(AwayProblem.SELF, user_id=cmd.backup_id)
    try:
        backup = teammate_or_raise(call.session, team_id=call.team_id, user_id=cmd.backup_id, now=call.now,
                                   lookup=call.lookup)  # fmt: skip
    except NotAPerson as refused:
        raise AwayRefused(AwayProblem.NOT_A_PERSON, user_id=refused.user_id, why=refused.reason) from refused
    before = personal_of(call.session, team_id=call.team_id, user_id=call.user_id)
    set_away(
        call.session, team_id=call.team_id, user_id=call.user_id, until=until, backup_id=cmd.backup_id,
        today=reader.today, backup_today=local_today(call.now, backup.tz), now=call.now,
    )  # fmt: skip
    if (before.away_until, before.backup_id) != (until, cmd.backup_id):  # the same again (a double submit): told once
        with call.speaking_to(cmd.backup_id):  # the backup reads it, in their language
            note, backup_id = replies.backup_told(call.user_id, until, today=reader.today), cmd.backup_id
        call.after_commit.append(lambda: call.slack.chat_postMessage(channel=backup_id, **note.to_dict()))
    return replies.away_set(until, cmd.backup_id, today=reader.today)
