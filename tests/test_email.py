"""The team mailbox end to end: mail APPENDed to a real IMAP server, read by the real sweep into contacts.

Client addresses come in through domain.client_addresses (what the `/client person` and `/client domain`
commands call; one test adds them with the commands); teammates are found by their Slack profile's address
(users.lookupByEmail on the fake Slack).
"""

from __future__ import annotations

import logging
import threading
from email import policy
from urllib.parse import quote

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.settings import Settings
from domain.clock import FixedClock
from fakes.imap_server import Account
from fakes.slack import Call, Canned, FakeSlack
from tests.driver import SlackDriver
from tests.helpers import Sweeps, ask, client_named
from tests.mail import (
    ALICE,
    BOB,
    JO,
    MAILBOX_ADDRESS,
    client_domain,
    client_email,
    deliver,
    email_contacts,
    emails,
    forwarded_as_attachment,
    forwarded_inline,
    mail,
    mail_settings,
    person,
    seen,
    teammates,
    unmatched,
    utc,
)


@pytest.fixture
def settings(fake_slack: FakeSlack, database_url: str, mailbox: Account) -> Settings:
    """The app's settings with the team mailbox: plain IMAP on loopback, the password URL-encoded in IMAP_URL."""
    return mail_settings(fake_slack, database_url, mailbox.url())


@pytest.fixture
def acme_mail(slack: SlackDriver, session: Session, acme_without_contacts: None) -> None:
    """Acme Corp (a key client, 14-day cadence) has the domain acme.com; Alice and Bob are teammates by address."""
    client_domain(session, "acme.com")
    teammates(slack.fake)


def test_a_clients_mail_bccd_by_a_teammate_is_a_contact_by_them(
    slack: SlackDriver, session: Session, sweeps: Sweeps, mailbox: Account, acme_mail: None
) -> None:
    sent = utc(21, 15)
    [uid] = deliver(mailbox, mail(sender=f"Alice <{ALICE}>", to=f"Jo Smith <{JO}>", subject="Invoice 42 & terms",
                                  sent=sent, body="Hi Jo,\n\nthe invoice is attached.\n\nAlice"))  # fmt: skip
    report = sweeps.at(utc(22, 9))
    assert (report.emails_read, report.email_contacts, report.emails_unmatched) == (1, 1, 0)
    [contact] = email_contacts(session)
    assert (contact.user_id, contact.source, contact.occurred_at) == ("UALICE", "email", sent)
    assert contact.note == "Invoice 42 &amp; terms"  # stored as Slack sends text, like every note
    [email] = emails(session)
    assert (email.subject, email.found_by, email.forwarded_by) == ("Invoice 42 & terms", "sender", None)
    assert email.text == "Hi Jo,\n\nthe invoice is attached.\n\nAlice"
    assert (email.from_header, email.to_header) == (f"Alice <{ALICE}>", f"Jo Smith <{JO}>")
    assert client_named(session, "Acme Corp").last_contact_at == sent  # the quiet clock moved
    assert seen(mailbox) == {uid: True}
    lookups = slack.fake.calls_to("users.lookupByEmail")
    assert [c.params["email"] for c in lookups] == [ALICE]
    cached = person(session, "UALICE")
    assert cached is not None and cached.email == ALICE  # cached: the next mail from Alice asks Slack nothing
    deliver(mailbox, mail(sender=ALICE, to=JO, subject="Re: Invoice 42", sent=utc(22, 10), body="Paid?"))
    assert sweeps.at(utc(22, 11)).email_contacts == 1
    assert len(slack.fake.calls_to("users.lookupByEmail")) == 1
    assert sweeps.at(utc(22, 12)).emails_read == 0  # nothing new: nothing read again


def test_people_and_domains_match_without_regard_to_case_subdomains_included(
    slack: SlackDriver, session: Session, sweeps: Sweeps, mailbox: Account, acme_mail: None
) -> None:
    slack.command("add Globex")
    client_email(session, "Pat@Globex-Mail.com", client="Globex")
    client_email(session, "vip@acme.com", client="Globex")  # a person's own entry wins over their domain's client
    deliver(
        mailbox,
        mail(sender=ALICE, to="JO@Mail.ACME.com", subject="subdomain", sent=utc(21, 9), body="."),
        mail(sender=ALICE, to="pat@globex-mail.com", subject="person", sent=utc(21, 10), body="."),
        mail(sender=ALICE, to="pat@globex-mail.com", cc=JO, subject="both", sent=utc(21, 11), body="."),
        mail(sender=ALICE, to="vip@acme.com", subject="vip", sent=utc(21, 12), body="."),
        mail(sender=ALICE, to="someone@notacme.com", subject="look-alike", sent=utc(21, 13), body="."),
    )
    sweeps.at(utc(22, 9))
    acme, globex = client_named(session, "Acme Corp").id, client_named(session, "Globex").id
    made = sorted((c.note, c.client_id) for c in email_contacts(session))
    assert made == sorted([("subdomain", acme), ("person", globex), ("both", acme), ("both", globex), ("vip", globex)])
    assert len(emails(session)) == 4  # one email kept, two contacts
    assert [(u.subject, u.why) for u in unmatched(session)] == [("look-alike", "no_client")]


def test_the_addresses_the_commands_add_are_those_mail_matches(
    slack: SlackDriver, session: Session, sweeps: Sweeps, mailbox: Account, acme_without_contacts: None
) -> None:
    teammates(slack.fake)
    slack.command("add Globex")
    ask(slack, "domain acme <http://ACME.com|ACME.com> Müller.de")  # stored in IDNA: xn--mller-kva.de
    ask(slack, "person globex <mailto:Pat@Globex-Mail.com|Pat@Globex-Mail.com> Pat")
    ask(slack, "person globex vip@acme.com")  # their own entry wins over acme.com
    ask(slack, "domain globex eu.acme.com")  # the most specific domain wins
    utf8 = mail(sender=ALICE, to="Jo <jo@müller.de>", subject="utf-8", sent=utc(21, 9), body=".")
    utf8.policy = policy.SMTPUTF8  # an international address as it is, not in punycode
    deliver(
        mailbox,
        utf8,
        mail(sender=ALICE, to="jo@xn--mller-kva.de", subject="punycode", sent=utc(21, 10), body="."),
        mail(sender=ALICE, to="jo@mail.ACME.com", subject="subdomain", sent=utc(21, 11), body="."),
        mail(sender=ALICE, to="pat@globex-mail.com", subject="person", sent=utc(21, 12), body="."),
        mail(sender=ALICE, to="vip@acme.com", subject="vip", sent=utc(21, 13), body="."),
        mail(sender=ALICE, to="sam@eu.acme.com", subject="eu", sent=utc(21, 14), body="."),
    )
    sweeps.at(utc(22, 9))
    acme, globex = client_named(session, "Acme Corp").id, client_named(session, "Globex").id
    made = sorted((c.note, c.client_id) for c in email_contacts(session))
    expected = [("utf-8", acme), ("punycode", acme), ("subdomain", acme), ("person", globex), ("vip", globex),
                ("eu", globex)]  # fmt: skip
    assert made == sorted(expected)


@pytest.mark.parametrize("style", ["gmail", "outlook"])
def test_a_clients_mail_forwarded_inline_counts_as_the_original_by_the_forwarder(
    slack: SlackDriver, session: Session, sweeps: Sweeps, mailbox: Account, acme_mail: None, style: str
) -> None:
    original = mail(sender=f"Jo Smith <{JO}>", to="Carol <carol@ourco.test>", subject="Site is down",
                    sent=utc(21, 15), body="Hello,\n\nthe site is down since this morning.\n\nJo")  # fmt: skip
    deliver(mailbox, forwarded_inline(original, by=f"Bob <{BOB}>", sent=utc(21, 18), style=style))
    sweeps.at(utc(22, 9))
    [contact] = email_contacts(session)
    assert (contact.user_id, contact.note, contact.occurred_at) == ("UBOB", "Site is down", utc(21, 15))
    [email] = emails(session)
    assert (email.found_by, email.forwarded_by, email.message_id) == ("forwarder", BOB, None)
    assert email.from_header == f"Jo Smith <{JO}>"
    assert email.text == "Hello,\n\nthe site is down since this morning.\n\nJo"


def test_a_clients_mail_forwarded_as_an_attachment_keeps_its_headers(
    slack: SlackDriver, session: Session, sweeps: Sweeps, mailbox: Account, acme_mail: None
) -> None:
    original = mail(sender=JO, to="carol@ourco.test", cc="finance@acme.com", subject="Budget", sent=utc(20, 8),
                    message_id="<budget-1@acme.com>", body="Numbers inside.")  # fmt: skip
    deliver(mailbox, forwarded_as_attachment(original, by=BOB, sent=utc(21, 9)))
    sweeps.at(utc(22, 9))
    [contact] = email_contacts(session)
    assert (contact.user_id, contact.note, contact.occurred_at) == ("UBOB", "Budget", utc(20, 8))
    [email] = emails(session)
    assert (email.message_id, email.cc_header) == ("budget-1@acme.com", "finance@acme.com")
    assert email.text == "Numbers inside."


def test_the_same_mail_bccd_and_forwarded_counts_once(
    slack: SlackDriver, session: Session, sweeps: Sweeps, mailbox: Account, acme_mail: None
) -> None:
    """Jo writes to Alice with the mailbox in Cc; Alice forwards it as an attachment, Bob inline: one contact."""
    original = mail(sender=JO, to=ALICE, cc=MAILBOX_ADDRESS, subject="Contract", sent=utc(21, 10), body="Signed.")
    uids = deliver(
        mailbox,
        original,
        forwarded_as_attachment(original, by=ALICE, sent=utc(21, 11)),
        forwarded_inline(original, by=BOB, sent=utc(21, 12)),
        forwarded_inline(original, by=BOB, sent=utc(21, 13), style="outlook"),
    )
    report = sweeps.at(utc(22, 9))
    assert (report.emails_read, report.email_contacts, report.emails_unmatched) == (4, 1, 0)
    [contact] = email_contacts(session)
    assert (contact.user_id, contact.note) == ("UALICE", "Contract")
    [email] = emails(session)
    assert email.found_by == "recipient"
    assert seen(mailbox) == dict.fromkeys(uids, True)  # each copy is accounted for


def test_mail_with_no_client_stays_unread_and_is_listed(
    slack: SlackDriver, session: Session, sweeps: Sweeps, mailbox: Account, acme_mail: None
) -> None:
    [first, second] = deliver(
        mailbox,
        mail(sender=ALICE, to="friend@elsewhere.org", subject="Lunch?", sent=utc(21, 9), body="."),
        mail(sender=JO, to="nobody@ourco.test", subject="Who is this?", sent=utc(21, 10), body="."),
    )
    report = sweeps.at(utc(22, 9))
    assert (report.email_contacts, report.emails_unmatched) == (0, 2)
    assert email_contacts(session) == []
    assert seen(mailbox) == {first: False, second: False}
    assert [(u.subject, u.why, u.uid) for u in unmatched(session)] == [
        ("Lunch?", "no_client", first),
        ("Who is this?", "no_teammate", second),
    ]
    assert sweeps.at(utc(22, 10)).emails_unmatched == 0  # listed once, never read again


def test_guests_bots_and_other_workspaces_are_no_teammates(
    slack: SlackDriver, session: Session, sweeps: Sweeps, mailbox: Account, acme_mail: None
) -> None:
    slack.fake.add_user("UGUEST", email="guest@ourco.test", is_restricted=True)
    slack.fake.add_user("UBOT2", email="robot@ourco.test", is_bot=True)
    slack.fake.add_user("UGONE", email="gone@ourco.test", deleted=True)
    slack.fake.add_user("UOTHER", email="pat@partner.test", team="TPARTNER")
    deliver(
        mailbox,
        *(
            mail(sender=who, to=JO, subject=who, sent=utc(21, 9), body=".")
            for who in ("guest@ourco.test", "robot@ourco.test", "gone@ourco.test", "pat@partner.test")
        ),
    )
    sweeps.at(utc(22, 9))
    assert [u.why for u in unmatched(session)] == ["no_teammate"] * 4
    assert email_contacts(session) == []


def test_two_sweeps_at_once_keep_each_mail_once(
    slack: SlackDriver, session: Session, settings: Settings, engine: Engine, clock: FixedClock, mailbox: Account,
    acme_mail: None,
) -> None:  # fmt: skip
    """Both read the folder before either records it (Slack holds them at the same look-up): one contact each."""
    deliver(mailbox, *(mail(sender=ALICE, to=JO, subject=f"n{n}", sent=utc(21, 9 + n), body=".") for n in range(3)))
    both = threading.Barrier(2, timeout=30)

    def together(call: Call) -> Canned:
        both.wait()  # each sweep has read the folder and asks about Alice: neither has recorded anything yet
        return slack.fake.answer(call)

    for _ in range(2):
        slack.fake.queue("users.lookupByEmail", together)
    threads = [threading.Thread(target=Sweeps(settings, engine, clock).at, args=(utc(22, 9),)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(c.note for c in email_contacts(session)) == ["n0", "n1", "n2"]
    assert len(emails(session)) == 3


def test_a_mail_unmatched_for_want_of_a_teammate_counts_once_forwarded(
    slack: SlackDriver, session: Session, sweeps: Sweeps, mailbox: Account, acme_mail: None
) -> None:
    original = mail(sender=JO, to="dana@ourco.test", cc=MAILBOX_ADDRESS, subject="Kick-off", sent=utc(21, 9),
                    message_id="<kickoff@acme.com>", body="See you Monday.")  # fmt: skip
    deliver(mailbox, original)
    sweeps.at(utc(21, 10))
    assert [u.why for u in unmatched(session)] == ["no_teammate"]  # Dana has no Slack account with that address
    deliver(mailbox, forwarded_as_attachment(original, by=ALICE, sent=utc(21, 11)))
    sweeps.at(utc(21, 12))
    assert [(c.user_id, c.note) for c in email_contacts(session)] == [("UALICE", "Kick-off")]
    assert unmatched(session) == []  # it counts now: no longer listed


def test_a_changed_uidvalidity_reads_the_folder_again_counting_each_mail_once(
    slack: SlackDriver, session: Session, fake_slack: FakeSlack, database_url: str, mailbox: Account,
    acme_mail: None, engine: object, clock: object, caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    client = mailbox.connect()
    assert client.create("Clients")[0] == "OK"
    client.logout()
    sweeps = Sweeps(mail_settings(fake_slack, database_url, mailbox.url("Clients")), engine, clock)  # type: ignore[arg-type]
    first = mail(sender=ALICE, to=JO, subject="One", sent=utc(21, 9), body=".")
    deliver(mailbox, first, folder="Clients")
    assert sweeps.at(utc(21, 10)).email_contacts == 1
    client = mailbox.connect()  # the folder is made anew: its UIDs start again, under a new UIDVALIDITY
    assert client.delete("Clients")[0] == "OK" and client.create("Clients")[0] == "OK"
    client.logout()
    deliver(mailbox, first, mail(sender=ALICE, to=JO, subject="Two", sent=utc(21, 11), body="."), folder="Clients")
    with caplog.at_level(logging.WARNING, logger="rapport.mail"):
        report = sweeps.at(utc(21, 12))
    assert (report.emails_read, report.email_contacts) == (2, 1)
    assert [c.note for c in email_contacts(session)] == ["One", "Two"]
    assert "UIDVALIDITY changed" in caplog.text


def test_a_mailbox_refusing_the_login_stops_no_sweep_and_logs_no_password(
    slack: SlackDriver, session: Session, fake_slack: FakeSlack, database_url: str, mailbox: Account,
    engine: object, clock: object, caplog: pytest.LogCaptureFixture, acme_mail: None,
) -> None:  # fmt: skip
    wrong = "s3cret/wrong:pass"
    url = f"imap://{quote(mailbox.user, safe='')}@{mailbox.host}:{mailbox.port}/INBOX"  # IMAP_PASSWORD has it
    sweeps = Sweeps(mail_settings(fake_slack, database_url, url, password=wrong), engine, clock)  # type: ignore[arg-type]
    caplog.set_level(logging.DEBUG)
    report = sweeps.at(utc(7, 10, 0).replace(month=12))  # Acme has gone quiet: its nudge still goes out
    assert report.posted == 1
    ours = [r for r in caplog.records if r.name.startswith(("rapport", "services", "bot", "domain"))]
    warnings = [r.getMessage() for r in ours if r.levelno >= logging.WARNING]
    assert warnings == [
        f"mailbox {mailbox.user}@127.0.0.1/INBOX not read: the server refused the login "
        "([AUTHENTICATIONFAILED] Invalid authentication credentials.)"
    ]
    logged = "\n".join(r.getMessage() for r in ours)
    assert wrong not in logged and "s3cret" not in logged and mailbox.password not in logged
