"""Reading the team mailbox's new messages into contacts, or into the unmatched list: the sweep's mail step.

Slack (auth.test, users.lookupByEmail) and IMAP are never waited on inside a transaction. Per batch: one read-only
look at the client addresses and the people we know by address, Slack for the addresses we don't, then one unit
of work that records the batch and moves the folder's position past it; only after that commit are the messages
that became contacts marked \\Seen. A batch that fails is not committed and is read again by the next sweep.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from domain.clients import ensure_workspace
from domain.mail_matching import Reading, client_book, is_teammate, people_by_address, read_as, teammate_of
from domain.mail_parsing import read_mail
from domain.mail_record import Where, Why, record_email, record_unmatched
from domain.mail_text import Mail, Received
from domain.mailboxes import move_position, read_position
from domain.people import Profile, store_profiles
from services.directory import email_lookup
from services.imap_address import MailboxAddress
from services.mailbox import Fetched, Mailbox, open_mailbox
from storage.db import read_only, unit_of_work

log = logging.getLogger("rapport.mail")
BATCH = 50  # messages fetched, looked up and recorded together
MAX_PER_POLL = 500  # a mailbox with a backlog is read over several sweeps, so one sweep never takes long


@dataclass
class MailReport:
    """What one poll did."""

    read: int = 0
    contacts: int = 0  # emails kept (each a contact with every client it is with)
    unmatched: int = 0


@dataclass(frozen=True)
class _Batch:
    """A batch of messages read, as the poll records them."""

    team_id: str
    uidvalidity: int
    readings: dict[int, Reading]  # the messages that could be read
    known: dict[str, Profile]  # people by address, from the database and Slack


class MailPoller:
    """Polls one mailbox folder (IMAP_URL) for one workspace: the one the bot token belongs to."""

    def __init__(self, sessions: sessionmaker[Session], slack: WebClient, address: MailboxAddress) -> None:
        self.sessions = sessions
        self.slack = slack
        self.address = address
        self._team_id: str | None = None

    def poll(self, *, now: datetime) -> MailReport:
        """Read what came since the last poll (at most MAX_PER_POLL messages)."""
        team_id = self._team()
        report = MailReport()
        with open_mailbox(self.address) as box:
            with read_only(self.sessions) as session:
                position = read_position(session, team_id=team_id, mailbox=self.address.name,
                                         uidvalidity=box.uidvalidity)  # fmt: skip
            if position.restarted:
                log.warning("mailbox %s: UIDVALIDITY changed; reading the folder again (each email counts once)",
                            self.address.name)  # fmt: skip
            uids = box.new_uids(after=position.last_uid)[:MAX_PER_POLL]
            for start in range(0, len(uids), BATCH):
                chunk = uids[start : start + BATCH]
                box.mark_seen(self._batch(box, team_id, box.fetch(chunk), last_uid=chunk[-1], now=now, report=report))
            if not uids:
                self._move(team_id, box.uidvalidity, position.last_uid, now)
        return report

    def _team(self) -> str:
        """The workspace the bot token belongs to (auth.test, asked once): every row the mailbox writes is its."""
        if self._team_id is None:
            self._team_id = str(self.slack.auth_test()["team_id"])
        return self._team_id

    def _batch(
        self, box: Mailbox, team_id: str, fetched: list[Fetched], *, last_uid: int, now: datetime, report: MailReport
    ) -> list[int]:
        """Read, match and record a batch; the UIDs of the messages that are contacts (to be marked \\Seen)."""
        messages = [(f.uid, _read(f)) for f in fetched]
        with read_only(self.sessions) as session:
            book = client_book(session, team_id=team_id)
            readings = {uid: read_as(r, book, mailbox_user=self.address.user) for uid, r in messages if r}
            wanted = {a for r in readings.values() for a, _ in r.candidates}
            known = people_by_address(session, team_id=team_id, addresses=wanted)
        asked = self._ask_slack(team_id, readings.values(), known)
        batch = _Batch(team_id, box.uidvalidity, readings, known)
        with unit_of_work(self.sessions) as session:
            ensure_workspace(session, team_id=team_id, now=now)
            store_profiles(session, dict(sorted(asked.items())), now=now)
            seen = [uid for uid, received in messages if self._record(session, batch, uid, received, now, report)]
            move_position(session, team_id=team_id, mailbox=self.address.name, uidvalidity=box.uidvalidity,
                          last_uid=last_uid, now=now)  # fmt: skip
        report.read += len(messages)
        return seen

    def _ask_slack(
        self, team_id: str, readings: Iterable[Reading], known: dict[str, Profile]
    ) -> dict[tuple[str, str], Profile | None]:
        """users.lookupByEmail for a client email's candidates, in order, until one is a teammate (adds to known)."""
        ask, missed = email_lookup(self.slack), set[str]()
        asked: dict[tuple[str, str], Profile | None] = {}
        for reading in (r for r in readings if r.clients):
            for address, _ in reading.candidates:
                if address not in known and address not in missed:
                    found = ask(address)
                    if found is None:
                        missed.add(address)
                        continue
                    known[address] = asked[(team_id, found.user_id)] = found
                if address in known and is_teammate(known[address], team_id=team_id):
                    break
        return asked

    def _record(
        self, session: Session, batch: _Batch, uid: int, received: Received | None, now: datetime, report: MailReport
    ) -> bool:
        """Record one message: True when it is a client's email with a teammate (a contact, new or not)."""
        where = Where(self.address.name, batch.uidvalidity, uid)
        reading = batch.readings.get(uid)
        chosen = teammate_of(reading, batch.known, team_id=batch.team_id) if reading and reading.clients else None
        if chosen is None or reading is None:
            why = Why.UNREADABLE if reading is None else Why.NO_TEAMMATE if reading.clients else Why.NO_CLIENT
            shown = received.mail if received else _unreadable(uid, batch.uidvalidity)
            counted = reading.mail if reading else shown
            report.unmatched += record_unmatched(session, team_id=batch.team_id, counted=counted, shown=shown,
                                                 why=why, where=where, now=now)  # fmt: skip
            return False
        teammate, found_by = chosen
        forwarder = batch.known.get(reading.forwarder or "")
        tz = forwarder.tz if forwarder is not None else teammate.tz  # an inline forward's clock is its forwarder's
        report.contacts += record_email(session, team_id=batch.team_id, reading=reading, teammate=teammate,
                                        found_by=found_by, where=where, now=now, tz=tz)  # fmt: skip
        return True

    def _move(self, team_id: str, uidvalidity: int, last_uid: int, now: datetime) -> None:
        with unit_of_work(self.sessions) as session:
            move_position(session, team_id=team_id, mailbox=self.address.name, uidvalidity=uidvalidity,
                          last_uid=last_uid, now=now)  # fmt: skip


def _read(fetched: Fetched) -> Received | None:
    """The message read, or None when it cannot be read at all (listed as unreadable, left unread)."""
    try:
        return read_mail(fetched.raw)
    except Exception:  # a mail from anyone on the internet: no message may stop the others (ours to look at)
        log.warning("mailbox message %s could not be read", fetched.uid, exc_info=True)
        return None


def _unreadable(uid: int, uidvalidity: int) -> Mail:
    """An unreadable message as the unmatched list shows it: its place in the mailbox is all we know."""
    return Mail(f"unreadable:{uidvalidity}:{uid}", None, (), (), "", "", "", None, None, "", "")
