"""A sponsor's clock moves with their own mail to the client (the team mailbox), and not with the owner's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.settings import Settings
from fakes.imap_server import Account
from fakes.slack import FakeSlack
from storage.boss_models import ClientSponsor
from tests.conftest import NOW
from tests.driver import SlackDriver
from tests.helpers import Sweeps, ask, fresh
from tests.mail import ALICE, BOB, JO, client_domain, deliver, email_contacts, mail, mail_settings, teammates


@pytest.fixture
def settings(fake_slack: FakeSlack, database_url: str, mailbox: Account) -> Settings:
    return mail_settings(fake_slack, database_url, mailbox.url())


def test_the_sponsors_own_email_resets_their_clock_and_the_owners_does_not(
    slack: SlackDriver, session: Session, sweeps: Sweeps, mailbox: Account, acme_without_contacts: None
) -> None:
    client_domain(session, "acme.com")
    teammates(slack.fake)
    ask(slack, "sponsor acme <@UBOB|bob> every 30d")
    by_alice, by_bob = NOW + timedelta(days=1), NOW + timedelta(days=2)
    deliver(mailbox, mail(sender=f"Alice <{ALICE}>", to=JO, subject="Invoice", sent=by_alice, body="Hi Jo"))
    sweeps.at(by_alice + timedelta(hours=1))
    row = fresh(session).scalars(select(ClientSponsor)).one()
    assert (row.last_contact_at, row.due_at) == (None, NOW + timedelta(days=30))
    deliver(mailbox, mail(sender=f"Bob <{BOB}>", to=JO, subject="Our next year", sent=by_bob, body="Dear Jo"))
    sweeps.at(by_bob + timedelta(hours=1))
    assert [(c.user_id, c.source) for c in email_contacts(session)] == [("UALICE", "email"), ("UBOB", "email")]
    row = fresh(session).scalars(select(ClientSponsor)).one()
    assert (row.last_contact_at, row.due_at) == (by_bob, by_bob + timedelta(days=30))
