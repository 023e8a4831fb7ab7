"""`rapport` and `python -m bot`: one CLI."""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.settings import Settings, SettingsError, load_database_settings, load_settings
from bot.startup import StartupError


def parser() -> argparse.ArgumentParser:
    """The command line: `serve` (default), `migrate`, `sweep`, `check`, `mail`, `import`, `export`, `import-export`."""
    root = argparse.ArgumentParser(
        prog="rapport",
        description="rapport: a Slack bot that keeps a service team's client relationships healthy.",
        epilog="Settings come from the environment or a .env file; see .env.example. Exit status: 0 done, "
        "1 failed (Slack, the database, a check), 2 a setting is missing or invalid.",
    )
    commands = root.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="serve Slack (the default): HTTP on PORT, or Socket Mode when SLACK_APP_TOKEN is set",
        description="Upgrade the database, then serve Slack: HTTP on PORT at /slack/events (health check at "
        "/healthz), or Socket Mode when SLACK_APP_TOKEN is set.",
    )
    serve.add_argument("--port", type=int, help="listen on this port instead of PORT")
    commands.add_parser(
        "migrate",
        help="upgrade the database schema and exit",
        description="Upgrade DATABASE_URL to the newest schema. Needs DATABASE_URL only, no Slack settings.",
    )
    _add_sweep(commands)
    _add_mail(commands)
    _add_import(commands)
    _add_export(commands)
    commands.add_parser(
        "check",
        help="check the Slack token, its scopes and the database, and exit (1 when any check fails)",
        description="Check that Slack accepts SLACK_BOT_TOKEN (showing the workspace and the bot user), that it was "
        "granted every bot scope manifest.yml lists, and that DATABASE_URL answers and is at the newest migration. "
        "One line per check; changes nothing (no upgrade, no database file created). Exit 0 when all pass, 1 when "
        "any fails.",
    )
    return root


def _add_sweep(commands: Any) -> None:
    """`rapport sweep [--now ISO-8601]`."""
    sweep = commands.add_parser(
        "sweep",
        help="run one nudge sweep and exit (for cron or a Kubernetes CronJob)",
        description="Post the nudges that are due now (quiet key clients, promises due or slipped), the reminders "
        "and the team-channel posts, then exit. Safe to run while servers sweep too: each nudge is posted once.",
    )
    sweep.add_argument(
        "--now",
        type=_instant,
        metavar="ISO-8601",
        help="sweep as if it were this time, e.g. 2026-11-23T09:30:00+01:00 (UTC when no offset is given)",
    )


def _add_mail(commands: Any) -> None:
    """`rapport mail unmatched [--limit N]` and `rapport mail poll [--now ISO-8601]`."""
    mail = commands.add_parser(
        "mail",
        help="the team mailbox (IMAP_URL): list the messages that made no contact, or read it now",
        description="The team mailbox that people BCC or forward client email to (IMAP_URL).",
    )
    actions = mail.add_subparsers(dest="mail_command", metavar="ACTION", required=True)
    unmatched = actions.add_parser(
        "unmatched",
        help="list the messages that matched no client or no teammate, newest first",
        description="One line per message read from the team mailbox that made no contact: when it was sent (UTC), "
        "who from, its subject, and why (no client, or no teammate). They stay unread in the mailbox. Needs "
        "DATABASE_URL only; changes nothing.",
    )
    unmatched.add_argument("--limit", type=int, metavar="N", help="show only the newest N")
    poll = actions.add_parser(
        "poll",
        help="read the team mailbox now, as a sweep does, and exit",
        description="Read the team mailbox's new messages into contacts (or the unmatched list) now, without "
        "sweeping for nudges. Needs the Slack settings and IMAP_URL.",
    )
    poll.add_argument("--now", type=_instant, metavar="ISO-8601", help="read as if it were this time (UTC default)")


def _add_import(commands: Any) -> None:
    """`rapport import FILE --team T… [--apply]`."""
    from render.imports import cli_format_help

    command = commands.add_parser(
        "import",
        help="import a book of clients from a CSV file (a dry run unless --apply)",
        description=textwrap.fill(
            "Read a CSV file of clients and print, row by row, what importing it would do: create, update (and "
            "what changes) or unchanged. With --apply, do it, all rows in one transaction. Rows that cannot be "
            "imported are listed with their line numbers, and then nothing is imported (exit status 1).",
            100,
        ),
        epilog=cli_format_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument("file", type=Path, metavar="FILE", help="the CSV file")
    command.add_argument("--team", required=True, type=_team, metavar="T…",
                         help="the workspace's id (T…), the one SLACK_BOT_TOKEN belongs to")  # fmt: skip
    command.add_argument("--apply", action="store_true", help="import the clients (without it: a dry run)")


def _add_export(commands: Any) -> None:
    """`rapport export --team T… FILE.zip` and `rapport import-export FILE.zip`."""
    export = commands.add_parser(
        "export",
        help="export a whole workspace (every table's rows) to a ZIP file",
        description="Write every row the workspace has in every table to a ZIP file: manifest.json (the format "
        "version and the schema revision) and one JSON Lines file per table (see README, Workspace export). "
        "Needs DATABASE_URL only; changes nothing.",
    )
    export.add_argument("--team", required=True, type=_team, metavar="T…", help="the workspace's id (T…)")
    export.add_argument("file", type=Path, metavar="FILE.zip", help="the ZIP file to write")
    restore = commands.add_parser(
        "import-export",
        help="restore a workspace from a `rapport export` ZIP into an empty database",
        description="Restore a workspace exported by `rapport export` exactly (ids, timestamps, everything) into "
        "a database at the same schema revision that holds nothing of that workspace (run `rapport migrate` "
        "first). Refused, writing nothing, when the database already holds it. Needs DATABASE_URL only.",
    )
    restore.add_argument("file", type=Path, metavar="FILE.zip", help="the ZIP file `rapport export` wrote")


def _team(text: str) -> str:
    """A workspace id as Slack writes it: T followed by capitals and digits."""
    if not re.fullmatch(r"[TE][A-Z0-9]{1,31}", text):
        raise argparse.ArgumentTypeError(f"not a Slack workspace id (T…): {text!r}")
    return text


def _instant(text: str) -> datetime:
    """An ISO 8601 time; naive means UTC."""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = parser().parse_args(argv)
    command = args.command or "serve"
    try:
        return _run(command, args)
    except SettingsError as exc:
        print(f"rapport: {exc}", file=sys.stderr)
        return 2
    except StartupError as exc:
        print(f"rapport: {exc}", file=sys.stderr)
        return 1


def _run(command: str, args: argparse.Namespace) -> int:
    # Settings are read (and refused) before anything else happens, so a bad one leaves nothing on disk.
    if command == "mail" and args.mail_command == "unmatched":
        from bot.mail_commands import unmatched_lines

        print("\n".join(unmatched_lines(load_database_settings(), limit=args.limit)))
        return 0
    if command in ("export", "import-export"):
        from bot.export_command import export_to_file, import_from_file

        if command == "export":
            return export_to_file(load_database_settings(), team_id=args.team, path=args.file)
        return import_from_file(load_database_settings(), path=args.file)
    if command == "migrate":
        from bot.main import migrate

        migrate(load_database_settings())
        print("rapport: database is up to date")
        return 0
    overrides = {"port": args.port} if command == "serve" and getattr(args, "port", None) else {}
    return _run_with_slack(command, args, load_settings(**overrides))


def _run_with_slack(command: str, args: argparse.Namespace, settings: Settings) -> int:
    """The commands that need the Slack settings too."""
    if command == "check":
        from bot.check import run_checks

        passed = True
        for outcome in run_checks(settings=settings):
            print(outcome.line(), flush=True)
            passed = passed and outcome.ok
        return 0 if passed else 1
    if command == "sweep":
        from bot.main import sweep_once

        print(f"rapport: {sweep_once(settings, args.now)}")
        return 0
    if command == "import":
        from bot.import_command import import_book

        return import_book(settings, path=args.file, team_id=args.team, write=args.apply)
    if command == "mail":
        from bot.mail_commands import poll_once

        found = poll_once(settings, args.now)
        print(f"rapport: {found.read} emails read, {found.contacts} contacts from email, {found.unmatched} unmatched")
        return 0
    from bot.main import serve

    serve(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
