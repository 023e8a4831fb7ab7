"""What teammates read about their calendar: connecting it, its settings, what a poll found, a feed that fails.

A feed's address is a secret: it is shown only as a hint (the scheme, the host and a plain file name such as
`basic.ics`), never in full, here or anywhere else.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from domain.commands import CalendarSetting, Subcommand
from domain.errors import FeedFailed, FeedProblem
from domain.meetings import Stored
from render.blocks import Message, simple
from render.errors import feed_problem
from render.formats import escape, moment, one_line
from render.help import USAGE
from render.i18n import _, n_, p_
from storage.calendar_models import TITLE_MAX, CalendarFeed

PLAIN_FILE = re.compile(r"^[A-Za-z_-]{1,30}\.ics$")  # basic.ics, calendar.ics: never a secret token


def hint(url: str) -> str:
    """`https://calendar.google.com/…/basic.ics`: enough to recognise a feed, never enough to read it."""
    parts = urlsplit(url)
    last = parts.path.rstrip("/").rpartition("/")[2]
    tail = f"/{last}" if PLAIN_FILE.match(last) else ""
    return f"https://{parts.hostname or '?'}/…{tail}"


def meeting_title(title: str) -> str:
    """A meeting's title as a contact note: one line, mrkdwn-safe (it comes from the calendar, as typed)."""
    return escape(one_line(title, TITLE_MAX - 20))


def connected(url: str) -> Message:
    """`/client calendar <url>`: connected; the first poll's outcome follows."""
    return simple(
        _(
            ":calendar: Connected your calendar `{hint}` (only you see this; I keep the address secret). "
            "I'm reading it now. Meetings with clients' people become contacts once they end; "
            "`/client calendar titles on` keeps their titles, `/client calendar brief on` sends you a brief "
            "15 minutes before each.",
            hint=hint(url),
        )
    )


def first_read(stored: Stored | None, logged: int, error: FeedFailed | None, dropped: bool = False) -> Message:
    """What the first poll found, or why it failed (and whether the address was kept)."""
    if error is not None:
        lead = _(":warning: I could not read your calendar: {problem}", problem=feed_problem(error))
        if dropped:
            then = _(
                "So I did not keep the address: check that it is the calendar's private iCal (.ics) address, "
                "and connect it again."
            )
        else:
            then = _("I'll keep trying every 15 minutes; `/client calendar off` disconnects it.")
        return simple(f"{lead} {then}")
    if stored is None:
        return simple(_("Your calendar is being read by the sweep right now; its meetings show up in a moment."))
    return simple(
        _(
            "Read {meetings} from a week ago to a week ahead, {with_clients} with clients; "
            "logged {contacts} for those that ended.",
            meetings=n_("{count} meeting", "{count} meetings", stored.read),
            with_clients=stored.with_clients,
            contacts=n_("{count} contact", "{count} contacts", logged),
        )
    )


def disconnected(existed: bool) -> Message:
    """`/client calendar off`."""
    if not existed:
        return simple(_("You have no calendar connected. Nothing was changed."))
    return simple(_("Disconnected your calendar and forgot its address. The contacts it logged stay."))


def setting_changed(feed: CalendarFeed, setting: CalendarSetting) -> Message:
    """`/client calendar titles|brief on|off`."""
    if setting == CalendarSetting.TITLES:
        if feed.titles:
            return simple(_("Meeting titles are now kept as the notes of the contacts they become."))
        return simple(_("Meeting titles are no longer kept: contacts from meetings say only that you met."))
    if feed.brief:
        return simple(_(":memo: You'll get a brief by DM 15 minutes before each meeting with a client."))
    return simple(_("No more briefs before meetings."))


def _yes(on: bool) -> str:
    return p_("setting", "yes") if on else p_("setting", "no")


def status(feed: CalendarFeed | None, *, tz: str | None, today: date) -> Message:
    """`/client calendar` alone."""
    if feed is None:
        return simple(_("You have no calendar connected.") + " " + USAGE[Subcommand.CALENDAR])
    lines = [
        _(":calendar: Your calendar: `{hint}`", hint=hint(feed.url)),
        _("*Titles kept:* {titles} · *Briefs before meetings:* {briefs}", titles=_yes(feed.titles),
          briefs=_yes(feed.brief)),
    ]  # fmt: skip
    if feed.polled_at is not None:
        lines.append(_("*Last read:* {moment}", moment=moment(feed.polled_at, tz, today=today)))
    if feed.last_error:
        lines.append(
            n_(
                ":warning: *Failing:* {count} read in a row: {problem}",
                ":warning: *Failing:* {count} reads in a row: {problem}",
                feed.failures,
                problem=_stored_problem(feed.last_error),
            )
        )
    return simple("\n".join(lines))


def _stored_problem(last_error: str) -> str:
    """A feed's stored error (`http 503`) as a sentence."""
    problem, _sep, status = last_error.partition(" ")
    try:
        return feed_problem(FeedFailed(FeedProblem(problem), int(status) if status.isdigit() else None))
    except ValueError:  # written by another version
        return last_error


def feed_failing(url: str, error: FeedFailed) -> Message:
    """The DM to a teammate whose calendar keeps failing (sent once, until it is read again)."""
    values = {"hint": hint(url), "problem": feed_problem(error)}
    if error.permanent:
        return simple(
            _(
                ":warning: I can't read your calendar `{hint}`: {problem} Meetings with clients won't be logged until "
                "it works. Connect it again with `/client calendar <new address>`, or `/client calendar off`.",
                **values,
            )
        )
    return simple(
        _(
            ":warning: I can't read your calendar `{hint}`: {problem} Meetings with clients won't be logged until "
            "it works. I'll keep trying, or `/client calendar off`.",
            **values,
        )
    )
