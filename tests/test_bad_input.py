"""Plain bad input is never "our fault": unicode digits, control characters, broken and over-long text.

Each case goes through the real app (signed requests, the fake Slack) on SQLite and PostgreSQL alike: the person
reads what to change, never an error id, and not a row is written.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.errors import RapportError, TooLong, UnreadableText
from render.errors import error_text
from render.help import overview
from render.ids import ActionId, BlockId, comment_block
from storage.models import Client, Contact, Promise, Survey, SurveyAnswer, SurveyFix
from tests.driver import SlackDriver
from tests.helpers import NOTHING_CHANGED, ask, contacts, nothing_changes, promise, promises
from tests.helpers import answer_survey as _answer
from tests.helpers import completed_survey as _completed
from tests.helpers import press_fix as _press_fix
from tests.helpers import rated as _all

UNEXPECTED = "something went wrong"
SURVEY_SIDES = "team <@UBOB|bob> client <@UCLIENT|jo>"


def unreadable(code_point: int, what: str = "command") -> str:
    """The reply to text holding a control character."""
    return (
        f":warning: The {what} holds an invisible control character (U+{code_point:04X}) that I can't store. "
        f"Type it again without it, or paste it as plain text. {NOTHING_CHANGED}"
    )


def count(session: Session, model: type) -> int:
    session.expire_all()
    session.rollback()
    return session.scalar(select(func.count()).select_from(model)) or 0


def no_error_id(reply: str) -> str:
    assert UNEXPECTED not in reply and "error id" not in reply, reply
    return reply


# numbers in other scripts --------------------------------------------------------------------------------------


@pytest.mark.parametrize("ref", ["²", "①", "٣", "#²", "#①", "#٣", "\uff11", "3²", "⑶", "Ⅲ"])
def test_done_with_a_number_that_is_not_plain_digits(
    slack: SlackDriver, session: Session, acme_without_contacts: None, ref: str
) -> None:
    for _ in range(3):  # promises #1..#3 exist: "٣" (Arabic-Indic three) must not mark #3 done
        promise(slack, session, "acme call back by friday")
    with nothing_changes(session):
        reply = no_error_id(ask(slack, f"done {ref}"))
    assert reply.startswith(f":warning: `{ref}` is not a promise number.\nUsage: `/client done")
    assert [p.done_at for p in promises(session)] == [None, None, None]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("cadence acme ²w", "*²w* is not a cadence I understand"),
        ("cadence acme ٣d", "*٣d* is not a cadence I understand"),
        ('add "Globex" every ①d', "*①d* is not a cadence I understand"),
        ("config hours \u0660\u0668:\u0660\u0660-16:00", "is not a value for hours"),  # Arabic-Indic 08:00
    ],
)
def test_other_numbers_in_cadences_hours_and_dates(
    slack: SlackDriver, session: Session, acme_without_contacts: None, text: str, error: str
) -> None:
    with nothing_changes(session):
        reply = no_error_id(ask(slack, text))
    assert error in reply


# control characters and broken text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code_point"),
    [
        ('add "Nul\x00 Corp"', 0),  # a name
        ("add Bell\x07 Corp", 7),
        ("log acme called them\x00 about the invoice", 0),  # a note
        ("log acme \x1b[31mred\x1b[0m", 0x1B),
        ("log acme line one\r\nline two", 0x0D),
        ("promise acme call\x00 back by friday", 0),  # a promise
        ("promise acme call back by fri\x00day", 0),  # its date
        ("alias acme Ac\x00me", 0),  # an alias
        ("unalias acme Ac\x00me", 0),
        (f'survey acme "Web\x00site" {SURVEY_SIDES}', 0),  # a survey project
        (f"survey acme Web\x7fsite {SURVEY_SIDES}", 0x7F),
        ("show Ac\x00me", 0),  # a search: PostgreSQL would refuse the NUL in the query itself
        ("config hours 08:00-16:00\x0b", 0x0B),
        ("channel acme <#C123\x00>", 0),
        ("\x00", 0),
        ("log acme next\x85line", 0x85),
    ],
)
def test_control_characters_anywhere_are_refused(
    slack: SlackDriver, session: Session, acme_without_contacts: None, text: str, code_point: int
) -> None:
    with nothing_changes(session):
        reply = no_error_id(ask(slack, text))
    assert reply == unreadable(code_point)
    assert count(session, Survey) == 0


def test_tabs_and_line_breaks_are_kept_in_a_note(
    slack: SlackDriver, session: Session, acme_without_contacts: None
) -> None:
    reply = ask(slack, "log acme first line\n\tsecond line")
    assert reply.startswith("Logged a contact with *Acme Corp*")
    assert [c.note for c in contacts(session)] == ["first line\n\tsecond line"]


# over-long text ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("add " + "x" * 81, "The client name is too long: 81 characters, 80 at most."),
        ("alias acme " + "y" * 81, "The alias is too long: 81 characters, 80 at most."),
        (f'survey acme "{"p" * 81}" {SURVEY_SIDES}', "The project name is too long: 81 characters, 80 at most."),
        ("promise acme " + "w" * 301 + " by friday", "The promise is too long: 301 characters, 300 at most."),
        ("log acme " + "n" * 3001, "The note is too long: 3001 characters, 3000 at most."),
        ("log acme " + "n" * 20_000, "The command is too long: 20009 characters, 12000 at most."),
        ("x" * 12_001, "The command is too long: 12001 characters, 12000 at most."),
    ],
)
def test_over_long_values_name_their_limit(
    slack: SlackDriver, session: Session, acme_without_contacts: None, text: str, error: str
) -> None:
    with nothing_changes(session):
        reply = no_error_id(ask(slack, text))
    assert reply == f":warning: {error} {NOTHING_CHANGED}"
    assert count(session, Survey) == 0


@pytest.mark.parametrize(
    "due",
    [
        "x" * 5000,  # far beyond any date: not handed to dateparser at all
        "1 jan 99999999999",
        "31 feb 2027",
        "99999999 days",
        "in 999 weeks",
        "the " * 40 + "friday",
    ],
)
def test_odd_due_dates_are_not_dates(
    slack: SlackDriver, session: Session, acme_without_contacts: None, due: str
) -> None:
    with nothing_changes(session):
        reply = no_error_id(ask(slack, f"promise acme call back by {due}"))
    assert reply.startswith(":warning: I can't read *") or "more than three years away" in reply, reply
    assert len(reply) < 400  # the text is echoed cut short, not a page long


@pytest.mark.parametrize("text", ["show " + "z" * 5000, "zzz" + "z" * 5000, "done " + "9" * 5000, "list " + "q" * 5000])
def test_long_text_is_echoed_cut_short(
    slack: SlackDriver, session: Session, acme_without_contacts: None, text: str
) -> None:
    with nothing_changes(session):
        reply = no_error_id(ask(slack, text))
    # the unknown-subcommand reply adds the help, which grows with the subcommands: the echo is what stays short
    assert "\u2026" in reply and len(reply) < len(overview()) + 300, reply
    assert text[5:] not in reply and text[5 : 5 + 100] not in reply


# modals --------------------------------------------------------------------------------------------------------


def _log_contact_values(client_id: int, note: str) -> dict[str, Any]:
    option = {"value": str(client_id), "text": {"type": "plain_text", "text": "x"}}
    return {
        BlockId.CLIENT: {ActionId.CLIENT_PICK: {"type": "external_select", "selected_option": option}},
        BlockId.NOTE: {ActionId.NOTE_INPUT: {"type": "plain_text_input", "value": note}},
    }


@pytest.mark.parametrize(
    ("note", "error"),
    [
        ("called them\x00", "invisible control character (U+0000)"),
        ("called them \ud83d", "broken character (U+D83D)"),  # half an emoji: cannot even be encoded
        ("n" * 3001, "The note is too long: 3001 characters, 3000 at most."),
    ],
)
def test_log_contact_modal_refuses_bad_notes_on_the_note(
    slack: SlackDriver, session: Session, acme_without_contacts: None, note: str, error: str
) -> None:
    assert slack.message_shortcut(text="hello").status == 200
    view = slack.fake.calls_to("views.open")[-1].params["view"]
    client_id = session.scalars(select(Client.id)).one()
    response = slack.view_submission(view, _log_contact_values(client_id, note))
    assert response.status == 200
    errors = response.json()["errors"]
    assert set(errors) == {BlockId.NOTE} and error in errors[BlockId.NOTE]
    assert count(session, Contact) == 0


def test_log_contact_modal_with_a_client_id_beyond_any_row(
    slack: SlackDriver, session: Session, acme_without_contacts: None
) -> None:
    assert slack.message_shortcut(text="hello").status == 200
    view = slack.fake.calls_to("views.open")[-1].params["view"]
    response = slack.view_submission(view, _log_contact_values(99_999_999_999_999, "called"))
    assert response.json()["errors"] == {BlockId.CLIENT: "Pick a client from the list (type part of its name)."}
    assert count(session, Contact) == 0


def test_survey_comment_with_a_control_character_is_refused_on_that_comment(
    slack: SlackDriver, session: Session, acme_without_contacts: None
) -> None:
    slack.command(f'survey acme "Website relaunch" {SURVEY_SIDES}')
    survey_id = session.scalars(select(Survey.id)).one()
    response = _answer(slack, survey_id, "UCLIENT", _all(4), {"dates": "fine\x00"})
    unreadable = "This holds an invisible control character I can't store. Type it again without it."
    assert response.json()["errors"] == {comment_block("dates"): unreadable}
    assert count(session, SurveyAnswer) == 0


@pytest.mark.parametrize("text", ["weekly mail\x00", "weekly\x1b mail", "mail \udfff"])
def test_planned_fix_with_a_control_character(
    slack: SlackDriver, session: Session, acme_without_contacts: None, text: str
) -> None:
    survey = _completed(slack, session)
    view = _press_fix(slack, survey, "informed", ActionId.SURVEY_PLAN_FIX)
    values = {
        BlockId.FIX_WHAT: {ActionId.FIX_WHAT: {"type": "plain_text_input", "value": text}},
        BlockId.FIX_OWNER: {ActionId.FIX_OWNER: {"type": "users_select", "selected_user": "UBOB"}},
        BlockId.FIX_DUE: {ActionId.FIX_DUE: {"type": "datepicker", "selected_date": "2026-11-27"}},
    }
    response = slack.view_submission(view, values)
    errors = response.json()["errors"]
    assert set(errors) == {BlockId.FIX_WHAT} and "The promise holds" in errors[BlockId.FIX_WHAT]
    assert count(session, Promise) == 0 and count(session, SurveyFix) == 0


def test_no_fix_reason_with_a_control_character(
    slack: SlackDriver, session: Session, acme_without_contacts: None
) -> None:
    survey = _completed(slack, session)
    view = _press_fix(slack, survey, "informed", ActionId.SURVEY_NO_FIX)
    response = slack.view_submission(
        view, {BlockId.REASON: {ActionId.REASON: {"type": "plain_text_input", "value": "ill\x00"}}}
    )
    assert response.json()["errors"] == {BlockId.REASON: unreadable(0, "reason").removeprefix(":warning: ")}
    assert count(session, SurveyFix) == 0


# the shared check, on its own ----------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]])
def test_every_control_character_but_tab_and_newline_is_refused(bad: str) -> None:
    from domain.text import check_text, one_line

    with pytest.raises(UnreadableText) as raised:
        check_text(what="note", text=f"a{bad}b", multi_line=True)
    assert raised.value.code_point == ord(bad)
    with pytest.raises(UnreadableText):
        one_line(what="client name", text=f"a{bad}b")
    assert "error id" not in error_text(raised.value)


def test_one_line_values_fold_tabs_and_newlines_and_keep_every_other_script() -> None:
    from domain.text import check_command, check_text, one_line

    assert one_line(what="client name", text=" Acme\n\tCorp ") == "Acme Corp"
    assert check_text(what="note", text="a\n\tb", multi_line=True) == "a\n\tb"
    with pytest.raises(UnreadableText):
        check_text(what="alias", text="a\tb")
    assert check_text(what="note", text="Müller · 東京 · مرحبا · 😀 · \u200d") == "Müller · 東京 · مرحبا · 😀 · \u200d"
    with pytest.raises(TooLong):
        check_command("x" * 12_001)


def test_every_rapport_error_here_reads_as_a_usage_message() -> None:
    for error in [UnreadableText("note", 0), UnreadableText("note", 0xD800), TooLong("command", 12_000, 12_001)]:
        text = error_text(error)
        assert isinstance(error, RapportError) and "error id" not in text and "That did not work" not in text


# the domain's own checks, on both databases, for callers that do not come through the grammar ------------------


def test_stored_fields_refuse_control_characters_in_the_domain(session: Session) -> None:
    from datetime import date

    from domain.clients import add_alias, add_client
    from domain.contacts import Source, log_contact
    from domain.promises import make_promise
    from domain.surveys import start_survey
    from tests.conftest import NOW

    acme = add_client(session, team_id="T1", name="Acme Corp", by="UALICE", now=NOW)
    attempts = [
        lambda: add_client(session, team_id="T1", name="Nul\x00 Corp", by="UALICE", now=NOW),
        lambda: add_client(session, team_id="T1", name="Bad\udc80", by="UALICE", now=NOW),
        lambda: add_alias(session, client=acme, alias="Ac\x00me", now=NOW),
        lambda: log_contact(
            session, client=acme, user_id="UALICE", note="hi\x00", now=NOW, source=Source.COMMAND, idempotency_key=None
        ),
        lambda: make_promise(
            session,
            client=acme,
            what="call\x1b",
            due_on=date(2026, 12, 1),
            owner_id="UALICE",
            by="UALICE",
            now=NOW,
            idempotency_key=None,
        ),
        lambda: start_survey(
            session,
            client=acme,
            project="Web\x00",
            requester_id="UALICE",
            team_ids=["UBOB"],
            client_ids=["UCLIENT"],
            now=NOW,
            idempotency_key=None,
        ),
    ]
    for attempt in attempts:
        with pytest.raises(UnreadableText):
            attempt()
    session.flush()
    assert [count_in(session, model) for model in (Client, Contact, Promise, Survey)] == [1, 0, 0, 0]


def count_in(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0
