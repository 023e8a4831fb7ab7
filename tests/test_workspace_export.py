"""`rapport export --team T…` and `rapport import-export`: a whole workspace out to a ZIP and back, exactly."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.cli import main
from domain.clock import FixedClock
from storage.base import Base
from storage.db import alembic_config, make_engine, upgrade
from storage.dump import EXCLUDED, FORMAT_VERSION, DumpError, export_workspace, exported_tables, import_workspace
from tests.conftest import NOW, _postgres_database
from tests.driver import SlackDriver
from tests.helpers import Sweeps
from tests.history import rich_workspace

# Tables the rich workspace leaves empty: the team mailbox and calendar feeds have tests of their own, and no
# command makes a workspace its own question set yet.
NOT_BUILT = {"calendar_feeds", "calendar_meetings", "email_contacts", "emails", "mailboxes", "unmatched_emails",
             "question_sets"}  # fmt: skip


def exported(engine: Engine, team_id: str = "T1") -> bytes:
    """The workspace's export, as bytes."""
    target = io.BytesIO()
    export_workspace(engine, team_id=team_id, target=target, now=NOW)
    return target.getvalue()


def contents(data: bytes) -> dict[str, bytes]:
    """Every file in a ZIP, by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def every_row(engine: Engine, *teams: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows of these workspaces, by primary key, as the ORM types them."""
    with engine.connect() as connection:
        return {
            table.name: [tuple(row) for row in connection.execute(
                select(table).where(table.c.team_id.in_(teams)).order_by(*table.primary_key.columns))]
            for table in Base.metadata.sorted_tables
        }  # fmt: skip


@pytest.fixture
def empty_engine(empty_database_url: str) -> Iterator[Engine]:
    """A migrated database on the same backend with no workspace in it."""
    engine = make_engine(empty_database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def other_backend_engine(database_url: str, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database on the other backend: SQLite's export goes to PostgreSQL, and back."""
    if make_url(database_url).get_backend_name() != "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
        upgrade(engine)
        yield engine
        engine.dispose()
        return
    with _postgres_database() as url:
        engine = make_engine(url)
        upgrade(engine)
        yield engine
        engine.dispose()


@pytest.fixture
def rich(slack: SlackDriver, session: Session, sweeps: Sweeps, clock: FixedClock, engine: Engine) -> bytes:
    """The rich workspace, exported."""
    rich_workspace(slack, session, sweeps, clock)
    return exported(engine)


def test_every_table_is_exported_or_deliberately_left_out() -> None:
    names = {table.name for table in exported_tables()}
    assert names | set(EXCLUDED) == set(Base.metadata.tables)
    assert [t.name for t in Base.metadata.sorted_tables if "team_id" not in t.c and t.name not in EXCLUDED] == []


def test_the_zip_has_a_manifest_and_a_file_per_table(rich: bytes) -> None:
    files = contents(rich)
    manifest = json.loads(files["manifest.json"])
    assert (manifest["format"], manifest["format_version"], manifest["team_id"]) == ("rapport-workspace", 1, "T1")
    assert manifest["format_version"] == FORMAT_VERSION
    [newest] = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert manifest["schema_revision"] == newest  # the migrations' head, whichever it is now
    assert set(files) == {"manifest.json", "shared/question_sets.jsonl"} | {
        f"tables/{t.name}.jsonl" for t in exported_tables()
    }
    empty = {name for name, table in manifest["tables"].items() if table["rows"] == 0}
    assert empty == NOT_BUILT  # everything else has rows: the round trip below restores something of each
    [acme, globex] = [json.loads(line) for line in files["tables/clients.jsonl"].splitlines()]
    assert (acme["name"], globex["name"]) == ("Acme Corp", "Globex")  # T2's Initech stays out
    assert acme["created_at"] == "2026-11-22T09:00:00+00:00"
    events = [json.loads(line) for line in files["tables/client_events.jsonl"].splitlines()]
    moved = next(e for e in events if e["kind"] == "promise_moved")
    assert moved["data"] == {"old": "2026-11-24", "new": "2026-12-02"}  # JSON columns stay JSON


def test_a_workspace_goes_out_and_comes_back_exactly(rich: bytes, engine: Engine, empty_engine: Engine) -> None:
    summary = import_workspace(empty_engine, source=io.BytesIO(rich))
    assert summary.team_id == "T1"
    assert contents(exported(empty_engine)) == contents(rich)
    assert every_row(empty_engine, "T1") == every_row(engine, "T1")
    assert every_row(empty_engine, "T2") == {table.name: [] for table in Base.metadata.sorted_tables}


def test_from_one_database_to_the_other(rich: bytes, engine: Engine, other_backend_engine: Engine) -> None:
    import_workspace(other_backend_engine, source=io.BytesIO(rich))
    assert contents(exported(other_backend_engine)) == contents(rich)
    assert every_row(other_backend_engine, "T1") == every_row(engine, "T1")
    with other_backend_engine.begin() as connection:  # a new row after the restored ones, not on one of their ids
        clients = Base.metadata.tables["clients"]
        highest = connection.scalar(select(func.max(clients.c.id)))
        new = connection.execute(clients.insert().values(
            team_id="T1", name="Hooli", name_key="hooli", is_key=False, created_by="UALICE", created_at=NOW,
            updated_at=NOW).returning(clients.c.id)).scalar_one()  # fmt: skip
    assert new == highest + 1


def test_a_database_that_holds_the_workspace_is_refused(rich: bytes, engine: Engine, empty_engine: Engine) -> None:
    import_workspace(empty_engine, source=io.BytesIO(rich))
    before = every_row(empty_engine, "T1", "T2", "*")
    with pytest.raises(DumpError, match="already holds workspace T1"):
        import_workspace(empty_engine, source=io.BytesIO(rich))
    with pytest.raises(DumpError, match="already holds workspace T1"):
        import_workspace(engine, source=io.BytesIO(rich))
    assert every_row(empty_engine, "T1", "T2", "*") == before


def test_a_damaged_or_foreign_zip_is_refused(rich: bytes, empty_engine: Engine) -> None:
    with pytest.raises(DumpError, match="not a ZIP file"):
        import_workspace(empty_engine, source=io.BytesIO(b"clients,contacts\n"))
    files = contents(rich)
    manifest = json.loads(files["manifest.json"])
    for change, refusal in [({"format_version": 2}, "format version 2"), ({"schema_revision": "0001"}, "0001")]:
        altered = io.BytesIO()
        with zipfile.ZipFile(altered, "w") as archive:
            for name, data in files.items():
                archive.writestr(name, json.dumps({**manifest, **change}) if name == "manifest.json" else data)
        with pytest.raises(DumpError, match=refusal):
            import_workspace(empty_engine, source=io.BytesIO(altered.getvalue()))
    truncated = io.BytesIO()
    with zipfile.ZipFile(truncated, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data.splitlines(keepends=True)[0] if name == "tables/contacts.jsonl" else data)
    with pytest.raises(DumpError, match="row counts differ from the manifest in contacts"):
        import_workspace(empty_engine, source=io.BytesIO(truncated.getvalue()))
    with empty_engine.connect() as connection:
        assert connection.scalar(text("SELECT COUNT(*) FROM workspaces")) == 0


def test_the_commands(
    rich: bytes, database_url: str, empty_database_url: str, empty_engine: Engine, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("DATABASE_URL", database_url)
    out = tmp_path / "t1.zip"
    assert main(["export", "--team", "T1", str(out)]) == 0
    assert capsys.readouterr().out.startswith("rapport: exported workspace T1 (")
    assert contents(out.read_bytes()).keys() == contents(rich).keys()
    assert main(["export", "--team", "T9", str(tmp_path / "t9.zip")]) == 1
    assert "there is no workspace T9 in this database" in capsys.readouterr().err
    assert not (tmp_path / "t9.zip").exists()
    assert main(["export", "--team", "T1", str(tmp_path)]) == 1  # a folder
    assert f"cannot write {tmp_path}" in capsys.readouterr().err
    assert tmp_path.is_dir()
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    assert main(["import-export", str(out)]) == 0
    assert capsys.readouterr().out.startswith("rapport: imported workspace T1 (")
    assert main(["import-export", str(out)]) == 1
    err = capsys.readouterr().err
    assert "this database already holds workspace T1" in err and "nothing was imported" in err


def test_hand_overs_by_every_path_are_on_the_timeline(rich: bytes) -> None:
    events = [json.loads(line) for line in contents(rich)["tables/client_events.jsonl"].splitlines()]
    handed = [(e["actor_id"], e["promise_id"] is not None, e["data"]) for e in events if e["kind"] == "handed_over"]
    assert handed == [
        ("UALICE", False, {"previous": "UALICE", "owner": "UBOB"}),  # /client owner
        ("UBOB", False, {"previous": "UBOB", "owner": "UCAROL"}),  # the nudge's hand-over button
        ("UALICE", False, {"previous": "UDAN", "owner": "UALICE"}),  # 🙋 on Globex's nudge in the team channel
    ]
