"""What every error message shares: the one `error_text` (each kind of error registers its sentence), and the
closing "Nothing was changed."."""

from __future__ import annotations

from functools import singledispatch

from domain import errors
from render.i18n import N_, _

NOTHING_CHANGED = N_("Nothing was changed.")  # translate where used: _(NOTHING_CHANGED), or unchanged()
SHOWN_MAX = 100  # what we echo of someone's text: enough to recognise it, never enough to overflow a message


def shown(text: str) -> str:
    """Echoed user text, cut short when it is long (a whole pasted page must not become the error message)."""
    return text if len(text) <= SHOWN_MAX else text[: SHOWN_MAX - 1].rstrip() + "…"


def nothing_changed() -> str:
    """ "Nothing was changed.", in the reader's language."""
    return _(NOTHING_CHANGED)


def unchanged(*sentences: str) -> str:
    """Whole sentences, then "Nothing was changed."."""
    return " ".join([*sentences, nothing_changed()])


@singledispatch
def error_text(error: errors.RapportError) -> str:
    """The message for a domain error."""
    return unchanged(_("That did not work."))
