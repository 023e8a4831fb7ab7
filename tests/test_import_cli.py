"""`rapport import clients.csv --team T1 [--apply]`: the dry run, the import in one transaction, idempotence, and
bad files refused with their line numbers, nothing written, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import main
from domain.import_plan import Directory, _Workspace
from fakes.slack import FakeSlack
from storage.models import Client, ClientAlias, ClientDomain, ClientPerson
from tests.driver import SlackDriver
from tests.helpers import client_row, count

ROOT = Path(__file__).resolve().parents[1]
HEADER = "name,owner,key,cadence,domains,people\n"


@dataclass
class Run:
    status: int
    out: list[str]
    err: str


@pytest.fixture
def rapport_import(
    fake_slack: FakeSlack, database_url: str, engine: object, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> Callable[..., Run]:  # fmt: skip
    """`rapport import <the content as a file> --team T1 [args]`, in-process, against the fake Slack."""
    monkeypatch.chdir(tmp_path)  # no .env here
    for name, value in {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s", "DATABASE_URL": database_url,
                        "SLACK_API_URL": fake_slack.api_url}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    fake_slack.add_user("UALICE", email="alice@ourco.test")
    fake_slack.add_user("UBOB", email="bob@ourco.test")
    fake_slack.add_user("UBOT", is_bot=True)
    fake_slack.add_user("UCLIENT", team="TCLIENT")

    def run(content: str | bytes, *args: str, team: str = "T1") -> Run:
        path = tmp_path / "clients.csv"
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        capsys.readouterr()
        status = main(["import", str(path), "--team", team, *args])
        captured = capsys.readouterr()
        return Run(status, captured.out.splitlines(), captured.err.strip())

    return run


@pytest.fixture
def beta(slack: SlackDriver, session: Session) -> None:
    """Beta, a key client of Alice's (14 days), also called "Beta Inc"; and Gamma, of Bob's, every 3 weeks."""
    slack.command("add Beta key")
    slack.command('alias beta "Beta Inc"')
    slack.command("add Gamma every 3w owner <@UBOB|bob>")


BOOK = (
    HEADER
    + 'Acme Corp,bob@ourco.test,yes,2w,"acme.com; acme.de","Jo Smith <jo@acme.com>; UCLIENT"\n'
    + "beta inc,UBOB,,1w,beta.io,\n"
    + "Gamma,,,,,\n"
)


def test_the_dry_run_says_what_each_row_would_do_and_writes_nothing(
    rapport_import: Callable[..., Run], beta: None, session: Session
) -> None:
    run = rapport_import(BOOK)
    assert run.status == 0, run.err
    assert run.out == [
        'line 2: create "Acme Corp": owner UBOB, key, cadence 2w, + domain acme.com, + domain acme.de, '
        "+ person Jo Smith <jo@acme.com>, + person UCLIENT",
        'line 3: update "Beta" (as "beta inc"): owner UALICE → UBOB, cadence 2w → 1w, + domain beta.io',
        'line 4: unchanged "Gamma"',
        "3 clients: 1 to create, 1 to update, 1 unchanged.",
        "Dry run: nothing was written. Run it again with --apply to import them.",
    ]
    assert count(session, Client) == 2 and count(session, ClientDomain) == 0
    assert client_row(session, "Beta").owner_id == "UALICE"


def test_apply_imports_every_row_and_a_second_run_changes_nothing(
    rapport_import: Callable[..., Run], beta: None, session: Session
) -> None:
    run = rapport_import(BOOK, "--apply")
    assert run.status == 0, run.err
    assert run.out[-1] == "Imported 3 clients: 1 created, 1 updated, 1 unchanged."
    acme, beta_ = client_row(session, "Acme Corp"), client_row(session, "Beta")
    assert (acme.owner_id, acme.created_by, acme.is_key, acme.cadence_days) == ("UBOB", "UBOB", True, 14)
    assert acme.quiet_due_at is not None  # a key client with a cadence goes quiet like any other
    assert (beta_.owner_id, beta_.is_key, beta_.cadence_days) == ("UBOB", True, 7)
    domains = session.execute(select(ClientDomain.domain, ClientDomain.client_id).order_by(ClientDomain.domain)).all()
    assert domains == [("acme.com", acme.id), ("acme.de", acme.id), ("beta.io", beta_.id)]
    people = session.execute(select(ClientPerson.user_id, ClientPerson.email, ClientPerson.name)
                             .order_by(ClientPerson.id)).all()  # fmt: skip
    assert people == [(None, "jo@acme.com", "Jo Smith"), ("UCLIENT", None, None)]
    again = rapport_import(BOOK, "--apply")
    assert again.status == 0, again.err
    assert again.out == [
        'line 2: unchanged "Acme Corp"',
        'line 3: unchanged "Beta" (as "beta inc")',
        'line 4: unchanged "Gamma"',
        "Imported 3 clients: 0 created, 0 updated, 3 unchanged.",
    ]
    assert (count(session, Client), count(session, ClientDomain), count(session, ClientPerson)) == (3, 3, 2)


BAD = (
    HEADER
    + "Acme Corp,nobody@ourco.test,,,acme.com,\n"  # 2: nobody in Slack has that address
    + "Delta,UBOT,maybe,fortnight,gmail.com,\n"  # 3: a bot, a key that is no yes/no, a cadence, public mail
    + '"Epsilon\nand Sons",UALICE,,,"beta.io",jo@\n'  # 4-5: a domain of Beta's, an address that is none
    + "BETA,UALICE,,,,\n"  # 6: Beta again, in capitals (and line 7 names it by its alias)
    + "Beta Inc,UALICE,,,,\n"
    + f"{'Z' * 81},UALICE,,,,\n"  # 8: too long
    + "Eta\x07,UALICE,,,,\n"  # 9: a control character
    + "Theta,UALICE,,off,,\n"  # fine
    + "Iota,UALICE,yes,off,,UALICE\n"  # 11: a key client without a cadence; a teammate as a client's person
    + "Kappa,UALICE,,,acme.com,\n"  # 12: acme.com is Acme Corp's, two rows up
    + "Lambda,UBOB,,,ourco.test,bob@ourco.test\n"  # 13: the team's own domain and a teammate's address
)


def test_a_bad_csv_is_refused_with_every_line_number_and_nothing_is_written(
    rapport_import: Callable[..., Run], slack: SlackDriver, session: Session
) -> None:
    slack.command("add Beta")
    slack.command('alias beta "Beta Inc"')
    session.add(ClientDomain(team_id="T1", client_id=client_row(session, "Beta").id, domain="beta.io",
                             added_by="UALICE", added_at=client_row(session, "Beta").created_at))  # fmt: skip
    session.commit()
    run = rapport_import(BAD, "--apply")
    assert run.status == 1
    assert run.out == [
        'line 2: nobody in this Slack workspace has the address "nobody@ourco.test", so they can\'t own it',
        'line 3: key "maybe" is not yes, no, true, false, 1 or 0',
        'line 3: cadence "fortnight" is not days or weeks from 1d to 365d (14d, 2w) or off',
        "line 3: gmail.com is public mail: anyone can have an address there, so it can't say who is at a client "
        "(add such people one by one, in the people column)",
        "line 3: owner UBOT is a bot, so they can't own a client",
        'line 4: "jo@" is not an email address (like jo@acme.com)',
        'line 4: domain beta.io is "Beta"\'s already',
        'line 7: client "Beta" is on line 6 already',
        "line 8: the client name is too long: 81 characters, 80 at most",
        "line 9: the name cell holds an invisible control character (U+0007) that I can't store",
        'line 11: "Iota" is a key client, and key clients always have a cadence',
        "line 11: person UALICE is a member of this workspace: a client's people are guests or Slack Connect members",
        'line 12: domain "acme.com" is on line 2 already',
        "line 13: domain ourco.test is the team's own: UALICE's address is there",
        "line 13: person bob@ourco.test is UBOB's address: a teammate is never a client's person",
    ]
    assert run.err == "rapport: 9 rows can't be imported, so nothing was: fix them first."
    assert (count(session, Client), count(session, ClientDomain), count(session, ClientAlias)) == (1, 1, 1)


def test_excel_in_poland_a_byte_order_mark_semicolons_crlf_and_a_quoted_line_break(
    rapport_import: Callable[..., Run], session: Session
) -> None:
    book = (
        "\ufeffName;Owner;Cadence;People\r\n"
        '"Żabka; Polska";alice@ourco.test;2w;"Jo Smith <jo@zabka.pl>\r\nAnn <ann@zabka.pl>"\r\n'
        "Łódź Media;UBOB;;\r\n"
        ";;;\r\n"  # the empty row a spreadsheet leaves
        "Kraków Studio;UBOB;fortnight;\r\n"
    )
    run = rapport_import(book.encode())
    assert run.status == 1
    assert run.out == ['line 6: cadence "fortnight" is not days or weeks from 1d to 365d (14d, 2w) or off']
    run = rapport_import(book.replace("fortnight", "3d").encode(), "--apply")
    assert run.out == [
        'line 2: create "Żabka; Polska": owner UALICE, cadence 2w, + person Jo Smith <jo@zabka.pl>, '
        "+ person Ann <ann@zabka.pl>",
        'line 4: create "Łódź Media": owner UBOB',
        'line 6: create "Kraków Studio": owner UBOB, cadence 3d',
        "Imported 3 clients: 3 created, 0 updated, 0 unchanged.",
    ]
    assert client_row(session, "Żabka; Polska").cadence_days == 14


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"", "The file has no clients: a header row (name, owner, key, cadence, domains, people), then one row per "
              "client."),
        (HEADER.encode(), "The file has no clients: a header row (name, owner, key, cadence, domains, people), then "
                          "one row per client."),
        (b"client,owner\nAcme,UALICE\n", 'The header (line 1) has a column "client" I don\'t know. The columns are '
                                          "name, owner, key, cadence, domains, people."),
        (b"owner\nUALICE\n", "The header (line 1) has no `name` column. The columns are name, owner, key, cadence, "
                             "domains, people."),
        (b"name,Name\nA,B\n", 'The header (line 1) has the column "name" twice.'),
        ("name\nAcme\nCafé Noir\n".encode("cp1250"), "Line 3 is not UTF-8 text: save the file as “CSV UTF-8”."),
        ("name\nAcme\n".encode("utf-16"), "Line 1 is not UTF-8 text: save the file as “CSV UTF-8”."),
        (b'name,owner\nAcme,UALICE\n"Beta,UALICE\nGamma,UALICE\n', "Line 3 has a quote that is never closed, or "
                                                                  "text after a closing quote."),
        (b"name\n" + b"x" * (5 * 1024 * 1024), "The file is larger than 5 MB."),
        (b"name\n" + b"".join(b"Client %d\n" % n for n in range(10_001)), "The file has more than 10,000 clients: "
                                                                           "import it in parts."),
    ],
    ids=["empty", "header only", "unknown column", "no name", "twice", "cp1250", "utf-16", "quote", "5 MB", "rows"],
)  # fmt: skip
def test_a_file_that_cant_be_read_is_one_line(
    rapport_import: Callable[..., Run], session: Session, content: bytes, error: str
) -> None:
    run = rapport_import(content, "--apply")
    assert (run.status, run.out, run.err) == (1, [], f"rapport: {run_path(run)}: {error}")
    assert count(session, Client) == 0


def run_path(run: Run) -> str:
    return run.err.removeprefix("rapport: ").split(": ", 1)[0]


def test_ten_thousand_clients_are_fine(rapport_import: Callable[..., Run], session: Session) -> None:
    book = "name,owner\n" + "".join(f"Client {n},UALICE\n" for n in range(10_000))
    run = rapport_import(book)
    assert run.status == 0, run.err
    assert run.out[-2] == "10,000 clients: 10,000 to create, 0 to update, 0 unchanged."


def test_the_team_must_be_the_tokens(rapport_import: Callable[..., Run], session: Session) -> None:
    run = rapport_import("name,owner\nAcme,UALICE\n", "--apply", team="T9")
    assert (run.status, run.err) == (1, "rapport: SLACK_BOT_TOKEN belongs to workspace T1 (Acme), not to --team T9")
    assert count(session, Client) == 0


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_") and k != "DATABASE_URL"}
    return subprocess.run([sys.executable, "-m", "bot", *args], env={**clean, "PYTHONPATH": str(ROOT)}, cwd=cwd,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_help_explains_the_format(tmp_path: Path) -> None:
    result = _cli("import", "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "usage: rapport import [-h] --team T… [--apply] FILE" in result.stdout
    for words in ("name;owner;key;cadence;domains;people", "separated by ';'", "Public", "--apply"):
        assert words in result.stdout


def test_usage_mistakes_and_missing_settings_exit_2(tmp_path: Path) -> None:
    (tmp_path / "clients.csv").write_text("name\nAcme\n")
    no_team = _cli("import", "clients.csv", cwd=tmp_path)
    assert no_team.returncode == 2 and "the following arguments are required: --team" in no_team.stderr
    bad_team = _cli("import", "clients.csv", "--team", "acme", cwd=tmp_path)
    assert bad_team.returncode == 2 and "not a Slack workspace id (T…): 'acme'" in bad_team.stderr
    no_settings = _cli("import", "clients.csv", "--team", "T1", cwd=tmp_path)
    assert no_settings.returncode == 2 and no_settings.stderr.startswith("rapport: SLACK_BOT_TOKEN is not set")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clients.csv"]  # no database was created


def test_a_concurrent_writer_stops_the_whole_import(
    rapport_import: Callable[..., Run], slack: SlackDriver, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan saw acme.com free, but another transaction took it before the write: nothing is imported."""
    slack.command("add Initech")
    session.add(ClientDomain(team_id="T1", client_id=client_row(session, "Initech").id, domain="acme.com",
                             added_by="UALICE", added_at=client_row(session, "Initech").created_at))  # fmt: skip
    session.commit()
    load = _Workspace.load

    def without_domains(cls: type[_Workspace], session: Session, team_id: str, directory: Directory) -> _Workspace:
        found = load(session, team_id, directory)
        found.domains.clear()  # as if it was read a moment before the other writer committed
        return found

    monkeypatch.setattr(_Workspace, "load", classmethod(without_domains))
    run = rapport_import("name,owner,domains\nGlobex,UALICE,\nAcme Corp,UALICE,acme.com\n", "--apply")
    assert (run.status, run.err) == (1, "rapport: Someone changed the same clients while they were being imported, "
                                        "so nothing was. Check the file again.")  # fmt: skip
    assert count(session, Client) == 1


def test_a_domain_inside_one_of_the_clients_own_changes_nothing(
    rapport_import: Callable[..., Run], slack: SlackDriver, session: Session
) -> None:
    slack.command("add Beta")
    slack.command("domain beta beta.io")
    run = rapport_import("name,owner,domains\nBeta,,mail.beta.io;beta.io\nGamma,UALICE,eu.gamma.io;gamma.io\n")
    assert run.out[:2] == ['line 2: unchanged "Beta"', 'line 3: create "Gamma": owner UALICE, + domain gamma.io']
