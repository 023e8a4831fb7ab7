"""What text we accept from people: printable, storable, and of a bounded length, the same on every database."""

from __future__ import annotations

import re

from domain.errors import TooLong, UnreadableText

# Every valid command is shorter than about 3,200 characters (a note of NOTE_MAX, 3,000, after a client's name).
# Up to four times that we still read the command, so that the usual mistake, a whole e-mail pasted as a note,
# is told the note's own limit; beyond it the command as a whole is refused before any parsing, which bounds the
# work of the grammar (some of it grows with the square of the number of words).
COMMAND_MAX = 12_000
ID_MAX = 2**31 - 1  # row ids are INTEGER: a larger number would make PostgreSQL fail instead of finding nothing

# Control characters (Unicode category Cc: U+0000-U+001F, U+007F-U+009F) and lone surrogates (U+D800-U+DFFF,
# which cannot be encoded at all). PostgreSQL refuses NUL in text; SQLite would store it: refuse both everywhere.
_MULTI_LINE_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_ONE_LINE_BAD = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def check_text(*, what: str, text: str, multi_line: bool = False) -> str:
    """`text` as given when it holds no control character (multi-line text may hold tabs and line breaks)."""
    found = (_MULTI_LINE_BAD if multi_line else _ONE_LINE_BAD).search(text)
    if found is not None:
        raise UnreadableText(what, ord(found.group()))
    return text


def one_line(*, what: str, text: str) -> str:
    """`text` with its runs of spaces, tabs and line breaks made one space; no other control character allowed."""
    return " ".join(check_text(what=what, text=text, multi_line=True).split())


def check_command(text: str) -> str:
    """The whole text of a command: not too long, and only characters a command can hold."""
    if len(text) > COMMAND_MAX:
        raise TooLong("command", COMMAND_MAX, len(text))
    return check_text(what="command", text=text, multi_line=True)


def ascii_number(text: str) -> int | None:
    """`text` as a whole number when it is plain ASCII digits (not ², ① or ٣), else None."""
    if not (text.isascii() and text.isdecimal()) or len(text) > 18:
        return None
    return int(text)


def valid_id(number: int) -> bool:
    """True when `number` can be a row id (a bigger one is unknown, not an error)."""
    return 0 < number <= ID_MAX
