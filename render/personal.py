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
from render.errors import NOTHING_CHANGED, SHOWN_MAX, error_text
from render.formats import day, language_name, mention
from render.help import USAGE, usage
from render.i18n import _


def personal_lines(personal: Personal, *, tz: str | None, today: date) -> list[str]:
    """A person's briefing and absence, one line each."""
    if personal.briefing is not None:
        briefing = (
            f"one DM at {personal.briefing:%H:%M} ({tz or 'UTC'}) on working days, gathering everything due for you"
        )
    else:
        briefing = "off (nudges come one by one as they are due)"
    lines = [f"*Your briefing:* {briefing}"]
    if personal.away_on(today) and personal.away_until is not None:
        lines.append(f"*Away:* until {day(personal.away_until, today=today)}, {mention(personal.backup_id)} covering")
    else:
        lines.append("*Away:* no")
    own = personal.holidays.code if personal.holidays else "the workspace's"
    lines.append(f"*Your public holidays:* {own} (days off: no nudges, reminders or briefings)")
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
    lead = "Saved.\n" if changed else ""
    lines = "\n".join(personal_lines(personal, tz=tz, today=today))
    return simple(f"{lead}{lines}\nChange them with {USAGE[Subcommand.CONFIG]} and {USAGE[Subcommand.AWAY]}")


def with_personal(reply: Message, personal: Personal, *, tz: str | None, today: date) -> Message:
    """`/client config` alone: the workspace's settings, then the asker's own."""
    lines = "\n".join(personal_lines(personal, tz=tz, today=today))
    extra = simple(f"*Your own settings* (`/client config me`):\n{lines}").blocks
    return Message(text=reply.text, blocks=[*reply.blocks, *extra])


def away_set(until: date, backup_id: str, *, today: date) -> Message:
    """`/client away until <date> @backup`."""
    return simple(
        f":palm_tree: You are away until {day(until, today=today)} (the whole day). Until then your nudges, "
        f"briefings and escalations go to {mention(backup_id)}, who is told why. Only a sponsor's own nudges wait for "
        "you, since only your own contact answers them. `/client away off` when you are back early."
    )


def backup_told(away_id: str, until: date, *, today: date) -> Message:
    """To the backup, once: who they cover for, and until when."""
    text = (
        f":palm_tree: {mention(away_id)} is away until {day(until, today=today)} and asked you to cover: their "
        "nudges come to you until then, each saying so."
    )
    return simple(text)


def away_ended(before: Personal) -> Message:
    """`/client away off`."""
    if before.away_until is None:
        return simple("You were not away: nothing changed.")
    return simple(f"Welcome back: your nudges come to you again, no longer to {mention(before.backup_id)}.")


@error_text.register
def _invalid_briefing_time(error: personal_errors.InvalidBriefingTime) -> str:
    shown = error.text if len(error.text) <= SHOWN_MAX else error.text[: SHOWN_MAX - 1] + "…"
    return (
        f"*{shown}* is not a time of day: use `HH:MM` (24 hours), e.g. `09:00`, or `off`. "
        f"{NOTHING_CHANGED}\n{usage(Subcommand.CONFIG)}"
    )


@error_text.register
def _away_refused(error: personal_errors.AwayRefused) -> str:
    return f"{_refused(error)} {NOTHING_CHANGED}\n{usage(Subcommand.AWAY)}"


def _refused(error: personal_errors.AwayRefused) -> str:
    """Why an away request was refused, in one sentence."""
    problem = error.problem
    if problem == personal_errors.AwayProblem.PAST:
        when = day(error.until) if error.until else "That day"
        return f"{when} has already passed: give your last day away, today or later."
    if problem == personal_errors.AwayProblem.SELF:
        return "You can't cover for yourself: name a teammate who is here while you are away."
    if problem == personal_errors.AwayProblem.BACKUP_AWAY:
        until = f" (until {day(error.until)})" if error.until else ""
        return f"{mention(error.user_id)} is away too{until}: name someone who is here."
    why = {
        WhyNot.BOT: "is a bot",
        WhyNot.DEACTIVATED: "is deactivated",
        WhyNot.EXTERNAL: "is not a member of this workspace",
    }.get(error.why or WhyNot.UNKNOWN, "is not someone I can find in Slack")
    return f"{mention(error.user_id)} {why}, so they can't cover for you."


@error_text.register
def _invalid_holidays(error: InvalidHolidays) -> str:
    typed = error.text if len(error.text) <= SHOWN_MAX else error.text[: SHOWN_MAX - 1] + "…"
    return (
        f"*{typed}* is not a country I know public holidays for. Use a country code, optionally with "
        f"a subdivision: `/client config holidays PL`, `/client config holidays US-CA`, or `off`. {NOTHING_CHANGED}"
    )
