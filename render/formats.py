"""Small formatting helpers: mentions, dates in the reader's time zone, safe mrkdwn."""

from __future__ import annotations

import re
from datetime import date, datetime

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from domain.dates import zone
from domain.languages import Language
from render.i18n import _, current, locale, n_

SLACK_TOKEN = re.compile(r"<(?:[@#][^<>\s]+|(?:https?|mailto):[^<>\s]+)>")
# Slack's special mentions, as it sends @channel, @here, @everyone and @group in text: they notify many people.
BROADCAST = re.compile(r"<!(channel|here|everyone)(?:\|[^<>]*)?>", re.IGNORECASE)
GROUP = re.compile(r"<!subteam\^[^<>|]*(?:\|([^<>]*))?>")
SPECIAL = re.compile(r"<!(?!date\^)([^<>|]*)(?:\|([^<>]*))?>")  # any other <!…> but dates, which notify nobody
TYPED = re.compile(r"(?<![\w@])@(channel|here|everyone)\b", re.IGNORECASE)  # Slack may parse these when typed
WORD_JOINER = "\u2060"  # invisible: "@\u2060here" reads as @here, and Slack cannot take it for a mention


def mention(user_id: str | None) -> str:
    """A Slack mention, or a dash for nobody."""
    return f"<@{user_id}>" if user_id else _("nobody")


def channel(channel_id: str | None) -> str:
    """A channel link."""
    return f"<#{channel_id}>" if channel_id else ""


def day(value: date, *, today: date | None = None) -> str:
    """`Fri 20 Nov` (`pt. 20 lis`, `пт 20 нояб.`), with the year when it is not the reader's current year."""
    if current() is Language.EN:  # what English readers have always read, whatever Babel's data says
        text = f"{value:%a} {value.day} {value:%b}"
        return text if today is None or value.year == today.year else f"{text} {value.year}"
    pattern = "EEE d MMM" if today is None or value.year == today.year else "EEE d MMM y"
    return format_date(value, pattern, locale=locale())


def language_name(language: Language) -> str:
    """A language by its own name: English, polski, русский."""
    return str(Locale.parse(language.value).get_display_name(language.value))


def weekday(value: date) -> str:
    """The day's whole name in the reader's language: `Friday`, `piątek`, `пятница`."""
    return format_date(value, "EEEE", locale=locale())


def number(value: float, digits: int = 1) -> str:
    """A number for the reader: `3.5`, `3,5`."""
    return format_decimal(round(value, digits), format=f"#,##0.{'#' * digits}" if digits else "#,##0", locale=locale())


def day_of(value: datetime, tz: str | None, *, today: date | None = None) -> str:
    """The reader's calendar day of a UTC timestamp, as `Fri 20 Nov`."""
    return day(value.astimezone(zone(tz)).date(), today=today)


def moment(value: datetime, tz: str | None, *, today: date | None = None) -> str:
    """`Fri 20 Nov 14:05` in the reader's time zone."""
    local = value.astimezone(zone(tz))
    return f"{day(local.date(), today=today)} {local:%H:%M}"


def escape(text: str) -> str:
    """Plain text (from a modal input) made safe for mrkdwn, keeping mentions, channels and links."""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    text = SLACK_TOKEN.sub(keep, text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], text)


def harmless(text: str) -> str:
    """User text that reads as typed (@channel, @here, @everyone, @group) but notifies nobody.

    Slack turns what people type into `<!here>` or `<!subteam^S1|@design>`; echoed into a message, that pings
    everyone. Each becomes its label with an invisible word joiner after the @, which Slack cannot parse.
    """
    while True:  # until nothing changes: taking one token apart must not leave another behind
        before = text
        text = BROADCAST.sub(lambda m: f"@{WORD_JOINER}{m.group(1).lower()}", text)
        text = GROUP.sub(lambda m: f"@{WORD_JOINER}{(m.group(1) or 'group').lstrip('@')}", text)
        text = SPECIAL.sub(lambda m: m.group(2) or m.group(1), text)
        text = TYPED.sub(lambda m: f"@{WORD_JOINER}{m.group(1)}", text)
        if text == before:
            return text


def unescape(text: str) -> str:
    """mrkdwn text as plain text (for inputs and CSV)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def one_line(text: str, limit: int = 120) -> str:
    """A note as one short line, for timelines."""
    return clip(" ".join(text.split()), limit)


def days(count: int) -> str:
    """`1 day`, `3 days` (`3 dni`, `3 дня`)."""
    return n_("{count} day", "{count} days", count)


def weeks(count: int) -> str:
    """`1 week`, `3 weeks`."""
    return n_("{count} week", "{count} weeks", count)


def cadence(days: int | None) -> str:
    """`every 2 weeks`, `every 10 days`, or `no cadence`."""
    if days is None:
        return _("no cadence")
    if days % 7 == 0:
        return n_("every {count} week", "every {count} weeks", days // 7) if days != 7 else _("every week")
    return n_("every {count} day", "every {count} days", days) if days != 1 else _("every day")
