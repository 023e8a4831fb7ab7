"""Survey links by email: a real SMTP server on loopback (aiosmtpd) gets each personal link, text and HTML, in the
invitation's language; a refused email is reported to the requester, who still gets the link."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from bot.check import run_checks
from bot.settings import Settings
from fakes.slack import FakeSlack
from fakes.smtp_server import SmtpServer
from storage.models import SurveyParticipant
from tests.driver import SlackDriver
from tests.survey_page import LINK, PUBLIC_URL, page_settings, request, token_of

START = 'survey acme "Website relaunch" team <@UBOB> client jo@acme.com lang pl <mailto:ann@acme.com|ann@acme.com>'


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer(user="rapport@ourco.com", password="s3cret pass").start()
    yield server
    server.stop()


@pytest.fixture
def settings(fake_slack: FakeSlack, database_url: str, smtp_server: SmtpServer) -> Settings:
    # No SMTP_FROM: the sender is the URL's user, an email address.
    return page_settings(fake_slack, database_url, smtp_url=f"smtp://rapport%40ourco.com@127.0.0.1:{smtp_server.port}",
                         smtp_password="s3cret pass")  # fmt: skip


def _people(session: Session) -> dict[str, str | None]:
    session.expire_all()
    rows = session.query(SurveyParticipant).filter(SurveyParticipant.email.is_not(None))
    return {str(p.email): p.invited_via for p in rows}


def test_each_link_is_emailed_in_its_language_with_text_and_html(
    slack: SlackDriver, session: Session, acme: None, smtp_server: SmtpServer
) -> None:
    slack.command(START)
    reply = slack.fake.last_response()["text"]
    shown = dict(line.split(" a personal link (it works once, for 30 days): ") for line in reply.splitlines()
                 if line.startswith("Emailed "))  # fmt: skip
    assert set(shown) == {"Emailed jo@acme.com", "Emailed ann@acme.com"}
    assert smtp_server.logins == ["rapport@ourco.com", "rapport@ourco.com"]
    by_address = {r.recipients[0]: r for r in smtp_server.messages}
    assert set(by_address) == {"jo@acme.com", "ann@acme.com"}
    jo = by_address["jo@acme.com"].message
    assert jo["Subject"] == "Jak poszedł projekt Website relaunch?" and jo["Content-Language"] == "pl"
    assert jo["From"] == "rapport@ourco.com" and jo["To"] == "jo@acme.com"
    assert jo.get_content_type() == "multipart/alternative"
    text, html = jo.get_body(("plain",)), jo.get_body(("html",))
    assert text is not None and html is not None
    link = shown["Emailed jo@acme.com"]
    assert LINK.fullmatch(link) and link in text.get_content() and f'href="{link}"' in html.get_content()
    assert "Dzień dobry," in text.get_content() and "Wypełnij ankietę" in html.get_content()
    assert '<html lang="pl">' in html.get_content()
    ann = by_address["ann@acme.com"].message
    assert ann["Subject"] == "How did Website relaunch go?" and ann["Content-Language"] == "en"
    ann_text = ann.get_body(("plain",))
    assert ann_text is not None and shown["Emailed ann@acme.com"] in ann_text.get_content()
    assert _people(session) == {"jo@acme.com": "email", "ann@acme.com": "email"}
    page = request(slack, token_of(link))  # the emailed link opens jo's page, in Polish
    assert page.status == 200 and page.lang == "pl"


def test_a_refused_email_is_reported_and_the_requester_still_gets_the_link(
    slack: SlackDriver, session: Session, acme: None, smtp_server: SmtpServer
) -> None:
    smtp_server.refuse()
    slack.command(START)
    reply = slack.fake.last_response()["text"]
    assert ":warning: I could not email jo@acme.com: please pass their personal link on yourself" in reply
    assert ":warning: I could not email ann@acme.com" in reply
    assert len(LINK.findall(reply)) == 2 and reply.count(PUBLIC_URL) == 2
    assert smtp_server.messages == []
    assert _people(session) == {"jo@acme.com": "link", "ann@acme.com": "link"}
    assert request(slack, token_of(reply)).status == 200


def test_an_unreachable_server_is_reported_too(
    slack: SlackDriver, session: Session, acme: None, smtp_server: SmtpServer
) -> None:
    smtp_server.stop()
    slack.command(START)
    assert ":warning: I could not email jo@acme.com" in slack.fake.last_response()["text"]
    assert _people(session) == {"jo@acme.com": "link", "ann@acme.com": "link"}


def test_rapport_check_logs_in_to_the_smtp_server(
    settings: Settings, smtp_server: SmtpServer, fake_slack: FakeSlack, database_url: str
) -> None:
    lines = [o.line() for o in run_checks(settings=settings)]
    assert f"ok   smtp: connected to rapport@ourco.com@127.0.0.1:{smtp_server.port} (plain)" in lines
    assert smtp_server.logins == ["rapport@ourco.com"] and smtp_server.messages == []
    wrong = page_settings(fake_slack, database_url, smtp_url=f"smtp://rapport%40ourco.com@127.0.0.1:{smtp_server.port}",
                          smtp_password="wrong")  # fmt: skip
    refused = [o for o in run_checks(settings=wrong) if "smtp" in o.text]
    assert len(refused) == 1  # refused (or hung up on) at the login: an SMTP error, never the password
    assert refused[0].line().startswith(f"FAIL smtp: rapport@ourco.com@127.0.0.1:{smtp_server.port} (plain): SMTP")
    assert "wrong" not in refused[0].line()
