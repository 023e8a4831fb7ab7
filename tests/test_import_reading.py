"""Reading a CSV of clients (domain.import_csv): a pure function, no database."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import Empty, RapportError
from domain.import_csv import NO_CADENCE, PersonRef, Row, read_book
from domain.import_errors import BadCell, BadFile, CellProblem, FileProblem, TwiceInFile


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


def test_a_row_without_a_name_is_a_problem_at_its_line() -> None:
    book = read_book(b"name,owner\n,UALICE\n  ,U0BOB\nAcme,\n")
    assert [(p.line, p.error) for p in book.problems] == [(2, Empty("client name")), (3, Empty("client name"))]
    assert [row.name for row in book.rows] == ["Acme"]
