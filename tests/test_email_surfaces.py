"""Where the team mailbox shows: `/client show` and the export (an email contact's subject and text), `rapport
sweep` from cron reading the mailbox, and `rapport mail unmatched` listing what made no contact."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.cli import main
from bot.settings import Settings
from fakes.imap_server import Account
from fakes.slack import FakeSlack
from tests.commands.test_export import uploaded_csv
from tests.driver import SlackDriver
from tests.helpers import Sweeps, ask, log
from tests.mail import ALICE, JO, client_domain, deliver, email_contacts, mail, mail_settings, teammates, utc


@pytest.fixture
def settings(fake_slack: FakeSlack, database_url: str, mailbox: Account) -> Settings:
    return mail_settings(fake_slack, database_url, mailbox.url())


LONG = "Hi Jo,\n\n" + "; ".join(["the invoice is attached"] * 20) + ".\n\nAlice <alice@ourco.test>"


@pytest.fixture
def emailed(
    slack: SlackDriver, session: Session, sweeps: Sweeps, mailbox: Account, acme_without_contacts: None
) -> None:
    """Acme Corp (acme.com) got a long email from Alice on Sat 21 Nov, 16:00 in Warsaw, read by a sweep."""
    client_domain(session, "acme.com")
    teammates(slack.fake)
    deliver(mailbox, mail(sender=f"Alice <{ALICE}>", to=f"Jo <{JO}>", subject="Invoice <42> & terms", sent=utc(21, 15),
                          message_id="<inv-42@ourco.test>", body=LONG))  # fmt: skip
    assert sweeps.at(utc(22, 9)).email_contacts == 1


def test_client_show_gives_an_email_contacts_subject_and_the_start_of_its_text(
    slack: SlackDriver, emailed: None
) -> None:
    log(slack, "acme called about the invoice")
    reply = ask(slack, "show acme")
    excerpt = ("Hi Jo, " + "; ".join(["the invoice is attached"] * 20))[:159].rstrip() + "…"
    assert (
        "*Last contacts* (2 of 2)\n"
        "\u2022 Sun 22 Nov 10:00, <@UALICE> in <#CGENERAL>: \u201ccalled about the invoice\u201d\n"
        f"\u2022 Sat 21 Nov 16:00, <@UALICE> by email: \u201cInvoice &lt;42&gt; &amp; terms\u201d \u2014 {excerpt}"
    ) in reply


def test_the_people_on_a_key_clients_email_are_whom_we_talk_to(
    slack: SlackDriver, sweeps: Sweeps, mailbox: Account, emailed: None
) -> None:
    ask(slack, "person acme <@UCLIENT|jo> ")
    ask(slack, "person acme pat@acme.com Pat")  # listed, but not on any mail of the last 90 days
    reply = ask(slack, "show acme")
    assert (
        ":warning: jo@acme.com is the only person at *Acme Corp* we talked with in the last 90 days: if they leave, "
        "we could lose the client."
    ) in reply
    ask(slack, "person acme jo@acme.com Jo")
    assert ":warning: Jo (jo@acme.com) is the only person at *Acme Corp* we talked with" in ask(slack, "show acme")
    deliver(mailbox, mail(sender=ALICE, to=JO, cc="Sam <sam@eu.acme.com>, Bob <bob@ourco.test>", subject="Re: Invoice",
                          sent=utc(22, 10), body="."))  # fmt: skip
    assert sweeps.at(utc(22, 11)).email_contacts == 1
    assert ":warning:" not in ask(slack, "show acme")


def test_the_export_carries_the_email_as_kept(slack: SlackDriver, emailed: None) -> None:
    log(slack, "acme called about the invoice")
    ask(slack, "export")
    header, *rows = uploaded_csv(slack.fake)
    assert header[-6:] == ["email_from", "email_to", "email_cc", "email_subject", "email_text", "email_message_id"]
    by_source = {row[6]: row for row in rows}
    assert by_source["email"] == [
        "2026-11-21T15:00:00Z", "Acme Corp", "UALICE", "", "Invoice <42> & terms", "", "email",
        f"Alice <{ALICE}>", f"Jo <{JO}>", "", "Invoice <42> & terms", LONG, "inv-42@ourco.test",
    ]  # fmt: skip
    assert by_source["command"][7:] == [""] * 6


def test_rapport_sweep_from_cron_reads_the_mailbox(
    slack: SlackDriver, session: Session, mailbox: Account, database_url: str, fake_slack: FakeSlack,
    acme_without_contacts: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    client_domain(session, "acme.com")
    teammates(slack.fake)
    deliver(mailbox, mail(sender=ALICE, to=JO, subject="Kick-off", sent=utc(21, 15), body="Monday?"))
    _environment(monkeypatch, tmp_path, database_url, SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="s",
                 SLACK_API_URL=fake_slack.api_url, IMAP_URL=mailbox.url())  # fmt: skip
    assert main(["sweep", "--now", "2026-11-22T09:00:00Z"]) == 0
    assert "1 emails read, 1 contacts from email, 0 unmatched" in capsys.readouterr().out
    assert [(c.user_id, c.note) for c in email_contacts(session)] == [("UALICE", "Kick-off")]


def test_rapport_mail_unmatched_lists_them_newest_first(
    slack: SlackDriver, session: Session, sweeps: Sweeps, mailbox: Account, database_url: str,
    acme_without_contacts: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    client_domain(session, "acme.com")
    teammates(slack.fake)
    deliver(
        mailbox,
        mail(sender="Newsletter <news@vendor.example>", to="rapport@ourco.test", subject="Weekly\tnews",
             sent=utc(20, 8), body="."),
        mail(sender=f"Jo Smith <{JO}>", to="dana@ourco.test", subject="Who are you?", sent=utc(21, 9), body="."),
    )  # fmt: skip
    sweeps.at(utc(22, 9))
    _environment(monkeypatch, tmp_path, database_url)
    assert main(["mail", "unmatched"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"2026-11-21 09:00 UTC  Jo Smith <{JO}>  “Who are you?”  (no teammate: neither the sender, the forwarder nor "
        "a recipient is a teammate on Slack)",
        "2026-11-20 08:00 UTC  Newsletter <news@vendor.example>  “Weekly news”  (no client: nobody in From, To or Cc "
        "is a client's person or at a client's domain)",
    ]
    assert main(["mail", "unmatched", "--limit", "1"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1


def test_rapport_mail_unmatched_with_none(
    engine: object, database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    _environment(monkeypatch, tmp_path, database_url)
    assert main(["mail", "unmatched"]) == 0
    out = capsys.readouterr().out.strip()
    assert out == "rapport: no unmatched mail: every message read from the team mailbox is a contact"


def test_rapport_mail_poll_reads_the_mailbox_alone(
    slack: SlackDriver, session: Session, mailbox: Account, database_url: str, fake_slack: FakeSlack,
    acme_without_contacts: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    client_domain(session, "acme.com")
    teammates(slack.fake)
    deliver(mailbox, mail(sender=ALICE, to=JO, subject="Kick-off", sent=utc(21, 15), body="Monday?"))
    _environment(monkeypatch, tmp_path, database_url, SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="s",
                 SLACK_API_URL=fake_slack.api_url, IMAP_URL=mailbox.url())  # fmt: skip
    assert main(["mail", "poll", "--now", "2026-11-22T09:00:00Z"]) == 0
    assert capsys.readouterr().out.strip() == "rapport: 1 emails read, 1 contacts from email, 0 unmatched"
    assert fake_slack.calls_to("chat.postMessage") == []  # no sweep: nothing else was done


def test_rapport_mail_poll_with_a_refused_login_is_one_line(
    mailbox: Account, database_url: str, fake_slack: FakeSlack, engine: object, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    _environment(monkeypatch, tmp_path, database_url, SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="s",
                 SLACK_API_URL=fake_slack.api_url, IMAP_URL=mailbox.url(), IMAP_PASSWORD="not-it")  # fmt: skip
    assert main(["mail", "poll"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (
        f"rapport: mailbox {mailbox.user}@127.0.0.1/INBOX not read: the server refused the login "
        "([AUTHENTICATIONFAILED] Invalid authentication credentials.)"
    )
    assert "not-it" not in err


def _environment(monkeypatch: pytest.MonkeyPatch, folder: Path, database_url: str, **variables: str) -> None:
    monkeypatch.chdir(folder)  # no .env here
    monkeypatch.setenv("DATABASE_URL", database_url)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
