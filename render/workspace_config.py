"""The reply to `/client config`: the workspace's settings (team channel, working hours, holidays, language, digest)."""

from __future__ import annotations

from domain.commands import ConfigSetting, Subcommand
from domain.digests import DigestSchedule
from domain.holidays import Holidays
from domain.languages import Language
from domain.workspace import WorkspaceSettings
from render.blocks import Message, simple
from render.digest import schedule_line
from render.formats import channel, language_name
from render.help import USAGE
from render.hours import working_days
from render.i18n import _


def holiday_text(holidays: Holidays | None) -> str:
    """`PL (days off)` or `none`, for `/client config`."""
    return _("{code} (days off, unless someone set their own)", code=holidays.code) if holidays else _("none")


def workspace_language_line(language: Language | None) -> str:
    """The workspace's default language, for `/client config`."""
    if language is None:
        return _("*Language:* each person's Slack language (English when it is not one I speak)")
    return _("*Language:* {language}, unless someone chose their own", language=language_name(language))


def config_shown(
    settings: WorkspaceSettings, *, changed: ConfigSetting | None = None, joined: bool | None = None,
    digest: DigestSchedule | None = None,
) -> Message:  # fmt: skip
    """`/client config`: the team channel, the default working hours, and the weekly digest."""
    hours = settings.hours
    channel_text = (
        _("{channel} (its working hours in {tz})", channel=channel(settings.team_channel_id),
          tz=settings.team_channel_tz or "UTC")
        if settings.team_channel_id
        else _("none (nudges nobody can take go to whoever added the client)")
    )  # fmt: skip
    lines = [
        _("*Team channel:* {channel}", channel=channel_text),
        _("*Working hours:* {start}-{end} in each person's own time zone", start=hours.start.strftime("%H:%M"),
          end=hours.end.strftime("%H:%M")),
        _("*Working days:* {days}", days=working_days(hours.days)),
        _("*Public holidays:* {holidays}", holidays=holiday_text(hours.holidays)),
        workspace_language_line(settings.language),
        *([schedule_line(digest)] if digest is not None else []),
    ]  # fmt: skip
    lead = _("Saved the new {setting}.", setting=changed) + "\n" if changed else ""
    if joined is False:
        lead += (
            _(":warning: I could not join {channel}: please invite me there (`/invite @rapport`), so I can post and "
              "see the :raising_hand: reactions.", channel=channel(settings.team_channel_id))
            + "\n"
        )  # fmt: skip
    change = _("Change them with {config}; while you are away, {away}", config=USAGE[Subcommand.CONFIG],
               away=USAGE[Subcommand.AWAY])  # fmt: skip
    return simple(lead + "\n".join(lines) + "\n" + change)
