"""`rapport` and `python -m bot`: one CLI."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from bot.settings import SettingsError, load_settings


def parser() -> argparse.ArgumentParser:
    """The command line: `serve` (the default), `migrate`, `sweep`."""
    root = argparse.ArgumentParser(
        prog="rapport",
        description="rapport: a Slack bot that keeps a service team's client relationships healthy.",
        epilog="Settings come from the environment or a .env file; see .env.example.",
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
        description="Upgrade DATABASE_URL to the newest schema.",
    )
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
    return root


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
    overrides = {"port": args.port} if command == "serve" and getattr(args, "port", None) else {}
    try:
        settings = load_settings(**overrides)
    except SettingsError as exc:
        print(f"rapport: {exc}", file=sys.stderr)
        return 2
    if command == "sweep":
        from bot.main import sweep_once

        print(f"rapport: {sweep_once(settings, args.now)}")
        return 0
    if command == "migrate":
        from storage.db import make_engine, upgrade

        upgrade(make_engine(settings.database_url))
        print("rapport: database is up to date")
        return 0
    from bot.main import serve

    serve(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
