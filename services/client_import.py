"""Importing a book of clients, for `rapport import` and the App Home's **Import clients**: Slack first, then one
transaction.

The owners and people a file names are looked up before any transaction (users.info, users.lookupByEmail for
owners given by address); the dry run reads in a read-only transaction, and the import plans again and writes in
one transaction, so a row gone bad in between still stops it all.
"""

from __future__ import annotations

from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from domain.import_apply import import_clients
from domain.import_csv import FILE_MAX, Book, read_book
from domain.import_errors import FileRefusal, FileRefused, ImportRaced
from domain.import_plan import Directory, Plan, plan_import
from domain.mail_matching import is_teammate
from domain.people import Profile
from services.directory import email_lookup, look_up
from services.slack_files import Upload, read_upload
from storage.db import read_only, unit_of_work


def dry_run(
    sessions: sessionmaker[Session], slack: WebClient, *, team_id: str, book: Book, by: str | None, now: datetime
) -> Plan:
    """What importing `book` would do; writes nothing."""
    directory = people_named(sessions, slack, team_id=team_id, book=book, also=by, now=now)
    with read_only(sessions) as session:
        return plan_import(session, team_id=team_id, book=book, directory=directory, by=by)


def apply(
    sessions: sessionmaker[Session], slack: WebClient, *, team_id: str, book: Book, by: str | None, now: datetime
) -> Plan:
    """Import `book` in one transaction: every row, or (ImportRefused) none."""
    directory = people_named(sessions, slack, team_id=team_id, book=book, also=by, now=now)
    try:
        with unit_of_work(sessions) as session:
            return import_clients(session, team_id=team_id, book=book, directory=directory, by=by, now=now)
    except IntegrityError:  # a unique key: someone added the same name, domain or person at the same moment
        raise ImportRaced() from None


def people_named(
    sessions: sessionmaker[Session], slack: WebClient, *, team_id: str, book: Book, also: str | None, now: datetime
) -> Directory:
    """The owners and Slack people `book` names (and `also`, who imports), as Slack describes them.

    A Slack failure is raised. Their profile addresses tell the team's own domains too, never a client's.
    """
    owners = book.owners()
    user_ids = {o for o in owners if "@" not in o} | book.slack_people() | ({also} if also else set())
    known = look_up(sessions, slack, team_id=team_id, user_ids=user_ids, now=now)
    for failed in known.failed.values():
        raise failed
    ask = email_lookup(slack)
    by_email = {address: ask(address) for address in sorted(o for o in owners if "@" in o)}
    by_id: dict[str, Profile | None] = dict(known.found)
    by_id.update({found.user_id: found for found in by_email.values() if found is not None})
    return Directory(by_id=by_id, by_email=by_email)


def check_upload(
    sessions: sessionmaker[Session], slack: WebClient, *, team_id: str, user_id: str, file_id: str, now: datetime
) -> tuple[Upload, Plan]:
    """A dry run of the CSV file `user_id` uploaded (App Home → Import clients)."""
    upload = _read(sessions, slack, team_id=team_id, user_id=user_id, file_id=file_id, now=now)
    return upload, dry_run(sessions, slack, team_id=team_id, book=read_book(upload.data), by=user_id, now=now)


def apply_upload(
    sessions: sessionmaker[Session], slack: WebClient, *, team_id: str, user_id: str, file_id: str, digest: str,
    now: datetime,
) -> Plan:  # fmt: skip
    """Import the file checked before, read again from Slack: the same file (`digest`), checked again."""
    upload = _read(sessions, slack, team_id=team_id, user_id=user_id, file_id=file_id, now=now)
    if upload.digest != digest:
        raise FileRefused(FileRefusal.CHANGED)
    return apply(sessions, slack, team_id=team_id, book=read_book(upload.data), by=user_id, now=now)


def _read(
    sessions: sessionmaker[Session], slack: WebClient, *, team_id: str, user_id: str, file_id: str, now: datetime
) -> Upload:
    """The file, once the importer is known to be a member of the workspace (who could own its clients)."""
    known = look_up(sessions, slack, team_id=team_id, user_ids=[user_id], now=now)
    importer = known(user_id)
    if importer is None or not is_teammate(importer, team_id=team_id):
        raise FileRefused(FileRefusal.NOT_A_MEMBER)
    return read_upload(slack, file_id=file_id, team_id=team_id, user_id=user_id, limit=FILE_MAX)
