"""`rapport mail unmatched` and `rapport mail poll`: the team mailbox from the command line."""

from __future__ import annotations

from datetime import datetime

from bot.app import make_client
from bot.logs import configure_logging
from bot.settings import DatabaseSettings, Settings
from bot.startup import StartupError, connect_database
from domain.clock import SystemClock
from domain.mailboxes import unmatched_emails
from render.mail import no_unmatched, unmatched_line
from services.failures import SLACK_FAILURES
from services.mail_polling import MailPoller, MailReport
from services.mailbox import MAILBOX_FAILURES, mailbox_failure
from storage.db import make_session_factory, read_only, upgrade
from storage.revisions import schema_revisions


def unmatched_lines(settings: DatabaseSettings, *, limit: int | None) -> list[str]:
    """One line per message that made no contact, newest first; changes nothing (no upgrade either)."""
    configure_logging(settings.log_level)
    engine = connect_database(url=settings.database_url)
    try:
        if not schema_revisions(engine=engine).up_to_date:
            raise StartupError("the database is not at the newest schema: run `rapport migrate` first")
        with read_only(make_session_factory(engine)) as session:
            rows = unmatched_emails(session, limit=limit)
        return [unmatched_line(row) for row in rows] or [no_unmatched()]
    finally:
        engine.dispose()


def poll_once(settings: Settings, now: datetime | None) -> MailReport:
    """Read the team mailbox now, as a sweep would, and nothing else."""
    configure_logging(settings.log_level)
    if settings.mailbox is None:
        raise StartupError("IMAP_URL is not set: there is no team mailbox to read")
    engine = connect_database(url=settings.database_url)
    try:
        upgrade(engine)
        poller = MailPoller(make_session_factory(engine), make_client(settings), settings.mailbox)
        try:
            return poller.poll(now=now or SystemClock().now())
        except (*MAILBOX_FAILURES, *SLACK_FAILURES) as exc:  # one line, no traceback (no password in it either)
            why = mailbox_failure(exc, settings.mailbox)
            raise StartupError(f"mailbox {settings.mailbox.name} not read: {why}") from None
    finally:
        engine.dispose()
