"""Any text at all gives a `/client` command or a usage message, never a crash: hypothesis makes up the inputs.

The strategies mix the grammar's own words and Slack's escapes (mentions, channels, `<!channel>`) with arbitrary
text, unicode digits, quotes, control characters and lone surrogates, so that most examples get past the first
word and exercise each subcommand's parser. Derandomized and without an example database: the same examples on
every run and in CI.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from domain.contacts import check_note
from domain.dates import parse_due_date
from domain.errors import RapportError
from domain.promises import check_promise_text
from domain.text import check_text, one_line
from handlers.commands import grammar
from render.errors import error_text

WORDS = [
    *grammar.SUBCOMMANDS, *grammar.LIST_FILTERS, *grammar.CONFIG_SETTINGS, "key", "every", "owner", "by", "on",
    "off", "none", "team", "client", "2w", "14d", "3", "weeks", "0", "#12", "12", "99999999999999", "-1", "1.5",
    "08:00-16:00", "25:00-26:00", "mon-fri", "sun,xyz", "tomorrow", "friday", "2026-02-30", "in 3 days", "Acme",
    "text", "4h", "40h", "2d", "21d", "hours", "day", "jo@acme.com", "Jo@Bücher.de", "jo@", "@acme.com", "acme.com",
    "www.acme.com", "gmail.com", "xn--mller-kva.de", "xn--zz.de", "https://acme.com/", "a..b", ".", "@",
]  # fmt: skip
TOKENS = [
    '"', "\u201c", "\u201d", "\u201e", "\u00ab", "\u00bb", "<@U123ABC>", "<@UBOB|bob>", "<@W1>", "<#C123ABC>",
    "<#C123|general>", "<!channel>", "<!here>", "<!everyone>", "<!subteam^S123|@team>", "&amp;", "&lt;", "&gt;",
    "\u00b2", "\u2460", "\u0663", "\uff11", "\u2167", "\x00", "\x1b", "\x7f", "\x85", "\r", "\ud800", "\udfff",
    "\n", "\t", "\u200b", "\U0001f600", "<mailto:jo@acme.com|jo@acme.com>", "<mailto:x>", "<http://acme.com|acme.com>",
    "<https://www.acme.com/a?b|x>", "&lt;jo@acme.com&gt;", "<mailto:|>", "<http:|",
]  # fmt: skip
ANY_CHARACTER = st.characters(exclude_categories=())  # surrogates and control characters included
SETTINGS = settings(
    max_examples=500, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)

digit_like = st.sampled_from(
    "\u00b2\u00b9\u2460\u2473\u0663\u06f5\u0e53\uff11\u2167\u2085"
)  # superscripts, circled, Arabic-Indic, Persian, Thai, fullwidth, Roman, subscript
numbers = st.text(digit_like | st.characters(categories=["Nd", "No", "Nl"]) | digit_like, min_size=1, max_size=3)
fragment = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(TOKENS),
    numbers,
    st.text(ANY_CHARACTER, max_size=6),
    st.from_regex(r"\A[0-9]{1,14}\Z"),
)
separator = st.sampled_from([" ", " ", " ", "", "  ", "\n", "\t"])
built = st.lists(st.tuples(fragment, separator), max_size=14).map(lambda parts: "".join(a + b for a, b in parts))
short = st.lists(fragment, min_size=1, max_size=3).map(" ".join)  # `done ²`, `cadence acme ①w`, `key x on`
subcommand = st.sampled_from(grammar.SUBCOMMANDS)
number_slot = st.sampled_from(
    ["done ", "done #", "cadence acme ", "add acme every ", "config hours 08:00-1", "reply acme ", "reply acme 1"]
)
command_text = st.one_of(
    st.tuples(number_slot, numbers).map("".join),  # where the grammar reads a number
    st.tuples(subcommand, short).map(" ".join),
    st.tuples(subcommand, built).map(" ".join),
    built,
    st.text(ANY_CHARACTER, max_size=60),
)


def _is_friendly(error: RapportError) -> None:
    """The error has a message of its own: not the generic fallback, and no error id."""
    assert error_text.dispatch(type(error)) is not error_text.dispatch(RapportError), type(error)
    message = error_text(error)
    assert message and "error id" not in message and "went wrong" not in message, message


@SETTINGS
@given(command_text)
@example("done \u00b2")  # the cases that gave an error id before: int() refuses what isdigit() accepts
@example("done #\u2460")
@example("done \u0663")
@example("add Acme every \u00b2w")
@example("log acme \x00")
@example("log acme \ud800")
def test_any_text_is_a_command_or_a_usage_message(text: str) -> None:
    try:
        command = grammar.parse(text)
    except RapportError as error:
        _is_friendly(error)
        return
    assert isinstance(command, grammar.Command)
    for value in _texts(command):  # what reaches the domain holds only characters we can store
        check_text(what="value", text=value, multi_line=True)
    if isinstance(command, grammar.Done):
        assert 0 <= command.promise_id < 10**12


def _texts(command: object) -> list[str]:
    found: list[str] = []
    for value in dataclasses.astuple(command):
        items = value if isinstance(value, tuple) else (value,)
        found.extend(item for item in items if isinstance(item, str))
    return found


@SETTINGS
@given(st.text(ANY_CHARACTER, max_size=80) | built)
def test_any_due_date_text_is_a_date_or_a_date_error(text: str) -> None:
    try:
        parse_due_date(text, today=date(2026, 11, 22))
    except RapportError as error:
        _is_friendly(error)


@SETTINGS
@given(st.text(ANY_CHARACTER, max_size=40) | built)
def test_free_text_checks_accept_or_refuse_with_a_message(text: str) -> None:
    for check in (
        lambda: check_note(text),
        lambda: check_promise_text(text),
        lambda: one_line(what="client name", text=text),
        lambda: grammar.parse_cadence(text),
    ):
        try:
            kept = check()
        except RapportError as error:
            _is_friendly(error)
            continue
        if isinstance(kept, str):
            kept.encode("utf-8")  # storable: no lone surrogate
            assert "\x00" not in kept
