"""Dates from what people type, in the user's own time zone: when a promise is due (today or later), and the day
a contact happened (today or up to a year back), as ISO dates and natural words."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import DateTooFar, DateTooOld, FutureDate, InvalidDate, PastDate

WEEKDAYS = {
    name: index
    for index, names in enumerate(
        [("mon", "monday"), ("tue", "tues", "tuesday"), ("wed", "wednesday"), ("thu", "thur", "thurs", "thursday"),
         ("fri", "friday"), ("sat", "saturday"), ("sun", "sunday")]
    )
    for name in names
}  # fmt: skip
# Polish and Russian words, understood whatever the reader's language (none of them is an English word): weekdays
# in the nominative and in the accusative that follows "w"/"we" and "в"/"во" ("w środę", "в пятницу"); Polish
# also without its diacritics, as people type it on an English keyboard.
WEEKDAY_WORDS = {
    name: index
    for index, names in enumerate(
        [("poniedziałek", "poniedzialek", "понедельник"),
         ("wtorek", "вторник"),
         ("środa", "środę", "sroda", "srode", "среда", "среду"),
         ("czwartek", "четверг"),
         ("piątek", "piatek", "пятница", "пятницу"),
         ("sobota", "sobotę", "sobote", "суббота", "субботу"),
         ("niedziela", "niedzielę", "niedziele", "воскресенье")]
    )
    for name in names
}  # fmt: skip
ON = ("w", "we", "в", "во")  # "w piątek", "we wtorek", "в пятницу", "во вторник"
THIS = ("ten", "tę", "te", "этот", "эту", "это")  # "w ten piątek", "в эту пятницу"
NEXT = ("przyszły", "przyszła", "przyszłą", "przyszly", "przyszla", "następny", "następna", "następną", "nastepny",
        "nastepna", "nastepna", "следующий", "следующая", "следующую", "следующее")  # fmt: skip
LAST = ("zeszły", "zeszła", "zeszłą", "zeszly", "zeszla", "ubiegły", "ubiegła", "ubiegłą", "ostatni", "ostatnia",
        "ostatnią", "прошлый", "прошлая", "прошлую", "прошлое")  # fmt: skip
DAYS_AHEAD = {"dziś": 0, "dzisiaj": 0, "dzis": 0, "jutro": 1, "na jutro": 1, "do jutra": 1, "pojutrze": 2,
              "сегодня": 0, "завтра": 1, "на завтра": 1, "послезавтра": 2}  # fmt: skip
DAYS_BACK = {"dziś": 0, "dzisiaj": 0, "dzis": 0, "wczoraj": 1, "przedwczoraj": 2, "сегодня": 0, "вчера": 1,
             "позавчера": 2}  # fmt: skip
NEXT_WEEK = ("przyszły tydzień", "przyszly tydzien", "w przyszłym tygodniu", "w przyszlym tygodniu",
             "następny tydzień", "w następnym tygodniu", "na następny tydzień", "na przyszły tydzień",
             "на следующей неделе", "следующая неделя", "на следующую неделю")  # fmt: skip
END_OF_WEEK = ("koniec tygodnia", "na koniec tygodnia", "pod koniec tygodnia", "do końca tygodnia",
               "do konca tygodnia", "в конце недели", "конец недели", "к концу недели", "до конца недели")  # fmt: skip
NEXT_MONTH = ("w przyszłym miesiącu", "przyszły miesiąc", "w następnym miesiącu", "в следующем месяце",
              "следующий месяц")  # fmt: skip
# "za 3 dni", "za tydzień", "za 2 tygodnie"; "через 3 дня", "через неделю", "через 2 недели" (1 without a number).
SPANS = r"(dzień|dzien|dni|tydzień|tydzien|tygodnie|tygodni|день|дня|дней|неделю|недели|недель)"
AHEAD_N = re.compile(rf"^(?:za|через)\s+(?:([0-9]{{1,3}})\s+)?{SPANS}$")
# "3 dni temu", "tydzień temu"; "3 дня назад", "неделю назад".
BACK_N = re.compile(rf"^(?:([0-9]{{1,3}})\s+)?{SPANS}\s+(?:temu|назад)$")
WEEK_WORDS = ("tydzień", "tydzien", "tygodnie", "tygodni", "неделю", "недели", "недель")
ONE = ("dzień", "dzien", "tydzień", "tydzien", "день", "неделю")  # "za tydzień", "через неделю": one, unnumbered
ISO = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")  # ASCII digits only, as everywhere we read numbers
IN_N = re.compile(r"^(?:in\s+)?([0-9]{1,3})\s*(d|days?|w|weeks?)$")
MAX_AHEAD = timedelta(days=3 * 366)
DATE_TEXT_MAX = 60  # "the first Monday of December 2027" fits; longer text is no date, and dateparser is slow on it
SLIP_AHEAD = timedelta(days=31)  # "25 Nov" typed on 22 Nov for a past contact: a slip, not a day a year ago
CONTACT_HOUR = time(12)  # a contact on an earlier day is stored at noon there (see contact_time)


def zone(name: str | None) -> ZoneInfo:
    """The named IANA zone, or UTC when Slack gave none or one we do not know."""
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_today(now: datetime, tz: str | None) -> date:
    """The calendar date at `now` in time zone `tz`."""
    return now.astimezone(zone(tz)).date()


def parse_due_date(text: str, *, today: date) -> date:
    """Parse a due date relative to `today` (the user's local date); past or unreadable dates raise."""
    words = " ".join(text.lower().split())
    due = _parse(words, today) if len(words) <= DATE_TEXT_MAX else None
    if due is None:
        raise InvalidDate(text)
    if due - today > MAX_AHEAD:
        raise DateTooFar(due)
    if due < today:
        raise PastDate(due)
    return due


def _parse(text: str, today: date) -> date | None:
    if ISO.match(text):
        return _iso(text)
    simple = {"today": 0, "tod": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1}
    if text in simple:
        return today + timedelta(days=simple[text])
    if text in ("next week", "next monday"):
        return today + timedelta(days=7 - today.weekday())
    if text in ("end of week", "eow", "end of the week"):
        return today + timedelta(days=(4 - today.weekday()) % 7)
    if text == "next month" or text in NEXT_MONTH:
        return (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    spoken = _words_ahead(text, today)
    if spoken is not None:
        return spoken
    match = IN_N.match(text)
    if match:
        count = int(match.group(1))
        return today + timedelta(days=count * 7 if match.group(2).startswith("w") else count)
    words = text.removeprefix("this ").split()
    if len(words) == 1 and words[0] in WEEKDAYS:
        return _next_weekday(today, WEEKDAYS[words[0]])
    if len(words) == 2 and words[0] == "next" and words[1] in WEEKDAYS:
        # "next friday": the Friday of next week, not the coming one.
        monday = today + timedelta(days=7 - today.weekday())
        return monday + timedelta(days=WEEKDAYS[words[1]])
    return _dateparser(text, today)


def _words_ahead(text: str, today: date) -> date | None:
    """A due date in Polish or Russian words ("jutro", "w piątek", "через неделю"), or None."""
    if text in DAYS_AHEAD:
        return today + timedelta(days=DAYS_AHEAD[text])
    if text in NEXT_WEEK:
        return today + timedelta(days=7 - today.weekday())
    if text in END_OF_WEEK:
        return today + timedelta(days=(4 - today.weekday()) % 7)
    span = _span(AHEAD_N.match(text))
    if span is not None:
        return today + span
    words = _without(text.split(), ON)
    words = _without(words, THIS)
    if len(words) == 1 and words[0] in WEEKDAY_WORDS:
        return _next_weekday(today, WEEKDAY_WORDS[words[0]])
    if len(words) == 2 and words[0] in NEXT and words[1] in WEEKDAY_WORDS:  # the day of next week, as "next friday"
        return today + timedelta(days=7 - today.weekday() + WEEKDAY_WORDS[words[1]])
    return None


def _words_back(text: str, today: date) -> date | None:
    """A contact day in Polish or Russian words ("wczoraj", "w piątek", "3 дня назад"), or None."""
    if text in DAYS_BACK:
        return today - timedelta(days=DAYS_BACK[text])
    span = _span(BACK_N.match(text))
    if span is not None:
        return today - span
    words = _without(text.split(), ON)
    if len(words) == 1 and words[0] in WEEKDAY_WORDS:  # the latest one: today on that weekday
        return today - timedelta(days=(today.weekday() - WEEKDAY_WORDS[words[0]]) % 7)
    if len(words) == 2 and words[0] in LAST and words[1] in WEEKDAY_WORDS:  # the one before today
        return today - timedelta(days=(today.weekday() - WEEKDAY_WORDS[words[1]] - 1) % 7 + 1)
    return None


def _span(match: re.Match[str] | None) -> timedelta | None:
    """The days of "3 dni", "неделю" (a missing number is one, with a word in the singular only)."""
    if match is None or (match.group(1) is None and match.group(2) not in ONE):
        return None
    count = int(match.group(1) or 1)
    return timedelta(days=count * 7 if match.group(2) in WEEK_WORDS else count)


def _without(words: list[str], first: tuple[str, ...]) -> list[str]:
    """`words` without a leading word of `first`, when more follow it."""
    return words[1:] if len(words) > 1 and words[0] in first else words


def _iso(text: str) -> date | None:
    """`2026-11-20`, or None for a day that does not exist (never handed to dateparser, which reads 2026-13-01)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _next_weekday(today: date, weekday: int) -> date:
    """The first `weekday` after today (saying "friday" on a Friday means a week later)."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _dateparser(text: str, today: date) -> date | None:
    """Everything else ("20 Nov", "December 3rd", "in 10 days") via dateparser, preferring the future."""
    result = _read(text, today, prefer="future", day_of_month="first")
    if result is None:
        return None
    if not re.search(r"\b\d{4}\b", text) and result - today > timedelta(days=300):
        # "20 Nov" typed on 22 Nov means two days ago (a mistake to report), not next year.
        try:
            last_year = result.replace(year=result.year - 1)
        except ValueError:  # 29 Feb
            return result
        if today - last_year <= timedelta(days=90):
            return last_year
    return result


def _read(text: str, today: date, *, prefer: str, day_of_month: str) -> date | None:
    """What dateparser reads in `text` (a day and a month at least), relative to `today`; None for no date.

    English first, as always; else Polish or Russian ("20 listopada", "3 grudnia 2026", "20 ноября").
    """
    for languages in (["en"], ["pl", "ru"]):
        found = _read_in(languages, text, today, prefer=prefer, day_of_month=day_of_month)
        if found is not None:
            return found
    return None


def _read_in(languages: list[str], text: str, today: date, *, prefer: str, day_of_month: str) -> date | None:
    import dateparser  # imported lazily: it is slow to import and rarely needed

    try:
        parsed = dateparser.parse(
            text,
            languages=languages,
            settings={
                "PREFER_DATES_FROM": prefer,
                "RELATIVE_BASE": datetime(today.year, today.month, today.day, 12, 0),
                "PREFER_DAY_OF_MONTH": day_of_month,
                "REQUIRE_PARTS": ["day", "month"],
                "RETURN_AS_TIMEZONE_AWARE": False,
            },
        )
    except Exception:  # dateparser fails in its own ways on odd text (overflows, bad days): all mean "not a date"
        return None
    return parsed.date() if parsed is not None else None


# Contacts: the day a contact happened --------------------------------------------------------------------------


def parse_past_date(text: str, *, today: date) -> date:
    """Parse the day a contact happened, relative to `today` (the user's local date): today or up to a year back.

    `today`, `yesterday`, `friday`, `fri` or `on friday` (the latest Friday: today on a Friday), `last friday`
    (the one before today: a week ago on a Friday), `2026-11-20`, and what dateparser reads looking back ("20 Nov",
    "3 days ago", "last night"; a time of day in it is ignored). "this friday" is no date here: it mostly means one
    to come. Unreadable text raises InvalidDate, a day after today FutureDate, one before a_year_before(today)
    DateTooOld.
    """
    words = " ".join(text.lower().split())
    day = _parse_past(words, today) if len(words) <= DATE_TEXT_MAX else None
    if day is None:
        raise InvalidDate(text)
    if day > today:
        raise FutureDate(day, today)
    if day < a_year_before(today):
        raise DateTooOld(day, a_year_before(today))
    return day


def a_year_before(today: date) -> date:
    """The same date a year earlier (28 Feb for 29 Feb): 365 days back, or 366 when a 29 February lies between."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def _parse_past(text: str, today: date) -> date | None:
    if ISO.match(text):
        return _iso(text)
    if text in ("today", "tod"):
        return today
    if text == "yesterday":
        return today - timedelta(days=1)
    words = text.removeprefix("on ").split()
    if len(words) == 1 and words[0] in WEEKDAYS:
        return today - timedelta(days=(today.weekday() - WEEKDAYS[words[0]]) % 7)
    if len(words) == 2 and words[0] == "last" and words[1] in WEEKDAYS:
        return today - timedelta(days=(today.weekday() - WEEKDAYS[words[1]] - 1) % 7 + 1)
    spoken = _words_back(text, today)
    if spoken is not None:
        return spoken
    latest = _read(text, today, prefer="past", day_of_month="current")
    if latest is None:
        return None
    coming = _read(text, today, prefer="future", day_of_month="current")
    if coming is not None and latest < coming <= today + SLIP_AHEAD:
        # A day and month without a year, a few days ahead ("25 Nov" on 22 Nov): reported as the future date it
        # most likely is, not logged for the same day last year. Relative words ("3 days ago") read the same both
        # ways; a typed year leaves no choice.
        return coming
    return latest


def split_dated_note(text: str, *, today: date) -> tuple[date, str]:
    """`<date>: <note>` is a note about that day (today or earlier); any other text is a note about today, as typed.

    Only the text before the first colon can be a date, and only when a space, a line break or nothing follows the
    colon, so times ("call at 10:30") and links ("https://…") are never read as dates. When that text is no date at
    all ("Re: invoice", "Note: x"), the whole text is the note, unchanged; when it is a date in the future or more
    than a year back, FutureDate or DateTooOld is raised.
    """
    prefix, colon, rest = text.partition(":")
    if not colon or (rest and not rest[0].isspace()):
        return today, text
    try:
        return parse_past_date(prefix, today=today), rest.strip()
    except InvalidDate:
        return today, text


def contact_time(day: date, *, now: datetime, tz: str | None) -> datetime:
    """When a contact on `day` (a date in time zone `tz`) happened, in UTC: `now` for today, else 12:00 there.

    Noon is inside that day in the user's zone, and as far from its edges as can be, so teammates up to 12 hours
    away see the same day on their screens too; it exists on every day (clocks change at night); and it claims no
    hour anybody told us: the reply shows only the day. Stored in UTC like every timestamp.
    """
    if day >= local_today(now, tz):
        return now
    return datetime.combine(day, CONTACT_HOUR, tzinfo=zone(tz)).astimezone(UTC)
