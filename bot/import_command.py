"""`rapport import clients.csv --team T… [--apply]`: a book of clients from a CSV file, dry run first."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from bot.app import make_client
from bot.logs import configure_logging
from bot.settings import Settings
from bot.startup import StartupError, connect_database, identify
from domain.clock import SystemClock
from domain.import_csv import FILE_MAX, read_book
from domain.import_errors import BadFile, ImportRaced, ImportRefused, RowProblem
from render.imports import TERMINAL, bad_file_text, entry_line, problem_line, raced_text, refused_summary, summary
from services.client_import import apply, dry_run
from services.failures import SLACK_FAILURES, failure
from storage.db import make_session_factory
from storage.revisions import schema_revisions

DRY_RUN_NOTE = "Dry run: nothing was written. Run it again with --apply to import them."


def import_book(settings: Settings, *, path: Path, team_id: str, write: bool, out: TextIO | None = None) -> int:
    """Print what importing the file does (with `write`, do it in one transaction); 1 when rows are refused."""
    configure_logging(settings.log_level)
    out = out or sys.stdout
    try:
        with path.open("rb") as file:
            data = file.read(FILE_MAX + 1)  # one byte more tells that it is too big, without reading it all
    except OSError as exc:
        raise StartupError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        book = read_book(data)
    except BadFile as exc:
        raise StartupError(f"{path}: {bad_file_text(exc, TERMINAL)}") from None
    me = identify(token=settings.slack_bot_token.get_secret_value(), api_url=settings.slack_api_url)
    if me.team_id != team_id:
        raise StartupError(f"SLACK_BOT_TOKEN belongs to workspace {me.team_id} ({me.team}), not to --team {team_id}")
    engine = connect_database(url=settings.database_url)
    try:
        if not schema_revisions(engine=engine).up_to_date:
            raise StartupError("the database is not at the newest schema: run `rapport migrate` first")
        run = apply if write else dry_run
        plan = run(make_session_factory(engine), make_client(settings), team_id=team_id, book=book, by=None,
                   now=SystemClock().now())  # fmt: skip
    except ImportRefused as refused:
        return _refused(refused.problems, out)
    except ImportRaced:
        raise StartupError(raced_text()) from None
    except SLACK_FAILURES as exc:
        raise StartupError(f"Slack did not answer a look-up of the file's people ({failure(exc)})") from None
    finally:
        engine.dispose()
    if plan.problems:
        return _refused(plan.problems, out)
    for entry in plan.entries:
        print(entry_line(entry, TERMINAL), file=out)
    print(summary(plan, applied=write), file=out)
    if not write:
        print(DRY_RUN_NOTE, file=out)
    return 0


def _refused(problems: list[RowProblem], out: TextIO) -> int:
    for problem in problems:
        print(problem_line(problem.line, problem.error, TERMINAL), file=out)
    print(f"rapport: {refused_summary(problems)}", file=sys.stderr)
    return 1
