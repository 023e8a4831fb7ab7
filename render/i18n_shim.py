"""Stand-in for render/i18n.py until it lands on main: the same calls, English only. Removed at the merge."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_language: ContextVar[str] = ContextVar("language", default="en")


def _(message: str, **values: Any) -> str:
    return message.format(**values) if values else message


def n_(singular: str, plural: str, count: int, **values: Any) -> str:
    return (singular if count == 1 else plural).format(count=count, **values)


def p_(context: str, message: str, **values: Any) -> str:
    return _(message, **values)


@contextmanager
def speaking(language: str | None) -> Iterator[None]:
    token = _language.set(language or "en")
    try:
        yield
    finally:
        _language.reset(token)


def current() -> str:
    return _language.get()
