"""The `/client` grammar on its own: text in, a typed command (or a typed error) out. No database, no Slack."""

from __future__ import annotations

import pytest

from domain.errors import InvalidCadence, Problem, UsageError
from domain.survey_links import UnknownPageLanguage
from domain.surveys import ByEmail
from handlers.commands.grammar import (
    Add,
    AddAlias,
    Command,
    Done,
    Export,
    Help,
    ListClients,
    ListSurveys,
    Log,
    MakePromise,
    RemoveAlias,
    SetCadence,
    SetKey,
    SetOwner,
    Show,
    StartSurvey,
    Subject,
    parse,
    parse_cadence,
    tokenize,
    unquote,
    user_mention,
)


def usage_problem(text: str) -> tuple[str | None, str]:
    """The (subcommand, problem) of the UsageError that `text` raises."""
    with pytest.raises(UsageError) as caught:
        parse(text)
    return caught.value.subcommand, caught.value.problem


# help and the verb ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Help()),
        ("   \n\t ", Help()),
        ("help", Help()),
        ("HELP", Help()),
        ("help promise", Help("promise")),
        ("Help PROMISE", Help("promise")),
        ("help unalias", Help("unalias")),
        ("help frobnicate", Help()),
    ],
)
def test_help(text: str, expected: Command) -> None:
    assert parse(text) == expected


def test_the_verb_is_case_insensitive_and_may_be_surrounded_by_spaces() -> None:
    assert parse("  ADD   Acme  ") == Add("Acme")
    assert parse("Log acme hi") == Log(Subject(None, "acme hi"))


@pytest.mark.parametrize("text", ["frobnicate", "adds Acme", "delete Acme", "lst"])
def test_unknown_subcommand(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse(text)
    assert caught.value.subcommand is None
    assert caught.value.problem == "unknown_subcommand"
    assert caught.value.detail == text.split()[0]


def test_a_quoted_verb_is_not_a_verb() -> None:
    assert usage_problem('"add" Acme') == (None, "unknown_subcommand")


# add ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("add Acme", Add("Acme")),
        ("add Acme Corp", Add("Acme Corp")),
        ("add Acme   Corp  International", Add("Acme   Corp  International")),
        ('add "Acme Corp"', Add("Acme Corp")),
        ('add "  Acme Corp  "', Add("Acme Corp")),
        ("add \u201cAcme Corp\u201d", Add("Acme Corp")),
        ("add \u201eAcme Corp\u201c", Add("Acme Corp")),
        ("add \u00abAcme Corp\u00bb", Add("Acme Corp")),
        ('add "Acme Corp" key', Add("Acme Corp", key=True)),
        ("add Acme Corp key", Add("Acme Corp", key=True)),
        ("add Acme KEY", Add("Acme", key=True)),
        ("add Acme every 3w", Add("Acme", cadence_days=21)),
        ("add Acme every 10d", Add("Acme", cadence_days=10)),
        ("add Acme every 3 weeks", Add("Acme", cadence_days=21)),
        ("add Acme every 1 week", Add("Acme", cadence_days=7)),
        ("add Acme every 10 days", Add("Acme", cadence_days=10)),
        ("add Acme every 2W", Add("Acme", cadence_days=14)),
        ("add Acme owner <@UBOB>", Add("Acme", owner_id="UBOB")),
        ("add Acme owner <@UBOB|bob>", Add("Acme", owner_id="UBOB")),
        ("add Acme owner <@W0123ABC|dana>", Add("Acme", owner_id="W0123ABC")),
        (
            "add Acme Corp key every 3w owner <@UBOB|bob>",
            Add("Acme Corp", key=True, cadence_days=21, owner_id="UBOB"),
        ),
        ('add "Acme Corp" owner <@UBOB> every 2w key', Add("Acme Corp", key=True, cadence_days=14, owner_id="UBOB")),
        ("add Acme every 365d", Add("Acme", cadence_days=365)),
        ("add Acme every 52w", Add("Acme", cadence_days=364)),
    ],
)
def test_add(text: str, expected: Add) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # Option words that are not followed by a valid option belong to the name.
        ("add Key Partners", "Key Partners"),
        ("add key", "key"),
        ("add Every Day Bakery", "Every Day Bakery"),
        ("add Owner Occupied Homes", "Owner Occupied Homes"),
        # The name always has at least one word, even if it looks like an option.
        ("add every 2w", "every 2w"),
        # A key word repeated: the last one is the flag, the first belongs to the name.
        ("add Acme key key", "Acme key"),
    ],
)
def test_add_option_words_inside_names(text: str, name: str) -> None:
    command = parse(text)
    assert isinstance(command, Add)
    assert command.name == name


def test_add_keeps_a_multiline_name_for_the_domain_to_tidy() -> None:
    assert parse("add Acme\nCorp") == Add("Acme\nCorp")


@pytest.mark.parametrize(
    "text", ["add Acme every 0d", "add Acme every 366d", "add Acme every 53w", "add Acme every 999w"]
)
def test_add_with_a_cadence_out_of_range(text: str) -> None:
    with pytest.raises(InvalidCadence):
        parse(text)


def test_add_without_a_name_asks_which_client() -> None:
    assert usage_problem("add") == ("add", "missing_client")
    assert usage_problem("add   ") == ("add", "missing_client")


def test_add_with_quotes_around_part_of_the_name() -> None:
    assert usage_problem('add "Acme" Corp') == ("add", "stray_quotes")


@pytest.mark.parametrize("text", ['add "Acme Corp', "add \u201cAcme Corp", 'show "Acme'])
def test_unclosed_quote_around_a_name(text: str) -> None:
    assert usage_problem(text) == (None, "unclosed_quote")


# log, alias, unalias: a client reference followed by free text ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("log acme called about the invoice", Log(Subject(None, "acme called about the invoice"))),
        ('log "Acme Corp" called them', Log(Subject("Acme Corp", "called them"))),
        ("log \u201cAcme Corp\u201d called them", Log(Subject("Acme Corp", "called them"))),
        ('log "Acme Corp"called', Log(Subject("Acme Corp", "called"))),
        ("log acme", Log(Subject(None, "acme"))),
        ('log "Acme Corp"', Log(Subject("Acme Corp", ""))),
        ("log acme line one\nline two", Log(Subject(None, "acme line one\nline two"))),
        ('log acme they said "yes" at last', Log(Subject(None, 'acme they said "yes" at last'))),
        ("log acme it's a 27\" screen", Log(Subject(None, "acme it's a 27\" screen"))),
    ],
)
def test_log(text: str, expected: Log) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        'log acme he said "maybe next week',
        "log acme she wrote \u201cwe will see",
        "log acme \u00ab hmm",
    ],
)
def test_an_unclosed_quote_in_a_note_is_part_of_the_note(text: str) -> None:
    command = parse(text)
    assert command == Log(Subject(None, text.removeprefix("log ")))


def test_log_without_a_client() -> None:
    assert usage_problem("log") == ("log", "missing_client")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("alias acme ACME Inc", AddAlias(Subject(None, "acme ACME Inc"))),
        ('alias "Acme Corp" ACME Inc', AddAlias(Subject("Acme Corp", "ACME Inc"))),
        ("unalias acme ACME Inc", RemoveAlias(Subject(None, "acme ACME Inc"))),
        ('unalias "Acme Corp" ACME Inc', RemoveAlias(Subject("Acme Corp", "ACME Inc"))),
    ],
)
def test_alias_and_unalias(text: str, expected: Command) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize("text", ["alias", "unalias"])
def test_alias_without_a_client(text: str) -> None:
    assert usage_problem(text) == (text, "missing_client")


# list, show, key, cadence, owner -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "which"),
    [
        ("list", "all"),
        ("list all", "all"),
        ("list mine", "mine"),
        ("list MINE", "mine"),
        ("list key", "key"),
        ("list quiet", "quiet"),
    ],
)
def test_list(text: str, which: str) -> None:
    assert parse(text) == ListClients(which)


@pytest.mark.parametrize(("text", "detail"), [("list everything", "everything"), ("list mine key", "mine key")])
def test_list_with_a_bad_filter(text: str, detail: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse(text)
    assert (caught.value.subcommand, caught.value.problem, caught.value.detail) == ("list", "bad_filter", detail)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("show acme", Show("acme")),
        ("show Acme Corp", Show("Acme Corp")),
        ('show "Acme Corp"', Show("Acme Corp")),
        ("show \u201cAcme Corp\u201d", Show("Acme Corp")),
    ],
)
def test_show(text: str, expected: Show) -> None:
    assert parse(text) == expected


def test_show_needs_a_client() -> None:
    assert usage_problem("show") == ("show", "missing_client")
    assert usage_problem('show "Acme Corp" extra') == ("show", "stray_quotes")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("key acme on", SetKey("acme", True)),
        ("key acme OFF", SetKey("acme", False)),
        ("key Acme Corp on", SetKey("Acme Corp", True)),
        ('key "Acme Corp" off', SetKey("Acme Corp", False)),
    ],
)
def test_key(text: str, expected: SetKey) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize("text", ["key", "key acme", "key on", "key acme yes"])
def test_key_usage(text: str) -> None:
    assert usage_problem(text) == ("key", "usage")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cadence acme 2w", SetCadence("acme", 14)),
        ("cadence acme 10d", SetCadence("acme", 10)),
        ("cadence acme 3 weeks", SetCadence("acme", 21)),
        ("cadence Acme Corp 10 days", SetCadence("Acme Corp", 10)),
        ('cadence "Acme Corp" 3 weeks', SetCadence("Acme Corp", 21)),
        ("cadence acme off", SetCadence("acme", None)),
        ("cadence acme none", SetCadence("acme", None)),
        ("cadence Acme Corp OFF", SetCadence("Acme Corp", None)),
    ],
)
def test_cadence(text: str, expected: SetCadence) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize("text", ["cadence acme 0d", "cadence acme 999w", "cadence acme abc", "cadence acme weeks"])
def test_cadence_invalid(text: str) -> None:
    with pytest.raises(InvalidCadence) as caught:
        parse(text)
    assert caught.value.text == text.split()[-1]


@pytest.mark.parametrize("text", ["cadence", "cadence acme", "cadence 2w"])
def test_cadence_usage(text: str) -> None:
    # With one argument there is no room for both a client and a cadence.
    assert usage_problem(text) == ("cadence", "usage")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("owner acme <@UBOB>", SetOwner("acme", "UBOB")),
        ("owner acme <@UBOB|bob>", SetOwner("acme", "UBOB")),
        ("owner Acme Corp <@UBOB|bob>", SetOwner("Acme Corp", "UBOB")),
        ('owner "Acme Corp" <@W42XYZ>', SetOwner("Acme Corp", "W42XYZ")),
    ],
)
def test_owner(text: str, expected: SetOwner) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text", ["owner", "owner acme", "owner <@UBOB>", "owner acme bob", "owner acme @bob", "owner acme <#C123>"]
)
def test_owner_usage(text: str) -> None:
    assert usage_problem(text) == ("owner", "usage")


# promise, done, export ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "promise acme send the quote by friday",
            MakePromise(Subject(None, "acme send the quote"), "friday"),
        ),
        (
            "promise acme call by phone by 2026-12-01",
            MakePromise(Subject(None, "acme call by phone"), "2026-12-01"),
        ),
        ('promise "Acme Corp" send it BY next week', MakePromise(Subject("Acme Corp", "send it"), "next week")),
        ('promise "Stand by Me" send it by friday', MakePromise(Subject("Stand by Me", "send it"), "friday")),
        ("promise acme by friday", MakePromise(Subject(None, "acme"), "friday")),
        (
            'promise acme ship the 27 " screen by friday',
            MakePromise(Subject(None, 'acme ship the 27 " screen'), "friday"),
        ),
    ],
)
def test_promise(text: str, expected: MakePromise) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text", ["promise", "promise acme send the quote", "promise acme send the quote by", "promise acme bypass"]
)
def test_promise_usage(text: str) -> None:
    assert usage_problem(text) == ("promise", "usage")


@pytest.mark.parametrize(("text", "number"), [("done 12", 12), ("done #12", 12), ("done 0012", 12)])
def test_done(text: str, number: int) -> None:
    assert parse(text) == Done(number)


@pytest.mark.parametrize(("text", "problem"), [("done", "usage"), ("done 1 2", "usage"), ("done x", "bad_reference")])
def test_done_usage(text: str, problem: str) -> None:
    assert usage_problem(text) == ("done", problem)


@pytest.mark.parametrize("text", ["done #", "done -3", "done 1.5", "done 1234567890123"])
def test_done_with_something_that_is_not_a_number(text: str) -> None:
    assert usage_problem(text) == ("done", "bad_reference")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("export", Export()),
        ("export acme", Export("acme")),
        ("export Acme Corp", Export("Acme Corp")),
        ('export "Acme Corp"', Export("Acme Corp")),
    ],
)
def test_export(text: str, expected: Export) -> None:
    assert parse(text) == expected


# the pieces --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("1d", 1),
        ("14d", 14),
        ("2w", 14),
        ("3 weeks", 21),
        ("1 week", 7),
        ("10 days", 10),
        ("2WK", 14),
        ("365d", 365),
        ("52w", 364),
        (" 7d ", 7),
    ],
)
def test_parse_cadence(text: str, days: int) -> None:
    assert parse_cadence(text) == days


@pytest.mark.parametrize("text", ["0d", "0w", "366d", "53w", "99999d", "abc", "", "2", "d", "-1d", "2m", "1.5w"])
def test_parse_cadence_rejects(text: str) -> None:
    with pytest.raises(InvalidCadence):
        parse_cadence(text)


@pytest.mark.parametrize(
    ("text", "user"),
    [
        ("<@U123>", "U123"),
        ("<@U123|bob>", "U123"),
        ("<@W9ZZ|dana smith>", "W9ZZ"),
        (" <@UABC> ", "UABC"),
        ("@bob", None),
        ("U123", None),
        ("<#C123|general>", None),
        ("<@u123>", None),
        ("<@U1>", None),
    ],
)
def test_user_mention(text: str, user: str | None) -> None:
    assert user_mention(text) == user


def test_tokenize_keeps_quoted_names_whole_and_remembers_where_words_are() -> None:
    tokens = tokenize('log "Acme Corp" hi')
    assert [(t.text, t.quoted) for t in tokens] == [("log", False), ("Acme Corp", True), ("hi", False)]
    assert [(t.start, t.end) for t in tokens] == [(0, 3), (4, 15), (16, 18)]


def test_tokenize_closes_a_typographic_quote_with_any_closing_mark() -> None:
    assert [t.text for t in tokenize("\u201eAcme Corp\u201c x")] == ["Acme Corp", "x"]
    assert [t.text for t in tokenize("\u201cAcme Corp\u201c x")] == ["Acme Corp", "x"]


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ('"ACME Inc"', "ACME Inc"),
        ("  \u201cACME Inc\u201d ", "ACME Inc"),
        ("\u00abACME\u00bb", "ACME"),
        ("ACME Inc", "ACME Inc"),
        ('"ACME" Inc', '"ACME" Inc'),
        ('"ACME Inc', '"ACME Inc'),
        ('""', ""),
        ("", ""),
    ],
)
def test_unquote(text: str, plain: str) -> None:
    assert unquote(text) == plain


# surveys ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("surveys", ListSurveys()),
        ("surveys acme corp", ListSurveys("acme corp")),
        ("surveys all", ListSurveys(workspace=True)),
        ("surveys ALL share", ListSurveys(workspace=True, share=True)),
        ('surveys "all"', ListSurveys("all")),  # a client called "all"
        ("surveys acme share", ListSurveys("acme", share=True)),
        ('surveys "share"', ListSurveys("share")),
        ("surveys share", ListSurveys(share=True)),
        ("surveys all of them", ListSurveys("all of them")),
    ],
)
def test_surveys(text: str, expected: Command) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "team", "client", "emails"),
    [
        ('survey acme "X" team <@UBOB> client <@UCLIENT>', ("UBOB",), ("UCLIENT",), ()),
        ('survey acme "X" team <@UBOB> client jo@acme.com', ("UBOB",), (), (ByEmail("jo@acme.com"),)),
        ('survey acme "X" team <@UBOB> client <mailto:Jo@Acme.com|Jo@Acme.com> LANG RU', ("UBOB",), (),
         (ByEmail("jo@acme.com", "ru"),)),
        ('survey acme "X" client <@UCLIENT> ann@acme.com lang pl jo@acme.com team <@UBOB>', ("UBOB",), ("UCLIENT",),
         (ByEmail("ann@acme.com", "pl"), ByEmail("jo@acme.com"))),
        ('survey acme "X" team <@UBOB> client jo@acme.com jo@acme.com lang en', ("UBOB",), (),
         (ByEmail("jo@acme.com", "en"),)),  # named twice: once
    ],
)  # fmt: skip
def test_survey_participants_outside_slack_by_email(
    text: str, team: tuple[str, ...], client: tuple[str, ...], emails: tuple[ByEmail, ...]
) -> None:
    assert parse(text) == StartSurvey(Subject(None, 'acme "X"'), team, client, emails)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('survey acme "X" team <@UBOB> client jo@', Problem.BAD_PERSON),
        ('survey acme "X" team <@UBOB> client "Jo" <jo@acme.com>', Problem.USAGE),
        ('survey acme "X" team <@UBOB> client jo@acme.com lang', Problem.USAGE),
        ('survey acme "X" team <@UBOB> client <@UCLIENT> lang ru', Problem.USAGE),
    ],
)
def test_survey_bad_addresses_and_languages(text: str, problem: Problem) -> None:
    assert usage_problem(text) == ("survey", problem)


@pytest.mark.parametrize("text", ['survey acme "X" team <@UBOB> client jo@acme.com lang xx',
                                  'survey acme "X" team <@UBOB> client jo@acme.com lang "ru"'])  # fmt: skip
def test_survey_page_languages_are_en_pl_ru(text: str) -> None:
    with pytest.raises(UnknownPageLanguage):
        parse(text)
