"""`rapport export --team T… out.zip` and `rapport import-export out.zip`: a whole workspace out and back."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from bot.logs import configure_logging
from bot.settings import DatabaseSettings
from bot.startup import StartupError, connect_database
from domain.clock import SystemClock
from storage.dump import DumpError, DumpSummary, export_workspace, import_workspace


def export_to_file(settings: DatabaseSettings, *, team_id: str, path: Path, out: TextIO | None = None) -> int:
    """Write the workspace's every row to a ZIP at `path` (not left behind when the export fails)."""
    configure_logging(settings.log_level)
    engine = connect_database(url=settings.database_url)
    try:
        target = path.open("wb")
    except OSError as exc:
        engine.dispose()
        raise StartupError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with target:
            summary = export_workspace(engine, team_id=team_id, target=target, now=SystemClock().now())
    except (DumpError, OSError) as exc:
        path.unlink(missing_ok=True)  # half a ZIP is no export
        reason = str(exc) if isinstance(exc, DumpError) else f"cannot write {path}: {exc.strerror or exc}"
        raise StartupError(reason) from None
    finally:
        engine.dispose()
    print(_summary("exported", summary, path), file=out or sys.stdout)
    return 0


def import_from_file(settings: DatabaseSettings, *, path: Path, out: TextIO | None = None) -> int:
    """Restore a workspace export into this database, which must hold nothing of that workspace."""
    configure_logging(settings.log_level)
    engine = connect_database(url=settings.database_url)
    try:
        with path.open("rb") as source:
            summary = import_workspace(engine, source=source)
    except DumpError as exc:
        raise StartupError(f"{path}: {exc}; nothing was imported") from None
    except OSError as exc:
        raise StartupError(f"cannot read {path}: {exc.strerror or exc}") from None
    finally:
        engine.dispose()
    print(_summary("imported", summary, path), file=out or sys.stdout)
    return 0


def _summary(done: str, summary: DumpSummary, path: Path) -> str:
    tables = sum(1 for count in summary.rows.values() if count)
    return (f"rapport: {done} workspace {summary.team_id} ({summary.total} rows in {tables} tables, "
            f"schema {summary.schema_revision}): {path}")  # fmt: skip
