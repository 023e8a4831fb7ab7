"""`rapport` and `python -m bot`: one CLI."""

from __future__ import annotations

import argparse
import sys

from bot.settings import SettingsError, load_settings


def parser() -> argparse.ArgumentParser:
    """The command line: `serve` (the default), `migrate`."""
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
    return root


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
