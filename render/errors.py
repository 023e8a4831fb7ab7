"""What a user reads when something cannot be done. Each typed error gets one sentence and, where it helps, usage.

Every sentence is translated whole (render.i18n); a reply is composed of whole sentences, the last one saying that
nothing was changed. Errors about people and addresses are in render.error_people, about calendars in
render.error_calendar; importing this module registers them all.
"""

from __future__ import annotations

from datetime import date

import render.error_people  # noqa: F401  (registers the sentences of the errors about people and addresses)
from domain import errors
from domain.commands import ConfigSetting, Subcommand
from render.error_base import NOTHING_CHANGED, SHOWN_MAX, error_text, nothing_changed, unchanged
from render.error_base import shown as _shown
from render.error_calendar import FEED_PROBLEMS, feed_problem
from render.formats import day, mention
from render.help import SUBCOMMANDS_USAGE_HINT, usage
from render.i18n import _, n_, p_
from render.surveys import not_for_you

__all__ = [
    "FEED_PROBLEMS",
    "NOTHING_CHANGED",
    "SHOWN_MAX",
    "busy_text",
    "did_you_mean",
    "error_text",
    "feed_problem",
    "nothing_changed",
    "pick_a_client_text",
    "unchanged",
    "unexpected_text",
]


def did_you_mean(names: list[str]) -> str:
    """`*Acme* or *Acme Corp* or *Acme Ltd*`: names to choose from, in bold."""
    bold = [f"*{name}*" for name in names]
    choices = bold[0] if bold else ""
    for name in bold[1:]:
        # Translators: names to choose from, joined one by one: "*Acme* or *Acme Corp*".
        choices = _("{choices} or {name}", choices=choices, name=name)
    return choices


def _field(what: str) -> str:
    """The name of what someone typed (`note`, `promise`), as an error sentence names it."""
    fields = {
        "note": p_("field", "note"),
        "promise": p_("field", "promise"),
        "name": p_("field", "name"),
        "client name": p_("field", "client name"),
        "person's name": p_("field", "person's name"),
        "alias": p_("field", "alias"),
        "project name": p_("field", "project name"),
        "comment": p_("field", "comment"),
        "reason": p_("field", "reason"),
        "command": p_("field", "command"),
    }
    if what in fields:
        return fields[what]
    column, cell = what.rsplit(" ", 1) if " " in what else (what, "")
    if cell == "cell":  # a CSV column's cell: the column's name stays as the file has it
        return p_("field", "{column} cell", column=column)
    return what


def _usage_lead(error: errors.UsageError) -> str:
    """The first sentence of a usage error: what is missing or wrong."""
    detail = _shown(error.detail)
    problem = error.problem
    if problem == errors.Problem.MISSING_CLIENT:
        return _("Which client?")
    if problem == errors.Problem.STRAY_QUOTES:
        return _("Put the whole client name in quotes, or none of it.")
    if problem == errors.Problem.BAD_FILTER:
        return _("`{text}` is not a list I know.", text=detail)
    if problem == errors.Problem.BAD_OPTIONS:
        return _("I could not read the options after the name.")
    if problem == errors.Problem.BAD_REFERENCE:
        return _("`{text}` is not a promise number.", text=detail)
    if problem == errors.Problem.MISSING_NOTE:
        return _("What was said? Add a note after the client's name.")
    if problem == errors.Problem.MISSING_PROMISE:
        return _("What did we promise? Add it between the client's name and `by`.")
    if problem == errors.Problem.MISSING_ALIAS:
        return _("Which other name? Add it after the client's name.")
    if problem == errors.Problem.BAD_CHANNEL:
        return _("`{text}` is not a channel: pick one with `#` so Slack links it.", text=detail)
    if problem == errors.Problem.MISSING_TEAM:
        return _("Who did the work? Name the team members after `team`.")
    if problem == errors.Problem.MISSING_CLIENT_SIDE:
        return _("Who answers for the client? Name them after `client`.")
    if problem == errors.Problem.BOTH_SIDES:
        return _("{person} can't be on both sides: the point is to compare two views.", person=mention(error.detail))
    if problem == errors.Problem.UNKNOWN_ITEM:
        return _("That survey has no such item.")
    if problem == errors.Problem.BAD_PERSON:
        return _(
            "`{text}` is not a person: pick them with `@` so Slack links them, or give their email address.",
            text=detail,
        )
    return _("That does not look right.")


@error_text.register
def _usage_error(error: errors.UsageError) -> str:
    if error.subcommand is None:
        if error.problem == errors.Problem.UNKNOWN_SUBCOMMAND:
            known = _("I don't know `/client {command}`.", command=_shown(error.detail))
            return f"{known} {_(SUBCOMMANDS_USAGE_HINT)}"
        if error.problem == errors.Problem.UNCLOSED_QUOTE:
            return f"{_('A quote is not closed.')} {_(SUBCOMMANDS_USAGE_HINT)}"
        return _(SUBCOMMANDS_USAGE_HINT)
    return f"{_usage_lead(error)}\n{usage(error.subcommand)}"


@error_text.register
def _unknown_client(error: errors.UnknownClient) -> str:
    if not error.query:
        return _("Which client? Give its name or the start of it.")
    text = _("I don't know a client called *{query}*.", query=_shown(error.query))
    if error.suggestions:
        hint = _("Did you mean {names}?", names=did_you_mean(error.suggestions))
    else:
        hint = _("Add it with `/client add <name>`, or see them all with `/client list`.")
    return unchanged(text, hint)


@error_text.register
def _ambiguous_client(error: errors.AmbiguousClient) -> str:
    shown = error.candidates[:5]
    more = len(error.candidates) - len(shown)
    names = did_you_mean(shown)
    if more > 0:
        names = n_("{names} (and {count} more)", "{names} (and {count} more)", more, names=names)
    return unchanged(
        _("*{query}* could be {names}.", query=_shown(error.query), names=names),
        _('Did you mean one of them? Type more of the name, or quote it: `"Full Name"`.'),
    )


@error_text.register
def _client_exists(error: errors.ClientExists) -> str:
    if error.existing.casefold() == error.name.casefold():
        return unchanged(_("There is already a client called *{client}*.", client=error.existing))
    return unchanged(_("*{name}* is already another name of *{client}*.", name=error.name, client=error.existing))


@error_text.register
def _too_long(error: errors.TooLong) -> str:
    return unchanged(
        n_(
            "The {what} is too long: {count} characters, {limit} at most.",
            "The {what} is too long: {count} characters, {limit} at most.",
            error.length,
            what=_field(error.what),
            limit=error.limit,
        )
    )


@error_text.register
def _unreadable_text(error: errors.UnreadableText) -> str:
    broken = 0xD800 <= error.code_point <= 0xDFFF  # half of a character: text cut in the middle of an emoji
    code = f"U+{error.code_point:04X}"
    if broken:
        holds = _(
            "The {what} holds a broken character ({code}) that I can't store.", what=_field(error.what), code=code
        )
    else:
        holds = _(
            "The {what} holds an invisible control character ({code}) that I can't store.",
            what=_field(error.what),
            code=code,
        )
    return unchanged(holds, _("Type it again without it, or paste it as plain text."))


@error_text.register
def _empty(error: errors.Empty) -> str:
    return unchanged(_("The {what} is empty.", what=_field(error.what)))


@error_text.register
def _invalid_date(error: errors.InvalidDate) -> str:
    return unchanged(
        _(
            "I can't read *{text}* as a date. Try `2026-12-01`, `tomorrow`, `friday`, `next week`, `in 3 days` or "
            "`20 Dec`.",
            text=_shown(error.text),
        )
    )


@error_text.register
def _past_date(error: errors.PastDate) -> str:
    return unchanged(_("{day} has already passed: a promise needs a date from today on.", day=day(error.when)))


@error_text.register
def _invalid_setting(error: errors.InvalidSetting) -> str:
    if error.setting == ConfigSetting.HOURS:
        hint = _("Use `HH:MM-HH:MM` with the start before the end, e.g. `08:00-16:00`.")
    elif error.setting == ConfigSetting.DAYS:
        hint = _("Use day names or ranges, e.g. `mon-fri` or `sun-thu` or `mon,wed,fri`.")
    elif error.setting == ConfigSetting.DIGEST:
        hint = _("Use people, then a day and a time: `/client config digest @dana @sam mon 09:00`.")
    else:
        hint = ""
    return unchanged(_("*{text}* is not a value for {setting}.", text=_shown(error.text), setting=error.setting), hint)


@error_text.register
def _nudge_already_answered(error: errors.NudgeAlreadyAnswered) -> str:
    if error.answered_by:
        return unchanged(_("{person} already answered this one.", person=mention(error.answered_by)))
    return unchanged(_("This one is already taken care of."))


@error_text.register
def _unknown_nudge(error: errors.UnknownNudge) -> str:
    return unchanged(_("I can't find that nudge any more."))


@error_text.register
def _not_your_nudge(error: errors.NotYourNudge) -> str:
    return unchanged(
        _("This nudge went to {person}: only they or the owner can answer it.", person=mention(error.recipient_id))
    )


@error_text.register
def _not_yours(error: errors.NotYours) -> str:
    return unchanged(_("Only the people who got these results, or the client's owner, can decide on them."))


@error_text.register
def _not_invited(error: errors.NotInvited) -> str:
    return not_for_you()


@error_text.register
def _not_in_future(error: errors.NotInFuture) -> str:
    return unchanged(_("The new date must be after today; {day} is not.", day=day(error.when)))


@error_text.register
def _unknown_survey(error: errors.UnknownSurvey) -> str:
    return unchanged(_("I can't find survey {survey}. `/client surveys` lists them.", survey=_shown(error.ref)))


def _with_year(value: date) -> str:
    """A day with its year, whatever year it is."""
    return f"{day(value)} {value.year}"


@error_text.register
def _date_too_far(error: errors.DateTooFar) -> str:
    return unchanged(_("{day} is more than three years away: is it a typo?", day=_with_year(error.when)))


@error_text.register
def _future_date(error: errors.FutureDate) -> str:
    text = _(
        "{day} is still to come: log a contact for the day it happened, today or earlier.",
        day=day(error.when, today=error.today),
    )
    return f"{unchanged(text)}\n{usage(Subcommand.LOG)}"


@error_text.register
def _date_too_old(error: errors.DateTooOld) -> str:
    text = _(
        "{day} is more than a year ago: the earliest day I can log a contact for is {earliest}. Is it a typo?",
        day=_with_year(error.when),
        earliest=_with_year(error.earliest),
    )
    return f"{unchanged(text)}\n{usage(Subcommand.LOG)}"


@error_text.register
def _invalid_cadence(error: errors.InvalidCadence) -> str:
    return unchanged(
        _(
            "*{text}* is not a cadence I understand: use days or weeks, from `1d` to `365d` (for example `14d` or "
            "`2w`).",
            text=_shown(error.text),
        )
    )


@error_text.register
def _unknown_promise(error: errors.UnknownPromise) -> str:
    return unchanged(
        _(
            "There is no promise {promise} in this workspace. `/client show <client>` lists promises with their "
            "numbers.",
            promise=_shown(error.ref),
        )
    )


@error_text.register
def _promise_already_done(error: errors.PromiseAlreadyDone) -> str:
    if error.done_by:
        return unchanged(
            _(
                "Promise #{number} was already marked done by {person}.",
                number=error.promise_id,
                person=mention(error.done_by),
            )
        )
    return unchanged(_("Promise #{number} was already marked done.", number=error.promise_id))


@error_text.register
def _key_needs_cadence(error: errors.KeyNeedsCadence) -> str:
    return unchanged(
        _(
            "*{client}* is a key client, and key clients always have a cadence. Turn the flag off first "
            "(`/client key {client} off`).",
            client=error.client,
        )
    )


@error_text.register
def _invalid_reply_time(error: errors.InvalidReplyTime) -> str:
    return unchanged(
        _(
            "*{text}* is not a reply time I understand: working hours from `1h` to `40h`, working days from `1d` to "
            "`20d`, or `off` (for example `4h` or `2d`).",
            text=_shown(error.text),
        )
    )


def unexpected_text(error_id: str) -> str:
    """For a failure we did not foresee: the id to quote when reporting it."""
    return " ".join(
        [
            _("Sorry, something went wrong on our side (error id `{error_id}`).", error_id=error_id),
            nothing_changed(),
            _("Please try again; if it keeps happening, send the id to whoever runs rapport."),
        ]
    )


def pick_a_client_text() -> str:
    """The modal's client picker was left empty or holds a client that is gone."""
    return _("Pick a client from the list (type part of its name).")


def busy_text() -> str:
    """Slack is so slow that work is piling up: nothing was done, and trying again later will work."""
    return " ".join(
        [
            _("rapport is very busy right now (Slack is slow to answer)."),
            nothing_changed(),
            _("Please try again in a minute."),
        ]
    )


@error_text.register
def _not_your_home_item(error: errors.UnknownHomeItem | errors.NotYourHomeItem) -> str:
    if isinstance(error, errors.UnknownHomeItem):
        return unchanged(_("I can't find that any more: it may have been deleted."))
    if error.owner_id:
        return unchanged(_("That is {person}'s to answer.", person=mention(error.owner_id)))
    return unchanged(_("That is its owner's to answer."))
