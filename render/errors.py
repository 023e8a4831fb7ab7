"""What a user reads when something cannot be done. Each typed error gets one sentence and, where it helps, usage."""

from __future__ import annotations

from functools import singledispatch

from domain import errors
from domain.addresses import shown_address, shown_domain
from domain.commands import ConfigSetting, Subcommand
from render.formats import channel, day, mention
from render.help import SUBCOMMANDS_USAGE_HINT, usage
from render.surveys import not_for_you

NOTHING_CHANGED = "Nothing was changed."
SHOWN_MAX = 100  # what we echo of someone's text: enough to recognise it, never enough to overflow a message


def _shown(text: str) -> str:
    """Echoed user text, cut short when it is long (a whole pasted page must not become the error message)."""
    return text if len(text) <= SHOWN_MAX else text[: SHOWN_MAX - 1].rstrip() + "…"


@singledispatch
def error_text(error: errors.RapportError) -> str:
    """The message for a domain error."""
    return f"That did not work. {NOTHING_CHANGED}"


def _did_you_mean(names: list[str]) -> str:
    return " or ".join(f"*{name}*" for name in names)


@error_text.register
def _usage_error(error: errors.UsageError) -> str:
    if error.subcommand is None:
        if error.problem == errors.Problem.UNKNOWN_SUBCOMMAND:
            return f"I don't know `/client {_shown(error.detail)}`. {SUBCOMMANDS_USAGE_HINT}"
        if error.problem == errors.Problem.UNCLOSED_QUOTE:
            return f"A quote is not closed. {SUBCOMMANDS_USAGE_HINT}"
        return SUBCOMMANDS_USAGE_HINT
    lead = {
        errors.Problem.MISSING_CLIENT: "Which client?",
        errors.Problem.STRAY_QUOTES: "Put the whole client name in quotes, or none of it.",
        errors.Problem.BAD_FILTER: f"`{_shown(error.detail)}` is not a list I know.",
        errors.Problem.BAD_OPTIONS: "I could not read the options after the name.",
        errors.Problem.BAD_REFERENCE: f"`{_shown(error.detail)}` is not a promise number.",
        errors.Problem.MISSING_NOTE: "What was said? Add a note after the client's name.",
        errors.Problem.MISSING_PROMISE: "What did we promise? Add it between the client's name and `by`.",
        errors.Problem.MISSING_ALIAS: "Which other name? Add it after the client's name.",
        errors.Problem.BAD_CHANNEL: f"`{_shown(error.detail)}` is not a channel: pick one with `#` so Slack links it.",
        errors.Problem.MISSING_TEAM: "Who did the work? Name the team members after `team`.",
        errors.Problem.MISSING_CLIENT_SIDE: "Who answers for the client? Name them after `client`.",
        errors.Problem.BOTH_SIDES: f"{mention(error.detail)} can't be on both sides: the point is to compare two "
        "views.",
        errors.Problem.UNKNOWN_ITEM: "That survey has no such item.",
        errors.Problem.BAD_PERSON: f"`{_shown(error.detail)}` is not a person: pick them with `@` so Slack links "
        "them, or give their email address.",
    }.get(error.problem, "That does not look right.")
    return f"{lead}\n{usage(error.subcommand)}"


@error_text.register
def _unknown_client(error: errors.UnknownClient) -> str:
    if not error.query:
        return "Which client? Give its name or the start of it."
    text = f"I don't know a client called *{_shown(error.query)}*."
    if error.suggestions:
        text += f" Did you mean {_did_you_mean(error.suggestions)}?"
    else:
        text += " Add it with `/client add <name>`, or see them all with `/client list`."
    return f"{text} {NOTHING_CHANGED}"


@error_text.register
def _ambiguous_client(error: errors.AmbiguousClient) -> str:
    shown = error.candidates[:5]
    more = len(error.candidates) - len(shown)
    tail = f" (and {more} more)" if more > 0 else ""
    return (
        f"*{_shown(error.query)}* could be {_did_you_mean(shown)}{tail}. Did you mean one of them? "
        f'Type more of the name, or quote it: `"Full Name"`. {NOTHING_CHANGED}'
    )


@error_text.register
def _client_exists(error: errors.ClientExists) -> str:
    if error.existing.casefold() == error.name.casefold():
        return f"There is already a client called *{error.existing}*. {NOTHING_CHANGED}"
    return f"*{error.name}* is already another name of *{error.existing}*. {NOTHING_CHANGED}"


@error_text.register
def _too_long(error: errors.TooLong) -> str:
    return f"The {error.what} is too long: {error.length} characters, {error.limit} at most. {NOTHING_CHANGED}"


@error_text.register
def _unreadable_text(error: errors.UnreadableText) -> str:
    broken = 0xD800 <= error.code_point <= 0xDFFF  # half of a character: text cut in the middle of an emoji
    kind = "a broken character" if broken else "an invisible control character"
    return (
        f"The {error.what} holds {kind} (U+{error.code_point:04X}) that I can't store. "
        f"Type it again without it, or paste it as plain text. {NOTHING_CHANGED}"
    )


@error_text.register
def _empty(error: errors.Empty) -> str:
    return f"The {error.what} is empty. {NOTHING_CHANGED}"


@error_text.register
def _invalid_date(error: errors.InvalidDate) -> str:
    return (
        f"I can't read *{_shown(error.text)}* as a date. Try `2026-12-01`, `tomorrow`, `friday`, `next week`, "
        f"`in 3 days` or `20 Dec`. {NOTHING_CHANGED}"
    )


@error_text.register
def _past_date(error: errors.PastDate) -> str:
    return f"{day(error.when)} has already passed: a promise needs a date from today on. {NOTHING_CHANGED}"


@error_text.register
def _invalid_setting(error: errors.InvalidSetting) -> str:
    hint = {
        ConfigSetting.HOURS: "Use `HH:MM-HH:MM` with the start before the end, e.g. `08:00-16:00`.",
        ConfigSetting.DAYS: "Use day names or ranges, e.g. `mon-fri` or `sun-thu` or `mon,wed,fri`.",
        ConfigSetting.DIGEST: "Use people, then a day and a time: `/client config digest @dana @sam mon 09:00`.",
    }.get(error.setting, "")
    return f"*{_shown(error.text)}* is not a value for {error.setting}. {hint} {NOTHING_CHANGED}"


@error_text.register
def _nudge_already_answered(error: errors.NudgeAlreadyAnswered) -> str:
    if error.answered_by:
        return f"{mention(error.answered_by)} already answered this one. Nothing was changed."
    return "This one is already taken care of. Nothing was changed."


@error_text.register
def _unknown_nudge(error: errors.UnknownNudge) -> str:
    return f"I can't find that nudge any more. {NOTHING_CHANGED}"


@error_text.register
def _not_your_nudge(error: errors.NotYourNudge) -> str:
    return f"This nudge went to {mention(error.recipient_id)}: only they or the owner can answer it. {NOTHING_CHANGED}"


@error_text.register
def _not_yours(error: errors.NotYours) -> str:
    return f"Only the people who got these results, or the client's owner, can decide on them. {NOTHING_CHANGED}"


@error_text.register
def _not_invited(error: errors.NotInvited) -> str:
    return not_for_you()


@error_text.register
def _not_in_future(error: errors.NotInFuture) -> str:
    return f"The new date must be after today; {day(error.when)} is not. {NOTHING_CHANGED}"


@error_text.register
def _unknown_survey(error: errors.UnknownSurvey) -> str:
    return f"I can't find survey {_shown(error.ref)}. `/client surveys` lists them. {NOTHING_CHANGED}"


@error_text.register
def _date_too_far(error: errors.DateTooFar) -> str:
    return f"{day(error.when)} {error.when.year} is more than three years away: is it a typo? {NOTHING_CHANGED}"


@error_text.register
def _future_date(error: errors.FutureDate) -> str:
    return (
        f"{day(error.when, today=error.today)} is still to come: log a contact for the day it happened, today or "
        f"earlier. {NOTHING_CHANGED}\n{usage(Subcommand.LOG)}"
    )


@error_text.register
def _date_too_old(error: errors.DateTooOld) -> str:
    return (
        f"{day(error.when)} {error.when.year} is more than a year ago: the earliest day I can log a contact for is "
        f"{day(error.earliest)} {error.earliest.year}. Is it a typo? {NOTHING_CHANGED}\n{usage(Subcommand.LOG)}"
    )


@error_text.register
def _invalid_cadence(error: errors.InvalidCadence) -> str:
    return (
        f"*{_shown(error.text)}* is not a cadence I understand: use days or weeks, from `1d` to `365d` "
        f"(for example `14d` or `2w`). {NOTHING_CHANGED}"
    )


@error_text.register
def _unknown_promise(error: errors.UnknownPromise) -> str:
    return (
        f"There is no promise {_shown(error.ref)} in this workspace. `/client show <client>` lists promises "
        f"with their numbers. {NOTHING_CHANGED}"
    )


@error_text.register
def _promise_already_done(error: errors.PromiseAlreadyDone) -> str:
    by = f" by {mention(error.done_by)}" if error.done_by else ""
    return f"Promise #{error.promise_id} was already marked done{by}. {NOTHING_CHANGED}"


@error_text.register
def _not_a_person(error: errors.NotAPerson) -> str:
    why = {
        errors.WhyNot.BOT: "is a bot",
        errors.WhyNot.DEACTIVATED: "is deactivated",
        errors.WhyNot.EXTERNAL: "is not a member of this workspace",
    }.get(error.reason, "is not someone I can find in Slack")
    return f"{mention(error.user_id)} {why}, so they can't own a client or a promise. {NOTHING_CHANGED}"


@error_text.register
def _key_needs_cadence(error: errors.KeyNeedsCadence) -> str:
    return (
        f"*{error.client}* is a key client, and key clients always have a cadence. Turn the flag off first "
        f"(`/client key {error.client} off`). {NOTHING_CHANGED}"
    )


@error_text.register
def _invalid_reply_time(error: errors.InvalidReplyTime) -> str:
    return (
        f"*{_shown(error.text)}* is not a reply time I understand: working hours from `1h` to `40h`, working days "
        f"from `1d` to `20d`, or `off` (for example `4h` or `2d`). {NOTHING_CHANGED}"
    )


@error_text.register
def _channel_taken(error: errors.ChannelTaken) -> str:
    return (
        f"{channel(error.channel_id)} is linked to *{error.client}* already, and a channel belongs to one client. "
        f"Unlink it there first (`/client channel {error.client} off #channel`). {NOTHING_CHANGED}"
    )


@error_text.register
def _not_client_side(error: errors.NotClientSide) -> str:
    why = {
        errors.WhyNot.MEMBER: "is a member of this workspace, so their messages count as the team's",
        errors.WhyNot.BOT: "is a bot",
        errors.WhyNot.DEACTIVATED: "is deactivated",
    }.get(error.reason, "is not someone I can find in Slack")
    return (
        f"{mention(error.user_id)} {why}: a client's people are guests of this workspace or Slack Connect members "
        f"from the client's own Slack. {NOTHING_CHANGED}"
    )


@error_text.register
def _person_taken(error: errors.PersonTaken) -> str:
    return (
        f"{mention(error.user_id)} is one of *{error.client}*'s people already, and someone is at one client. "
        f"Remove them there first (`/client person {error.client} off @someone`). {NOTHING_CHANGED}"
    )


@error_text.register
def _invalid_address(error: errors.InvalidAddress) -> str:
    lead = {
        errors.AddressProblem.DISPLAY_NAME: f"Give the address alone, and the name after it: `{_shown(error.text)}` "
        "is more than an address.",
        errors.AddressProblem.TOO_LONG: f"`{_shown(error.text)}` is longer than an email address can be (254 "
        "characters).",
    }.get(error.problem, f"`{_shown(error.text)}` is not an email address: it needs a name, an `@` and a domain, as "
          "in `jo@acme.com`.")  # fmt: skip
    return f"{lead} {NOTHING_CHANGED}\n{usage(Subcommand.PERSON)}"


@error_text.register
def _invalid_domain(error: errors.InvalidDomain) -> str:
    text = f"`{_shown(error.text)}`"
    lead = {
        errors.DomainProblem.NO_DOT: f"{text} is not a domain: a domain has a dot, as in `acme.com`.",
        errors.DomainProblem.ADDRESS: f"{text} is an email address: add that person with `/client person <client> "
        f"{_shown(error.text)}`, or give the domain alone.",
        errors.DomainProblem.URL: f"{text} is a web address: give the domain alone, as in people's email addresses.",
        errors.DomainProblem.WEBSITE: f"{text} is a website's name: people's addresses are rarely at `www.`.",
    }.get(error.problem, f"{text} is not a domain: letters, digits and hyphens between dots, as in `acme.com`.")
    hint = f" Did you mean `{shown_domain(error.suggestion)}`?" if error.suggestion else ""
    return f"{lead}{hint} {NOTHING_CHANGED}\n{usage(Subcommand.DOMAIN)}"


@error_text.register
def _public_mail_domain(error: errors.PublicMailDomain) -> str:
    return (
        f"Everyone can have a {shown_domain(error.domain)} address, so it does not tell who is at a client: add the "
        f"people instead (`/client person <client> jo@{shown_domain(error.domain)}`). {NOTHING_CHANGED}"
    )


@error_text.register
def _address_taken(error: errors.AddressTaken) -> str:
    address = shown_address(error.email)
    return (
        f"{address} is one of *{error.client}*'s people already, and someone is at one client. Remove them there "
        f"first (`/client person {error.client} off {address}`). {NOTHING_CHANGED}"
    )


@error_text.register
def _domain_taken(error: errors.DomainTaken) -> str:
    domain = shown_domain(error.domain)
    return (
        f"{domain} is *{error.client}*'s already, and a domain belongs to one client. Remove it there first "
        f"(`/client domain {error.client} off {domain}`), or add the people you mean one by one. {NOTHING_CHANGED}"
    )


@error_text.register
def _ambiguous_person(error: errors.AmbiguousPerson) -> str:
    addresses = ", ".join(shown_address(e) for e in error.emails[:5])
    return f"Several people are called {_shown(error.name)} ({addresses}): name the one by address. {NOTHING_CHANGED}"


@error_text.register
def _team_address(error: errors.TeamAddress) -> str:
    if "@" in error.text:
        return (
            f"{shown_address(error.text)} is {mention(error.user_id)}'s address: a teammate is never one of a client's "
            f"people. {NOTHING_CHANGED}"
        )
    return (
        f"{shown_domain(error.text)} is the team's own: {mention(error.user_id)}'s address is there. A client's domain "
        f"is where the client's people have their addresses. {NOTHING_CHANGED}"
    )


FEED_PROBLEMS = {
    errors.FeedProblem.BAD_ADDRESS: "that is not a calendar address I can read: it must start with `https://` (or "
    "`webcal://`), with no user name or password in it.",
    errors.FeedProblem.PRIVATE: "its address is on a private network (loopback, private, link-local or reserved), "
    "which I don't read unless whoever runs rapport sets CALENDAR_ALLOW_PRIVATE.",
    errors.FeedProblem.UNRESOLVABLE: "its host name does not resolve.",
    errors.FeedProblem.REFUSED: "its server refused the address: the secret address may have been reset, or the "
    "calendar is no longer shared.",
    errors.FeedProblem.HTTP: "its server answered with an error.",
    errors.FeedProblem.REDIRECTS: "it redirects too often, or to an address that is not https.",
    errors.FeedProblem.TOO_BIG: "it is larger than 5 MB.",
    errors.FeedProblem.TIMEOUT: "its server took too long to answer.",
    errors.FeedProblem.TLS: "its server's certificate is not one I trust.",
    errors.FeedProblem.NETWORK: "I could not connect to its server.",
    errors.FeedProblem.NOT_ICALENDAR: "what it sends is not an iCalendar (.ics) feed.",
}


def feed_problem(error: errors.FeedFailed) -> str:
    """Why a calendar feed cannot be read, as a sentence (with the HTTP status when there was one)."""
    status = f" (HTTP {error.status})" if error.status is not None else ""
    text = FEED_PROBLEMS[error.problem]
    return text[:-1] + status + "." if status else text


@error_text.register
def _feed_failed(error: errors.FeedFailed) -> str:
    return f"I can't use that calendar: {feed_problem(error)} {NOTHING_CHANGED}"


@error_text.register
def _no_calendar(error: errors.NoCalendar) -> str:
    return f"You have no calendar connected: `/client calendar <https address>` connects one. {NOTHING_CHANGED}"


def unexpected_text(error_id: str) -> str:
    """For a failure we did not foresee: the id to quote when reporting it."""
    return (
        f"Sorry, something went wrong on our side (error id `{error_id}`). {NOTHING_CHANGED} "
        "Please try again; if it keeps happening, send the id to whoever runs rapport."
    )


def pick_a_client_text() -> str:
    """The modal's client picker was left empty or holds a client that is gone."""
    return "Pick a client from the list (type part of its name)."


def busy_text() -> str:
    """Slack is so slow that work is piling up: nothing was done, and trying again later will work."""
    return f"rapport is very busy right now (Slack is slow to answer). {NOTHING_CHANGED} Please try again in a minute."


@error_text.register
def _not_your_home_item(error: errors.UnknownHomeItem | errors.NotYourHomeItem) -> str:
    if isinstance(error, errors.UnknownHomeItem):
        return f"I can't find that any more: it may have been deleted. {NOTHING_CHANGED}"
    whose = f"{mention(error.owner_id)}'s" if error.owner_id else "its owner's"
    return f"That is {whose} to answer. {NOTHING_CHANGED}"
