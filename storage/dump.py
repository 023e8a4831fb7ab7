"""A whole workspace as one ZIP and back: every table with team_id, read from SQLAlchemy's metadata.

Layout (format version 1): `manifest.json`, then `tables/<table>.jsonl` (one JSON object per row, the table's
columns in order, rows by primary key) for every exported table, and `shared/question_sets.jsonl` (the default
question sets, team_id "*", that the workspace's surveys use: checked on import, never written).
Values: timestamps ISO 8601 in UTC with their offset, dates ISO 8601, JSON columns as JSON, NULL as null.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from sqlalchemy import Connection, Date, Engine, Integer, Table, func, select, text
from sqlalchemy.exc import IntegrityError

from storage import models  # noqa: F401  (registers every table on Base.metadata)
from storage.base import Base, UTCDateTime
from storage.db import READ_ONLY
from storage.revisions import schema_revisions

FORMAT = "rapport-workspace"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SHARED_TEAM = "*"  # rows every workspace shares (the default question sets, seeded by migration 0003)
SHARED_COLUMNS = ("id", "team_id", "version", "items")  # what makes a shared question set the same one (not when)
# Tables deliberately left out of a workspace's export, and why. A table without team_id must be listed here.
EXCLUDED: dict[str, str] = {}
BATCH = 1000


class DumpError(Exception):
    """The export or import cannot be done; the message says why, and nothing was written."""


@dataclass(frozen=True)
class DumpSummary:
    """What a ZIP holds (or what was restored): rows per table."""

    team_id: str
    schema_revision: str
    rows: dict[str, int]

    @property
    def total(self) -> int:
        """Rows in all tables."""
        return sum(self.rows.values())


def exported_tables() -> list[Table]:
    """Every table a workspace export holds, parents before children (the order they are restored in)."""
    return [t for t in Base.metadata.sorted_tables if t.name not in EXCLUDED and "team_id" in t.c]


def table_file(table: Table) -> str:
    """Where a table's rows are in the ZIP."""
    return f"tables/{table.name}.jsonl"


def shared_file(table: Table) -> str:
    """Where a table's shared rows (team_id "*") that the workspace uses are in the ZIP."""
    return f"shared/{table.name}.jsonl"


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """A row read from the ZIP, with each value typed as its column wants it."""
    if set(row) != set(table.c.keys()):
        raise DumpError(
            f"{table.name}: the file's columns are not the database's ({sorted(set(row) ^ set(table.c.keys()))})"
        )
    decoded = {}
    for name, value in row.items():
        kind = table.c[name].type
        if value is not None and isinstance(kind, UTCDateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(kind, Date):
            value = date.fromisoformat(value)
        decoded[name] = value
    return decoded


def _line(row: Any) -> bytes:
    return (json.dumps({k: _encode(v) for k, v in row._mapping.items()}, ensure_ascii=False) + "\n").encode("utf-8")


def _rows(connection: Connection, table: Table, *, team_id: str, columns: tuple[str, ...] = ()) -> Iterator[Any]:
    chosen = [table.c[name] for name in columns] if columns else [table]
    query = select(*chosen).where(table.c.team_id == team_id).order_by(*table.primary_key.columns)
    yield from connection.execution_options(stream_results=True, yield_per=BATCH).execute(query)


def _write_table(archive: zipfile.ZipFile, name: str, rows: Iterator[Any], stamp: tuple[int, ...]) -> int:
    count = 0
    with archive.open(zipfile.ZipInfo(name, date_time=stamp[:6]), "w") as out:  # type: ignore[arg-type]
        for row in rows:
            out.write(_line(row))
            count += 1
    return count


def _revision(engine: Engine) -> str:
    revisions = schema_revisions(engine=engine)
    if not revisions.up_to_date:
        raise DumpError("the database is not at the newest schema: run `rapport migrate` first")
    return ",".join(revisions.current)


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """One read-only transaction that sees one moment: every table as it was when the export began."""
    options: dict[str, Any] = {READ_ONLY: True}
    if engine.dialect.name == "postgresql":
        options["isolation_level"] = "REPEATABLE READ"
    with engine.connect() as connection:
        connection = connection.execution_options(**options)
        with connection.begin():
            yield connection


def export_workspace(engine: Engine, *, team_id: str, target: IO[bytes], now: datetime) -> DumpSummary:
    """Write every row of the workspace (and the shared rows it uses) to `target` as a ZIP; changes nothing."""
    revision = _revision(engine)
    workspaces = Base.metadata.tables["workspaces"]
    stamp = now.timetuple()[:6]
    with _snapshot(engine) as connection, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        if connection.scalar(select(func.count()).where(workspaces.c.team_id == team_id)) == 0:
            raise DumpError(f"there is no workspace {team_id} in this database")
        rows = {t.name: _write_table(archive, table_file(t), _rows(connection, t, team_id=team_id), stamp)
                for t in exported_tables()}  # fmt: skip
        question_sets = Base.metadata.tables["question_sets"]
        defaults = _rows(connection, question_sets, team_id=SHARED_TEAM, columns=SHARED_COLUMNS)
        shared = _write_table(archive, shared_file(question_sets), defaults, stamp)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema_revision": revision,
            "team_id": team_id,
            "exported_at": now.isoformat(),
            "tables": {
                t.name: {"file": table_file(t), "rows": rows[t.name], "columns": list(t.c.keys())}
                for t in exported_tables()
            },
            "shared": {"question_sets": {"file": shared_file(question_sets), "rows": shared}},
        }
        info = zipfile.ZipInfo(MANIFEST, date_time=stamp)
        archive.writestr(info, json.dumps(manifest, indent=2) + "\n")
    return DumpSummary(team_id=team_id, schema_revision=revision, rows=rows)


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    """The ZIP's manifest, checked to be one we can read."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError):
        raise DumpError(f"not a rapport workspace export: no readable {MANIFEST}") from None
    if manifest.get("format") != FORMAT:
        raise DumpError(f"not a rapport workspace export (format {manifest.get('format')!r})")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise DumpError(f"export format version {manifest.get('format_version')} is not {FORMAT_VERSION}, "
                        "the one this rapport reads")  # fmt: skip
    return manifest


def _file_rows(archive: zipfile.ZipFile, table: Table, name: str) -> Iterator[dict[str, Any]]:
    with archive.open(name) as lines:
        for line in lines:
            yield _decode(table, json.loads(line))


def _check_empty(connection: Connection, team_id: str) -> None:
    for table in exported_tables():
        if connection.scalar(select(func.count()).select_from(table).where(table.c.team_id == team_id)):
            raise DumpError(f"this database already holds workspace {team_id} (rows in {table.name}): "
                            "import into an empty database")  # fmt: skip


def _check_shared(connection: Connection, archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """The default question sets the export's surveys use must be the same here (same ids, versions, items)."""
    question_sets = Base.metadata.tables["question_sets"]
    with archive.open(manifest["shared"]["question_sets"]["file"]) as lines:
        shared = [json.loads(line) for line in lines]
    for row in shared:
        here = connection.execute(select(question_sets).where(question_sets.c.id == row["id"])).first()
        if here is None or here.team_id != SHARED_TEAM or here.items != row["items"] or here.version != row["version"]:
            raise DumpError(f"the default question set {row['id']} (version {row['version']}) differs in this database")


def _insert(connection: Connection, table: Table, rows: Iterator[dict[str, Any]]) -> int:
    count, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            connection.execute(table.insert(), batch)
            count, batch = count + len(batch), []
    if batch:
        connection.execute(table.insert(), batch)
    return count + len(batch)


def _reset_sequences(connection: Connection) -> None:
    """PostgreSQL: ids given explicitly leave the sequences behind; the next row would take a restored id."""
    for table in Base.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        if len(keys) == 1 and isinstance(keys[0].type, Integer) and keys[0].autoincrement in (True, "auto"):
            column = keys[0].name
            connection.execute(
                text(f'SELECT setval(pg_get_serial_sequence(:table, :column), '
                     f'COALESCE((SELECT MAX("{column}") FROM "{table.name}"), 0) + 1, false)'),
                {"table": table.name, "column": column},
            )  # fmt: skip


def import_workspace(engine: Engine, *, source: IO[bytes]) -> DumpSummary:
    """Restore an export into a database that holds nothing of its workspace, in one transaction, ids and all."""
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile:
        raise DumpError("not a ZIP file") from None
    with archive:
        manifest = read_manifest(archive)
        team_id, revision = manifest["team_id"], _revision(engine)
        if manifest["schema_revision"] != revision:
            raise DumpError(f"the export is of schema revision {manifest['schema_revision']}, this database is at "
                            f"{revision}: use the rapport version that made it")  # fmt: skip
        tables = manifest["tables"]
        unknown = sorted(set(tables) ^ {t.name for t in exported_tables()})
        if unknown:
            raise DumpError(f"the export's tables are not this database's: {', '.join(unknown)}")
        try:
            with engine.begin() as connection:
                _check_empty(connection, team_id)
                _check_shared(connection, archive, manifest)
                rows = {t.name: _insert(connection, t, _file_rows(archive, t, tables[t.name]["file"]))
                        for t in exported_tables()}  # fmt: skip
                short = sorted(name for name, count in rows.items() if count != tables[name]["rows"])
                if short:
                    raise DumpError(f"the export is damaged: row counts differ from the manifest in {', '.join(short)}")
                if connection.dialect.name == "postgresql":
                    _reset_sequences(connection)
        except IntegrityError:
            raise DumpError("rows of the export clash with rows already in this database (ids): "
                            "import into an empty database") from None  # fmt: skip
    return DumpSummary(team_id=team_id, schema_revision=revision, rows=rows)
