"""`rapport check`: will rapport work here? The Slack token, its scopes, the database, the team mailbox (when
IMAP_URL is set), the SMTP server for survey emails (when SMTP_URL is set); one line per check."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import yaml
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from bot.settings import Settings
from bot.startup import Identity, StartupError, connect_database, database_unreachable, identify, shown_url
from services.imap_address import MailboxAddress
from services.mailbox import MAILBOX_FAILURES, mailbox_failure, open_mailbox
from services.smtp_address import SmtpAddress
from services.survey_mail import connect
from storage.revisions import schema_revisions

MANIFEST = "manifest.yml"
CHECK_TIMEOUT = 10  # seconds to reach the mailbox: a check that hangs tells nobody anything


@dataclass(frozen=True)
class Outcome:
    """One check's result, as the line to print."""

    ok: bool
    text: str

    def line(self) -> str:
        """`ok   …` or `FAIL …`: plain ASCII, so any terminal or log shows it."""
        return f"{'ok  ' if self.ok else 'FAIL'} {self.text}"


class ManifestNotFound(Exception):
    """manifest.yml is neither in the installed package nor beside the source."""


def run_checks(*, settings: Settings) -> Iterator[Outcome]:
    """Every check in turn; the scopes are checked only once the token is accepted."""
    try:
        identity = identify(token=settings.slack_bot_token.get_secret_value(), api_url=settings.slack_api_url)
    except StartupError as exc:
        yield Outcome(False, f"Slack token: {exc}")
    else:
        yield Outcome(
            True,
            f"Slack token: accepted in workspace {identity.team} ({identity.team_id}) "
            f"as bot user {identity.user} ({identity.user_id})",
        )
        yield check_scopes(identity=identity)
    yield check_database(url=settings.database_url)
    if settings.mailbox is not None:
        yield check_mailbox(address=settings.mailbox)
    if settings.smtp is not None:
        yield check_smtp(address=settings.smtp)


def check_scopes(*, identity: Identity) -> Outcome:
    """The bot scopes manifest.yml asks for are all granted to SLACK_BOT_TOKEN (extra ones are fine)."""
    try:
        wanted = manifest_bot_scopes()
    except ManifestNotFound as exc:
        return Outcome(False, f"scopes: {exc}")
    if identity.scopes is None:
        return Outcome(False, "scopes: Slack's auth.test sent no x-oauth-scopes header, so they cannot be compared")
    missing = sorted(wanted - identity.scopes)
    if missing:
        return Outcome(
            False,
            f"scopes: SLACK_BOT_TOKEN lacks {', '.join(missing)} (listed in manifest.yml): add them under "
            "OAuth & Permissions and reinstall the app",
        )
    return Outcome(True, f"scopes: all {len(wanted)} bot scopes in manifest.yml are granted")


def check_database(*, url: str) -> Outcome:
    """The database answers and is at the newest migration; it is neither created nor upgraded here."""
    shown = shown_url(url)
    missing = _missing_sqlite_file(url)
    if missing is not None:
        return Outcome(
            False, f"database: no SQLite file at {missing} (DATABASE_URL={shown}): `rapport migrate` makes it"
        )
    try:
        engine = connect_database(url=url)
    except StartupError as exc:
        return Outcome(False, f"database: {exc}")
    try:
        revisions = schema_revisions(engine=engine)
    except DBAPIError as exc:
        return Outcome(False, f"database: {database_unreachable(url, exc)}")
    finally:
        engine.dispose()
    newest = ", ".join(revisions.newest)
    if revisions.up_to_date:
        return Outcome(True, f"database: {shown} answers and is at the newest migration ({newest})")
    current = ", ".join(revisions.current) or "no schema yet"
    return Outcome(False, f"database: {shown} is at {current}, the newest migration is {newest}: run `rapport migrate`")


def check_mailbox(*, address: MailboxAddress) -> Outcome:
    """The team mailbox (IMAP_URL) accepts the login and has the folder; nothing in it is read or marked."""
    try:
        with open_mailbox(address, timeout=CHECK_TIMEOUT) as box:
            uidvalidity = box.uidvalidity
    except MAILBOX_FAILURES as exc:
        return Outcome(False, f"mailbox: {address.name} ({address.security}): {mailbox_failure(exc, address)}")
    return Outcome(True, f"mailbox: logged in to {address.name} ({address.security}, UIDVALIDITY {uidvalidity})")


def check_smtp(*, address: SmtpAddress) -> Outcome:
    """The SMTP server for survey emails (SMTP_URL) accepts the connection and the login; nothing is sent."""
    try:
        with connect(address, timeout=CHECK_TIMEOUT):
            pass
    except (smtplib.SMTPException, OSError) as exc:
        return Outcome(False, f"smtp: {address.name} ({address.security}): {type(exc).__name__}")
    return Outcome(True, f"smtp: connected to {address.name} ({address.security})")


def manifest_bot_scopes() -> frozenset[str]:
    """The bot scopes manifest.yml lists (shipped inside the package, so an installed rapport has it too)."""
    resource = files("bot").joinpath(MANIFEST)
    if not resource.is_file():
        raise ManifestNotFound(f"{MANIFEST} not found in the installed package (looked for {resource})")
    manifest = yaml.safe_load(resource.read_text(encoding="utf-8"))
    return frozenset(manifest["oauth_config"]["scopes"]["bot"])


def _missing_sqlite_file(url: str) -> Path | None:
    """The SQLite file DATABASE_URL names when it does not exist: connecting would create it, empty."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(str(parsed.database))
    return None if path.exists() else path
