"""What rapport writes, in the reader's language: gettext catalogues (render/locale/<lang>/LC_MESSAGES/rapport.po).

A unit of work says whom it writes to with `speaking(language)`; the renderers translate with the language in
effect and never take it as an argument. Messages use named placeholders, filled after translation so that a
translation may reorder them: `_("*{client}* has no sponsor.", client=name)`. Plurals go through `n_`, whose
`{count}` is the number (Polish and Russian have three forms). `N_` only marks a constant for the catalogue; it
is translated where it is used, with `_(CONSTANT)`.

The catalogues are read from their .po files once per process (no compiled .mo file to keep in step).
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from domain.languages import DEFAULT, Language, spoken

__all__ = ["DOMAIN", "LOCALE_DIR", "N_", "Language", "_", "current", "locale", "n_", "p_", "speaking", "translations"]

DOMAIN = "rapport"
LOCALE_DIR = Path(__file__).with_name("locale")
_language: ContextVar[Language] = ContextVar("rapport_language", default=DEFAULT)


def current() -> Language:
    """The language in effect (English outside any `speaking`)."""
    return _language.get()


def locale() -> Locale:
    """Babel's locale of the language in effect, for dates and numbers."""
    return _locale(current())


@cache
def _locale(language: Language) -> Locale:
    return Locale.parse(language.value)


@contextmanager
def speaking(language: str | None) -> Iterator[Language]:
    """Write in `language` (a tag such as `ru` or `pl-PL`; English when it is one we do not speak) inside."""
    chosen = spoken(language) or DEFAULT
    token = _language.set(chosen)
    try:
        yield chosen
    finally:
        _language.reset(token)


@cache
def translations(language: Language) -> gettext.NullTranslations:
    """The language's catalogue (English: the messages as written)."""
    path = LOCALE_DIR / language.value / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language is DEFAULT or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language.value, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)  # a fuzzy guess is not a translation: English shows instead
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _(message: str, **values: Any) -> str:
    """`message` in the language in effect, its `{placeholders}` filled with `values`."""
    text = translations(current()).gettext(message)
    return text.format(**values) if values else text


def n_(singular: str, plural: str, count: int, **values: Any) -> str:
    """The form of the message for `count` in the language in effect; `{count}` is the number."""
    return translations(current()).ngettext(singular, plural, count).format(count=count, **values)


def p_(context: str, message: str, **values: Any) -> str:
    """`message` in a context (`button`, `menu`) where the same English word may need another translation."""
    text = translations(current()).pgettext(context, message)
    return text.format(**values) if values else text


def N_(message: str) -> str:
    """Mark a constant for the catalogue; translate it where it is used: `_(CONSTANT)`."""
    return message
