"""Reading a CSV of clients (domain.import_csv) and the address rules it uses: pure functions, no database."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.address_rules import check_domain, check_email
from domain.errors import (
    AddressProblem,
    DomainProblem,
    InvalidAddress,
    InvalidDomain,
    PublicMailDomain,
    RapportError,
)
from domain.import_csv import NO_CADENCE, PersonRef, Row, read_book
from domain.import_errors import BadCell, BadFile, CellProblem, FileProblem, TwiceInFile


@pytest.mark.parametrize(
    ("text", "stored"),
    [("acme.com", "acme.com"), ("@ACME.com.", "acme.com"), ("eu.acme.co.uk", "eu.acme.co.uk"),
     ("bücher.de", "xn--bcher-kva.de")],
)  # fmt: skip
def test_domains_are_stored_lower_case_in_idna(text: str, stored: str) -> None:
    assert check_domain(text) == stored


@pytest.mark.parametrize(
    ("text", "problem", "suggestion"),
    [("acme", DomainProblem.NO_DOT, None), ("a..com", DomainProblem.SYNTAX, None),
     ("10.0.0.1", DomainProblem.SYNTAX, None), ("-acme.com", DomainProblem.SYNTAX, None),
     ("jo@acme.com", DomainProblem.ADDRESS, "acme.com"), ("https://www.acme.com/about", DomainProblem.URL, "acme.com"),
     ("www.acme.com", DomainProblem.WEBSITE, "acme.com")],
)  # fmt: skip
def test_what_is_no_domain_says_what_it_is(text: str, problem: DomainProblem, suggestion: str | None) -> None:
    with pytest.raises(InvalidDomain) as error:
        check_domain(text)
    assert (error.value.problem, error.value.suggestion) == (problem, suggestion)


@pytest.mark.parametrize("text", ["gmail.com", "GMail.com", "wp.pl", "mail.yahoo.co.uk", "outlook.com"])
def test_public_mail_is_no_clients_domain(text: str) -> None:
    with pytest.raises(PublicMailDomain):
        check_domain(text)


@pytest.mark.parametrize(
    ("text", "problem"),
    [("jo@", AddressProblem.SYNTAX), ("@acme.com", AddressProblem.SYNTAX), ("jo.@acme.com", AddressProblem.SYNTAX),
     ("jo@acme", AddressProblem.SYNTAX), ("j o@acme.com", AddressProblem.SYNTAX),
     ('"Jo" <jo@acme.com>', AddressProblem.DISPLAY_NAME), ("j" * 64 + "@" + ("a" * 50 + ".") * 4 + "com",
                                                           AddressProblem.TOO_LONG)],
)  # fmt: skip
def test_what_is_no_address_is_refused(text: str, problem: AddressProblem) -> None:
    with pytest.raises(InvalidAddress) as error:
        check_email(text)
    assert error.value.problem == problem


def test_an_address_at_public_mail_is_a_fine_person() -> None:
    assert check_email(" Jo.Smith@GMail.com ") == "jo.smith@gmail.com"


def test_tabs_are_a_delimiter_too_and_a_quoted_line_break_keeps_the_line_numbers() -> None:
    book = read_book(b'name\tpeople\tkey\n"Acme\nCorp"\t"jo@acme.com\nann@acme.com"\tY\n\nBeta\tU0BETA1\tno\n')
    assert book.problems == []
    assert book.rows == [
        Row(2, "Acme Corp", key=True, people=(PersonRef(email="jo@acme.com"), PersonRef(email="ann@acme.com"))),
        Row(6, "Beta", key=False, people=(PersonRef(user_id="U0BETA1"),)),
    ]


def test_cells_are_read_as_people_write_them() -> None:
    book = read_book(
        b"NAME , Cadence,owner,domains\n"
        b"A & B,OFF,<@u0alice|alice>,acme.com; ACME.com\n"
        b'C,3 weeks,Alice@OurCo.test,"a.com\n\nb.com;"\n'
    )
    assert [(r.name, r.cadence_days, r.owner, r.domains) for r in book.rows] == [
        ("A &amp; B", NO_CADENCE, "U0ALICE", ("acme.com",)),  # stored as Slack sends typed text
        ("C", 21, "alice@ourco.test", ("a.com", "b.com")),
    ]


def test_a_row_with_more_cells_than_columns_is_refused_and_the_same_names_twice_too() -> None:
    book = read_book(b"name,owner\nAcme, Inc,UALICE\nBeta,\nbeta ,\n")
    assert [(p.line, p.error) for p in book.problems] == [
        (2, BadCell(CellProblem.TOO_MANY_CELLS, "3")),
        (4, TwiceInFile("client", "beta", 3)),
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=400) | st.text(alphabet=st.sampled_from('name,;"\n\r\tAB@.x\x00é'), max_size=200).map(str.encode)
)
def test_any_bytes_are_rows_problems_or_one_unreadable_file(data: bytes) -> None:
    try:
        book = read_book(data)
    except BadFile as exc:
        assert isinstance(exc.problem, FileProblem)
        return
    assert all(isinstance(p.error, RapportError) and p.line >= 2 for p in book.problems)
    assert all(row.line >= 2 for row in book.rows)
