"""`/client domain`: anyone with an address at a client's domain (or a subdomain) belongs to it; a domain belongs
to one client, and public mail domains belong to nobody's."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.commands.linking import domains, nothing_written
from tests.driver import SlackDriver
from tests.helpers import add, ask, client_named

ADDED = "(or at a subdomain) now belongs to *Acme Corp*: mail with them counts as a contact."


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("acme.com", "acme.com", "acme.com"),
        ("<http://acme.com|acme.com>", "acme.com", "acme.com"),  # Slack links a typed domain
        ("ACME.com.", "acme.com", "acme.com"),
        ("@acme.com", "acme.com", "acme.com"),
        ("https://acme.com/", "acme.com", "acme.com"),  # a website pasted: its domain
        ("<https://eu.acme.com>", "eu.acme.com", "eu.acme.com"),
        ("Müller-Bäckerei.de", "xn--mller-bckerei-hfb76a.de", "müller-bäckerei.de"),
        ("xn--mller-kva.de", "xn--mller-kva.de", "müller.de"),
        ("acme.co.uk", "acme.co.uk", "acme.co.uk"),
    ],
)
def test_a_domain_as_typed_pasted_or_linked(
    slack: SlackDriver, session: Session, acme: None, typed: str, stored: str, shown: str
) -> None:
    assert ask(slack, f"domain acme {typed}") == f"Anyone with an address at {shown} {ADDED}"
    assert domains(session) == [("T1", stored, client_named(session, "Acme Corp").id)]
    assert f"*Domains:* {shown}\n" in ask(slack, "show acme")


def test_several_domains_at_once_each_once(slack: SlackDriver, session: Session, acme: None) -> None:
    assert (
        ask(slack, "domain Acme Corp acme.com acme.de ACME.com")
        == f"Anyone with an address at acme.com, acme.de {ADDED}"
    )
    acme_id = client_named(session, "Acme Corp").id
    assert domains(session) == [("T1", "acme.com", acme_id), ("T1", "acme.de", acme_id)]
    assert "*Domains:* acme.com, acme.de\n" in ask(slack, "show acme")


def test_a_domain_of_the_client_already_or_inside_one_changes_nothing(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    ask(slack, "domain acme acme.com")
    with nothing_written(session):
        assert ask(slack, "domain acme acme.com") == "acme.com is *Acme Corp*'s already.\nNothing was changed."
        assert ask(slack, "domain acme mail.acme.com") == (
            "mail.acme.com is covered already: it is part of acme.com.\nNothing was changed."
        )
    assert ask(slack, "domain acme acme.de eu.acme.de acme.com") == (
        f"Anyone with an address at acme.de {ADDED}\n"
        "eu.acme.de is covered already: it is part of acme.de.\n"
        "acme.com is *Acme Corp*'s already."
    )


def test_a_subdomain_of_another_clients_domain_can_be_this_ones(
    slack: SlackDriver, session: Session, acme: None
) -> None:
    add(slack, '"Roadrunner Ltd"')
    ask(slack, "domain acme acme.com")
    assert ask(slack, "domain roadrunner eu.acme.com") == (
        "Anyone with an address at eu.acme.com (or at a subdomain) now belongs to *Roadrunner Ltd*: mail with them "
        "counts as a contact.\n"
        "eu.acme.com was part of *Acme Corp*'s acme.com: addresses there now count for *Roadrunner Ltd*."
    )
    acme_id, roadrunner_id = client_named(session, "Acme Corp").id, client_named(session, "Roadrunner Ltd").id
    assert domains(session) == [("T1", "acme.com", acme_id), ("T1", "eu.acme.com", roadrunner_id)]


def test_a_domain_belongs_to_one_client(slack: SlackDriver, session: Session, acme: None) -> None:
    add(slack, '"Roadrunner Ltd"')
    ask(slack, "domain acme acme.com")
    with nothing_written(session):
        reply = ask(slack, "domain roadrunner roadrunner.com <http://ACME.com|ACME.com>")
    assert reply == (
        ":warning: acme.com is *Acme Corp*'s already, and a domain belongs to one client. Remove it there first "
        "(`/client domain Acme Corp off acme.com`), or add the people you mean one by one. Nothing was changed."
    )


@pytest.mark.parametrize("domain", ["ourco.test", "OURCO.test"])
def test_the_teams_own_domain_is_no_clients(slack: SlackDriver, session: Session, acme: None, domain: str) -> None:
    slack.fake.add_user("UBOB", email="bob@eu.ourco.test")  # Bob's profile, read when he acts
    with nothing_written(session):
        reply = ask(slack, f"domain acme acme.com {domain}", user="UBOB")
    assert reply == (
        ":warning: ourco.test is the team's own: <@UBOB>'s address is there. A client's domain is where the client's "
        "people have their addresses. Nothing was changed."
    )
    assert ask(slack, "domain acme ourco.com acme.test").startswith("Anyone with an address at ourco.com, acme.test")


@pytest.mark.parametrize(
    "domain",
    ["gmail.com", "GoogleMail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.fr", "msn.com", "yahoo.fr",
     "yahoo.co.jp", "mail.yahoo.com", "icloud.com", "me.com", "aol.de", "proton.me", "protonmail.com", "gmx.net",
     "gmx.de", "web.de", "mail.ru", "yandex.ru", "wp.pl", "o2.pl", "onet.pl", "interia.pl", "qq.com"],
)  # fmt: skip
def test_a_public_mail_domain_is_nobodys(slack: SlackDriver, session: Session, acme: None, domain: str) -> None:
    with nothing_written(session):
        reply = ask(slack, f"domain acme acme.com {domain}")
    shown = domain.lower()
    assert reply == (
        f":warning: Everyone can have a {shown} address, so it does not tell who is at a client: add the people "
        f"instead (`/client person <client> jo@{shown}`). Nothing was changed."
    )


@pytest.mark.parametrize(
    "domain", ["hotmail.acme.com", "yahoo-finance.com", "gmxtools.de", "mymail.ru", "live.acme.io"]
)
def test_a_companys_domain_that_looks_like_a_providers_is_fine(
    slack: SlackDriver, session: Session, acme: None, domain: str
) -> None:
    assert ask(slack, f"domain acme {domain}") == f"Anyone with an address at {domain} {ADDED}"


def test_removing_a_domain(slack: SlackDriver, session: Session, acme: None) -> None:
    ask(slack, "domain acme acme.com acme.de")
    assert ask(slack, "domain acme off <http://acme.com|acme.com>") == (
        "acme.com is no longer *Acme Corp*'s: people there belong to it only when listed with `/client person`."
    )
    assert [d for _, d, _ in domains(session)] == ["acme.de"]
    with nothing_written(session):
        assert (
            ask(slack, "domain acme off acme.com")
            == "acme.com is not one of *Acme Corp*'s domains. Nothing was changed."
        )
        assert ask(slack, "domain acme off mail.acme.de") == (
            "mail.acme.de is not one of *Acme Corp*'s domains. Nothing was changed."
        )


def test_removing_several_domains(slack: SlackDriver, session: Session, acme: None) -> None:
    ask(slack, "domain acme acme.com acme.de acme.pl")
    assert ask(slack, "domain acme off acme.com acme.it acme.de") == (
        "acme.com, acme.de are no longer *Acme Corp*'s: people there belong to it only when listed with "
        "`/client person`. acme.it is not one of *Acme Corp*'s domains."
    )
    assert [d for _, d, _ in domains(session)] == ["acme.pl"]
    with nothing_written(session):
        assert ask(slack, "domain acme off acme.com acme.it") == (
            "acme.com is not one of *Acme Corp*'s domains. acme.it is not one of *Acme Corp*'s domains. Nothing was "
            "changed."
        )


def test_another_workspaces_domains_are_invisible(slack: SlackDriver, session: Session, acme: None) -> None:
    slack.fake.add_user("UT2", team="T2")
    add(slack, '"Acme Corp"', team="T2", user="UT2")
    ask(slack, "domain acme acme.com")
    assert ask(slack, "domain acme acme.com", team="T2", user="UT2").startswith("Anyone with an address at acme.com")
    ask(slack, "domain acme acme.de", team="T2", user="UT2")
    ours, theirs = client_named(session, "Acme Corp"), client_named(session, "Acme Corp", team="T2")
    assert "*Domains:* acme.com\n" in ask(slack, "show acme")
    assert ask(slack, "domain acme off acme.com", team="T2", user="UT2").startswith("acme.com is no longer")
    assert domains(session) == [("T1", "acme.com", ours.id), ("T2", "acme.de", theirs.id)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("domain", "Usage: `/client domain"),
        ("domain acme", "Usage: `/client domain"),
        ("domain acme.com", "Usage: `/client domain"),
        ("domain acme off", "Usage: `/client domain"),
        ("domain acme corp", "`corp` is not a domain: a domain has a dot, as in `acme.com`."),
        ("domain acme acme..com", "`acme..com` is not a domain: letters, digits and hyphens between dots"),
        ("domain acme -acme.com", "is not a domain"),
        ("domain acme acme_corp.com", "is not a domain"),
        ("domain acme 10.0.0.1", "`10.0.0.1` is not a domain"),
        (f"domain acme {'a' * 64}.com", "is not a domain"),
        (
            "domain acme www.acme.com",
            "`www.acme.com` is a website's name: people's addresses are rarely at `www.`. Did you mean `acme.com`?",
        ),
        (
            "domain acme <https://www.acme.com/about|www.acme.com/about>",
            "`www.acme.com/about` is a web address: give the domain alone",
        ),
        ("domain acme https://acme.com/about", "Did you mean `acme.com`?"),
        ("domain acme acme.com:8080", "is a web address"),
        ("domain acme ftp://acme.com", "is a web address"),
        (
            "domain acme <mailto:jo@acme.com|jo@acme.com>",
            "`jo@acme.com` is an email address: add that person with `/client person <client> jo@acme.com`",
        ),
        ("domain acme off acme.com www.acme.de", "is a website's name"),
        ("domain off acme.com", "Which client?"),
        ('domain "Acme" Corp acme.com', "Put the whole client name in quotes"),
        ("domain nosuch acme.com", "I don't know a client called *nosuch*"),
        ("domain nosuch gmail.com", "I don't know a client called *nosuch*"),
    ],
)
def test_bad_domain_commands_change_nothing(
    slack: SlackDriver, session: Session, acme: None, text: str, expected: str
) -> None:
    with nothing_written(session):
        reply = ask(slack, text)
    assert reply.startswith(":warning:") and expected in reply, reply
    assert "went wrong" not in reply
