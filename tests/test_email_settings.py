"""IMAP_URL and IMAP_PASSWORD, and the three ways to reach the mailbox (IMAPS, STARTTLS, plain on loopback)
against the real test server, its certificate trusted through SSL_CERT_FILE as an internal CA would be."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.check import run_checks
from bot.settings import SettingsError, load_settings
from domain.clock import FixedClock
from fakes.imap_server import Account, ImapServer
from fakes.slack import FakeSlack
from services.imap_address import MailboxAddress, Security, parse_imap_url
from services.mailbox import open_mailbox
from tests.driver import SlackDriver
from tests.helpers import Sweeps
from tests.mail import ALICE, JO, client_domain, deliver, email_contacts, mail, mail_settings, teammates, utc


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("imaps://team%40ourco.com:p%2Fw%3A1@mail.ourco.com/Clients", ("mail.ourco.com", 993, "team@ourco.com",
                                                                      "Clients", Security.TLS, "p/w:1")),
        ("imaps://u:p@Mail.OurCo.com:1993", ("mail.ourco.com", 1993, "u", "INBOX", Security.TLS, "p")),
        ("imap://u:p@mail.ourco.com/Shared%2FClients", ("mail.ourco.com", 143, "u", "Shared/Clients",
                                                        Security.STARTTLS, "p")),
        ("imap://u:p@127.0.0.1:1143/", ("127.0.0.1", 1143, "u", "INBOX", Security.PLAIN, "p")),
        ("imap://u:p@[::1]:1143", ("::1", 1143, "u", "INBOX", Security.PLAIN, "p")),
        ("imap://u:p@localhost", ("localhost", 143, "u", "INBOX", Security.PLAIN, "p")),
    ],
)  # fmt: skip
def test_imap_url_forms(url: str, expected: tuple[object, ...]) -> None:
    found = parse_imap_url(url)
    assert (found.host, found.port, found.user, found.folder, found.security, found.password) == expected


def test_imap_password_supplies_or_overrides_the_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.setenv("IMAP_URL", "imaps://team%40ourco.com@mail.ourco.com/INBOX")
    monkeypatch.setenv("IMAP_PASSWORD", "from-the-env")
    settings = load_settings(_env_file=None)
    assert settings.mailbox is not None and settings.mailbox.password == "from-the-env"
    monkeypatch.setenv("IMAP_URL", "imaps://team%40ourco.com:in-the-url@mail.ourco.com/INBOX")
    assert load_settings(_env_file=None).mailbox.password == "from-the-env"  # type: ignore[union-attr]
    assert "from-the-env" not in repr(settings) and "in-the-url" not in repr(load_settings(_env_file=None))
    assert "from-the-env" not in repr(settings.mailbox)
    assert settings.mailbox.name == "team@ourco.com@mail.ourco.com/INBOX"  # what logs call it


def test_no_imap_url_no_mailbox(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMAP_URL", "")
    assert load_settings(_env_file=None, slack_bot_token="x", slack_signing_secret="s").mailbox is None


@pytest.mark.parametrize(
    ("url", "password", "message"),
    [
        ("https://u:topsecret@mail.ourco.com/", None, "IMAP_URL must start with imaps:// (TLS) or imap:// (STARTTLS)"),
        ("imaps://u@mail.ourco.com/", None, "IMAP_URL has no password: put it in the URL or in IMAP_PASSWORD"),
        ("imaps://:topsecret@mail.ourco.com/", None, "IMAP_URL names no user (imaps://user:password@host/INBOX)"),
        ("imaps://u:topsecret@/INBOX", None, "IMAP_URL names no host"),
        ("imaps://u:topsecret@mail.ourco.com:99999/", None,
         "IMAP_URL must be an IMAP URL like imaps://user:password@host/INBOX"),
    ],
)  # fmt: skip
def test_a_bad_imap_url_is_one_line_naming_it_without_its_secret(url: str, password: str | None, message: str) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(_env_file=None, slack_bot_token="x", slack_signing_secret="s", imap_url=url,
                      imap_password=password)  # fmt: skip
    assert str(error.value) == message
    assert "topsecret" not in str(error.value)


def _trust(monkeypatch: pytest.MonkeyPatch, server: ImapServer) -> None:
    """Trust the test server's certificate the way an operator trusts an internal CA: SSL_CERT_FILE."""
    if server.cert is None or server.tls_port is None:
        pytest.skip("openssl is not installed: the test IMAP server has no TLS")
    monkeypatch.setenv("SSL_CERT_FILE", str(server.cert))


def test_imaps_through_the_sweep(
    slack: SlackDriver, session: Session, fake_slack: FakeSlack, database_url: str, engine: Engine,
    clock: FixedClock, imap_server: ImapServer, mailbox: Account, acme_without_contacts: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    _trust(monkeypatch, imap_server)
    client_domain(session, "acme.com")
    teammates(slack.fake)
    deliver(mailbox, mail(sender=ALICE, to=JO, subject="Over TLS", sent=utc(21, 9), body="."))
    url = mailbox.url(scheme="imaps", port=imap_server.tls_port)
    assert parse_imap_url(url).security == Security.TLS
    Sweeps(mail_settings(fake_slack, database_url, url), engine, clock).at(utc(22, 9))
    assert [c.note for c in email_contacts(session)] == ["Over TLS"]


def test_starttls_is_used_and_the_certificate_checked(
    imap_server: ImapServer, mailbox: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    _trust(monkeypatch, imap_server)
    address = MailboxAddress(mailbox.host, mailbox.port, mailbox.user, "INBOX", Security.STARTTLS, mailbox.password)
    with open_mailbox(address) as box:
        assert box.box.client.sock.version() is not None  # type: ignore[attr-defined]  (an SSLSocket after STARTTLS)
        assert box.uidvalidity > 0
    monkeypatch.delenv("SSL_CERT_FILE")
    with pytest.raises(OSError, match="CERTIFICATE_VERIFY_FAILED"), open_mailbox(address):
        pass


def test_an_untrusted_certificate_stops_no_sweep(
    fake_slack: FakeSlack, database_url: str, engine: Engine, clock: FixedClock, imap_server: ImapServer,
    mailbox: Account, caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    if imap_server.tls_port is None:
        pytest.skip("openssl is not installed: the test IMAP server has no TLS")
    url = mailbox.url(scheme="imaps", port=imap_server.tls_port)
    with caplog.at_level(logging.WARNING, logger="rapport"):
        report = Sweeps(mail_settings(fake_slack, database_url, url), engine, clock).at(utc(22, 9))
    assert report.emails_read == 0
    [warning] = [r.getMessage() for r in caplog.records if r.name.startswith("rapport")]
    assert warning.startswith(f"mailbox {mailbox.user}@127.0.0.1/INBOX not read: SSLCertVerificationError")


def test_rapport_check_logs_in_to_the_mailbox(fake_slack: FakeSlack, database_url: str, mailbox: Account,
                                              engine: Engine) -> None:  # fmt: skip
    good = [o.line() for o in run_checks(settings=mail_settings(fake_slack, database_url, mailbox.url()))]
    assert good[-1].startswith(f"ok   mailbox: logged in to {mailbox.user}@127.0.0.1/INBOX (plain, UIDVALIDITY ")
    refused = run_checks(settings=mail_settings(fake_slack, database_url, mailbox.url(), password="nope"))
    assert [o.line() for o in refused][-1] == (
        f"FAIL mailbox: {mailbox.user}@127.0.0.1/INBOX (plain): the server refused the login "
        "([AUTHENTICATIONFAILED] Invalid authentication credentials.)"
    )
