"""Working days as a reader reads them: `mon-fri` in English (as typed in `/client config days`), else the
language's own day names (`pon.`, `пт`), a range joined by an en dash."""

from __future__ import annotations

from babel.dates import get_day_names

from domain.hours import days_text
from domain.languages import Language
from render.i18n import current, locale

EN_DASH = "\u2013"


def working_days(days: frozenset[int]) -> str:
    """Weekday numbers (0 = Monday) as a range when they follow each other (three or more), else a list."""
    if current() is Language.EN:  # the very keywords `/client config days` takes
        return days_text(days)
    names = get_day_names("abbreviated", locale=locale())
    ordered = sorted(days)
    if ordered and ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return f"{names[ordered[0]]}{EN_DASH}{names[ordered[-1]]}"
    return ", ".join(names[d] for d in ordered)
