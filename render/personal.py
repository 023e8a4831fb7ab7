"""What `/client config me` and `/client away` answer: a person's own settings, in their words."""

from __future__ import annotations

from datetime import date

from domain import personal_errors
from domain.commands import Subcommand
from domain.errors import WhyNot
from domain.holidays import InvalidHolidays
from domain.languages import Language, UnknownLanguage
from domain.personal import Personal
from render.blocks import Message, simple
from render.errors import SHOWN_MAX, error_text, unchanged
from render.formats import day, language_name, mention
from render.help import USAGE, usage
from render.i18n import _


def personal_lines(personal: Personal, *, tz: str | None, today: date) -> list[str]:
    """A person's briefing and absence, one line each."""
    if personal.briefing is not None:
        at = personal.briefing.strftime("%H:%M")
        briefing = _(
            "*Your briefing:* one DM at {time} ({tz}) on working days, gathering everything due for you",
            time=at,
            tz=tz or "UTC",
        )
    else:
        briefing = _("*Your briefing:* off (nudges come one by one as they are due)")
    lines = [briefing]
    if personal.away_on(today) and personal.away_until is not None:
        lines.append(
            _(
                "*Away:* until {day}, {person} covering",
                day=day(personal.away_until, today=today),
                person=mention(personal.backup_id),
            )
        )
    else:
        lines.append(_("*Away:* no"))
    if personal.holidays:
        lines.append(
            _(
                "*Your public holidays:* {code} (days off: no nudges, reminders or briefings)",
                code=personal.holidays.code,
            )
        )
    else:
        lines.append(_("*Your public holidays:* the workspace's (days off: no nudges, reminders or briefings)"))
    lines.append(language_line(personal.language))
    return lines


def language_line(language: Language | None) -> str:
    """Which language rapport writes to them in, and why."""
    if language is None:
        return _(
            "*Your language:* the workspace's, else your Slack language (`/client config me language ru` to choose)"
        )
    return _("*Your language:* {language}", language=language_name(language))


@error_text.register
def _unknown_language(error: UnknownLanguage) -> str:
    typed = error.typed if len(error.typed) <= SHOWN_MAX else error.typed[: SHOWN_MAX - 1] + "…"
    return _(
        "I don't speak *{typed}*. Choose `en` (English), `pl` (polski) or `ru` (русский), or `off`. Nothing was "
        "changed.",
        typed=typed,
    )


def personal_shown(personal: Personal, *, tz: str | None, today: date, changed: bool = False) -> Message:
    """`/client config me`: the asker's own settings, and how to change them."""
    lines = personal_lines(personal, tz=tz, today=today)
    change = _("Change them with {config} and {away}", config=USAGE[Subcommand.CONFIG], away=USAGE[Subcommand.AWAY])
    return simple("\n".join([*([_("Saved.")] if changed else []), *lines, change]))


def with_personal(reply: Message, personal: Personal, *, tz: str | None, today: date) -> Message:
    """`/client config` alone: the workspace's settings, then the asker's own."""
    lines = personal_lines(personal, tz=tz, today=today)
    extra = simple("\n".join([_("*Your own settings* (`/client config me`):"), *lines])).blocks
    return Message(text=reply.text, blocks=[*reply.blocks, *extra])


def away_set(until: date, backup_id: str, *, today: date) -> Message:
    """`/client away until <date> @backup`."""
    return simple(
        _(
            ":palm_tree: You are away until {day} (the whole day). Until then your nudges, briefings and escalations "
            "go to {person}, who is told why. Only a sponsor's own nudges wait for you, since only your own contact "
            "answers them. `/client away off` when you are back early.",
            day=day(until, today=today),
            person=mention(backup_id),
        )
    )


def backup_told(away_id: str, until: date, *, today: date) -> Message:
    """To the backup, once: who they cover for, and until when."""
    text = _(
        ":palm_tree: {person} is away until {day} and asked you to cover: their nudges come to you until then, each "
        "saying so.",
        person=mention(away_id),
        day=day(until, today=today),
    )
    return simple(text)


def away_ended(before: Personal) -> Message:
    """`/client away off`."""
    if before.away_until is None:
        return simple(_("You were not away: nothing changed."))
    return simple(
        _("Welcome back: your nudges come to you again, no longer to {person}.", person=mention(before.backup_id))
    )


@error_text.register
def _invalid_briefing_time(error: personal_errors.InvalidBriefingTime) -> str:
    shown = error.text if len(error.text) <= SHOWN_MAX else error.text[: SHOWN_MAX - 1] + "…"
    text = unchanged(_("*{text}* is not a time of day: use `HH:MM` (24 hours), e.g. `09:00`, or `off`.", text=shown))
    return f"{text}\n{usage(Subcommand.CONFIG)}"


@error_text.register
def _away_refused(error: personal_errors.AwayRefused) -> str:
    return f"{unchanged(_refused(error))}\n{usage(Subcommand.AWAY)}"


def _refused(error: personal_errors.AwayRefused) -> str:
    """Why an away request was refused, in one sentence."""
    problem = error.problem
    if problem == personal_errors.AwayProblem.PAST:
        if error.until:
            return _("{day} has already passed: give your last day away, today or later.", day=day(error.until))
        return _("That day has already passed: give your last day away, today or later.")
    if problem == personal_errors.AwayProblem.SELF:
        return _("You can't cover for yourself: name a teammate who is here while you are away.")
    person = mention(error.user_id)
    if problem == personal_errors.AwayProblem.BACKUP_AWAY:
        if error.until:
            return _(
                "{person} is away too (until {day}): name someone who is here.", person=person, day=day(error.until)
            )
        return _("{person} is away too: name someone who is here.", person=person)
    why = error.why or WhyNot.UNKNOWN
    if why == WhyNot.BOT:
        return _("{person} is a bot, so they can't cover for you.", person=person)
    if why == WhyNot.DEACTIVATED:
        return _("{person} is deactivated, so they can't cover for you.", person=person)
    if why == WhyNot.EXTERNAL:
        return _("{person} is not a member of this workspace, so they can't cover for you.", person=person)
    return _("{person} is not someone I can find in Slack, so they can't cover for you.", person=person)


@error_text.register
def _invalid_holidays(error: InvalidHolidays) -> str:
    typed = error.text if len(error.text) <= SHOWN_MAX else error.text[: SHOWN_MAX - 1] + "…"
    return unchanged(
        _(
            "*{text}* is not a country I know public holidays for. Use a country code, optionally with a subdivision: "
            "`/client config holidays PL`, `/client config holidays US-CA`, or `off`.",
            text=typed,
        )
    )
